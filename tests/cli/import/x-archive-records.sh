# X archive: prefix stripped, t.co expanded, &amp; decoded, the retweet left
# out and the repeated tweet dropped as a duplicate (docs/import.md)
cd "$SRC/tests/data/import" && vocal import --author-key test-key tweets.js
