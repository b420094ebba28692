# csv without --table: one file per table in the directory -o.
set -e
cd "$TMPDIR_CASE"
vocal report -q -o tables -f csv "$SRC/tests/data/report/small.jsonl"
ls tables
head -n 3 tables/drivers.csv
