# .zip and .tar.gz exports built here from the fixtures, read without
# unpacking; -o writes the records to a file
command -v zip >/dev/null && command -v tar >/dev/null && command -v gzip >/dev/null || { echo "zip, tar or gzip missing" >&2; exit 77; }
d="$TMPDIR_CASE"
mkdir -p "$d/x/data" "$d/m"
cp "$SRC/tests/data/import/tweets.js" "$d/x/data/"
cp "$SRC/tests/data/import/outbox.json" "$d/m/"
echo 'window.YTD.manifest = {}' > "$d/x/data/manifest.js"
(cd "$d/x" && zip -qr ../export.zip data) || exit 1
tar czf "$d/export.tar.gz" -C "$d/m" outbox.json || exit 1
cd "$d" && vocal import -q --author-key k -o out.jsonl export.zip export.tar.gz || exit 1
python3 - out.jsonl <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
for r in recs:
    print(r["source"], r["format"], r["id"] if r["format"] == "twitter" else r["id"].split("/")[-1])
PY
# a lone gzipped export file is read as itself
gzip -c "$SRC/tests/data/import/feed.atom" > feed.atom.gz && vocal import -q --author-key k feed.atom.gz | wc -l
