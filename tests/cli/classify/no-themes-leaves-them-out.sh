. ../themes/setup.inc
printf 'The waiter was rude\n' | vocal classify --no-themes
