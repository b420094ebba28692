#!/usr/bin/env bash
# Batch classification throughput (issue 6): `vocal classify` on the largest
# corpus in ../shared/eval (sentiment140_100k: 100,000 tweets, read in
# place) repeated to a target size, at -j1 and -j2, with peak RSS; peak RSS
# again on 10x the input (streamed through a pipe, never stored) to show
# memory is bounded; fastText `predict` (a model trained here with
# `fasttext supervised` on the same corpus) and VADER (bench/peers/vader.js)
# on the same input in the same run; then the ratios.
#
#   BATCH_BYTES=1000000000 bench/batch.sh     # the issue's 1 GB run (default)
#   BATCH_BYTES=200000000 bench/batch.sh      # quicker, while developing
#
# Environment: BATCH_BYTES (input size, default 1 GB); EVAL (default
# ../shared/eval); VADER_BYTES (VADER reads its whole input into one
# JavaScript string, which V8 caps near 512 MB, and scores ~10k lines/s,
# so it runs on the first VADER_BYTES of the same file: default 20 MB);
# SKIP_10X=1 skips the 10x memory run. Files go under build/bench/data.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${BATCH_BYTES:-1000000000}
eval_dir=${EVAL:-../shared/eval}
vader_bytes=${VADER_BYTES:-20000000}
corpus=$eval_dir/sentiment140_100k
[ -f "$corpus/train.tsv" ] || { echo "skipped: $corpus/train.tsv not found"; exit 0; }
command -v /usr/bin/time >/dev/null || { echo "bench/batch.sh needs /usr/bin/time (Debian package time)" >&2; exit 1; }

cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null 2>&1
cmake --build build/bench --target vocal_cli vocal_models -j 2 >/dev/null 2>&1
vocal=build/bench/vocal
out=build/bench/data
mkdir -p "$out"

# the input: the corpus's texts (train, then test), repeated, cut at a line end
texts=$out/s140-texts.txt
cut -f2- "$corpus/train.tsv" "$corpus/test.tsv" > "$texts"
big=$out/batch-$target.txt
if [ ! -s "$big" ] || [ "$(stat -c %s "$big")" -lt $((target - 1000)) ]; then
    : > "$big.tmp"
    while [ "$(stat -c %s "$big.tmp")" -lt "$target" ]; do cat "$texts" >> "$big.tmp"; done
    head -c "$target" "$big.tmp" | sed '$d' > "$big"
    rm -f "$big.tmp"
fi
bytes=$(stat -c %s "$big")
lines=$(wc -l < "$big")
echo "input: $big: $lines records, $(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1e6}') MB (sentiment140_100k texts repeated)"
echo "machine: $(nproc) CPUs online; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"

# run NAME RECORDS BYTES CMD...: time one command (stdout to /dev/null),
# print records/s, MB/s and peak RSS, and remember the rate
declare -A rate
run() {
    local name=$1 n=$2 b=$3
    shift 3
    local log=$out/time-$RANDOM.log
    /usr/bin/time -v "$@" > /dev/null 2> "$log" || { echo "$name failed:"; tail -5 "$log"; return 1; }
    local secs rss
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    rate[$name]=$(awk -v n="$n" -v s="$secs" 'BEGIN{printf "%.0f", n/s}')
    printf '%-44s %9s rec/s %7.1f MB/s  %6.1f s  peak RSS %7.1f MB\n' "$name" "${rate[$name]}" \
        "$(awk -v b="$b" -v s="$secs" 'BEGIN{print b/1e6/s}')" "$secs" "$(awk -v k="$rss" 'BEGIN{print k/1024}')"
    rm -f "$log"
}

echo
echo "== vocal classify (defaults: sentiment from the default model + lexicon, themes from the rules + default theme model; JSONL records.md output to /dev/null)"
run "vocal classify -j1" "$lines" "$bytes" "$vocal" classify -q -j1 "$big"
run "vocal classify -j2" "$lines" "$bytes" "$vocal" classify -q -j2 "$big"
echo
echo "== vocal classify -j1 with less: rule themes only, then lexicon sentiment and rule themes"
run "vocal -j1 --no-theme-model" "$lines" "$bytes" "$vocal" classify -q -j1 --no-theme-model "$big"
run "vocal -j1 --no-model --no-theme-model" "$lines" "$bytes" "$vocal" classify -q -j1 --no-model --no-theme-model "$big"

if [ "${SKIP_10X:-0}" != 1 ]; then
    echo
    echo "== bounded memory: the same command on 1x and 10x the input (10x streamed through a pipe)"
    big10() { for _ in 1 2 3 4 5 6 7 8 9 10; do cat "$big"; done; }
    log=$out/time-10x.log
    big10 | /usr/bin/time -v "$vocal" classify -q -j2 - > /dev/null 2> "$log"
    printf '%-44s peak RSS %7.1f MB (%s records)\n' "vocal classify -j2, 10x input" \
        "$(awk -F': ' '/Maximum resident set size/ {print $2/1024}' "$log")" "$((lines * 10))"
    rm -f "$log"
fi

echo
echo "== fastText 0.9.2 (Debian), predict on the same input, 1 thread"
if command -v fasttext >/dev/null; then
    ft=$out/s140-ft
    if [ ! -s "$ft.bin" ]; then
        sed 's/^\([^\t]*\)\t/__label__\1 /' "$corpus/train.tsv" > "$ft.train"
        fasttext supervised -input "$ft.train" -output "$ft" -epoch 5 -wordNgrams 2 -thread 2 -verbose 0
    fi
    run "fasttext predict (wordNgrams 2)" "$lines" "$bytes" fasttext predict "$ft.bin" "$big"
else
    echo "skipped: fasttext not installed (bench/peers/setup.sh)"
fi

echo
echo "== VADER (npm vader-sentiment, bench/peers/vader.js) on the first $((vader_bytes / 1000000)) MB of the same input"
if command -v node >/dev/null && [ -d bench/peers/node_modules/vader-sentiment ]; then
    slice=$out/batch-slice-$vader_bytes.txt
    head -c "$vader_bytes" "$big" | sed '$d' > "$slice"
    run "VADER (node, whole process)" "$(wc -l < "$slice")" "$(stat -c %s "$slice")" node bench/peers/vader.js "$slice"
else
    echo "skipped: node or bench/peers/node_modules missing (bench/peers/setup.sh)"
fi

echo
echo "== ratios"
ratio() { awk -v a="${rate[$1]:-0}" -v b="${rate[$2]:-0}" 'BEGIN{if (b > 0) printf "%.2fx", a/b; else print "n/a"}'; }
printf '%-44s %s\n' "vocal -j2 / vocal -j1 (scaling)" "$(ratio 'vocal classify -j2' 'vocal classify -j1')"
printf '%-44s %s\n' "vocal -j1 / fastText predict" "$(ratio 'vocal classify -j1' 'fasttext predict (wordNgrams 2)')"
printf '%-44s %s\n' "  --no-theme-model / fastText" "$(ratio 'vocal -j1 --no-theme-model' 'fasttext predict (wordNgrams 2)')"
printf '%-44s %s\n' "  --no-model --no-theme-model / fastText" "$(ratio 'vocal -j1 --no-model --no-theme-model' 'fasttext predict (wordNgrams 2)')"
printf '%-44s %s\n' "vocal -j2 / fastText predict" "$(ratio 'vocal classify -j2' 'fasttext predict (wordNgrams 2)')"
printf '%-44s %s\n' "vocal -j1 / VADER" "$(ratio 'vocal classify -j1' 'VADER (node, whole process)')"
