vocal train -q --strict "$DATA/nb/bad.tsv" "$DATA/nb/shard-a.tsv" -o "$TMPDIR_CASE/m.model" 2>/dev/null
