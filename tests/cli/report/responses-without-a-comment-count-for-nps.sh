# Survey rows without a comment are kept (records.md): they count for NPS,
# and the sentiment and theme shares are over the rows with a comment.
# Through JSONL and through the SQLite store, the same figures.
set -e
cd "$TMPDIR_CASE"
printf 'id,date,nps,comment\n' > survey.csv
printf '1,2026-10-01,10,The delivery was fast and the staff were lovely\n' >> survey.csv
printf '2,2026-10-02,0,The parcel arrived late and support never answered\n' >> survey.csv
printf '3,2026-10-03,10,\n' >> survey.csv
printf '4,2026-10-04,9,"   "\n' >> survey.csv
vocal classify --no-theme-model --text-column comment -o out.jsonl survey.csv 2> classify.err
sed 's/^vocal: //' classify.err
python3 -c '
import json
for line in open("out.jsonl"):
    r = json.loads(line)
    print(r["id"], r["nps"], repr(r["text"][:12]), r.get("sentiment", {}).get("label", "(no sentiment)"), len(r["themes"]))
'
summary() {
    python3 -c '
import json, sys
rows = dict(json.load(sys.stdin)["tables"]["summary"]["rows"])
for k in ("records", "comments", "nps_responses", "nps", "negative_pct", "positive_pct"):
    print(k, rows[k])
'
}
vocal report -q -f json out.jsonl | summary
vocal classify -q --no-theme-model --text-column comment --db store.db survey.csv
vocal report -q -f json --db store.db | summary
