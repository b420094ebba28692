# A file named .agg that is not an aggregate, and one from a newer vocal.
cd "$TMPDIR_CASE"
echo '{"records": 3}' > other.agg
vocal report -f md other.agg
echo "exit $?"
vocal aggregate -o part.agg "$SRC/tests/data/report/small.jsonl"
sed -i '1s/^#vocal-aggregate 1 /#vocal-aggregate 7 /' part.agg
vocal report -f md part.agg
echo "exit $?"
printf '#vocal-aggregate 1 crc32c=00000000 bytes=3\n{}\n' > empty.agg
vocal report -f md empty.agg
echo "exit $?"
