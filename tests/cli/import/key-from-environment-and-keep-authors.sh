cd "$SRC/tests/data/import" || exit 1
a=$(VOCAL_AUTHOR_KEY=k1 vocal import -q comments.json 2>/dev/null)
b=$(vocal import -q --author-key k1 comments.json 2>/dev/null)
c=$(vocal import -q --author-key k2 comments.json 2>/dev/null)
[ "$a" = "$b" ] && echo "same key, same pseudonym"
[ "$a" != "$c" ] && echo "other key, other pseudonym"
vocal import -q --keep-authors comments.json 2>/dev/null | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["author"])'
