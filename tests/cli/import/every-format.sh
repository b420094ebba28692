# One record line per fixture format, authors pseudonymized under a fixed key
cd "$SRC/tests/data/import" || exit 1
for f in your_posts_1.json comments.json posts_1.json post_comments_1.json outbox.json reddit_listing.json \
         reddit_dump.ndjson feed.rss feed.atom appstore.json reviews_reviews_com.example.app_202304.csv; do
    vocal import -q --author-key test-key "$f" || exit 1
done
vocal import -q --author-key test-key --xpath '//div[@class="review"]' reviews.html
