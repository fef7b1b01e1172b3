/* test_template.c: the Mustache engine (rules, variables listing, lenient mode, limits, errors with
 * line:col, parse once/render many) and prompt rendering (missing variables, partials). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "run/run.h"
#include "store/store.h"
#include "t.h"
#include "template/template.h"

/* Renders src with data (JSON text) and partials (JSON text or NULL); "ERR:<code>" on error. */
static char *render_opts(const char *src, const char *data, const char *partials, pd_escape esc, bool lenient)
{
    json_t *d = json_loads(data ? data : "{}", JSON_DECODE_ANY, NULL);
    pd_tpl_render_opts o = {0};
    o.escape = esc;
    o.lenient = lenient;
    o.partials_json = partials ? json_loads(partials, 0, NULL) : NULL;
    char *out = NULL;
    pd_error err = {0};
    if (pd_tpl_render_string(src, strlen(src), d, &o, &out, &err) != 0) {
        out = malloc(64);
        snprintf(out, 64, "ERR:%s", pd_code_name(err.code));
    }
    json_decref(d);
    json_decref(o.partials_json);
    return out;
}

#define CHECK_RENDER(src, data, partials, want)                                          \
    do {                                                                                 \
        char *got_ = render_opts(src, data, partials, PD_ESCAPE_HTML, false);            \
        CHECK_STR(got_, want);                                                           \
        free(got_);                                                                      \
    } while (0)

#define CHECK_LENIENT(src, data, want)                                                   \
    do {                                                                                 \
        char *got_ = render_opts(src, data, NULL, PD_ESCAPE_NONE, true);                 \
        CHECK_STR(got_, want);                                                           \
        free(got_);                                                                      \
    } while (0)

/* The parse error message for src (strict), or "" when it parses. */
static char *parse_error(const char *src)
{
    pd_error err = {0};
    pd_tpl *t = pd_tpl_parse(src, strlen(src), NULL, &err);
    pd_tpl_free(t);
    return strdup(t ? "" : err.msg);
}

static void test_variables_and_escaping(void)
{
    CHECK_RENDER("Hi {{name}}!", "{\"name\":\"Ann\"}", NULL, "Hi Ann!");
    CHECK_RENDER("{{a}}|{{{a}}}|{{&a}}", "{\"a\":\"<b>&\\\"\"}", NULL, "&lt;b&gt;&amp;&quot;|<b>&\"|<b>&\"");
    CHECK_RENDER("{{n}} {{f}} {{t}} {{z}} {{missing}}.", "{\"n\":85,\"f\":1.210,\"t\":true,\"z\":null}", NULL,
                 "85 1.21 true  .");
    CHECK_RENDER("{{a.b.c}}/{{a.x.c}}/{{ a.b.c }}", "{\"a\":{\"b\":{\"c\":\"deep\"}}}", NULL, "deep//deep");
    CHECK_RENDER("{{#a}}{{b.c}}{{/a}}", "{\"a\":{\"b\":{}},\"b\":{\"c\":\"ERROR\"}}", NULL, "");
    CHECK_RENDER("{{items.1}}", "{\"items\":[\"x\",\"y\"]}", NULL, "y");
    /* prompts: no escaping */
    char *got = render_opts("{{a}}", "{\"a\":\"<x> & y\"}", NULL, PD_ESCAPE_NONE, false);
    CHECK_STR(got, "<x> & y");
    free(got);
}

static void test_sections(void)
{
    CHECK_RENDER("{{#l}}({{.}}){{/l}}", "{\"l\":[1,\"two\",3.5]}", NULL, "(1)(two)(3.5)");
    CHECK_RENDER("{{#o}}{{x}}-{{y}}{{/o}}", "{\"o\":{\"x\":1},\"y\":2}", NULL, "1-2");
    CHECK_RENDER("{{#t}}yes{{/t}}{{#f}}no{{/f}}{{^f}}not{{/f}}{{^l}}empty{{/l}}", "{\"t\":true,\"f\":false,\"l\":[]}",
                 NULL, "yesnotempty");
    CHECK_RENDER("{{#s}}x{{/s}}{{#z}}x{{/z}}{{^s}}y{{/s}}", "{\"s\":\"\",\"z\":0}", NULL, "y");
    CHECK_RENDER("[\n{{#a}}\n  line\n{{/a}}\n]\n", "{\"a\":true}", NULL, "[\n  line\n]\n");
    CHECK_RENDER("{{#a}}{{#b}}{{c}}{{/b}}{{/a}}", "{\"a\":{\"b\":[{\"c\":1},{\"c\":2}]},\"c\":0}", NULL, "12");
    CHECK_RENDER("{{! comment }}a{{!\nmulti\n}}b", NULL, NULL, "ab");
    CHECK_RENDER("{{=<% %>=}}<%a%> {{a}} <%={{ }}=%>{{a}}", "{\"a\":1}", NULL, "1 {{a}} 1");
    CHECK_RENDER("  {{! standalone }}\r\nx", NULL, NULL, "x");
}

