vocal score --lexicon "$DATA/bad-lexicon.tsv" "good"
