/* fuzz_model.c: any bytes as a library file: parsing, decoding as prompt/version/partial/run
 * record, and finding lines by path never crash; decoded values encode again and decode equal. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

static void check(int cond)
{
    if (!cond)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    static const char *const paths[] = {"", "version", "messages[0].role", "messages[3].content", "labels.production",
                                        "tags[1]", "settings.model", "[0]", "a.b[2].c"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        int line = pd_json_path_line(text, size, paths[i]);
        check(line >= 1);
    }
    pd_json_src src = {"fuzz.json", text, size};
    pd_error err = {0};
    json_t *j = pd_json_parse_src(&src, &err);
    if (!j) {
        check(err.code == PD_ERR_DAMAGED && strncmp(err.msg, "fuzz.json:", 10) == 0);
        free(text);
        return 0;
    }
    pd_version *v = pd_version_decode(j, &src, &err);
    if (v) {
        json_t *again = pd_version_to_json(v);
        pd_version *v2 = pd_version_from_json(again, "again", NULL);
        check(v2 && pd_version_content_equal(v, v2) && v2->number == v->number);
        pd_version_free(v2);
        json_decref(again);
        pd_version_validate(v, NULL);
    } else {
        check(err.code == PD_ERR_DAMAGED);
    }
    pd_version_free(v);
    pd_prompt *p = pd_prompt_decode(j, &src, &err);
    if (p) {
        json_t *again = pd_prompt_to_json(p);
        pd_prompt *p2 = pd_prompt_from_json(again, "again", NULL);
        check(p2 && p2->n_labels == p->n_labels && p2->n_tags == p->n_tags);
        pd_prompt_free(p2);
        json_decref(again);
    }
    pd_prompt_free(p);
    pd_partial_free(pd_partial_decode(j, &src, &err));
    pd_run_record *r = pd_run_record_decode(j, &src, &err);
    if (r) {
        json_t *again = pd_run_record_to_json(r);
        pd_run_record_free(pd_run_record_from_json(again, "again", NULL));
        json_decref(again);
    }
    pd_run_record_free(r);
    json_decref(j);
    free(text);
    return 0;
}
