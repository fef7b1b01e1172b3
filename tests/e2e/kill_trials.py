# kill_trials.py: driven by kill_trials.sh. For each write operation (update, create, label,
# rename, delete, partial, import, sync, and the format 1 -> 2 upgrade: migrate, or the first
# command run on a format 1 library) it runs the operation once under strace to list every
# call that changes the disk (open for writing, write, fsync, rename, unlink, mkdir, ...), then,
# for each of those calls, copies a fresh library and runs the operation again with strace
# killing it (SIGKILL) as it enters that call. After each kill: the library loads without
# damage, the operation is wholly there or wholly absent, nothing saved before is lost, and the
# same operation run again succeeds. Prints "op trials killed ok torn corrupt lost" (killed: the
# trials the kill landed in before the operation ended; the last trial of each op is not killed)
# and one line per failed trial with its reproduction.
# Usage: python3 kill_trials.py PROMPTDECK WORKDIR LIMIT   (LIMIT: kill points per op, 0 = all)
import json
import os
import random
import signal
import shutil
import subprocess
import sys
import time

PD, WORK, LIMIT = sys.argv[1], sys.argv[2], int(sys.argv[3])
ONLY = sys.argv[4].split(",") if len(sys.argv) > 4 and sys.argv[4] else None
TPL = os.path.join(WORK, "tpl")   # the library (and for sync the clones and remote) before the op
RUN = os.path.join(WORK, "run")   # the copy a trial works on
CACHE = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.environ["HOME"], ".cache")
STATE = os.environ.get("XDG_STATE_HOME") or os.path.join(os.environ["HOME"], ".local", "state")
# each trial deletes promptdeck's cache and run records there: only in the test's own HOME under
# WORK (kill_trials.sh, through lib.sh), never a user's
if not all(os.path.realpath(d).startswith(os.path.realpath(WORK) + os.sep) for d in (CACHE, STATE)):
    sys.exit("kill_trials.py: the cache and state folders (%s, %s) are not under %s: run it through "
             "kill_trials.sh, each trial deletes promptdeck's files there" % (CACHE, STATE, WORK))
# The calls that change what is on disk; a kill as one is entered leaves the disk as it was
# before it, so killing at each covers every state the operation passes through.
CHANGING = ["openat", "write", "pwrite64", "writev", "fchmod", "fsync", "fdatasync", "ftruncate",
            "rename", "renameat", "renameat2", "unlink", "unlinkat", "rmdir", "mkdir", "mkdirat",
            "link", "linkat", "symlink", "symlinkat"]
WRITE_OPEN = ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND")


def traced_env():
    """The environment of a run under strace: a sanitizer build's leak check cannot run under a
    tracer (it fails every such run), so it is left out there."""
    asan = os.environ.get("ASAN_OPTIONS")
    return dict(os.environ, PROMPTDECK_AUTHOR="Kim", ASAN_OPTIONS=(asan + ":" if asan else "") + "detect_leaks=0")


def pd(lib, *args, author="Kim"):
    env = dict(os.environ, PROMPTDECK_AUTHOR=author)
    r = subprocess.run([PD, "--library", lib] + list(args), capture_output=True, text=True, env=env)
    return r.returncode, r.stdout, r.stderr


def pdj(lib, *args):
    rc, out, err = pd(lib, *args, "--json")
    if rc != 0:
        return None
    return json.loads(out)


def git(d, *args):
    return subprocess.run(["git", "-C", d] + list(args), capture_output=True, text=True)


class Trouble(Exception):
    """kind is 'torn', 'corrupt' or 'lost'."""

    def __init__(self, kind, what):
        super().__init__(what)
        self.kind = kind


def need(cond, kind, what):
    if not cond:
        raise Trouble(kind, what)


def loads(lib):
    """The library lists without damage; returns {slug: list entry}."""
    rc, out, err = pd(lib, "list", "--json")
    need(rc == 0, "corrupt", "list fails: " + err.strip())
    j = json.loads(out)
    bad = [p for p in j if p.get("damaged") or p.get("damage")]
    need(not bad, "corrupt", "list shows damage: %s" % json.dumps(bad)[:300])
    return {p["slug"]: p for p in j}


