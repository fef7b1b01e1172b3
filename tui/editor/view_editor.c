/* view_editor.c: the editor pane: edit a version's messages in place (multi-line UTF-8, wide
 * characters, moves by character/word/line/page, cut and paste of lines, undo/redo), add,
 * delete, reorder and re-role messages, edit model settings and the commit message, hand a
 * message to $VISUAL/$EDITOR; Ctrl-S reviews the diff and saves (editor_save.c); the work in
 * progress is kept as a draft (editor_drafts.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>

#include "editor_priv.h"
#include "extedit_priv.h"
#include "editor.h"
#include "runpanes/runpanes.h"
#include "store/store.h"

enum {
    ACT_SAVE = PD_VIEW_ACT,
    ACT_LEAVE,
    ACT_UNDO,
    ACT_REDO,
    ACT_CUT,
    ACT_COPY,
    ACT_PASTE,
    ACT_HOME,
    ACT_END,
    ACT_WORD_LEFT,
    ACT_WORD_RIGHT,
    ACT_DOC_START,
    ACT_DOC_END,
    ACT_DELETE,
    ACT_NEWLINE,
    ACT_TAB,
    ACT_EXTERNAL,
    ACT_ADD,
    ACT_DEL_MSG,
    ACT_MOVE_UP,
    ACT_MOVE_DOWN,
    ACT_ROLE,
    ACT_NEXT_MSG,
    ACT_PREV_MSG,
    ACT_SETTINGS,
    ACT_COMMIT,
};

static const pd_keydef editor_keys[] = {
    {ACT_SAVE, "save", "<C-s> <F2>", "Review the diff, then save a new version"},
    {ACT_LEAVE, "leave", "<Esc> <C-q>", "Leave (asks before dropping unsaved work)"},
    {ACT_UNDO, "undo", "<C-z> <M-u>", "Undo the last edit (text, messages or settings)"},
    {ACT_REDO, "redo", "<C-y> <M-e>", "Redo"},
    {ACT_CUT, "cut-line", "<C-k>", "Cut the line (cuts in a row add up)"},
    {ACT_COPY, "copy-line", "<M-6> <M-w>", "Copy the line"},
    {ACT_PASTE, "paste-lines", "<C-u>", "Paste the cut lines above this line"},
    {ACT_HOME, "line-start", "<Home> <C-a>", "Start of the line"},
    {ACT_END, "line-end", "<End> <C-e>", "End of the line"},
    {ACT_WORD_LEFT, "word-left", "<M-b>", "Previous word (also Ctrl-Left)"},
    {ACT_WORD_RIGHT, "word-right", "<M-f>", "Next word (also Ctrl-Right)"},
    {ACT_DOC_START, "message-start", "<M-Lt>", "Start of the message (also Ctrl-Home)"},
    {ACT_DOC_END, "message-end", "<M-Gt>", "End of the message (also Ctrl-End)"},
    {ACT_DELETE, "delete", "<Del> <C-d>", "Delete the character under the cursor"},
    {ACT_NEWLINE, "newline", "<Enter>", "New line; on a field row: edit it"},
    {ACT_TAB, "tab", "<Tab>", "Insert a tab"},
    {ACT_EXTERNAL, "external-editor", "<C-o> <F4>", "Edit the message in $VISUAL/$EDITOR"},
    {ACT_ADD, "add-message", "<M-a>", "Add a message below (asks its role)"},
    {ACT_DEL_MSG, "delete-message", "<M-d>", "Delete this message (asks first)"},
    {ACT_MOVE_UP, "move-message-up", "<M-k>", "Move this message up"},
    {ACT_MOVE_DOWN, "move-message-down", "<M-j>", "Move this message down"},
    {ACT_ROLE, "role", "<M-r>", "Change the message's role"},
    {ACT_NEXT_MSG, "next-message", "<M-n>", "Go to the next message"},
    {ACT_PREV_MSG, "previous-message", "<M-p>", "Go to the previous message"},
    {ACT_SETTINGS, "settings", "<M-s>", "Go to the model settings"},
    {ACT_COMMIT, "commit-message", "<M-c>", "Edit the commit message"},
    {0, NULL, NULL, NULL},
};

/* The shared keys that work in the editor, with what they do here (the others are text, or
 * are the editor's own keys: Tab inserts a tab, C-u pastes lines, C-d deletes ...). */
