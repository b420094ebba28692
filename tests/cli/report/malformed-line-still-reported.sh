# A malformed line is named (file:line), counted, and the rest reported.
set -e
cd "$TMPDIR_CASE"
sed '5s/.*/{"text": "oops", "sentiment": {"label": "negative"}, "nps": "ten"}/' \
    "$SRC/tests/data/report/small.jsonl" > records.jsonl
vocal report -o report.md records.jsonl
grep -c '^| ' report.md > /dev/null && head -n 3 report.md