def contents(lib, slug, merged=False):
    """The first message of each version of SLUG, or None when it is not there. MERGED: two
    versions may share a number (a merge not settled yet, which the next sync settles)."""
    vs = pdj(lib, "versions", slug)
    if vs is None:
        return None
    need(merged or [v["version"] for v in vs] == list(range(1, len(vs) + 1)), "corrupt",
         "%s: version numbers %s" % (slug, [v["version"] for v in vs]))
    return [v["messages"][0]["content"] for v in vs]


def partial_texts(lib, name):
    """Every version's text of partial NAME, or None when it is not there."""
    ps = {p["name"]: p for p in (pdj(lib, "partial", "list") or [])}
    if name not in ps:
        return None
    out = []
    for n in range(1, ps[name]["current_version"] + 1):
        rc, text, err = pd(lib, "partial", "show", name, "--version", str(n))
        need(rc == 0, "corrupt", "partial show %s --version %d: %s" % (name, n, err.strip()))
        out.append(text.rstrip("\n"))
    return out


def whole_or_absent(lib, slug, before, after, listing):
    """SLUG has exactly the versions BEFORE or exactly AFTER; returns which ("before"/"after")."""
    now = contents(lib, slug)
    need((now is None) == (slug not in listing), "corrupt", "%s: listed %s but versions says %s" %
         (slug, slug in listing, now))
    if now == before:
        return "before"
    if now == after:
        return "after"
    if before is not None and now is not None and now[:len(before)] == before:
        raise Trouble("torn", "%s: has %s, expected %s or %s" % (slug, now, before, after))
    raise Trouble("lost" if before and (now is None or now[:len(before)] != before) else "corrupt",
                  "%s: has %s, expected %s or %s" % (slug, now, before, after))


def labels_of(listing, slug):
    return listing[slug]["labels"] if slug in listing else None


def ok_rc(r, what):
    need(r[0] == 0, "corrupt", "%s failed after the kill: %s" % (what, (r[2] or r[1]).strip()[:300]))


# ---- the operations: setup(lib) on the template, the command, check(lib, finished) ----------

def msg(t):
    return "user=" + t


def setup_prompt(lib):
    pd(lib, "create", "p", "--name", "P", "--model", "m", "--provider", "openai", "--message", msg("p1"))
    pd(lib, "update", "p", "--message", msg("p2"))
    pd(lib, "label", "p", "production", "1")
    pd(lib, "partial", "put", "tone", "--content", "tone two")


P_BEFORE = ["p1", "p2"]


def others_intact(lib, listing):
    need("examples/summarize" in listing, "lost", "examples/summarize is gone")
    need(contents(lib, "examples/summarize") is not None, "lost", "examples/summarize lost its versions")


def check_update(lib, done):
    listing = loads(lib)
    got = whole_or_absent(lib, "p", P_BEFORE, P_BEFORE + ["new"], listing)
    need(not done or got == "after", "lost", "update reported saved but p has no new version")
    need(labels_of(listing, "p") == {"production": 1}, "corrupt", "labels %s" % labels_of(listing, "p"))
    ok_rc(pd(lib, "update", "p", "--message", msg("next")), "update")
    want = P_BEFORE + (["new"] if got == "after" else []) + ["next"]
    need(contents(lib, "p") == want, "corrupt", "after the next update: %s" % contents(lib, "p"))


def check_create(lib, done):
    listing = loads(lib)
    got = whole_or_absent(lib, "q", None, ["q1"], listing)
    need(not done or got == "after", "lost", "create reported done but q is not there")
    if got == "before":
        ok_rc(pd(lib, "create", "q", "--name", "Q", "--model", "m", "--provider", "openai", "--message",
                 msg("again")), "create q again")
        need(contents(lib, "q") == ["again"], "corrupt", "q created again has %s" % contents(lib, "q"))
    others_intact(lib, loads(lib))


