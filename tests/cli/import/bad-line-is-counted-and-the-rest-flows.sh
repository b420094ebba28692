cd "$SRC/tests/data/import" && vocal import --author-key k reddit_dump.ndjson | wc -l
