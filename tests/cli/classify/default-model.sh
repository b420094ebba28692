# With no --model, classify uses the default model built from corpora/en
# (issue 9): its verdict decides the label and it shows in sentiment.model;
# --no-model leaves the lexicon alone.
out=$(printf 'The parcel never arrived and nobody answers the phone.\nThe staff were lovely and the room was spotless.\n' | vocal classify -q -j1 -)
if ! grep -q '"model":{"label":' <<<"$out"; then
    echo "skipped: no default model was built (corpora/en missing?)" >&2
    exit 77
fi
grep -o '"sentiment":{"label":"[a-z]*"' <<<"$out"
grep -o '"probs":{[^}]*}' <<<"$out" | sed 's/"probs"://' | grep -o '"[a-z]*":' | tr '\n' ' '
echo
printf 'The staff were lovely.\n' | vocal classify -q --no-model - | { grep -c '"model"' || true; }