static const pd_keydef editor_shared_keys[] = {
    {PD_ACT_UP, NULL, NULL, "Up a row"},
    {PD_ACT_DOWN, NULL, NULL, "Down a row"},
    {PD_ACT_PAGE_UP, NULL, NULL, "Page up"},
    {PD_ACT_PAGE_DOWN, NULL, NULL, "Page down"},
    {PD_ACT_LEFT, NULL, NULL, "Previous character"},
    {PD_ACT_RIGHT, NULL, NULL, "Next character"},
    {PD_ACT_HELP, NULL, NULL, "Show these keys"},
    {PD_ACT_REDRAW, NULL, NULL, NULL},
    {0, NULL, NULL, NULL},
};

static const char *const editor_notes[] = {
    "#Editing",
    "Arrows, PgUp/PgDn and the keys above move; typing inserts; Backspace deletes.",
    "Printable keys (q, j, ?, : ...) type; F1 shows these keys, Esc leaves.",
    "Undo steps back through every edit of the version: typed text, a paste, a",
    "  message added, deleted, moved or re-roled, a setting, the commit message.",
    "The rows above the messages are the commit message and model settings:",
    "  move onto one and press Enter (or just type) to change it; empty unsets it.",
    "  Stop sequences are a JSON array: [\"\\n\\n\", \"END\"].",
    "Control characters in the text show as ^X, bad bytes as <ff>; a \\ at the right",
    "  edge marks a line that continues on the next row.",
    "Your edit is kept as a draft while you work (also on SIGHUP/SIGTERM): if the",
    "  program ends before you save, the next start offers to restore it.",
    NULL,
};

/* ---------------------------------------------------------------- helpers */

static pd_textbuf *cur_tb(editor *ed)
{
    return ed->in_text ? ed->doc->msgs[ed->msg].tb : NULL;
}

static void after_move(editor *ed)
{
    ed->goal = -1;
    ed_relayout(ed);
}

static void after_change(editor *ed)
{
    ed->goal = -1;
    ed_changed(ed);
    ed_relayout(ed);
    pd_view_dirty_title(ed->view);
}

/* Edits the text of the caret's message (one step of the document's undo); true when it changed. */
static bool edit(editor *ed, pd_text_edit op, const char *s, size_t n)
{
    if (!ed->in_text || !pd_editdoc_edit(ed->doc, ed->msg, op, s, n))
        return false;
    after_change(ed);
    return true;
}

/* Undo (undo) or redo a step of the whole document and put the caret where it was. */
static void undo_redo(editor *ed, bool undo)
{
    pd_edit_place at;
    if (!(undo ? pd_editdoc_undo(ed->doc, &at) : pd_editdoc_redo(ed->doc, &at))) {
        pd_app_status(ed->app, undo ? "Nothing to undo" : "Nothing to redo");
        return;
    }
    ed->in_text = at.in_text;
    if (at.in_text)
        ed->msg = at.msg;
    else
        ed->field = at.field;
    after_change(ed);
}

/* Puts the caret in message i (at its start, or its end), or on the commit field if it has no text. */
static void goto_message(editor *ed, size_t i, bool at_end)
{
    if (i >= ed->doc->n_msgs)
        return;
    ed->msg = i;
    ed->in_text = true;
    if (!ed->doc->msgs[i].placeholder)
        pd_tb_move(ed->doc->msgs[i].tb, at_end ? PD_MOVE_DOC_END : PD_MOVE_DOC_START, 0);
}

/* The message the caret is in, or an error in the status bar. */
static bool need_message(editor *ed, size_t *i)
{
    if (!ed->in_text || ed->msg >= ed->doc->n_msgs) {
        pd_app_error(ed->app, "Move into a message first (Down from the settings)");
        return false;
    }
    *i = ed->msg;
    return true;
}

/* ---------------------------------------------------------------- questions on the status row */

/* An answer typed on the status row, applied to item i (a field or a message) of the document. */
typedef int (*apply_fn)(editor *ed, size_t i, const char *text, pd_error *err);

typedef struct pending {
    editor *ed;
    size_t i;
    apply_fn apply;
} pending;

static void ask(editor *ed, const char *question, const char *initial, size_t i, apply_fn apply);

static void answered(pd_app *app, void *ud, const char *text)
{
    pending p = *(pending *)ud;
    free(ud);
    if (!text)
        return;
    pd_error err = {0};
    if (p.apply(p.ed, p.i, text, &err) != 0) {
        pd_app_error_err(app, &err);
        return;
    }
    after_change(p.ed);
}

