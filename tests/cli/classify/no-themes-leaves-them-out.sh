. ../themes/setup.inc
printf 'The waiter was rude\n' | vocal classify --no-model --no-themes