def check_label(lib, done):
    listing = loads(lib)
    lab = labels_of(listing, "p")
    need(lab in ({"production": 1}, {"production": 2}), "corrupt", "labels after the kill: %s" % lab)
    need(not done or lab == {"production": 2}, "lost", "label reported moved but: %s" % lab)
    need(contents(lib, "p") == P_BEFORE, "corrupt", "versions %s" % contents(lib, "p"))
    ok_rc(pd(lib, "label", "p", "canary", "2"), "label")
    lab = labels_of(loads(lib), "p")
    need(lab.get("canary") == 2 and lab.get("production") in (1, 2), "corrupt", "labels after the next move: %s" % lab)


def check_rename(lib, done):
    listing = loads(lib)
    there = [s for s in ("p", "r") if s in listing]
    need(len(there) == 1, "corrupt" if there else "lost", "after the kill the prompt is under %s" % there)
    s = there[0]
    need(not done or s == "r", "lost", "rename reported done but the prompt is under p")
    need(contents(lib, s) == P_BEFORE, "lost", "%s has %s" % (s, contents(lib, s)))
    need(labels_of(listing, s) == {"production": 1}, "corrupt", "labels %s" % labels_of(listing, s))
    other = "p" if s == "r" else "r"
    need(contents(lib, other) is None, "corrupt", "%s also answers versions" % other)
    ok_rc(pd(lib, "rename", s, other), "rename back")
    need(contents(lib, other) == P_BEFORE, "corrupt", "after renaming again: %s" % contents(lib, other))
    ok_rc(pd(lib, "create", s, "--name", "N", "--model", "m", "--provider", "openai", "--message", msg("fresh")),
          "create over the old slug")
    need(contents(lib, s) == ["fresh"], "corrupt", "a new prompt under the old slug has %s" % contents(lib, s))


def check_delete(lib, done):
    listing = loads(lib)
    got = whole_or_absent(lib, "p", P_BEFORE, None, listing)
    need(not done or got == "after", "corrupt", "delete reported done but p is there")
    if got == "before":
        need(labels_of(listing, "p") == {"production": 1}, "corrupt", "labels %s" % labels_of(listing, "p"))
        ok_rc(pd(lib, "delete", "p", "--yes"), "delete again")
    ok_rc(pd(lib, "create", "p", "--name", "N", "--model", "m", "--provider", "openai", "--message", msg("fresh")),
          "create over the deleted slug")
    need(contents(lib, "p") == ["fresh"], "corrupt", "a new prompt under the deleted slug has %s" % contents(lib, "p"))
    need(labels_of(loads(lib), "p") == {}, "corrupt", "the new prompt has labels %s" % labels_of(loads(lib), "p"))
    others_intact(lib, loads(lib))


def partial_check(name, before):
    def check(lib, done):
        loads(lib)
        now = partial_texts(lib, name)
        after = (before or []) + ["new text"]
        if now != before and now != after:
            raise Trouble("torn" if now and before and now[:len(before)] == before else "corrupt",
                          "partial %s: %s, expected %s or %s" % (name, now, before, after))
        need(not done or now == after, "lost", "put reported saved but %s has %s" % (name, now))
        ok_rc(pd(lib, "partial", "put", name, "--content", "next text"), "partial put")
        need(partial_texts(lib, name) == (now or []) + ["next text"], "corrupt", "after the next put: %s" % partial_texts(lib, name))
    return check


IMPORT_DOC = None


def import_doc(work):
    """A document with a new prompt of three versions and two labels, a fourth version of p,
    and a new partial with two versions."""
    def version(n, text):
        return {"version": n, "messages": [{"role": "user", "content": text}], "provider": "openai", "model": "m",
                "author": "Imp", "created_at": "2026-01-0%dT10:00:00Z" % n}
    doc = {"format": "promptdeck-export", "format_version": 1,
           "prompts": [{"slug": "imp/a", "name": "A", "description": "", "tags": ["t"],
                        "labels": {"production": 2, "staging": 3},
                        "versions": [version(1, "a1"), version(2, "a2"), version(3, "a3")]},
                       {"slug": "p", "name": "P", "description": "", "tags": [], "labels": {"production": 1},
                        "versions": [version(1, "p1"), version(2, "p2"), version(3, "p3")]}],
           "partials": [{"name": "voice", "versions": [{"version": 1, "content": "voice one"},
                                                         {"version": 2, "content": "voice two"}]}]}
    path = os.path.join(work, "import.json")
    with open(path, "w") as f:
        json.dump(doc, f)
    return path


