cd "$SRC/tests/data/import" && vocal import -q n_truncated_tweets.js
