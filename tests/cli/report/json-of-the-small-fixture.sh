# The JSON report (docs/format/report-json.md), by month, segment only.
vocal report -f json --by segment --title "Q3 survey" "$SRC/tests/data/report/small.jsonl"