def check_import(lib, done):
    listing = loads(lib)
    torn = []
    for slug, before, after, labels in (("imp/a", None, ["a1", "a2", "a3"], {"production": 2, "staging": 3}),
                                        ("p", P_BEFORE, P_BEFORE + ["p3"], {"production": 1})):
        try:
            got = whole_or_absent(lib, slug, before, after, listing)
            need(not done or got == "after", "lost", "import reported done but %s is %s" % (slug, got))
            if got == "after" and labels_of(listing, slug) != labels:
                torn.append("%s: labels %s" % (slug, labels_of(listing, slug)))
        except Trouble as t:
            if t.kind != "torn":
                raise
            torn.append(str(t))
    v = partial_texts(lib, "voice")
    if v not in (None, ["voice one", "voice two"]):
        need(v == ["voice one"], "corrupt", "partial voice has %s" % v)
        torn.append("partial voice: %s" % v)
    ok_rc(pd(lib, "import", IMPORT_DOC), "import again")
    listing = loads(lib)
    need(contents(lib, "imp/a") == ["a1", "a2", "a3"], "corrupt", "after importing again imp/a: %s" % contents(lib, "imp/a"))
    need(contents(lib, "p") == P_BEFORE + ["p3"], "corrupt", "after importing again p: %s" % contents(lib, "p"))
    need(labels_of(listing, "imp/a") == {"production": 2, "staging": 3}, "corrupt",
         "after importing again imp/a's labels: %s" % labels_of(listing, "imp/a"))
    need(partial_texts(lib, "voice") == ["voice one", "voice two"], "corrupt",
         "after importing again voice: %s" % partial_texts(lib, "voice"))
    if torn:
        raise Trouble("torn", "; ".join(torn))


# ---- sync: clone a (ours, with a save and a label move not pushed) and b (a teammate who
# pushed a save and a new prompt), a bare remote, all in the folder copied per trial ---------

def setup_sync(base):
    remote = os.path.join(base, "remote.git")
    subprocess.run(["git", "init", "-q", "--bare", remote], check=True)
    subprocess.run(["git", "clone", "-q", remote, os.path.join(base, "a")], check=True, capture_output=True)
    # the remote's side of a push or fetch runs in a session of its own, as on a server: killing
    # the clone's process group leaves it be
    git(os.path.join(base, "a"), "config", "remote.origin.receivepack", "setsid git-receive-pack")
    git(os.path.join(base, "a"), "config", "remote.origin.uploadpack", "setsid git-upload-pack")
    la, lb = os.path.join(base, "a", "lib"), os.path.join(base, "b", "lib")
    os.makedirs(la)
    setup_prompt(la)
    pd(la, "sync")
    git(os.path.join(base, "a"), "push", "-q", "-u", "origin", "main")
    subprocess.run(["git", "clone", "-q", remote, os.path.join(base, "b")], check=True, capture_output=True)
    pd(la, "update", "p", "--message", msg("ours"))
    pd(la, "label", "p", "production", "3")
    pd(lb, "update", "p", "--message", msg("theirs"), author="Bo")
    pd(lb, "create", "team/b", "--name", "B", "--model", "m", "--provider", "openai", "--message", msg("b1"), author="Bo")
    rc, out, err = pd(lb, "sync", author="Bo")
    assert rc == 0, err


