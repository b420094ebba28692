grep '^billing' "$DATA/nb/shard-a.tsv" > "$TMPDIR_CASE/one.tsv"
vocal train "$TMPDIR_CASE/one.tsv" -o "$TMPDIR_CASE/m.model"
