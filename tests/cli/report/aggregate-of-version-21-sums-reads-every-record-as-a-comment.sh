# An aggregate written before responses without a comment were kept has 21
# sums per cell (docs/report.md): it still loads, every record counting as
# a comment, and saves again with 22.
set -e
cd "$TMPDIR_CASE"
old="$SRC/tests/fuzz/corpus/agg/small.agg"
grep -o '"fields":[0-9]*' "$old"
vocal report -q -f json "$old" | python3 -c '
import json, sys
rows = dict(json.load(sys.stdin)["tables"]["summary"]["rows"])
print("records", rows["records"], "comments", rows["comments"], "negative_pct", rows["negative_pct"])
'
vocal aggregate -o new.agg "$old" 2> /dev/null
grep -o '"fields":[0-9]*' new.agg
