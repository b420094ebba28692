# --table writes one CSV table; ISO weeks as periods.
vocal report -f csv --table periods --period week "$SRC/tests/data/report/small.jsonl"
