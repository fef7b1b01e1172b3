/* test_config.c: XDG paths, config parsing with file:line warnings, secrets refused when shared. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "t.h"

static char dir[] = "/tmp/pd-test-config.XXXXXX";

static void write_file(const char *path, const char *text, int mode)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    chmod(path, (mode_t)mode);
}

static void xdg_paths_follow_environment(void)
{
    setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
    setenv("XDG_STATE_HOME", "relative/ignored", 1);
    setenv("HOME", "/home/u", 1);
    char *c = pd_config_dir(), *s = pd_state_dir();
    CHECK_STR(c, "/x/cfg/promptdeck");
    CHECK_STR(s, "/home/u/.local/state/promptdeck");
    free(c);
    free(s);
    unsetenv("XDG_DATA_HOME");
    char *d = pd_data_dir();
    CHECK_STR(d, "/home/u/.local/share/promptdeck");
    free(d);
}

static void sections_keys_and_warnings(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/config", dir);
    write_file(path,
               "# comment\n"
               "theme = light\n"
               "\n"
               "[keys]\n"
               "quit = Q   # trailing comment\n"
               "this line is wrong\n"
               "[openai]\n"
               "base_url = \"http://127.0.0.1:9 #x\"\n"
               "[bad\n"
               "theme = dark\n",
               0600);
    pd_config c;
    pd_error err = {0};
    CHECK_INT(pd_config_load(path, &c, &err), 0);
    CHECK_STR(pd_config_get(&c, "theme"), "light");
    CHECK_STR(pd_config_get(&c, "keys.quit"), "Q");
    CHECK_STR(pd_config_get(&c, "openai.base_url"), "http://127.0.0.1:9 #x");
    CHECK_STR(pd_config_get(&c, "openai.theme"), "dark"); /* bad header skipped, section kept */
    CHECK_INT(pd_config_line(&c, "keys.quit"), 5);
    CHECK(pd_config_get(&c, "missing") == NULL);
    CHECK(c.warnings && strstr(c.warnings, "config:6: expected 'key = value'"));
    CHECK(c.warnings && strstr(c.warnings, "config:9:"));
    pd_config_free(&c);
}

static void missing_file_is_empty(void)
{
    pd_config c;
    pd_error err = {0};
    CHECK_INT(pd_config_load("/nonexistent/pd/config", &c, &err), 0);
    CHECK_INT(c.n, 0);
    CHECK(c.path == NULL);
    pd_config_free(&c);
}

/* The default config file is never waited on: a FIFO planted there is refused (it hung every
 * command and the app), and a folder there is named in the error (its path was freed before). */
static void default_file_not_regular_is_refused(void)
{
    char xdg[256], sub[300], path[320];
    snprintf(xdg, sizeof xdg, "%s/xdg", dir);
    snprintf(sub, sizeof sub, "%s/promptdeck", xdg);
    snprintf(path, sizeof path, "%s/config", sub);
    CHECK_INT(mkdir(xdg, 0700), 0);
    CHECK_INT(mkdir(sub, 0700), 0);
    CHECK_INT(mkfifo(path, 0600), 0);
    setenv("XDG_CONFIG_HOME", xdg, 1);
    pd_config c;
    pd_error err = {0};
    alarm(10); /* a hang is a failure, not a stuck test run */
    CHECK_INT(pd_config_load(NULL, &c, &err), -1);
    CHECK(strstr(err.msg, "promptdeck/config: not a regular file (a FIFO") != NULL);
    CHECK_INT(unlink(path), 0);
    CHECK_INT(mkdir(path, 0700), 0);
    pd_error err2 = {0};
    CHECK_INT(pd_config_load(NULL, &c, &err2), -1);
    CHECK(strstr(err2.msg, "promptdeck/config: ") != NULL);
    alarm(0);
    pd_config_free(&c);
    pd_error_clear(&err);
    pd_error_clear(&err2);
}

static void secret_refused_when_readable_by_others(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/secret", dir);
    write_file(path, "[openai]\napi_key = sk-test-123\n", 0644);
    pd_config c;
    pd_error err = {0};
    const char *key = "unset";
    CHECK_INT(pd_config_load(path, &c, &err), 0);
    CHECK_INT(pd_config_get_secret(&c, "openai.api_key", &key, &err), -1);
    CHECK(key == NULL);
    CHECK_INT(err.code, PD_ERR_AUTH);
    CHECK(strstr(err.msg, "chmod 600") != NULL);
    CHECK(strstr(err.msg, "sk-test") == NULL);
    pd_config_free(&c);
    chmod(path, 0600);
    CHECK_INT(pd_config_load(path, &c, &err), 0);
    CHECK_INT(pd_config_get_secret(&c, "openai.api_key", &key, &err), 0);
    CHECK_STR(key, "sk-test-123");
    pd_config_free(&c);
}

/* Seconds and sizes, from options and from the config (its errors name file:line). */
static void seconds_and_sizes(void)
{
    double secs = 0;
    size_t size = 0;
    pd_error err = {0};
    CHECK_INT(pd_parse_seconds("--timeout", "0.5", &secs, &err), 0);
    CHECK(secs == 0.5);
    CHECK_INT(pd_parse_seconds("--timeout", "0", &secs, &err), -1);
    CHECK_STR(err.msg, "--timeout '0': give seconds, e.g. 30 or 0.5");
    CHECK_INT(pd_parse_seconds("--timeout", "nan", &secs, &err), -1);
    CHECK_INT(pd_parse_size("--max-answer", "512K", &size, &err), 0);
    CHECK_INT(size, 512 * 1024);
    CHECK_INT(pd_parse_size("--max-answer", "4MiB", &size, &err), 0);
    CHECK_INT(size, 4 << 20);
    CHECK_INT(pd_parse_size("--max-answer", "4X", &size, &err), -1);
    CHECK_INT(pd_parse_size("--max-answer", "2T", &size, &err), -1);
    char path[256];
    snprintf(path, sizeof path, "%s/limits", dir);
    write_file(path, "[run]\nmax_answer_bytes = 2K\ntimeout = soon\n", 0600);
    pd_config c;
    CHECK_INT(pd_config_load(path, &c, &err), 0);
    size = 7;
    CHECK_INT(pd_config_get_size(&c, "run.max_answer_bytes", &size, &err), 0);
    CHECK_INT(size, 2048);
    secs = 7;
    CHECK_INT(pd_config_get_seconds(&c, "run.idle_timeout", &secs, &err), 0);   /* unset: untouched */
    CHECK(secs == 7);
    CHECK_INT(pd_config_get_seconds(&c, "run.timeout", &secs, &err), -1);
    CHECK(strstr(err.msg, "limits:3: run.timeout 'soon': give seconds") != NULL);
    CHECK_INT(pd_config_get_seconds(NULL, "run.timeout", &secs, &err), 0);
    pd_config_free(&c);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    RUN(xdg_paths_follow_environment);
    RUN(sections_keys_and_warnings);
    RUN(missing_file_is_empty);
    RUN(default_file_not_regular_is_refused);
    RUN(secret_refused_when_readable_by_others);
    RUN(seconds_and_sizes);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    T_DONE();
}