static void test_partials_and_inheritance(void)
{
    CHECK_RENDER("<{{>p}}>", "{\"x\":1}", "{\"p\":\"x={{x}}\"}", "<x=1>");
    CHECK_RENDER("a\n  {{>p}}\nb", NULL, "{\"p\":\"1\\n2\\n\"}", "a\n  1\n  2\nb");
    CHECK_RENDER("{{>missing}}.", NULL, "{}", ".");
    CHECK_RENDER("{{>*which}}", "{\"which\":\"p\"}", "{\"p\":\"dyn\"}", "dyn");
    CHECK_RENDER("{{<base}}{{$title}}Mine{{/title}}{{/base}}", NULL,
                 "{\"base\":\"<h>{{$title}}Default{{/title}}</h>{{$foot}}F{{/foot}}\"}", "<h>Mine</h>F");
    CHECK_RENDER("{{>node}}", "{\"c\":\"1\",\"n\":[{\"c\":\"2\",\"n\":[]}]}",
                 "{\"node\":\"{{c}}<{{#n}}{{>node}}{{/n}}>\"}", "1<2<>>");
    /* partials do not see the caller's delimiters */
    CHECK_RENDER("{{=| |=}}|>p|", "{\"v\":7}", "{\"p\":\"{{v}}\"}", "7");
}

static void test_parse_once_render_many(void)
{
    const char *src = "{{#people}}{{name}} is {{age}}\n{{/people}}{{^people}}nobody\n{{/people}}";
    pd_error err = {0};
    pd_tpl *t = pd_tpl_parse(src, strlen(src), NULL, &err);
    CHECK(t != NULL);
    const char *datas[] = {"{\"people\":[{\"name\":\"A\",\"age\":1},{\"name\":\"B\",\"age\":2}]}", "{}",
                           "{\"people\":{\"name\":\"C\",\"age\":3}}"};
    const char *wants[] = {"A is 1\nB is 2\n", "nobody\n", "C is 3\n"};
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 3; i++) {
            json_t *d = json_loads(datas[i], 0, NULL);
            pd_buf b = PD_BUF_INIT;
            CHECK_INT(pd_tpl_render(t, d, NULL, &b, &err), 0);
            CHECK_STR(pd_buf_str(&b), wants[i]);
            pd_buf_free(&b);
            json_decref(d);
        }
    }
    pd_tpl_free(t);
}

static void test_variables_listing(void)
{
    const char *src = "{{greeting}}, {{user.name}}!\n{{#items}}- {{title}} {{greeting}}\n{{/items}}"
                      "{{^items}}none{{/items}}{{> footer}}{{>*dyn}}{{.}}{{! not a var }}";
    pd_error err = {0};
    pd_tpl *t = pd_tpl_parse(src, strlen(src), NULL, &err);
    CHECK(t != NULL);
    pd_tpl_var_list l = {0};
    pd_tpl_variables(t, &l);
    CHECK_INT(l.n, 5);
    if (l.n == 5) {
        CHECK_STR(l.items[0].name, "greeting");
        CHECK(l.items[0].variable && !l.items[0].section);
        CHECK_STR(l.items[1].name, "user.name");
        CHECK_STR(l.items[2].name, "items");
        CHECK(l.items[2].section && !l.items[2].variable);
        CHECK_INT(l.items[2].line, 2);
        CHECK_STR(l.items[3].name, "title");
        CHECK_STR(l.items[3].scope, "items");
        CHECK_STR(l.items[4].name, "dyn");
    }
    char **names = NULL;
    size_t n = pd_tpl_partial_names(t, &names);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_STR(names[0], "footer");
    pd_tpl_names_free(names, n);
    json_t *j = pd_tpl_var_list_to_json(&l);
    CHECK_INT(json_array_size(j), 5);
    json_decref(j);
    pd_tpl_var_list_free(&l);
    pd_tpl_free(t);
}

