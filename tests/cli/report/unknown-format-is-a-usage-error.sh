vocal report -f pdf "$SRC/tests/data/report/small.jsonl"
