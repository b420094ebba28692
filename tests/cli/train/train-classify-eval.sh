t=$TMPDIR_CASE
vocal train "$DATA/nb/shard-a.tsv" "$DATA/nb/shard-b.tsv" -o "$t/m.model"
printf 'I was charged twice\nmy parcel never arrived\n' | vocal classify --no-theme-model -q -m "$t/m.model" |
    python3 -c 'import json,sys
for l in sys.stdin:
    d = json.loads(l); m = d["sentiment"]["model"]; assert abs(sum(m["probs"].values()) - 1) < 1e-3
    print(d["line"], m["label"], len(d["themes"]))'
vocal eval "$DATA/nb/test.tsv" --model "$t/m.model" --json | python3 -c 'import json,sys
d = json.loads(sys.stdin.read()); print(d["records"], d["unknown_label"], round(d["accuracy"], 3))'
