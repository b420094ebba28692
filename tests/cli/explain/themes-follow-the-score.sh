. ../themes/setup.inc
vocal explain "The food was great but the waiter was rude" | sed -n '/^themes:/,$p'
vocal explain --no-themes "The food was great" | grep -c '^themes:' || true
