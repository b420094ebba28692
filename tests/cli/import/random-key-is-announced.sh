# without a key the pseudonyms use a per-run random key, and the run says so
cd "$SRC/tests/data/import" && VOCAL_AUTHOR_KEY= vocal import comments.json >/dev/null