static void ask(editor *ed, const char *question, const char *initial, size_t i, apply_fn apply)
{
    pending *p = pd_xcalloc(1, sizeof *p);
    *p = (pending){ed, i, apply};
    pd_app_input(ed->app, question, initial, answered, NULL, p);
}

/* ---------------------------------------------------------------- fields */

static int apply_field(editor *ed, size_t f, const char *text, pd_error *err)
{
    return pd_editdoc_set_field(ed->doc, (pd_field)f, text, err);
}

static void edit_field(editor *ed, pd_field f)
{
    char *val = pd_editdoc_field_text(ed->doc, f);
    char label[64];
    snprintf(label, sizeof label, "%s: ", pd_field_label(f));
    ask(ed, label, val, f, apply_field);
    free(val);
}

/* ---------------------------------------------------------------- messages */

static int apply_add(editor *ed, size_t at, const char *role, pd_error *err)
{
    if (pd_editdoc_add_message(ed->doc, at, role, err) != 0)
        return -1;
    goto_message(ed, at, false);
    pd_app_status(ed->app, "Added message %zu (%s)", at + 1, role);
    return 0;
}

static void add_message(editor *ed)
{
    ask(ed, "Role of the new message (system, developer, user, assistant, tool): ", "user",
        ed->in_text ? ed->msg + 1 : 0, apply_add);
}

static int apply_role(editor *ed, size_t i, const char *role, pd_error *err)
{
    return pd_editdoc_set_role(ed->doc, i, role, err);
}

static void change_role(editor *ed)
{
    size_t i;
    if (need_message(ed, &i))
        ask(ed, "Role (system, developer, user, assistant, tool): ", ed->doc->msgs[i].role, i, apply_role);
}

typedef struct msg_op {
    editor *ed;
    size_t i;
} msg_op;

static void delete_done(pd_app *app, void *ud, bool yes)
{
    msg_op o = *(msg_op *)ud;
    free(ud);
    if (!yes)
        return;
    pd_error err = {0};
    if (pd_editdoc_delete_message(o.ed->doc, o.i, &err) != 0) {
        pd_app_error_err(app, &err);
        return;
    }
    goto_message(o.ed, o.i < o.ed->doc->n_msgs ? o.i : o.ed->doc->n_msgs - 1, false);
    pd_app_status(app, "Deleted message %zu", o.i + 1);
    after_change(o.ed);
}

static void delete_message(editor *ed)
{
    size_t i;
    if (!need_message(ed, &i))
        return;
    if (ed->doc->n_msgs == 1) {
        pd_app_error(ed->app, "A version needs at least one message: this is the last one");
        return;
    }
    const pd_edmsg *m = &ed->doc->msgs[i];
    char q[160];
    size_t nl = pd_tb_line_count(m->tb);
    snprintf(q, sizeof q, "Delete message %zu (%s, %zu line%s)? y deletes, n keeps it", i + 1,
             m->role ? m->role : "placeholder", nl, nl == 1 ? "" : "s");
    msg_op *o = pd_xcalloc(1, sizeof *o);
    *o = (msg_op){ed, i};
    pd_app_confirm(ed->app, q, delete_done, o);
}

static void move_message(editor *ed, int delta)
{
    size_t i;
    if (!need_message(ed, &i))
        return;
    if (!pd_editdoc_move_message(ed->doc, i, delta)) {
        pd_app_status(ed->app, "Message %zu is already the %s one", i + 1, delta < 0 ? "first" : "last");
        return;
    }
    ed->msg = delta < 0 ? i - 1 : i + 1;
    after_change(ed);
}

/* ---------------------------------------------------------------- $VISUAL / $EDITOR */

static void external_edit(editor *ed)
{
    size_t i;
    if (!need_message(ed, &i))
        return;
    pd_textbuf *tb = ed->doc->msgs[i].tb;
    pd_error err = {0};
    pd_extedit x;
    if (pd_extedit_begin(&x, pd_tb_text(tb), pd_tb_len(tb), ed->slug, &err) != 0) {
        pd_app_error_err(ed->app, &err);
        return;
    }
    ed_draft_flush(ed);   /* the other program may run for long: keep the work safe meanwhile */
    char *cmd = pd_strdup(x.command);
    int st = pd_app_run_external(ed->app, x.argv, &err);
    char *text;
    size_t len;
    if (pd_extedit_finish(&x, st, &text, &len, &err) != 0) {
        pd_app_error_err(ed->app, &err);
    } else {
        if (pd_editdoc_edit(ed->doc, i, PD_TEXT_REPLACE, text, len)) {
            pd_app_status(ed->app, "Message %zu updated from %s (undo with Ctrl-Z)", i + 1, cmd);
            after_change(ed);
        } else {
            pd_app_status(ed->app, "Message %zu unchanged", i + 1);
        }
        free(text);
    }
    free(cmd);
    ed_relayout(ed);
}

