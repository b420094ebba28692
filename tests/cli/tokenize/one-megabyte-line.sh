python3 -c 'import sys; sys.stdout.write("great service " * 80000 + "\n")' > "$TMPDIR_CASE/big.txt"
vocal tokenize --no-stem "$TMPDIR_CASE/big.txt" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(len(d["tokens"]), d["tokens"][-1]["end"])'
