cd "$SRC/tests/data/import" || exit 1
vocal import --from myspace tweets.js
echo "exit $?"
vocal import --from html reviews.html
echo "exit $?"
vocal import -q reviews.html
echo "exit $?"
