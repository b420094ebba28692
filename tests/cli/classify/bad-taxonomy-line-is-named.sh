. ../themes/setup.inc
printf 'hi\n' | vocal classify --themes "$T/bad.themes"
