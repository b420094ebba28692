#!/usr/bin/env bash
# The default models are reproducible: training again from the same corpus
# with the same vocal gives the same bytes as the build's models (issue 9).
#   reproducible.sh VOCAL SOURCE_DIR MODEL_DIR
set -euo pipefail
vocal=$1 src=$2 models=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for m in "$models"/*-sentiment.model; do
    [ -e "$m" ] || continue
    lang=$(basename "$m" -sentiment.model)
    VOCAL_DATA_DIR=$src "$vocal" train -q --lang "$lang" --format jsonl --text-column text \
        --label-column sentiment "$src"/corpora/"$lang"/*.jsonl -o "$tmp/again.model"
    # and in another order: the model must not depend on the order of the files
    files=("$src"/corpora/"$lang"/*.jsonl)
    rev=()
    for ((i = ${#files[@]} - 1; i >= 0; i--)); do rev+=("${files[i]}"); done
    VOCAL_DATA_DIR=$src "$vocal" train -q --lang "$lang" --format jsonl --text-column text \
        --label-column sentiment "${rev[@]}" -o "$tmp/reversed.model"
    cmp "$m" "$tmp/again.model"
    cmp "$m" "$tmp/reversed.model"
    echo "$(basename "$m"): same bytes from the same corpus, in either file order"
    t=$models/$lang-themes.model
    if [ -e "$t" ]; then
        VOCAL_DATA_DIR=$src "$vocal" train -q --task themes --ngram 1 --alpha 0.3 --lang "$lang" \
            --format jsonl --text-column text "${rev[@]}" -o "$tmp/themes.model"
        cmp "$t" "$tmp/themes.model"
        echo "$(basename "$t"): same bytes"
    fi
    n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "no default model in $models"; exit 1; }
