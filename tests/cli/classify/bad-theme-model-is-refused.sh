. ../themes/setup.inc
printf 'not a model' > "$TMPDIR_CASE/x.model"
printf 'hi\n' | vocal classify --no-theme-model --theme-model "$TMPDIR_CASE/x.model"