/* ---------------------------------------------------------------- leaving */

static void leave_done(pd_app *app, void *ud, bool yes)
{
    editor *ed = ud;
    if (!yes)
        return;
    ed_drafts_stop(ed, true);
    pd_app_status(app, "Changes to %s dropped", ed->slug);
    ed_close(ed);
}

static void leave(editor *ed)
{
    if (!ed_modified(ed)) {
        ed_drafts_stop(ed, true);
        ed_close(ed);
        return;
    }
    pd_app_confirm(ed->app, "Drop your unsaved changes? y drops them, n keeps editing (Ctrl-S saves)", leave_done,
                   ed);
}

/* ---------------------------------------------------------------- keys */

/* The first key bound to a view action ("<C-s>"), into buf. */
static const char *first_key(editor *ed, int action, char *buf, size_t size)
{
    pd_app_keys_for(ed->app, ed->view, action, buf, size);
    buf[strcspn(buf, ", ")] = '\0';
    return buf;
}

void ed_hint(editor *ed, char *buf, size_t size)
{
    char k[5][64];
    snprintf(buf, size, "%s save  %s leave  %s undo  %s $EDITOR  %s new msg  <F1> keys",
             first_key(ed, ACT_SAVE, k[0], sizeof k[0]), first_key(ed, ACT_LEAVE, k[1], sizeof k[1]),
             first_key(ed, ACT_UNDO, k[2], sizeof k[2]), first_key(ed, ACT_EXTERNAL, k[3], sizeof k[3]),
             first_key(ed, ACT_ADD, k[4], sizeof k[4]));
}

/* Keys from the terminal's extended capabilities (Ctrl+arrows), or 0 when it has none. */
static int ext_key(const char *cap)
{
    char *s = tigetstr(cap);
    if (!s || s == (char *)-1)
        return 0;
    int k = key_defined(s);
    return k > 0 ? PD_KEY_FN(k) : 0;
}

static bool text_key(editor *ed, int key, int act)
{
    pd_textbuf *tb = cur_tb(ed);
    if (ed->doc->msgs[ed->msg].placeholder) {
        if (pd_key_is_text(key) || act == ACT_NEWLINE || act == ACT_TAB || act == ACT_DELETE || act == ACT_CUT ||
            act == ACT_PASTE || key == PD_KEY_BACKSPACE) {
            pd_app_error(ed->app, "A history placeholder has no text: Alt-d deletes it, Alt-k/j move it");
            return true;
        }
        return false;
    }
    int w = ed_text_width(ed);
    static int c_left = -1, c_right, c_home, c_end;
    if (c_left < 0) {
        c_left = ext_key("kLFT5");
        c_right = ext_key("kRIT5");
        c_home = ext_key("kHOM5");
        c_end = ext_key("kEND5");
    }
    if (key && key == c_left)
        act = ACT_WORD_LEFT;
    else if (key && key == c_right)
        act = ACT_WORD_RIGHT;
    else if (key && key == c_home)
        act = ACT_DOC_START;
    else if (key && key == c_end)
        act = ACT_DOC_END;
    if (pd_key_is_text(key) && act < PD_VIEW_ACT) {
        char buf[4];
        int n = pd_utf8_encode((uint32_t)key, buf);
        if (n == 0)
            return true;   /* a lone surrogate is no character: nothing to insert */
        edit(ed, PD_TEXT_TYPE, buf, (size_t)n);
        return true;
    }
    switch (act) {
    case ACT_NEWLINE: edit(ed, PD_TEXT_INSERT, "\n", 1); return true;
    case ACT_TAB: edit(ed, PD_TEXT_TYPE, "\t", 1); return true;
    case ACT_DELETE: edit(ed, PD_TEXT_DELETE, NULL, 0); return true;
    case ACT_CUT: edit(ed, PD_TEXT_CUT_LINE, NULL, 0); return true;
    case ACT_COPY:
        pd_tb_copy_line(tb);
        pd_app_status(ed->app, "Line copied (Ctrl-U pastes it above the cursor's line)");
        return true;
    case ACT_PASTE:
        if (!edit(ed, PD_TEXT_PASTE_LINES, NULL, 0))
            pd_app_status(ed->app, "Nothing to paste: Ctrl-K cuts a line, Alt-6 copies one");
        return true;
    case ACT_HOME: pd_tb_move(tb, PD_MOVE_HOME, w); after_move(ed); return true;
    case ACT_END: pd_tb_move(tb, PD_MOVE_END, w); after_move(ed); return true;
    case ACT_WORD_LEFT: pd_tb_move(tb, PD_MOVE_WORD_LEFT, w); after_move(ed); return true;
    case ACT_WORD_RIGHT: pd_tb_move(tb, PD_MOVE_WORD_RIGHT, w); after_move(ed); return true;
    case ACT_DOC_START: pd_tb_move(tb, PD_MOVE_DOC_START, w); after_move(ed); return true;
    case ACT_DOC_END: pd_tb_move(tb, PD_MOVE_DOC_END, w); after_move(ed); return true;
    case PD_ACT_LEFT: pd_tb_move(tb, PD_MOVE_CHAR_LEFT, w); after_move(ed); return true;
    case PD_ACT_RIGHT: pd_tb_move(tb, PD_MOVE_CHAR_RIGHT, w); after_move(ed); return true;
    default: break;
    }
    if (key == PD_KEY_BACKSPACE || key == PD_KEY_FN(KEY_BACKSPACE) || key == PD_KEY_CTRL('H')) {
        edit(ed, PD_TEXT_BACKSPACE, NULL, 0);
        return true;
    }
    return false;
}

