printf 'good day\n' > "$TMPDIR_CASE/a.txt"
vocal classify --no-theme-model "$TMPDIR_CASE/a.txt" "$TMPDIR_CASE/missing.txt" | cut -c1-40
