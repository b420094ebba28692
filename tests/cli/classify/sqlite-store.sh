# --db FILE: the store of docs/format/store.md. Two runs append under their
# own run ids; records, rejects and run counts are what the JSONL says. R3
# has no comment: kept with sentiment '' (store.md); R4 is a ragged row.
command -v sqlite3 >/dev/null || { echo "sqlite3 shell not installed (scripts/deps.sh --test)" >&2; exit 77; }
t=$TMPDIR_CASE
cd "$t"
printf 'id,date,nps,region,text\nR1,2026-10-03,3,North,Parcel arrived late\nR2,2026-10-04,,South,Lovely staff\nR3,2026-10-05,8,East,\nR4,2026-10-06,9,West,ok,extra\n' > a.csv
vocal classify --no-theme-model --no-model -q a.csv --db s.db --keep region
printf 'great app\nterrible app\n' > b.txt
vocal classify --no-theme-model --no-model -q b.txt --db s.db -j2
sqlite3 s.db <<'SQL'
.mode list
PRAGMA user_version;
PRAGMA journal_mode;
PRAGMA integrity_check;
SELECT run_id, status, records_read, records_tagged, records_rejected, finished_at IS NOT NULL, command LIKE 'vocal classify --no-theme-model%' FROM runs;
SELECT run_id, seq, source, line, id, date, nps, fields, text, sentiment, round(score, 4), round(confidence, 4), round(lexicon, 4) FROM records ORDER BY run_id, seq;
SELECT * FROM rejects;
SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name;
SQL
# a file that is not a vocal store is refused
printf 'not a database at all, just text' > junk.db
vocal classify --no-theme-model --no-model -q b.txt --db junk.db > /dev/null 2> err || echo "junk.db refused with exit $?"
