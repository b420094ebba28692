# Integration: the real sample exports in ../shared/eval/social_exports, read
# in place (never copied: they are real people's posts). Asserts counts,
# field presence and types only, never content.
ev="$SRC/../shared/eval/social_exports"
if [ ! -d "$ev" ]; then
    echo "skipped: $ev not found (real sample exports are not shipped)" >&2
    exit 77
fi
run() { # name, args...: records to $TMPDIR_CASE/name.jsonl, summary to name.err
    local name=$1; shift
    vocal import -q --author-key test-key "$@" > "$TMPDIR_CASE/$name.jsonl" 2> "$TMPDIR_CASE/$name.err" || {
        cat "$TMPDIR_CASE/$name.err" >&2; exit 1; }
}
run x "$ev/x_twitter_archive/tweets.js"
run x_all --include-reposts "$ev/x_twitter_archive/tweets.js"
run masto "$ev/mastodon_outbox/outbox.json"
run masto_all --include-reposts "$ev/mastodon_outbox/outbox.json"
run fb "$ev/facebook_posts/your_posts_1.HunterHillis.json"
run fb2 "$ev/facebook_posts/your_posts_1.piter-a.json"
run igc "$ev/instagram/post_comments_1.json"
run igp "$ev/instagram/posts_1.json"
run reddit "$ev/reddit_json/reddit_response.json"
python3 - "$TMPDIR_CASE" <<'PY'
import json, re, sys
tmp = sys.argv[1]
def load(name):
    recs = [json.loads(l) for l in open(f"{tmp}/{name}.jsonl", encoding="utf-8")]
    m = re.search(r"(\d+) read, (\d+) imported, (\d+) duplicates, (\d+) reposts left out, (\d+) without text, (\d+) rejected",
                  open(f"{tmp}/{name}.err").read())
    st = dict(zip(["read", "imported", "dup", "reposts", "empty", "rejected"], map(int, m.groups())))
    assert st["imported"] == len(recs), (name, st, len(recs))
    assert st["read"] == st["imported"] + st["dup"] + st["reposts"] + st["empty"] + st["rejected"], (name, st)
    assert st["rejected"] == 0, (name, st)
    iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
    for r in recs:
        assert isinstance(r["text"], str) and (r["text"].strip() or r["is_repost"]), (name, r.get("id"))
        assert isinstance(r["id"], str) and r["id"]
        assert "created_at" not in r or iso.match(r["created_at"]), (name, r["created_at"])
        assert "author" not in r or re.match(r"^u:[0-9a-f]{16}$", r["author"]), name
        if name in ("fb", "fb2", "igc", "igp"):  # Latin-1 read of UTF-8 leaves these
            assert not any(m in r["text"] for m in ("\u00c3", "\u00f0\u009f", "\u00e2\u0080")), (name, "mojibake left")
        # a retweet's text in the archive may be cut short, leaving a t.co link without its entity
        assert "https://t.co/" not in r["text"] or not name.startswith("x") or r["is_repost"], (name, "t.co link")
        assert not re.search(r"&(amp|lt|gt|quot);|<p>|<br", r["text"]), (name, "markup left")
        for k in ("likes", "shares", "replies", "rating"):
            assert k not in r or isinstance(r[k], int)
    return recs, st
x, st = load("x")
assert st["read"] == 1758, st
assert all(r["channel"] == "x" and r["url"].startswith("https://x.com/") for r in x)
assert not any("&amp;" in r["text"] for r in x), "HTML entity left"
xa, sta = load("x_all")
assert sum(r["is_repost"] for r in xa) == st["reposts"] > 0
m, st = load("masto")
assert st["read"] == 1260 + 326 and st["reposts"] == 326 and st["imported"] + st["empty"] == 1260, st
assert not any("<p>" in r["text"] for r in m), "HTML left in a note"
ma, _ = load("masto_all")
assert sum(r["is_repost"] for r in ma) == 326
fb, st = load("fb")
assert st["read"] == 124 and st["imported"] == 59, st
load("fb2")
igc, st = load("igc")
assert st["read"] == 1593, st
igp, st = load("igp")
assert st["read"] == 16, st
rd, st = load("reddit")
assert sum(r["id"].startswith("t3_") for r in rd) == 1
assert sum(r["id"].startswith("t1_") for r in rd) >= 13
assert all(r["created_at"] for r in rd)
assert all("created_at" in r for r in x + m + fb + igc)
print("real exports: counts and fields as documented")
PY