static void test_errors_with_line_col(void)
{
    char *e = parse_error("one\ntwo {{#sec}}\nthree");
    CHECK_STR(e, "template:2:5: section 'sec' is never closed");
    free(e);
    e = parse_error("a\n\n  {{#a}}{{/b}}");
    CHECK_STR(e, "template:3:9: closing tag 'b' does not match 'a' opened at line 3, column 3");
    free(e);
    e = parse_error("x {{}} y");
    CHECK_STR(e, "template:1:3: empty tag");
    free(e);
    e = parse_error("é\n  é {{ name");
    CHECK_STR(e, "template:2:5: unclosed tag");
    free(e);
    e = parse_error("{{ x | upper }}");
    CHECK_STR(e, "template:1:1: bad name 'x | upper'");
    free(e);
    e = parse_error("{{/x}}");
    CHECK_STR(e, "template:1:1: closing tag without an opening tag 'x'");
    free(e);
    e = parse_error("{{=<% %>=}}<%= a b c =%>");
    CHECK(strstr(e, "template:1:12: delimiters must be two words") != NULL);
    free(e);
    e = parse_error("fine {{x}} {{#a}}{{/a}}");
    CHECK_STR(e, "");
    free(e);
}

static void test_lenient(void)
{
    CHECK_LENIENT("Hi {{name}}, {{missing}}!", "{\"name\":\"A\"}", "Hi A, !");
    CHECK_LENIENT("Vue {{ a ? b : \"c\" }} and {{}} and {{ fmt(x) }}", "{}",
                  "Vue {{ a ? b : \"c\" }} and {{}} and {{ fmt(x) }}");
    CHECK_LENIENT("{% if x %}{{ x | upper }}{% endif %}", "{\"x\":1}", "{% if x %}{{ x | upper }}{% endif %}");
    CHECK_LENIENT("{{#open}}never closed {{v}}", "{\"v\":1}", "{{#open}}never closed 1");
    CHECK_LENIENT("{{/stray}} {{<expression>}} {{ unclosed", "{}", "{{/stray}} {{<expression>}} {{ unclosed");
    CHECK_LENIENT("{{#a}}x{{/b}}{{/a}}", "{\"a\":true}", "x{{/b}}");
    CHECK_LENIENT("{{#a}}\n{{#b}}\n{{/a}}\n", "{\"a\":true}", "{{#b}}\n");
}

static json_t *deep_data(void)
{
    return json_loads("{\"a\":[1,2]}", 0, NULL);
}

static void test_limits(void)
{
    /* 10,000 nested sections: a clear LIMIT error */
    pd_buf src = PD_BUF_INIT;
    for (int i = 0; i < 10000; i++)
        pd_buf_puts(&src, "{{#a}}");
    for (int i = 0; i < 10000; i++)
        pd_buf_puts(&src, "{{/a}}");
    pd_error err = {0};
    pd_tpl *t = pd_tpl_parse(src.data, src.len, NULL, &err);
    CHECK(t == NULL);
    CHECK_INT(err.code, PD_ERR_LIMIT);
    CHECK(strstr(err.msg, "template:1:1537: sections nested deeper than 256 levels") != NULL);
    pd_tpl_parse_opts lp = {true, 0, NULL};
    t = pd_tpl_parse(src.data, src.len, &lp, &err);
    CHECK(t == NULL && err.code == PD_ERR_LIMIT);
    pd_buf_free(&src);

    /* self-including partials, and partials that double at each level */
    char *out = render_opts("{{>me}}", NULL, "{\"me\":\"x{{>me}}\"}", PD_ESCAPE_NONE, false);
    CHECK_STR(out, "ERR:LIMIT");
    free(out);
    time_t start = time(NULL);
    out = render_opts("{{>a}}", NULL, "{\"a\":\"{{>a}}{{>a}}\"}", PD_ESCAPE_NONE, false);
    CHECK_STR(out, "ERR:LIMIT");
    free(out);
    /* nested loops with no output at all still stop */
    pd_buf nest = PD_BUF_INIT;
    for (int i = 0; i < 60; i++)
        pd_buf_puts(&nest, "{{#a}}");
    for (int i = 0; i < 60; i++)
        pd_buf_puts(&nest, "{{/a}}");
    t = pd_tpl_parse(nest.data, nest.len, NULL, &err);
    json_t *d = deep_data();
    pd_buf b = PD_BUF_INIT;
    CHECK_INT(pd_tpl_render(t, d, NULL, &b, &err), -1);
    CHECK_INT(err.code, PD_ERR_LIMIT);
    CHECK(time(NULL) - start < 60);
    pd_buf_free(&b);
    json_decref(d);
    pd_tpl_free(t);
    pd_buf_free(&nest);

    /* output size */
    t = pd_tpl_parse("{{#a}}0123456789{{/a}}", 22, NULL, &err);
    d = json_loads("{\"a\":[1,2,3,4,5,6,7,8,9,10]}", 0, NULL);
    pd_tpl_render_opts o = {0};
    o.max_output = 50;
    CHECK_INT(pd_tpl_render(t, d, &o, &b, &err), -1);
    CHECK_INT(err.code, PD_ERR_LIMIT);
    CHECK(strstr(err.msg, "larger than the limit of 50 bytes") != NULL);
    pd_buf_free(&b);
    json_decref(d);
    pd_tpl_free(t);
}

