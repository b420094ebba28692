#!/usr/bin/env bash
# Naive-Bayes training and classification speed, one core (issue 4), beside
# fastText on the same files in the same run. Trains on sentiment140_100k's
# train split (../shared/eval, read in place), then classifies its texts
# repeated to --docs N (default 1,000,000) with `vocal classify` and
# `fasttext predict`, each pinned to one core; prints docs/s, MB/s and the
# ratios, for word unigrams and bigrams (fastText -wordNgrams 2).
#   bench/classify.sh [--eval DIR] [--docs N]
set -euo pipefail
cd "$(dirname "$0")/.."
eval_dir=../shared/eval
docs=1000000
while [ $# -gt 0 ]; do
    case $1 in
    --eval) eval_dir=$2; shift 2 ;;
    --docs) docs=$2; shift 2 ;;
    *) echo "usage: bench/classify.sh [--eval DIR] [--docs N]" >&2; exit 1 ;;
    esac
done
train=$eval_dir/sentiment140_100k/train.tsv
[ -f "$train" ] || { echo "skipped: $train not found"; exit 0; }
command -v fasttext >/dev/null || { echo "skipped: fasttext not installed (apt-get install fasttext)"; exit 0; }
cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/bench --target vocal_cli -j "$(nproc)" >/dev/null
out=build/bench/classify
mkdir -p "$out"
big=$out/docs-$docs.txt
if [ ! -s "$big" ]; then
    # fastText reads lower-cased text split at spaces; give both the same lines
    cut -f2- "$train" | tr '[:upper:]' '[:lower:]' | tr '\t' ' ' > "$out/texts.txt"
    : > "$big"
    while [ "$(wc -l < "$big")" -lt "$docs" ]; do cat "$out/texts.txt" >> "$big"; done
    head -n "$docs" "$big" > "$big.tmp" && mv "$big.tmp" "$big"
fi
awk -F'\t' '{ printf "__label__%s %s\n", $1, tolower($2) }' "$train" |
    awk 'BEGIN{srand(1)} {print rand() "\t" $0}' | sort -k1,1 | cut -f2- > "$out/train.ft"
n=$(wc -l < "$big")
bytes=$(stat -c %s "$big")
echo "train: $train ($(wc -l < "$train") docs); classify: $big ($n docs, $((bytes / 1000000)) MB)"

now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN{printf "%.0f", n/(b-a)}'; }
mbs() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN{printf "%.1f", n/(b-a)/1e6}'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b-a}'; }

printf '\n| n-grams | system | train s | classify docs/s | MB/s | vs fastText |\n|---|---|---:|---:|---:|---:|\n'
for ng in 1 2; do
    t0=$(now); taskset -c 0 build/bench/vocal train -q --ngram "$ng" "$train" -o "$out/v$ng.model" 2>/dev/null; t1=$(now)
    vtrain=$(secs "$t0" "$t1")
    t0=$(now); taskset -c 0 build/bench/vocal classify -q -j1 --no-themes --from lines --model "$out/v$ng.model" "$big" > /dev/null; t1=$(now)
    vrate=$(rate "$n" "$t0" "$t1"); vmb=$(mbs "$bytes" "$t0" "$t1")
    t0=$(now); taskset -c 0 fasttext supervised -input "$out/train.ft" -output "$out/ft$ng" -wordNgrams "$ng" -thread 1 -verbose 0 >/dev/null; t1=$(now)
    ftrain=$(secs "$t0" "$t1")
    t0=$(now); taskset -c 0 fasttext predict "$out/ft$ng.bin" "$big" > /dev/null; t1=$(now)
    frate=$(rate "$n" "$t0" "$t1"); fmb=$(mbs "$bytes" "$t0" "$t1")
    ratio=$(awk -v a="$vrate" -v b="$frate" 'BEGIN{printf "%.1f", a/b}')
    tratio=$(awk -v a="$ftrain" -v b="$vtrain" 'BEGIN{printf "%.1f", a/b}')
    printf '| %s | vocal | %s | %s | %s | %s× faster (training %s× faster) |\n' "$ng" "$vtrain" "$vrate" "$vmb" "$ratio" "$tratio"
    printf '| %s | fastText (-thread 1, 5 epochs) | %s | %s | %s | 1 |\n' "$ng" "$ftrain" "$frate" "$fmb"
done
echo
echo "whole processes pinned to one core (taskset -c 0): model load and output included;"
echo "vocal classify -j1 --no-themes writes records.md JSONL (the text, the lexicon score, the label and class probabilities); fastText predict one label per line."
