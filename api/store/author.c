/* author.c: who a new version is by ($PROMPTDECK_AUTHOR, git's user.name, $USER) and when. */
#include "store_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"

/* git's user.name, asked only when a git config file exists (so no process is started for
 * nothing); NULL when unknown. Caller frees. */
static char *git_user_name(void)
{
    const char *home = getenv("HOME");
    const char *xdg = getenv("XDG_CONFIG_HOME");
    char *global = home ? pd_strf("%s/.gitconfig", home) : NULL;
    char *xdg_cfg = xdg && *xdg ? pd_strf("%s/git/config", xdg) : home ? pd_strf("%s/.config/git/config", home) : NULL;
    bool any = (global && access(global, R_OK) == 0) || (xdg_cfg && access(xdg_cfg, R_OK) == 0);
    free(global);
    free(xdg_cfg);
    if (!any)
        return NULL;
    FILE *f = popen("git config --global user.name 2>/dev/null", "r");
    if (!f)
        return NULL;
    char line[256];
    char *name = NULL;
    if (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] && pd_utf8_valid(line, strlen(line)))
            name = pd_strdup(line);
    }
    pclose(f);
    return name;
}

char *store_author(void)
{
    const char *env = getenv("PROMPTDECK_AUTHOR");
    if (env && *env && pd_utf8_valid(env, strlen(env)))
        return pd_strdup(env);
    char *git = git_user_name();
    if (git)
        return git;
    const char *user = getenv("USER");
    if (user && *user && pd_utf8_valid(user, strlen(user)))
        return pd_strdup(user);
    return pd_strdup("unknown");
}

void store_fill_version(pd_version *v)
{
    if (!v->author)
        v->author = store_author();
    if (!v->created_at)
        v->created_at = pd_now_rfc3339();
}