static void test_bad_input(void)
{
    /* NUL bytes and invalid UTF-8 are just bytes */
    const char src[] = "a\0b\xff\xfe {{x}} \xc3";
    pd_error err = {0};
    pd_tpl *t = pd_tpl_parse(src, sizeof src - 1, NULL, &err);
    CHECK(t != NULL);
    json_t *d = json_loads("{\"x\":\"v\"}", 0, NULL);
    pd_buf b = PD_BUF_INIT;
    CHECK_INT(pd_tpl_render(t, d, NULL, &b, &err), 0);
    CHECK_INT(b.len, sizeof src - 1 - 5 + 1);
    CHECK(b.len > 3 && memcmp(b.data, "a\0b\xff\xfe v \xc3", b.len) == 0);
    pd_buf_free(&b);
    pd_tpl_free(t);

    /* a 10 MB line and a million short lines, strict and lenient */
    pd_buf big = PD_BUF_INIT;
    for (int i = 0; i < 1000000; i++)
        pd_buf_puts(&big, "{{x}} text ");
    t = pd_tpl_parse(big.data, big.len, NULL, &err);
    CHECK(t != NULL);
    CHECK_INT(pd_tpl_render(t, d, NULL, &b, &err), 0);
    CHECK_INT(b.len, 7000000);
    pd_buf_free(&b);
    pd_tpl_free(t);
    pd_buf_reset(&big);
    for (int i = 0; i < 1000000; i++)
        pd_buf_puts(&big, "{{ \n");
    pd_tpl_parse_opts lp = {true, 0, NULL};
    t = pd_tpl_parse(big.data, big.len, &lp, &err);   /* 1M unclosed tags: literal, linear time */
    CHECK(t != NULL);
    CHECK_INT(pd_tpl_render(t, d, NULL, &b, &err), 0);
    CHECK_INT(b.len, big.len);
    pd_buf_free(&b);
    pd_tpl_free(t);
    pd_buf_free(&big);
    json_decref(d);
}

static pd_version *make_version(const char *sys, const char *user)
{
    pd_version *v = calloc(1, sizeof *v);
    v->number = 3;
    v->n_messages = 3;
    v->messages = calloc(3, sizeof *v->messages);
    v->messages[0].role = strdup("system");
    v->messages[0].content = strdup(sys);
    v->messages[1].placeholder = strdup("history");
    v->messages[2].role = strdup("user");
    v->messages[2].content = strdup(user);
    return v;
}

