#!/usr/bin/env bash
# Tokenizer benchmark (issue: foundation). Builds a >= 100 MB text from every
# text under ../shared/eval (read in place, repeated), then tokenizes it on one
# core with and without stemming, beside scikit-learn's CountVectorizer
# analyzer (regex tokenizer + lower-casing, the peers' usual front end) on
# the same text, and prints the ratio.
#   bench/tokenize.sh [--eval DIR] [--mb N]
set -euo pipefail
cd "$(dirname "$0")/.."
eval_dir=../shared/eval
mb=100
while [ $# -gt 0 ]; do
    case $1 in
    --eval) eval_dir=$2; shift 2 ;;
    --mb) mb=$2; shift 2 ;;
    *) echo "usage: bench/tokenize.sh [--eval DIR] [--mb N]" >&2; exit 1 ;;
    esac
done
[ -d "$eval_dir" ] || { echo "skipped: $eval_dir not found"; exit 0; }
cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/bench --target bench_tokenize -j "$(nproc)" >/dev/null
out=build/bench/data
mkdir -p "$out"
base=$out/eval-texts.txt
# the text column of every TSV (label<TAB>text), one text per line
find "$eval_dir" -name '*.tsv' -print0 | sort -z | xargs -0 cut -f2- > "$base"
big=$out/eval-texts-${mb}mb.txt
if [ ! -s "$big" ]; then
    : > "$big"
    while [ "$(stat -c %s "$big")" -lt $((mb * 1000000)) ]; do cat "$base" >> "$big"; done
fi
echo "input: $big ($(stat -c %s "$big") bytes; $(wc -l < "$base") distinct lines from $eval_dir, repeated)"
vocal_stem=$(build/bench/bench_tokenize "$big")
vocal_nostem=$(build/bench/bench_tokenize "$big" --no-stem)
echo "$vocal_stem"
echo "$vocal_nostem"
py=/usr/bin/python3
if $py -c 'import sklearn' 2>/dev/null; then
    # the peer on the first 20 MB (it is much slower); MB/s is size-independent
    head -c 20000000 "$big" > "$out/peer.txt"
    peer=$($py - "$out/peer.txt" <<'PY'
import sys, time
from sklearn.feature_extraction.text import CountVectorizer
an = CountVectorizer(lowercase=True).build_analyzer()
data = open(sys.argv[1], encoding="utf-8", errors="replace").read().split("\n")
size = sum(len(l.encode()) + 1 for l in data)
t0 = time.perf_counter(); n = 0
for line in data:
    n += len(an(line))
dt = time.perf_counter() - t0
print(f"{size/1e6/dt:.1f}\t{n/dt/1e6:.2f}")
PY
)
    pmb=${peer%%$'\t'*}
    echo "sklearn CountVectorizer analyzer	$pmb MB/s	${peer##*$'\t'} M tokens/s"
    vmb=$(echo "$vocal_stem" | awk -F'\t' '{print $6}' | awk '{print $1}')
    awk -v v="$vmb" -v p="$pmb" 'BEGIN { printf "ratio vocal (with stemming) / sklearn analyzer: %.1fx\n", v / p }'
else
    echo "peer skipped: /usr/bin/python3 has no sklearn (apt-get install python3-sklearn)"
fi
