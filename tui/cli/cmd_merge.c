/* cmd_merge.c: `promptdeck merge SLUG A B [--dry-run]`: version B merged into version A, as diff3 -m. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_lib_priv.h"
#include "cli_select_priv.h"
#include "diff/diff.h"

static const char usage_text[] =
    "usage: promptdeck merge SLUG A B [--dry-run]\n"
    "Merges version B into version A (3, v3, an id or a label) from the last version both were made\n"
    "from, line by line as diff3 -m: what one side changed is taken, where both changed the same\n"
    "or neighbouring lines is a conflict. A clean merge is saved as a new version on top of the\n"
    "current one (commit message \"merge vB into vA\"); with conflicts nothing is saved and the\n"
    "merged messages are printed with <<<<<<< vA, ||||||| vBASE, =======, >>>>>>> vB lines.\n"
    "  --dry-run   print the merged messages, save nothing\n"
    "Exit status: 0 merged (and saved), 1 conflicts, 2 trouble.\n";

/* A version given as 3, v3, an id (or its first 6 or more characters) or a label. */
static int get_version(pd_store *st, const char *slug, const char *spec, pd_version **out, pd_error *err)
{
    const char *number = (spec[0] == 'v' || spec[0] == 'V') && spec[1] >= '0' && spec[1] <= '9' ? spec + 1 : spec;
    if (cli_select_version(st, slug, number, NULL, out, err) == 0)
        return 0;
    pd_error label_err = {0};
    if (cli_select_version(st, slug, NULL, spec, out, &label_err) == 0)
        return 0;
    if (label_err.code == PD_ERR_NOT_FOUND && err->code != PD_ERR_NOT_FOUND)
        return pd_error_set(err, PD_ERR_NOT_FOUND, "%s: no version or label '%s'", slug, spec);
    return -1;
}

/* The merged messages as show prints them ("--- role ---" and the text), markers included. */
static void print_messages(const pd_version *v)
{
    pd_buf out = PD_BUF_INIT;
    for (size_t i = 0; i < v->n_messages; i++) {
        const pd_message *m = &v->messages[i];
        if (i > 0)
            pd_buf_putc(&out, '\n');
        if (m->placeholder) {
            pd_buf_printf(&out, "--- placeholder: %s ---\n", m->placeholder);
            continue;
        }
        pd_buf_printf(&out, "--- %s ---\n", m->role ? m->role : "?");
        pd_buf_puts(&out, m->content ? m->content : "");
        if (out.len && out.data[out.len - 1] != '\n')
            pd_buf_putc(&out, '\n');
    }
    cli_write_text(stdout, out.data ? out.data : "", out.len);
    pd_buf_free(&out);
}

/* Merges theirs into ours (their base found among all); prints or saves. */
static int merge_and_save(pd_store *st, const char *slug, const pd_version *cur, pd_version **all, size_t n,
                          const pd_version *ours, const pd_version *theirs, bool dry_run)
{
    pd_error err = {0};
    const pd_version *base = pd_merge_find_base(all, n, ours, theirs);
    if (!base) {
        cli_eprintf("promptdeck: merge: v%d and v%d of %s were not made from a common version\n", ours->number,
                    theirs->number, slug);
        return PD_EXIT_USAGE;
    }
    pd_version_merge *m = NULL;
    if (pd_merge_versions(base, ours, theirs, &m, &err) != 0)
        return cli_fail(&err);
    char names[3][24];
    snprintf(names[0], sizeof names[0], "v%d", ours->number);
    snprintf(names[1], sizeof names[1], "v%d", base->number);
    snprintf(names[2], sizeof names[2], "v%d", theirs->number);
    pd_merge_labels labels = {names[0], names[1], names[2]};
    pd_version *merged = pd_version_merge_result(m, NULL, &labels);
    if (m->settings == PD_MERGE_CONFLICT)
        cli_eprintf("promptdeck: merge: both changed the settings; %s's are kept\n", names[0]);
    int rc = PD_EXIT_OK;
    if (m->n_conflicts || dry_run)
        print_messages(merged);
    if (m->n_conflicts) {
        cli_eprintf("promptdeck: merge: %zu conflict%s between %s and %s (from %s); nothing saved\n", m->n_conflicts,
                    m->n_conflicts == 1 ? "" : "s", names[0], names[2], names[1]);
        rc = PD_EXIT_FAIL;
    } else if (!dry_run) {
        pd_buf commit = PD_BUF_INIT;
        pd_buf_printf(&commit, "merge %s into %s", names[2], names[0]);
        merged->commit_message = pd_buf_take(&commit);
        pd_update u = {.content = merged, .base_id = cur->id};
        pd_update_result res = {0};
        if (pd_store_update(st, slug, &u, &res, &err) != 0)
            rc = cli_fail(&err);
        else if (res.new_version)
            cli_oprintf("%s: saved version %d (%s)\n", slug, res.new_version, merged->commit_message);
        else
            cli_oprintf("%s: nothing to save: v%d already holds the merge\n", slug, cur->number);
    }
    pd_version_free(merged);
    pd_version_merge_free(m);
    return rc;
}

int cmd_merge(pd_cli *cli, int argc, char **argv)
{
    const char *pos[3];
    int n_pos = 0;
    bool dry_run = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage_text, stdout);
            return PD_EXIT_OK;
        } else if (!strcmp(argv[i], "--dry-run"))
            dry_run = true;
        else if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error(argv[0], "unknown option '%s'", argv[i]);
        else if (n_pos == 3)
            return cli_usage_error(argv[0], "too many arguments ('%s')", argv[i]);
        else
            pos[n_pos++] = argv[i];
    }
    if (n_pos != 3)
        return cli_usage_error(argv[0], "expected SLUG A B");
    pd_store *st = cli_store(cli);
    if (!st)
        return PD_EXIT_USAGE;
    pd_error err = {0};
    pd_version *cur = NULL, *ours = NULL, *theirs = NULL, **all = NULL;
    size_t n = 0;
    int rc;
    if (pd_store_get_version(st, pos[0], 0, &cur, &err) != 0 || get_version(st, pos[0], pos[1], &ours, &err) != 0 ||
        get_version(st, pos[0], pos[2], &theirs, &err) != 0 || pd_store_list_versions(st, pos[0], &all, &n, &err) < 0)
        rc = cli_fail(&err);
    else if (ours->id && theirs->id && !strcmp(ours->id, theirs->id))
        rc = cli_usage_error(argv[0], "A and B are the same version (v%d)", ours->number);
    else
        rc = merge_and_save(st, pos[0], cur, all, n, ours, theirs, dry_run);
    for (size_t i = 0; i < n; i++)
        pd_version_free(all[i]);
    free(all);
    pd_version_free(cur);
    pd_version_free(ours);
    pd_version_free(theirs);
    return rc;
}
