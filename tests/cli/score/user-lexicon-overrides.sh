before=$(vocal score "cheap and cheerful, a killer deal" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["compound"])')
after=$(vocal score --lexicon "$DATA/domain.tsv" "cheap and cheerful, a killer deal" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["compound"])')
python3 -c "import sys; sys.exit(0 if $after > $before else 1)" && echo "domain lexicon raised the score"
