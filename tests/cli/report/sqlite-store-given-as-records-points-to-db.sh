# A store from `vocal classify --db` given where JSONL records go: refused
# with the option that reads it, not one JSON error per page of the file.
set -e
cd "$TMPDIR_CASE"
vocal classify -q --no-model --no-theme-model --db store.db "$SRC/tests/data/report/small.jsonl" > /dev/null
vocal report -o out.html store.db