def check_sync(lib, done):
    base = os.path.dirname(os.path.dirname(lib))
    a, b = os.path.join(base, "a"), os.path.join(base, "b")
    listing = loads(lib)
    need(git(a, "fsck", "--no-progress").returncode == 0, "corrupt", "git fsck fails: %s" % git(a, "fsck").stderr[:300])
    c = contents(lib, "p", merged=True)
    need(c is not None and c[:2] == P_BEFORE and sorted(c[2:]) in (["ours"], ["ours", "theirs"]), "lost",
         "after the kill p has %s" % c)
    rc, out, err = pd(lib, "sync")
    need(rc == 0, "corrupt", "the next sync fails (exit %d): %s" % (rc, (err or out).strip()[:400]))
    rc, out, err = pd(os.path.join(b, "lib"), "sync", author="Bo")
    need(rc == 0, "corrupt", "the teammate's next sync fails: %s" % (err or out).strip()[:300])
    for d in (a, b):
        lib_d = os.path.join(d, "lib")
        listing = loads(lib_d)
        c = contents(lib_d, "p")
        need(c is not None and c[:2] == P_BEFORE and sorted(c[2:]) == ["ours", "theirs"], "lost",
             "after syncing again %s has p %s" % (os.path.basename(d), c))
        need(contents(lib_d, "team/b") == ["b1"], "lost", "after syncing again %s has team/b %s" %
             (os.path.basename(d), contents(lib_d, "team/b")))
        need(labels_of(listing, "p") == {"production": c.index("ours") + 1}, "corrupt",
             "%s: production on %s, ours is v%d" % (os.path.basename(d), labels_of(listing, "p"), c.index("ours") + 1))
    need(git(a, "status", "--porcelain").stdout.strip() == "", "corrupt", "a has changes not committed: %s" %
         git(a, "status", "--porcelain").stdout[:300])


# ---- the format 1 -> 2 upgrade: `migrate`, and the first command run on a format 1 library
# (every command upgrades it as it opens the library) ------------------------------------------

