# a full disk must not pass silently: /dev/full makes every write fail
[ -w /dev/full ] || { echo "no /dev/full" >&2; exit 77; }
vocal tokenize -e "hello" > /dev/full
