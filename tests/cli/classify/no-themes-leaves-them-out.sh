. ../themes/setup.inc
printf 'The waiter was rude\n' | vocal classify --no-theme-model --no-model --no-themes