def setup_format1(lib):
    """A format 1 library written by hand, as an older promptdeck left it: prompts with labels,
    tags and test cases (one hand-made: no id, no dates), partials, run records in the library."""
    def w(rel, obj):
        path = os.path.join(lib, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(json.dumps(obj, indent=2) + "\n")

    def version(n, text, day):
        return {"format_version": 1, "version": n, "messages": [{"role": "user", "content": text}], "model": "m",
                "provider": "openai", "author": "Ada", "commit_message": "c%d" % n,
                "created_at": "2025-01-%02dT00:00:00Z" % day}
    w("library.json", {"format_version": 1, "format": "promptdeck-library"})
    for slug, pid, texts, labels in (("team/greet", "0123456789abcdef", ["Hi", "Hello"], {"production": 1, "staging": 2}),
                                     ("p", "00112233aabbccdd", ["p1", "p2", "p3"], {"production": 3})):
        w("prompts/%s/prompt.json" % slug, {"format_version": 1, "id": pid, "slug": slug, "name": slug.upper(),
          "description": "about " + slug, "tags": ["t", slug], "labels": labels, "current_version": len(texts),
          "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-%02dT00:00:00Z" % (len(texts) + 1)})
        for n, text in enumerate(texts, 1):
            w("prompts/%s/v%04d.json" % (slug, n), version(n, text, n + 1))
        w("prompts/%s/tests.json" % slug, {"format": "promptdeck-tests", "format_version": 1, "cases": [
          {"description": "case of " + slug, "vars": {"w": "x"}, "assert": [{"type": "contains", "value": "x"}]}]})
        w("runs/%s/20250101T000000000Z-aaaaaa.json" % slug, {"format_version": 1, "id": "20250101T000000000Z-aaaaaa",
          "prompt_slug": slug, "prompt_version": 1, "status": "ok", "output": "answer of " + slug})
    w("prompts/solo/prompt.json", {"format_version": 1, "name": "Solo", "current_version": 1})
    w("prompts/solo/v0001.json", {"format_version": 1, "version": 1, "messages": [{"role": "system", "content": "x"}]})
    for name, texts in (("tone", ["Be kind.", "Be very kind."]), ("voice", ["Plain."])):
        w("partials/%s/partial.json" % name, {"format_version": 1, "name": name, "current_version": len(texts)})
        for n, text in enumerate(texts, 1):
            w("partials/%s/v%04d.json" % (name, n), {"format_version": 1, "name": name, "version": n, "content": text})


def pd_as_is(lib, *args):
    """The command run as a reader that cannot take the library's lock (a read-only checkout,
    another user): a format 1 library, or one an upgrade left half done, is read as it is."""
    r = subprocess.run(["strace", "-f", "-o", "/dev/null", "-e", "inject=flock:error=EACCES", PD, "--library", lib]
                       + list(args), capture_output=True, text=True, env=traced_env())
    return r.returncode, r.stdout, r.stderr


def library_view(lib, run=pd):
    """What the library shows: each prompt's listing, versions and run records, each partial's
    versions, as {what: JSON}; 'corrupt' when a command fails or shows damage."""
    def j(*args):
        rc, out, err = run(lib, *args, "--json")
        need(rc == 0, "corrupt", "%s fails: %s" % (" ".join(args), err.strip()[:300]))
        return json.loads(out)
    view = {}
    for p in j("list"):
        need(not (p.get("damaged") or p.get("damage")), "corrupt", "list shows damage: %s" % json.dumps(p)[:300])
        view["prompt " + p["slug"]] = p
        view["versions " + p["slug"]] = j("versions", p["slug"])
        view["runs " + p["slug"]] = j("runs", p["slug"])
    for p in j("partial", "list"):
        view["partial " + p["name"]] = [j("partial", "show", p["name"], "--version", str(n))
                                        for n in range(1, p["current_version"] + 1)]
    return view


# what either format shows alike (ids, parents and the times a hand-made prompt gains are new)
SAME_IN_BOTH = {"slug", "name", "description", "tags", "labels", "current_version", "version", "messages",
                "model", "provider", "author", "commit_message", "content", "prompt_slug", "prompt_version",
                "status", "output"}


def kept(x):
    if isinstance(x, dict):
        return {k: kept(v) for k, v in x.items() if k in SAME_IN_BOTH}
    if isinstance(x, list):
        return [kept(v) for v in x]
    return x


def lib_files(lib):
    """{path below the library: text} of every file, and of the run records kept for it outside
    (a migrate moves them there); the lock and the temporary files of atomic writes a kill left
    (".NAME.tmp.XXXXXX": git-ignored, never read) aside."""
    files = {}
    for top, name in ((lib, "lib"), (os.path.join(STATE, "promptdeck", "runs"), "state")):
        for d, dirs, fs in os.walk(top):
            for f in fs:
                path = os.path.join(d, f)
                rel = name + "/" + os.path.relpath(path, top)
                if rel != "lib/.lock" and not (f.startswith(".") and ".tmp." in f):
                    with open(path, "rb") as fh:
                        files[rel] = fh.read().decode("utf-8", "replace")
    return files


def tests_files(lib):
    return {rel: data for rel, data in lib_files(lib).items() if rel.endswith("/tests.json")}


MIGRATED = {}   # the unkilled upgrade: what the library shows before and after, its files after


def migrate_reference():
    if not MIGRATED:
        lib = fresh("migrate")
        MIGRATED["before"] = kept(library_view(lib, pd_as_is))
        MIGRATED["tests"] = tests_files(lib)
        rc, out, err = pd(lib, "migrate")
        assert rc == 0, err
        MIGRATED["after"] = library_view(lib)
        MIGRATED["files"] = lib_files(lib)
        assert MIGRATED["before"] == kept(MIGRATED["after"]), "an unkilled migrate changes what the library shows"
        with open(os.path.join(lib, "library.json")) as f:
            assert json.load(f)["format_version"] == 2
    return MIGRATED


def differs(kind, what, got, want):
    """Raises KIND (lost when something WANT has is missing from GOT) naming the first difference."""
    for k in want:
        if k not in got:
            raise Trouble("lost", "%s: %s is gone" % (what, k))
    for k in sorted(set(want) | set(got)):
        if got.get(k) != want.get(k):
            raise Trouble(kind, "%s: %s is %s, expected %s" % (what, k, json.dumps(got.get(k))[:300],
                                                               json.dumps(want.get(k))[:300]))


def check_migrate(lib, done):
    ref = migrate_reference()
    with open(os.path.join(lib, "library.json")) as f:
        fmt = json.load(f).get("format_version")
    need(fmt in (1, 2), "corrupt", "library.json says format %s" % fmt)
    need(not done or fmt == 2, "corrupt", "the upgrade reported done but library.json says format %s" % fmt)
    # as the kill left it, read by who cannot upgrade it: every prompt, version, label, partial
    # and run record there once, as before (each prompt in format 1 or 2)
    differs("corrupt", "read as the kill left it", kept(library_view(lib, pd_as_is)), ref["before"])
    differs("lost", "test cases", tests_files(lib), ref["tests"])
    # upgraded again: what an unkilled upgrade shows, file for file
    ok_rc(pd(lib, "migrate"), "migrate")
    differs("corrupt", "after migrate again", library_view(lib), ref["after"])
    differs("corrupt", "the files after migrate again", lib_files(lib), ref["files"])


NEW_PROMPT = ["--name", "Q", "--model", "m", "--provider", "openai", "--message", msg("q1")]
OPS = [
    ("update", ["update", "p", "--message", msg("new")], check_update),
    ("create", ["create", "q"] + NEW_PROMPT, check_create),
    ("label", ["label", "p", "production", "2"], check_label),
    ("rename", ["rename", "p", "r"], check_rename),
    ("delete", ["delete", "p", "--yes"], check_delete),
    ("partial", ["partial", "put", "tone", "--content", "new text"], partial_check("tone", None)),
    ("partial-new", ["partial", "put", "voice", "--content", "new text"], partial_check("voice", None)),
    ("import", None, check_import),
    ("sync", ["sync"], check_sync),
    ("sync-group", ["sync"], check_sync),
    ("migrate", ["migrate"], check_migrate),
    ("upgrade-list", ["list"], check_migrate),
]
TEMPLATE = {"sync-group": "sync", "upgrade-list": "migrate"}   # ops run on another's library


def lib_of(op, root):
    return os.path.join(root, "a", "lib") if op == "sync" else os.path.join(root, "lib")


def fresh(op):
    shutil.rmtree(RUN, ignore_errors=True)
    shutil.rmtree(os.path.join(CACHE, "promptdeck"), ignore_errors=True)
    shutil.rmtree(os.path.join(STATE, "promptdeck", "runs"), ignore_errors=True)
    shutil.copytree(os.path.join(TPL, op), RUN, symlinks=True)
    return lib_of(op, RUN)


def command(op, args, lib):
    return [PD, "--library", lib] + args


def kill_points(op, args):
    """[(syscall, n)]: every call that changes the disk, as strace's when=n counts it."""
    lib = fresh(op)
    log = os.path.join(WORK, "trace")
    subprocess.run(["strace", "-o", log, "-e", "trace=" + ",".join(CHANGING)] + command(op, args, lib),
                   capture_output=True, env=traced_env())
    seen, points = {}, []
    for line in open(log):
        name = line.split("(", 1)[0]
        if name not in CHANGING:
            continue
        seen[name] = seen.get(name, 0) + 1
        if name == "openat" and not any(f in line for f in WRITE_OPEN):
            continue
        points.append((name, seen[name]))
    return points


def pick(points, limit):
    if not limit or len(points) <= limit:
        return points
    if limit == 1:
        return points[-1:]
    step = (len(points) - 1) / (limit - 1)
    return [points[round(i * step)] for i in range(limit)]


def wait_session(sid):
    """Waits until no process of session SID is left (git children of a killed sync)."""
    while subprocess.run(["pgrep", "-s", str(sid)], capture_output=True).returncode == 0:
        subprocess.run(["sleep", "0.02"])


def run_trial(tpl, args, how):
    """Runs the operation on a fresh copy of template TPL, killed as HOW says: (SYSCALL, N) as
    it enters its Nth SYSCALL, ("group", SECONDS) its process group after SECONDS, None not.
    Returns (library, exit status) once no process of it is left."""
    lib = fresh(tpl)
    inject = []
    if how and how[0] != "group":
        inject = ["strace", "-o", "/dev/null", "-e", "trace=" + how[0], "-e",
                  "inject=%s:signal=SIGKILL:when=%d" % how]
    r = subprocess.Popen(inject + command(tpl, args, lib), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env=traced_env(), start_new_session=True)
    if how and how[0] == "group":
        time.sleep(how[1])
        try:
            os.killpg(r.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    r.wait()
    wait_session(r.pid)
    return lib, r.returncode


def main():
    global IMPORT_DOC
    os.makedirs(TPL, exist_ok=True)
    IMPORT_DOC = import_doc(WORK)
    for op in sorted({TEMPLATE.get(op, op) for op, a, c in OPS if not ONLY or op in ONLY}):
        # made where the trials run (a clone's remote is an absolute path), then kept aside
        shutil.rmtree(RUN, ignore_errors=True)
        os.makedirs(RUN)
        if op == "sync":
            setup_sync(RUN)
        elif op == "migrate":
            setup_format1(lib_of(op, RUN))
        else:
            setup_prompt(lib_of(op, RUN))
        os.rename(RUN, os.path.join(TPL, op))
    tone = partial_texts(lib_of("partial", os.path.join(TPL, "partial")), "tone") if not ONLY or "partial" in ONLY else None
    ops = []
    for op, args, check in OPS:
        if ONLY and op not in ONLY:
            continue
        if op == "partial":
            check = partial_check("tone", tone)
        if op == "import":
            args = ["import", IMPORT_DOC]
        ops.append((op, args, check))
    print("%-12s %6s %6s %6s %6s %8s %6s" % ("op", "trials", "killed", "ok", "torn", "corrupt", "lost"))
    failures = []
    total_bad = 0
    for op, args, check in ops:
        tpl = TEMPLATE.get(op, op)
        if op == "sync-group":
            # the whole process group (promptdeck and the git it runs) killed at a random moment
            # of the run, so that git dies inside a commit, merge or push too
            start = time.monotonic()
            run_trial(tpl, args, None)
            took = time.monotonic() - start
            rnd = random.Random(int(os.environ.get("KILL_SEED", "10")))
            lo, hi = (float(f) for f in os.environ.get("KILL_WINDOW", "0,1").split(","))
            points = [("group", rnd.uniform(lo * took, hi * took)) for _ in range(LIMIT or 100)]
        else:
            points = pick(kill_points(tpl, args), LIMIT)
        counts = {"ok": 0, "torn": 0, "corrupt": 0, "lost": 0, "killed": 0}
        for how in points + [None]:   # the last trial: not killed
            lib, rc = run_trial(tpl, args, how)
            done = rc == 0
            counts["killed"] += rc in (-9, 137)
            try:
                check(lib, done)
                counts["ok"] += 1
            except Trouble as t:
                kind = t.kind
                # an operation that promises to be whole: half of it is damage
                if kind == "torn" and op != "import":
                    kind = "corrupt"
                counts[kind] += 1
                where = ("killed entering %s call %d" % how if how and how[0] != "group" else
                         "group killed after %.1f ms" % (how[1] * 1000) if how else "not killed")
                failures.append("%s %s: %s (exit %d): %s" % (kind, op, where, rc, t))
                if os.environ.get("KILL_KEEP"):   # the library as the trial left it, to look at
                    keep = os.path.join(os.environ["KILL_KEEP"], "%s-%d" % (op, len(failures)))
                    shutil.rmtree(keep, ignore_errors=True)
                    shutil.copytree(RUN, keep, symlinks=True)
                if kind in ("torn", "corrupt", "lost"):   # an import promises whole prompts and partials too
                    total_bad += 1
        print("%-12s %6d %6d %6d %6d %8d %6d" % (op, len(points) + 1, counts["killed"], counts["ok"], counts["torn"],
                                                 counts["corrupt"], counts["lost"]), flush=True)
    for f in failures:
        print("# " + f)
    sys.exit(1 if total_bad else 0)


main()
