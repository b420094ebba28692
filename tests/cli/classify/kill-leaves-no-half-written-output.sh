# -o FILE is written to a temporary file beside it and renamed at the end:
# a run killed midway leaves no FILE (at most FILE.tmp-XXXXXX); a run that
# finishes leaves FILE and no temporary.
t=$TMPDIR_CASE
cd "$t"
python3 -c 'import sys
for i in range(5000): sys.stdout.write("line %d is fine\n" % i)' > lines.txt
mkfifo pipe
# one process that writes the lines and keeps the pipe open, so it can be ended by its pid
python3 -c 'import sys, time
sys.stdout.write(open("lines.txt").read()); sys.stdout.flush(); time.sleep(600)' > pipe &
feeder=$!
( exec $VOCAL_RUNNER "$VOCAL" classify -q -o out.jsonl - < pipe ) &
pid=$!
for _ in $(seq 1200); do
    ls out.jsonl.tmp-* >/dev/null 2>&1 && break
    sleep 0.1
done
sleep 1
kill -KILL $pid
wait $pid 2>/dev/null
kill $feeder 2>/dev/null
wait $feeder 2>/dev/null
[ -e out.jsonl ] && echo "out.jsonl exists after the kill" || echo "no out.jsonl after the kill"
rm -f out.jsonl.tmp-*
vocal classify --no-theme-model -q -o out.jsonl lines.txt
wc -l < out.jsonl
ls out.jsonl*
