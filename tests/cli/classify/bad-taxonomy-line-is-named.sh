. ../themes/setup.inc
printf 'hi\n' | vocal classify --no-theme-model --themes "$T/bad.themes"
