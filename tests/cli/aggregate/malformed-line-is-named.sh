# A line that is not a tagged record is named with its file and line,
# counted, and the other records are still aggregated.
set -e
T="$TMPDIR_CASE"
head -n 2 "$SRC/tests/data/report/small.jsonl" > "$T/bad.jsonl"
echo '{"text": "no closing brace"' >> "$T/bad.jsonl"
echo '' >> "$T/bad.jsonl"
sed -n 3p "$SRC/tests/data/report/small.jsonl" >> "$T/bad.jsonl"
cd "$T"
vocal aggregate -o bad.agg bad.jsonl
vocal report -q -f csv --table summary bad.agg | head -3
