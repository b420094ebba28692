# A theme corpus record with "themes": [] is a record with no theme (the
# negatives one-vs-rest models need), not an unlabelled record.
t=$TMPDIR_CASE
cat > "$t/c.jsonl" <<'J'
{"text":"The parcel arrived a week late","themes":[{"id":"delivery.late","polarity":"negative"}]}
{"text":"ok","themes":[]}
{"text":"n/a","themes":[]}
{"text":"Still waiting for my order","themes":["delivery.late:negative"]}
J
vocal train --task themes "$t/c.jsonl" -o "$t/m.model" 2>&1 | grep -o '[0-9]* records used, [0-9]* rejected'
