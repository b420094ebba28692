vocal score --lexicon-dir /nonexistent "good"
