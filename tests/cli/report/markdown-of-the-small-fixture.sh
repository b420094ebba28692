# The whole Markdown report of the hand-made fixture (figures: test_report.c).
vocal report -f md "$SRC/tests/data/report/small.jsonl"