static void test_prompt_render(void)
{
    pd_version *v = make_version("You are {{tone}}.\n{{#rules}}- {{.}}\n{{/rules}}",
                                 "First line\nAsk about {{topic}} in {{lang}} <{{tone}}> {{> sig}}");
    json_t *vars = json_loads("{\"tone\":\"terse & <kind>\"}", 0, NULL);
    pd_message *out = NULL;
    size_t n = 0;
    pd_error err = {0};
    CHECK_INT(pd_prompt_render(v, vars, NULL, &out, &n, &err), -1);
    CHECK_INT(err.code, PD_ERR_MISSING_VARIABLES);
    CHECK_STR(err.msg, "missing variables: topic (message 3, line 2), lang (message 3, line 2); "
                       "missing partials: sig (message 3, line 2)");
    pd_prompt_missing *miss = NULL;
    size_t n_miss = 0;
    CHECK_INT(pd_prompt_missing_vars(v, vars, NULL, &miss, &n_miss, &err), 0);
    CHECK_INT(n_miss, 3);
    if (n_miss == 3) {
        CHECK_STR(miss[0].name, "topic");
        CHECK_INT(miss[0].message, 2);
        CHECK_INT(miss[0].col, 11);
        CHECK(miss[2].is_partial);
    }
    pd_prompt_missing_free(miss, n_miss);

    json_object_set_new(vars, "topic", json_string("cats"));
    json_object_set_new(vars, "lang", json_string("C"));
    json_object_set_new(vars, "rules", json_pack("[s,s]", "a", "b"));
    pd_render_opts o = {false, NULL, NULL, json_loads("{\"sig\":\"-- {{tone}}\"}", 0, NULL)};
    CHECK_INT(pd_prompt_render(v, vars, &o, &out, &n, &err), 0);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_STR(out[0].role, "system");
        CHECK_STR(out[0].content, "You are terse & <kind>.\n- a\n- b\n");
        CHECK(out[1].role == NULL && out[1].content == NULL);
        CHECK_STR(out[1].placeholder, "history");
        CHECK_STR(out[2].content, "First line\nAsk about cats in C <terse & <kind>> -- terse & <kind>");
    }
    for (size_t i = 0; i < n; i++)
        pd_message_clear(&out[i]);
    free(out);

    /* lenient: missing values empty, unparsable tags literal */
    json_t *none = json_object();
    o.lenient = true;
    pd_version *w = make_version("{{ fmt(x) }} {{}} [{{gone}}]", "{{#open}}");
    CHECK_INT(pd_prompt_render(w, none, &o, &out, &n, &err), 0);
    if (n == 3) {
        CHECK_STR(out[0].content, "{{ fmt(x) }} {{}} []");
        CHECK_STR(out[2].content, "{{#open}}");
    }
    for (size_t i = 0; i < n; i++)
        pd_message_clear(&out[i]);
    free(out);
    o.lenient = false;
    CHECK_INT(pd_prompt_render(w, none, &o, &out, &n, &err), -1);
    CHECK_INT(err.code, PD_ERR_PARSE);
    CHECK_STR(err.msg, "message 1:1:14: empty tag");

    /* variables of every message and of the partials */
    pd_prompt_var *pv = NULL;
    size_t n_pv = 0;
    json_object_set_new(o.partials_json, "sig", json_string("-- {{author}} {{tone}}"));
    CHECK_INT(pd_prompt_variables(v, &o, &pv, &n_pv, &err), 0);
    CHECK_INT(n_pv, 5);
    if (n_pv == 5) {
        CHECK_STR(pv[0].name, "tone");
        CHECK_STR(pv[1].name, "rules");
        CHECK(pv[1].section);
        CHECK_STR(pv[2].name, "topic");
        CHECK_INT(pv[2].message, 2);
        CHECK_STR(pv[4].name, "author");
    }
    pd_prompt_var_free(pv, n_pv);
    json_decref(none);
    json_decref(o.partials_json);
    json_decref(vars);
    pd_version_free(v);
    pd_version_free(w);
}

static void test_store_partials(void)
{
    char dir[] = "/tmp/pd-test-template.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/lib", dir);
    pd_store *s = NULL;
    pd_error err = {0};
    CHECK_INT(pd_store_open(path, true, false, &s, &err), 0);
    if (!s)
        return;
    CHECK_INT(pd_store_put_partial(s, "sig", "v1 {{who}}", "first", NULL, &err), 0);
    CHECK_INT(pd_store_put_partial(s, "sig", "v2 {{who}}", "second", NULL, &err), 0);
    char *text = NULL;
    CHECK_INT(pd_store_partial_lookup(s, "sig", &text, &err), 0);
    CHECK_STR(text, "v2 {{who}}");
    free(text);
    CHECK_INT(pd_store_partial_lookup(s, "sig@1", &text, &err), 0);
    CHECK_STR(text, "v1 {{who}}");
    free(text);
    CHECK_INT(pd_store_partial_lookup(s, "nope", &text, &err), 0);
    CHECK(text == NULL);
    CHECK_INT(pd_store_partial_lookup(s, "Not A Name!", &text, &err), 0);
    CHECK(text == NULL);
    pd_version *v = make_version("{{> sig}}", "{{> sig@1}}");
    pd_render_opts o = {false, pd_store_partial_lookup, s, NULL};
    json_t *vars = json_pack("{s:s}", "who", "me");
    pd_message *out = NULL;
    size_t n = 0;
    CHECK_INT(pd_prompt_render(v, vars, &o, &out, &n, &err), 0);
    if (n == 3) {
        CHECK_STR(out[0].content, "v2 me");
        CHECK_STR(out[2].content, "v1 me");
    }
    for (size_t i = 0; i < n; i++)
        pd_message_clear(&out[i]);
    free(out);
    json_decref(vars);
    pd_version_free(v);
    pd_store_close(s);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK_INT(system(cmd), 0);
}

int main(void)
{
    RUN(test_variables_and_escaping);
    RUN(test_sections);
    RUN(test_partials_and_inheritance);
    RUN(test_parse_once_render_many);
    RUN(test_variables_listing);
    RUN(test_errors_with_line_col);
    RUN(test_lenient);
    RUN(test_limits);
    RUN(test_bad_input);
    RUN(test_prompt_render);
    RUN(test_store_partials);
    T_DONE();
}
