vocal train "$DATA/nb/bad.tsv" "$DATA/nb/shard-a.tsv" -o "$TMPDIR_CASE/m.model"
