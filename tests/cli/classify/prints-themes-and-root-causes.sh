. ../themes/setup.inc
printf 'The food was great but the waiter was rude\nParcel arrived late\nNothing to report\n' | vocal classify --no-theme-model --no-model
