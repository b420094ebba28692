# theme models are model files (model.md §9): shards merge exactly
t=$TMPDIR_CASE
D=$SRC/tests/data/themes
head -18 "$D/train.jsonl" > "$t/a.jsonl"
tail -n +19 "$D/train.jsonl" > "$t/b.jsonl"
vocal train --task themes -q "$t/a.jsonl" -o "$t/a.model" 2>/dev/null
vocal train --task themes -q "$t/b.jsonl" -o "$t/b.model" 2>/dev/null
vocal train --task themes -q "$D/train.jsonl" -o "$t/all.model" 2>/dev/null
vocal model merge "$t/a.model" "$t/b.model" -o "$t/ab.model" 2>/dev/null
cmp "$t/ab.model" "$t/all.model" && echo "merge = training on all"
