# One changed byte in an aggregate file: refused by its checksum, exit 1.
set -e
cd "$TMPDIR_CASE"
vocal aggregate -o part.agg "$SRC/tests/data/report/small.jsonl"
python3 -c 'import sys; b = bytearray(open("part.agg","rb").read()); b[len(b)//2] ^= 4; open("part.agg","wb").write(b)'
vocal report -o out.html part.agg
