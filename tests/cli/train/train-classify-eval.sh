t=$TMPDIR_CASE
vocal train "$DATA/nb/shard-a.tsv" "$DATA/nb/shard-b.tsv" -o "$t/m.model"
printf 'I was charged twice\nmy parcel never arrived\n' | vocal classify -m "$t/m.model" --top 1 |
    python3 -c 'import json,sys
for l in sys.stdin:
    d = json.loads(l); assert abs(sum(d["probs"].values()) - 1) < 1e-6; print(d["line"], d["label"], len(d["top"]))'
vocal eval "$DATA/nb/test.tsv" --model "$t/m.model" --json | python3 -c 'import json,sys
d = json.loads(sys.stdin.read()); print(d["records"], d["unknown_label"], round(d["accuracy"], 3))'
