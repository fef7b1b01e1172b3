/* test_store_race.c: a version saved (and labelled) between a reader's directory scan and its
 * read of events.jsonl must not make the prompt look damaged (seen with two writers at once). */
#define PD_MODULE_store /* white-box: opens store/ private headers */
#include <stdlib.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_priv.h"
#include "t.h"

static void save_between_scan_and_read_is_not_damage(void)
{
    char dir[64];
    CHECK(t_tmpdir(dir, sizeof dir, "test-race"));
    setenv("XDG_STATE_HOME", dir, 1);
    setenv("XDG_CACHE_HOME", dir, 1);
    char *lib = pd_strf("%s/lib", dir);
    pd_store *s = NULL;
    pd_error err = {0};
    CHECK_INT(pd_store_open(lib, true, false, &s, &err), 0);
    pd_message m = {.role = "user", .content = "one"};
    pd_version v = {.messages = &m, .n_messages = 1};
    pd_prompt p = {.slug = "race", .name = "Race", .description = ""};
    CHECK_INT(pd_store_create(s, &p, &v, &err), 0);

    char *pdir = store_prompt_dir(s, "race");
    store_dir_scan stale;
    CHECK_INT(store_scan_dir(pdir, "prompt.json", &stale, &err), 0);   /* sees version 1 only */

    m.content = "two";
    pd_update u = {.content = &v};
    pd_update_result res = {0};
    CHECK_INT(pd_store_update(s, "race", &u, &res, &err), 0);
    CHECK_INT(res.new_version, 2);
    CHECK_INT(pd_store_set_label(s, "race", "production", 2, &err), 0);

    pd_prompt *loaded = store_load_prompt(pdir, "race", &stale);   /* events.jsonl names version 2 */
    CHECK(loaded != NULL);
    if (loaded) {
        CHECK(!loaded->damaged);
        CHECK_INT(loaded->current_version, 2);
        CHECK_INT(pd_prompt_label_version(loaded, "production"), 2);
    }
    pd_prompt_free(loaded);
    store_dir_scan_free(&stale);

    /* a version file really missing is still reported */
    store_dir_scan now;
    CHECK_INT(store_scan_dir(pdir, "prompt.json", &now, &err), 0);
    CHECK_INT(now.n_files, 2);
    char *v2 = now.n_files == 2 ? store_version_path(pdir, 2, now.files[1].id) : NULL;
    CHECK(v2 && unlink(v2) == 0);
    store_dir_scan_free(&now);
    CHECK_INT(store_scan_dir(pdir, "prompt.json", &now, &err), 0);
    loaded = store_load_prompt(pdir, "race", &now);
    CHECK(loaded && loaded->damaged && strstr(loaded->damage, "label production is on version"));
    pd_prompt_free(loaded);
    store_dir_scan_free(&now);
    free(v2);
    free(pdir);
    free(lib);
    pd_store_close(s);
    t_rmtree(dir);
}

int main(void)
{
    RUN(save_between_scan_and_read_is_not_damage);
    T_DONE();
}
