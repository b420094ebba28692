# With --model: a sentiment model (classes positive/negative) decides the
# label and confidence, score = the mean of P(positive) - P(negative) and the
# lexicon compound, which stays in sentiment.lexicon; a model of other classes only adds
# sentiment.model (the tickets model of tests/data/cli/nb).
t=$TMPDIR_CASE
python3 - > "$t/s.tsv" <<'PY'
pos = ["great service", "lovely staff", "fast delivery, thanks", "really happy with it", "excellent support"]
neg = ["slow delivery", "rude staff", "never again", "broken on arrival", "terrible support"]
for i in range(6):
    for p in pos: print("positive\t" + p)
    for n in neg: print("negative\t" + n)
PY
vocal train -q "$t/s.tsv" -o "$t/s.model" 2>/dev/null
printf 'the staff were lovely\nthe delivery was slow\n' | vocal classify --no-theme-model -q -m "$t/s.model" | python3 -c 'import json,sys
for l in sys.stdin:
    d = json.loads(l); s = d["sentiment"]; m = s["model"]; p = m["probs"]
    assert s["label"] == m["label"] and abs(s["confidence"] - p[m["label"]]) < 1e-3
    assert abs(s["score"] - (p["positive"] - p["negative"] + s["lexicon"]) / 2) < 2e-3
    print(d["line"], s["label"], s["score"] > 0, "lexicon" in s)'
vocal train -q "$DATA/nb/shard-a.tsv" "$DATA/nb/shard-b.tsv" -o "$t/topics.model" 2>/dev/null
printf 'I was charged twice and I hate it\n' | vocal classify --no-theme-model -q -m "$t/topics.model" | python3 -c 'import json,sys
d = json.loads(sys.stdin.read()); s = d["sentiment"]
print(s["label"], s["score"] == s["lexicon"], s["model"]["label"])'
