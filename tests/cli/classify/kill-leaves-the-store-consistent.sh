# THE KILL TEST (issue 6): a --db run killed with SIGKILL mid-run leaves the
# store consistent: integrity_check ok, the run still 'running', every
# committed record intact (seq contiguous, counts equal to what was
# committed, texts equal to the input lines). The next run marks it
# 'interrupted' and completes.
#
# The input comes through a pipe that stays open after 10,000 lines, so the
# kill lands at a known point: 9 batches of 1,024 are written, a commit
# follows each 4,096 records (store.c STORE_TXN_RECORDS), so 8,192 are
# committed and 1,024 sit in an open transaction, which must vanish; the
# last 784 lines wait in the reader for a batch to fill.
command -v sqlite3 >/dev/null || { echo "sqlite3 shell not installed (scripts/deps.sh --test)" >&2; exit 77; }
t=$TMPDIR_CASE
cd "$t"
python3 -c 'import sys
for i in range(10000): sys.stdout.write("record %d was %s\n" % (i, "great" if i % 3 else "awful"))' > lines.txt
mkfifo pipe
# one process that writes the lines and keeps the pipe open, so it can be ended by its pid
python3 -c 'import sys, time
sys.stdout.write(open("lines.txt").read()); sys.stdout.flush(); time.sleep(600)' > pipe &
feeder=$!
( exec $VOCAL_RUNNER "$VOCAL" classify -q --db k.db -j2 - < pipe ) &
pid=$!
committed=0
for _ in $(seq 1200); do
    committed=$(sqlite3 k.db 'SELECT count(*) FROM records' 2>/dev/null || echo 0)
    [ "${committed:-0}" -ge 8192 ] && break
    sleep 0.1
done
kill -KILL $pid
wait $pid 2>/dev/null
kill $feeder 2>/dev/null
wait $feeder 2>/dev/null
echo "committed before the kill: $committed"
sqlite3 k.db <<'SQL'
.mode list
PRAGMA integrity_check;
SELECT run_id, status, records_tagged, finished_at IS NULL FROM runs;
SELECT count(*), min(seq), max(seq), count(*) = max(seq) + 1 FROM records;
SELECT line, text FROM records WHERE seq IN (0, 8191);
SQL
# every committed text equals its input line
sqlite3 k.db 'SELECT text FROM records ORDER BY seq' | cmp - <(head -n 8192 lines.txt) && echo "texts intact"
# the next run marks the killed one interrupted and completes
printf 'one more\n' > more.txt
vocal classify --no-theme-model --db k.db more.txt 2>&1 | sed 's/ -> .*//'
sqlite3 k.db 'SELECT run_id, status, records_tagged FROM runs; PRAGMA integrity_check;'
