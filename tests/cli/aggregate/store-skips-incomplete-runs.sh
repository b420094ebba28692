# The SQLite store: complete runs only, and stderr says which runs were
# skipped; --run picks a run and refuses one that is not complete.
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed (scripts/deps.sh --test)" >&2; exit 77; }
set -e
cd "$TMPDIR_CASE"
sqlite3 store.db < "$SRC/tests/data/report/store.sql"
vocal aggregate --db store.db -o all.agg
vocal report -q -f csv --table sentiment all.agg
vocal aggregate --db store.db --run 1 -o one.agg 2>/dev/null
cmp all.agg one.agg && echo "run 1 = the complete runs"
! vocal aggregate --db store.db --run 2 -o two.agg
vocal report -q --db store.db -f csv --table verbatims 2>/dev/null | cut -d, -f1,3,5,9 | sed "s/\"Fast delivery$/Fast delivery.../"