static bool field_key(editor *ed, int key, int act)
{
    if (act == ACT_NEWLINE || key == 'e') {
        edit_field(ed, (pd_field)ed->field);
        return true;
    }
    return false;
}

static void page(editor *ed, long dir)
{
    long n = ed->view->height > 2 ? ed->view->height - 1 : 1;
    for (long i = 0; i < n && (dir > 0 ? ed_next_row(ed, &ed->top) : ed_prev_row(ed, &ed->top)); i++) {
    }
    ed_move_stops(ed, dir * n);
    ed_relayout(ed);
}

static bool editor_key(pd_view *v, int key, int act)
{
    editor *ed = v->data;
    switch (act) {
    case ACT_SAVE: ed_save(ed); return true;
    case ACT_LEAVE:
    case PD_ACT_BACK:
        if (act == PD_ACT_BACK && key != PD_KEY_ESC && ed->in_text)
            break;   /* q types a q */
        leave(ed);
        return true;
    case ACT_UNDO:
    case ACT_REDO: undo_redo(ed, act == ACT_UNDO); return true;
    case ACT_EXTERNAL: external_edit(ed); return true;
    case ACT_ADD: add_message(ed); return true;
    case ACT_DEL_MSG: delete_message(ed); return true;
    case ACT_MOVE_UP: move_message(ed, -1); return true;
    case ACT_MOVE_DOWN: move_message(ed, 1); return true;
    case ACT_ROLE: change_role(ed); return true;
    case ACT_NEXT_MSG:
    case ACT_PREV_MSG: {
        size_t i = ed->in_text ? ed->msg : (act == ACT_NEXT_MSG ? (size_t)-1 : 0);
        size_t n = ed->doc->n_msgs;
        i = act == ACT_NEXT_MSG ? i + 1 : i - 1;
        if (i < n)
            goto_message(ed, i, false);
        after_move(ed);
        return true;
    }
    case ACT_SETTINGS:
        ed->in_text = false;
        ed->field = PD_FIELD_PROVIDER;
        after_move(ed);
        return true;
    case ACT_COMMIT: edit_field(ed, PD_FIELD_COMMIT); return true;
    case PD_ACT_UP:
    case PD_ACT_DOWN:
        if (!pd_key_is_text(key) || !ed->in_text) {   /* j/k move on the field rows, type in text */
            ed_move_stops(ed, act == PD_ACT_UP ? -1 : 1);
            ed_relayout(ed);
            return true;
        }
        break;
    case PD_ACT_PAGE_UP:
    case PD_ACT_PAGE_DOWN:
        if (!pd_key_is_text(key) || !ed->in_text) {
            page(ed, act == PD_ACT_PAGE_UP ? -1 : 1);
            return true;
        }
        break;
    default: break;
    }
    if (ed->in_text && text_key(ed, key, act))
        return true;
    if (!ed->in_text && field_key(ed, key, act))
        return true;
    /* global keys a text editor must not act on (j/k/g/G/q... are text, Tab is a tab) */
    if (ed->in_text && pd_key_is_text(key))
        return true;
    return act == PD_ACT_NEXT_PANE || act == PD_ACT_PREV_PANE || act == PD_ACT_TOP || act == PD_ACT_BOTTOM ||
           act == PD_ACT_HALF_UP || act == PD_ACT_HALF_DOWN;
}

