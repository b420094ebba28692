# Accuracy guard on real labelled data, read in place from ../shared/eval:
# the lexicon scorer must stay above VADER's figures on these sets
# (docs/accuracy.md: VADER airline dev macro-F1 0.508, vader_tweets dev r 0.879).
eval_dir="$SRC/../shared/eval"
if [ ! -d "$eval_dir" ]; then
    echo "skipped: $eval_dir not found (public evaluation data is not shipped)" >&2
    exit 77
fi
vocal score -q --tsv "$eval_dir/airline_tweets/dev.tsv" > "$TMPDIR_CASE/airline.jsonl"
vocal score -q --tsv "$eval_dir/vader_tweets/dev.tsv" > "$TMPDIR_CASE/vt.jsonl"
python3 - "$eval_dir" "$TMPDIR_CASE" <<'PY'
import json, math, sys
ev, tmp = sys.argv[1], sys.argv[2]
def gold(path): return [l.rstrip("\n").split("\t", 1)[0] for l in open(path, encoding="utf-8")]
def comp(path): return [json.loads(l)["compound"] for l in open(path)]
g = gold(ev + "/airline_tweets/dev.tsv"); c = comp(tmp + "/airline.jsonl")
assert len(g) == len(c), (len(g), len(c))
p = ["positive" if x >= 0.05 else "negative" if x <= -0.05 else "neutral" for x in c]
f1s = []
for lab in ("positive", "neutral", "negative"):
    tp = sum(1 for a, b in zip(g, p) if a == b == lab)
    fp = sum(1 for a, b in zip(g, p) if b == lab and a != lab)
    fn = sum(1 for a, b in zip(g, p) if a == lab and b != lab)
    pr = tp / (tp + fp) if tp + fp else 0; rc = tp / (tp + fn) if tp + fn else 0
    f1s.append(2 * pr * rc / (pr + rc) if pr + rc else 0)
mf1 = sum(f1s) / 3
y = [float(v) for v in gold(ev + "/vader_tweets/dev.tsv")]; x = comp(tmp + "/vt.jsonl")
mx, my = sum(x) / len(x), sum(y) / len(y)
r = sum((a - mx) * (b - my) for a, b in zip(x, y)) / math.sqrt(sum((a - mx) ** 2 for a in x) * sum((b - my) ** 2 for b in y))
print(f"airline dev macro-F1 {mf1:.3f}, vader_tweets dev r {r:.3f}", file=sys.stderr)
ok = mf1 > 0.508 and r > 0.879
print("above VADER on both" if ok else "BELOW VADER")
sys.exit(0 if ok else 1)
PY
