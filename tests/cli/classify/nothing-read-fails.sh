printf 'id,text\n1,\n2, \n' > "$TMPDIR_CASE/a.csv"
vocal classify --no-theme-model -q "$TMPDIR_CASE/a.csv"