static bool editor_mouse(pd_view *v, pd_mouse_kind kind, int row, int col)
{
    editor *ed = v->data;
    if (kind == PD_MOUSE_WHEEL_UP || kind == PD_MOUSE_WHEEL_DOWN) {
        ed_move_stops(ed, kind == PD_MOUSE_WHEEL_UP ? -3 : 3);
        ed_relayout(ed);
        return true;
    }
    if (row < 0 || (size_t)row >= ed->n_vis)
        return true;
    drow r = ed->vis[row];
    if (r.kind == ROW_HEADER && !ed->doc->msgs[r.item].placeholder)
        r = (drow){ROW_TEXT, r.item, 0};
    if (ed_is_stop(ed, &r)) {
        ed_place_caret(ed, &r, col);
        after_move(ed);
        if (kind == PD_MOUSE_DOUBLE && r.kind == ROW_FIELD)
            edit_field(ed, (pd_field)r.item);
    }
    return true;
}

/* A bracketed paste: into the text at the caret as one undo step; on a field row, into that
 * field's question (Enter then sets it). */
static void editor_paste(pd_view *v, const char *text, size_t len)
{
    editor *ed = v->data;
    if (!ed->in_text) {
        char *val = pd_editdoc_field_text(ed->doc, (pd_field)ed->field);
        pd_buf b = PD_BUF_INIT;
        pd_buf_puts(&b, val);
        pd_buf_append(&b, text, strcspn(text, "\n") < len ? strcspn(text, "\n") : len);
        char label[64];
        snprintf(label, sizeof label, "%s: ", pd_field_label((pd_field)ed->field));
        ask(ed, label, pd_buf_str(&b), ed->field, apply_field);
        pd_buf_free(&b);
        free(val);
        return;
    }
    if (ed->doc->msgs[ed->msg].placeholder) {
        pd_app_error(ed->app, "A history placeholder has no text: nothing was pasted");
        return;
    }
    if (edit(ed, PD_TEXT_INSERT, text, len))
        pd_app_status(ed->app, "Pasted %zu byte%s (Ctrl-Z undoes the paste)", len, len == 1 ? "" : "s");
}

static void editor_draw(pd_view *v, int row, size_t line, bool selected)
{
    (void)line;
    (void)selected;
    ed_draw_row(v->data, row);
}

static void editor_resize(pd_view *v)
{
    editor *ed = v->data;
    pd_view_set_lines(v, (size_t)(v->height > 0 ? v->height : 1));
    ed_relayout(ed);
}

static void editor_title(pd_view *v, char *buf, size_t size)
{
    editor *ed = v->data;
    char from[64] = "";
    if (ed->from_number != ed->base_number)
        snprintf(from, sizeof from, "v%d, current v%d", ed->from_number, ed->base_number);
    else
        snprintf(from, sizeof from, "v%d", ed->base_number);
    char where[80] = "";
    if (ed->in_text && ed->doc->msgs[ed->msg].placeholder) {
        snprintf(where, sizeof where, "  msg %zu/%zu (placeholder)", ed->msg + 1, ed->doc->n_msgs);
    } else if (ed->in_text) {
        pd_textbuf *tb = ed->doc->msgs[ed->msg].tb;
        size_t cur = pd_tb_cursor(tb);
        snprintf(where, sizeof where, "  msg %zu/%zu line %zu/%zu col %d", ed->msg + 1, ed->doc->n_msgs,
                 pd_tb_line_number(tb, cur), pd_tb_line_count(tb), pd_tb_line_column(tb, cur, 0) + 1);
    }
    if (ed->new_name)
        snprintf(buf, size, "New prompt %s (created when saved)%s%s", ed->slug, ed_modified(ed) ? " [modified]" : "",
                 where);
    else
        snprintf(buf, size, "Edit %s (from %s)%s%s", ed->slug, from, ed_modified(ed) ? " [modified]" : "", where);
}

