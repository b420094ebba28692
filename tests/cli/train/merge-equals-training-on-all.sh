# sharded training: merge(train(A), train(B)) is byte for byte train(A+B)
t=$TMPDIR_CASE
vocal train -q "$DATA/nb/shard-a.tsv" -o "$t/a.model" 2>/dev/null
vocal train -q "$DATA/nb/shard-b.tsv" -o "$t/b.model" 2>/dev/null
vocal model merge "$t/a.model" "$t/b.model" -o "$t/ab.model" 2>/dev/null
vocal train -q "$DATA/nb/shard-a.tsv" "$DATA/nb/shard-b.tsv" -o "$t/all.model" 2>/dev/null
cmp "$t/ab.model" "$t/all.model" && echo identical
