# Exit 1 when nothing could be read: every row is rejected (ragged rows).
printf 'id,text\n1,a,b\n2\n' > "$TMPDIR_CASE/a.csv"
vocal classify --no-theme-model -q "$TMPDIR_CASE/a.csv"