static void editor_close(pd_view *v)
{
    editor *ed = v->data;
    ed_drafts_stop(ed, false);
    if (ed->n_offers && ed->exiting) {
        pd_drafts_free(ed->offers, ed->n_offers);   /* the app is ending: they stay on disk */
    } else if (ed->n_offers) {
        pd_draft **offers = ed->offers;
        size_t n = ed->n_offers;
        ed->offers = NULL;
        ed->n_offers = 0;
        ed_offer_drafts(ed->app, offers, n);
    }
    pd_editdoc_free(ed->doc);
    pd_version_free(ed->base);
    pd_version_free(ed->start);
    free(ed->vis);
    free(ed->rows.start);
    free(ed->slug);
    free(ed->new_name);
    free(ed->library);
    free(ed);
}

/* Quitting asks first while the edit is not saved. */
static bool editor_unsaved(pd_view *v, char *buf, size_t size)
{
    editor *ed = v->data;
    if (!ed_modified(ed))
        return false;
    snprintf(buf, size, ed->new_name ? "the new prompt %s" : "your edit of %s", ed->slug);
    return true;
}

static void editor_changed(pd_view *v, const char *slug)
{
    editor *ed = v->data;
    if (slug && strcmp(slug, ed->slug) != 0)
        return;
    pd_view_dirty_title(v);   /* a save elsewhere shows up as a conflict when this one saves */
}

const pd_view_ops pd_editor_pane = {
    .name = "editor",
    .draw_line = editor_draw,
    .key = editor_key,
    .mouse = editor_mouse,
    .resize = editor_resize,
    .close = editor_close,
    .title = editor_title,
    .changed = editor_changed,
    .keys = editor_keys,
    .help_notes = editor_notes,
    .paste = editor_paste,
    .keybar = "save leave undo redo external-editor add-message role",
    .global_help = editor_shared_keys,
    .types_text = true,
    .unsaved = editor_unsaved,
};

/* ---------------------------------------------------------------- opening */

editor *ed_open(pd_app *app, const char *slug, pd_version *base, int from, pd_editdoc *doc, const char *new_name)
{
    editor *ed = pd_xcalloc(1, sizeof *ed);
    ed->app = app;
    ed->library = pd_strdup(pd_store_dir(pd_app_store(app)));
    ed->slug = pd_strdup(slug);
    ed->new_name = pd_strdup(new_name);
    ed->base = base;
    ed->base_number = base->number;
    ed->from_number = from;
    ed->doc = doc;
    ed->start = pd_editdoc_version(doc);
    ed->goal = -1;
    ed->top = (drow){ROW_HINT, 0, 0};
    ed->draft_gen = pd_editdoc_generation(doc);
    /* start in the first message */
    ed->field = PD_FIELD_COMMIT;
    ed->in_text = doc->n_msgs > 0;
    ed->msg = 0;
    ed->view = pd_view_new(app, &pd_editor_pane, ed);
    ed->view->has_cursor = false;
    ed->view->show_caret = ed->in_text;
    pd_app_push(app, NULL, ed->view, PD_OPEN_FULL);
    ed_drafts_start(ed);
    return ed;
}

void ed_close(editor *ed)
{
    pd_app_pop(ed->app, ed->view);
}

/* An editor already open on slug, or NULL. */
static editor *find_open(pd_app *app, const char *slug)
{
    for (pd_view *v = pd_app_focus(app); v; v = pd_app_below(app, v))
        if (v->ops == &pd_editor_pane && !strcmp(((editor *)v->data)->slug, slug))
            return v->data;
    return NULL;
}

bool ed_is_open(pd_app *app, const char *slug)
{
    return find_open(app, slug) != NULL;
}

static void open_fresh(pd_app *app, const char *slug, int version)
{
    pd_store *st = pd_app_store(app);
    pd_error err = {0};
    pd_version *cur = NULL, *from = NULL;
    if (pd_store_get_version(st, slug, 0, &cur, &err) != 0) {
        pd_app_error_err(app, &err);
        return;
    }
    if (version > 0 && version != cur->number) {
        if (pd_store_get_version(st, slug, version, &from, &err) != 0) {
            pd_app_error_err(app, &err);
            pd_version_free(cur);
            return;
        }
    }
    pd_editdoc *doc = pd_editdoc_new(from ? from : cur);
    free(doc->commit);   /* the new version gets its own commit message */
    doc->commit = pd_strdup("");
    int from_n = from ? from->number : cur->number;
    pd_version_free(from);
    ed_open(app, slug, cur, from_n, doc, NULL);
}

