cd "$SRC/tests/data/import" && vocal import -q --from mastodon tweets.js
