vocal eval --task themes "$SRC/tests/data/themes/test.jsonl"
