. ../themes/setup.inc
vocal eval --task themes "$T/test.jsonl" | head -3
