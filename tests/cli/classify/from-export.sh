# classify --from FORMAT reads social and review exports through the importer
# (vocal import) without an intermediate file: id, date and channel fill the
# roles, the post's address goes to fields.url, and the bad file is named.
I=$SRC/tests/data/import
vocal classify --no-theme-model -q -j1 --no-model --no-theme-model --from mastodon "$I/outbox.json" | python3 -c 'import json,sys
for l in sys.stdin:
    d = json.loads(l)
    print(d["line"], d["date"], d["channel"], "url" in d["fields"], d["sentiment"]["label"], [t["id"] for t in d["themes"]])'
vocal classify --no-theme-model -q -j2 --no-model --no-theme-model --from twitter "$I/tweets.js" | wc -l
err=$(vocal classify --no-theme-model -q --no-model --no-theme-model --from twitter "$I/n_truncated_tweets.js" 2>&1 >/dev/null)
echo "exit $?"
sed "s|$I/||" <<<"$err"
