"""Shared plumbing for bench/eval_lexicon.py and bench/eval_nb.py (stdlib only)."""
import json
import os
import shlex
import shutil
import sys

PEERS = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(PEERS)
REPO = os.path.dirname(BENCH)
DEFAULT_EVAL_DISPLAY = "../shared/eval"
DEFAULT_EVAL = os.path.normpath(os.path.join(REPO, "..", "shared", "eval"))

# Where a built vocal binary is looked for when --vocal is not given (then $VOCAL, then PATH).
VOCAL_CANDIDATES = ["build/vocal", "build/bin/vocal", "build/src/cli/vocal", "build/src/vocal", "vocal"]


def eval_dir_or_skip(arg):
    """Return the eval folder, or print the skip message and exit 0 when it is absent."""
    path = os.path.abspath(arg) if arg else DEFAULT_EVAL
    if not os.path.isdir(path):
        print(f"skipped: {arg or DEFAULT_EVAL_DISPLAY} not found")
        if not arg:
            print(f"(looked for {path})", file=sys.stderr)
        sys.exit(0)
    return path


def find_vocal(arg):
    """Path of the vocal binary to run, or None. An explicit --vocal is returned as given
    (resolved) even when absent, so that its column shows n/a rather than another binary."""
    if arg:
        return os.path.abspath(arg) if os.sep in arg else (shutil.which(arg) or os.path.abspath(arg))
    env = os.environ.get("VOCAL")
    if env:
        return os.path.abspath(env) if os.sep in env else (shutil.which(env) or env)
    for rel in VOCAL_CANDIDATES:
        p = os.path.join(REPO, rel)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return shutil.which("vocal")


def usable(path):
    return bool(path) and os.path.isfile(path) and os.access(path, os.X_OK)


def command_line():
    return shlex.join([sys.executable] + sys.argv)


def warn(msg):
    print(msg, file=sys.stderr, flush=True)


def fmt(x, nd=3):
    if x is None:
        return "n/a"
    if isinstance(x, float) and x != x:
        return "n/a"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def markdown_table(header, rows, align=""):
    """Markdown table; align is one letter per column, l or r (missing letters: r)."""
    align = align.ljust(len(header), "r")
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---" if c == "l" else "---:" for c in align) + "|"]
    for r in rows:
        out.append("| " + " | ".join(r) + " |")
    return "\n".join(out)


def parse_json_objects(text):
    """Parse stdout that is either one JSON value or one JSON object per line."""
    text = text.strip()
    if not text:
        return []
    try:
        v = json.loads(text)
        return v if isinstance(v, list) else [v]
    except ValueError:
        pass
    return [json.loads(ln) for ln in text.splitlines() if ln.strip()]


def last_json_object(text):
    """The last line (or the whole text) of stdout that parses as a JSON object."""
    try:
        v = json.loads(text)
        if isinstance(v, dict):
            return v
    except ValueError:
        pass
    for ln in reversed(text.splitlines()):
        ln = ln.strip()
        if ln.startswith("{"):
            try:
                v = json.loads(ln)
                if isinstance(v, dict):
                    return v
            except ValueError:
                continue
    return None
