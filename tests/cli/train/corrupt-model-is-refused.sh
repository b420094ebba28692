t=$TMPDIR_CASE
vocal train -q "$DATA/nb/shard-a.tsv" -o "$t/m.model" 2>/dev/null
# flip one byte in the middle, and truncate a copy
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[len(b) // 2] ^= 0x40; open(sys.argv[2], "wb").write(b); open(sys.argv[3], "wb").write(b[:len(b) // 3])' "$t/m.model" "$t/flip.model" "$t/cut.model"
vocal model info "$t/flip.model" >/dev/null 2>"$t/e1"; echo "flipped: exit $?"
vocal model info "$t/cut.model" >/dev/null 2>"$t/e2"; echo "truncated: exit $?"
printf 'hello\n' > "$t/text.model"
vocal model info "$t/text.model" >/dev/null 2>"$t/e3"; echo "foreign: exit $?"
grep -c "byte" "$t/e1" "$t/e2" | sed 's/.*://'
