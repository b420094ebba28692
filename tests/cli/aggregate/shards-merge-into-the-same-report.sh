# Three shards of the records, aggregated apart and merged by `vocal report`,
# give byte for byte the report of one run over every record, in every format.
set -e
D="$SRC/tests/data/report"
T="$TMPDIR_CASE"
awk -v T="$T" '{ print > (T "/shard" (NR % 3) ".jsonl") }' "$D/big.jsonl"
for k in 0 1 2; do vocal aggregate -o "$T/part$k.agg" "$T/shard$k.jsonl"; done
for f in html md json; do
    vocal report -q -f $f -o "$T/whole.$f" "$D/big.jsonl"
    vocal report -q -f $f -o "$T/merged.$f" "$T/part2.agg" "$T/part0.agg" "$T/part1.agg"
    cmp "$T/whole.$f" "$T/merged.$f" && echo "$f: same"
done
# an aggregate of aggregates is the same aggregate
vocal aggregate -o "$T/all.agg" "$D/big.jsonl"
vocal aggregate -o "$T/merged.agg" "$T/part1.agg" "$T/part0.agg" "$T/part2.agg"
cmp "$T/all.agg" "$T/merged.agg" && echo "agg: same"
