vocal aggregate "$SRC/tests/data/report/small.jsonl"
