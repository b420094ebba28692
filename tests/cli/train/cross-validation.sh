vocal eval --folds 4 --json "$DATA/nb/shard-a.tsv" "$DATA/nb/shard-b.tsv" | python3 -c 'import json,sys
d = json.loads(sys.stdin.read()); print(d["evaluation"], d["records"], sorted(d["classes"]))'
