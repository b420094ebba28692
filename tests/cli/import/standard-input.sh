# no PATH (or -) reads standard input, detected by content
cd "$SRC/tests/data/import" || exit 1
vocal import -q --author-key k < feed.atom | python3 -c 'import json,sys; [print(json.loads(l)["source"], json.loads(l)["format"]) for l in sys.stdin]'
vocal import -q --author-key k - < reddit_listing.json | wc -l
