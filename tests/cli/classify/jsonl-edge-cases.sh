# JSONL exports: nested paths, escapes, blank lines, CRLF, and every way a
# line can fail; each failure is a reject with its line and byte. A blank
# text (id g) is a response without a comment, kept; a missing one (d) is not.
t=$TMPDIR_CASE
{
    printf '{"id":"a","answer":{"text":"Lovely staff"},"nps":10}\n'
    printf '\n'
    printf '{"id":"b","answer":{"text":"caf\\u00e9 \\"quoted\\" \\ud83d\\ude00"}}\r\n'
    printf '{"id":"c","answer":{"text":"broken"}\n'
    printf '[1,2]\n'
    printf '{"id":"d"}\n'
    printf '{"id":"e","answer":{"text":42}}\n'
    printf '{"id":"f","answer":{"text":"bad \xff byte"}}\n'
    printf '{"id":"g","answer":{"text":"   "}}\n'
    printf '{"id":7,"answer":{"text":"numeric id"},"nps":"7"}\n'
} > "$t/in.jsonl"
vocal classify --no-theme-model -q "$t/in.jsonl" --text-column answer.text --rejects "$t/rej.jsonl" | python3 -c 'import json,sys
for l in sys.stdin:
    d = json.loads(l); print(d["line"], d["id"], d.get("nps", "-"), d["text"], sep="|")'
python3 -c 'import json
for l in open("'"$t"'/rej.jsonl"):
    d = json.loads(l); print("rejected", d["line"], d["byte"], d["reason"], "raw" in d, sep="|")'
# roles and --keep by JSONL path
printf '{"text":"late again","meta":{"date":"2026-10-03 10:00","nps":2,"region":"North"}}\n' > "$t/n.jsonl"
cd "$t" && vocal classify --no-theme-model -q n.jsonl --date-column meta.date --nps-column meta.nps --keep meta.region | cut -c1-110
