. ../themes/setup.inc
t=$TMPDIR_CASE
vocal train --task themes "$T/train.jsonl" -o "$t/th.model"
vocal eval --task themes --model "$t/th.model" "$T/test.jsonl"
vocal eval --task themes --rules "$T/test.jsonl"
vocal eval --task themes --rules --model "$t/th.model" "$T/test.jsonl" --json
