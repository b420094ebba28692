printf 'id,text\n1,fine\n2,short,row\n' > "$TMPDIR_CASE/a.csv"
vocal classify --no-theme-model "$TMPDIR_CASE/a.csv" > /dev/null || exit 9
vocal classify --no-theme-model --strict "$TMPDIR_CASE/a.csv" > /dev/null
