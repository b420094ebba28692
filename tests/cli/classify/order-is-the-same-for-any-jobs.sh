# Output order is input order whatever the thread count: a few thousand
# generated records (with rejects, warnings and rows without a comment among them) give byte-identical
# JSONL, CSV, rejects and stderr at -j1, -j2 and -j4.
t=$TMPDIR_CASE
python3 - "$t/in.csv" <<'PY'
import random, sys
random.seed(6)
words = "great awful slow fast rude kind late broken love hate okay parcel staff price app refund".split()
with open(sys.argv[1], "w") as f:
    f.write("id,date,nps,text\n")
    for i in range(6000):
        text = " ".join(random.choice(words) for _ in range(random.randint(1, 30)))
        if i % 997 == 0: text = ""                       # kept: a response without a comment
        nps = str(random.randint(0, 10)) if i % 500 else "11"  # a warning
        extra = ",x" if i % 991 == 5 else ""              # rejected: a ragged row
        f.write(f'R{i},2026-10-{i % 28 + 1:02d},{nps},"{text}"{extra}\n')
PY
for j in 1 2 4; do
    vocal classify --no-theme-model "$t/in.csv" -j $j -o "$t/out$j.jsonl" --rejects "$t/rej$j.jsonl" 2> "$t/err$j"
    vocal classify --no-theme-model -q "$t/in.csv" -j $j --format csv -o "$t/out$j.csv"
done
for j in 2 4; do
    cmp "$t/out1.jsonl" "$t/out$j.jsonl" && cmp "$t/out1.csv" "$t/out$j.csv" &&
        cmp "$t/rej1.jsonl" "$t/rej$j.jsonl" && cmp "$t/err1" "$t/err$j" && echo "-j$j identical to -j1"
done
wc -l < "$t/out1.jsonl"
wc -l < "$t/rej1.jsonl"
python3 -c 'import json
ids = [json.loads(l)["id"] for l in open("'"$t"'/out4.jsonl")]
print("in order:", ids == sorted(ids, key=lambda s: int(s[1:])))'
tail -1 "$t/err4"
