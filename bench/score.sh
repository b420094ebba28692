#!/usr/bin/env bash
# Lexicon scorer throughput, one core (issue: lexicon sentiment). Scores a
# large file of short posts (sentiment140_100k train texts from
# ../shared/eval, read in place and repeated to --posts N) with
# `vocal score`, and the same file with the npm vader-sentiment and
# sentiment (AFINN) packages; prints posts/s and the ratios.
#   bench/score.sh [--eval DIR] [--posts N]
set -euo pipefail
cd "$(dirname "$0")/.."
eval_dir=../shared/eval
posts=1000000
while [ $# -gt 0 ]; do
    case $1 in
    --eval) eval_dir=$2; shift 2 ;;
    --posts) posts=$2; shift 2 ;;
    *) echo "usage: bench/score.sh [--eval DIR] [--posts N]" >&2; exit 1 ;;
    esac
done
src=$eval_dir/sentiment140_100k/train.tsv
[ -f "$src" ] || { echo "skipped: $src not found"; exit 0; }
cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/bench --target vocal_cli -j "$(nproc)" >/dev/null
out=build/bench/data
mkdir -p "$out"
big=$out/tweets-$posts.txt
if [ ! -s "$big" ]; then
    cut -f2- "$src" > "$out/tweets.txt"
    : > "$big"
    while [ "$(wc -l < "$big")" -lt "$posts" ]; do cat "$out/tweets.txt" >> "$big"; done
    head -n "$posts" "$big" > "$big.tmp" && mv "$big.tmp" "$big"
fi
n=$(wc -l < "$big")
mb=$(awk -v b="$(stat -c %s "$big")" 'BEGIN{printf "%.1f", b/1e6}')
echo "input: $big ($n posts, $mb MB)"
t0=$(date +%s.%N)
taskset -c 0 build/bench/vocal score "$big" > /dev/null
t1=$(date +%s.%N)
vocal_rate=$(awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN{printf "%.0f", n/(b-a)}')
printf 'vocal score (whole process, JSON out)\t%s posts/s\n' "$vocal_rate"
if [ ! -d bench/peers/node_modules ]; then bash bench/peers/setup.sh --no-apt >/dev/null; fi
# the node peers: scoring loop only (after reading input), on a 200k-post slice
head -n 200000 "$big" > "$out/slice.txt"
for peer in vader afinn; do
    line=$(taskset -c 0 node bench/peers/$peer.js --time "$out/slice.txt" 2>&1 >/dev/null | tail -1)
    rate=$(echo "$line" | awk -F'\t' '{printf "%.0f", $4}')
    name=$([ $peer = vader ] && echo "VADER (npm vader-sentiment)" || echo "AFINN (npm sentiment)")
    printf '%s, scoring loop only\t%s posts/s\tvocal is %sx\n' "$name" "$rate" \
        "$(awk -v v="$vocal_rate" -v p="$rate" 'BEGIN{printf "%.1f", v/p}')"
done