/* A new prompt's editor: the default first messages, provider and model set, nothing stored. */
static void open_new(pd_app *app, const char *slug, const char *name, const char *provider, const char *model)
{
    pd_version *first = pd_version_default_first();
    if (provider && *provider)
        first->settings.provider = pd_strdup(provider);
    if (model && *model)
        first->settings.model = pd_strdup(model);
    pd_editdoc *doc = pd_editdoc_new(first);
    pd_version_free(first);
    ed_open(app, slug, pd_xcalloc(1, sizeof(pd_version)), 0, doc, name);
}

typedef struct open_req {
    char *slug;
    int version;
    char *name, *provider, *model;   /* a new prompt's (name NULL: a stored prompt) */
    pd_draft *draft;
    int hook_id;
} open_req;

static void open_req_free(open_req *r)
{
    free(r->slug);
    free(r->name);
    free(r->provider);
    free(r->model);
    pd_draft_free(r->draft);
    free(r);
}

static void open_req_exit(pd_app *app, void *ud, int signo)
{
    (void)app;
    (void)signo;
    open_req_free(ud);   /* the app ends with the question open */
}

static void existing_draft_done(pd_app *app, void *ud, bool yes)
{
    open_req *r = ud;
    pd_app_remove_exit_hook(app, r->hook_id);
    pd_error err = {0};
    if (yes) {
        if (ed_restore(app, r->draft, &err))
            r->draft = NULL;
        else
            pd_app_error(app, "Cannot restore the draft of %s (%s); it stays in %s", r->slug, err.msg, r->draft->path);
    } else {
        if (r->name)
            open_new(app, r->slug, r->name, r->provider, r->model);
        else
            open_fresh(app, r->slug, r->version);
        pd_app_status(app, "Started %s; the old draft is replaced once you change something",
                      r->name ? "afresh" : "from the saved version");
    }
    open_req_free(r);
}

/* Offers the draft left for slug, if any (then true: the answer opens the editor). */
static bool offer_draft(pd_app *app, const char *slug, int version, const char *name, const char *provider,
                        const char *model)
{
    char *path = pd_draft_path(pd_store_dir(pd_app_store(app)), slug);
    pd_draft *d = NULL;
    pd_error err = {0};
    int rc = pd_draft_load(path, &d, &err);
    free(path);
    if (rc != 0)
        return false;
    open_req *r = pd_xcalloc(1, sizeof *r);
    r->slug = pd_strdup(slug);
    r->version = version;
    r->name = pd_strdup(name);
    r->provider = pd_strdup(provider);
    r->model = pd_strdup(model);
    r->draft = d;
    if (d->base_version > 0)   /* its number now */
        pd_draft_find_base(d, pd_app_store(app), NULL, NULL);
    char q[256];
    char when[32];
    if (d->base_version > 0)
        snprintf(q, sizeof q, "Restore unsaved edit of %s (v%d, %s)? n: start from v%d", slug, d->base_version,
                 ed_when(d->saved_at, when, sizeof when), d->base_version);
    else
        snprintf(q, sizeof q, "Restore the unsaved new prompt %s (%s)? n: start afresh", slug,
                 ed_when(d->saved_at, when, sizeof when));
    r->hook_id = pd_app_add_exit_hook(app, open_req_exit, r);
    pd_app_confirm(app, q, existing_draft_done, r);
    return true;
}

void pd_open_editor(pd_app *app, const char *slug, int version)
{
    if (!slug || !*slug)
        return;
    editor *open = find_open(app, slug);
    if (open) {
        pd_app_set_focus(app, open->view);
        return;
    }
    /* a draft left for this prompt: offer it rather than silently replacing it later */
    if (!offer_draft(app, slug, version, NULL, NULL, NULL))
        open_fresh(app, slug, version);
}

void pd_open_editor_new(pd_app *app, const char *slug, const char *name, const char *provider, const char *model)
{
    if (!slug || !*slug)
        return;
    editor *open = find_open(app, slug);
    if (open) {
        pd_app_set_focus(app, open->view);
        return;
    }
    if (!offer_draft(app, slug, 0, name ? name : slug, provider, model))
        open_new(app, slug, name ? name : slug, provider, model);
}
