vocal tokenize --no-stem "$DATA/two-lines.txt" | python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)
    print(d["line"], d["sentences"], " ".join(t["kind"] + ":" + t["norm"] + "".join("+" + f for f in t["flags"]) for t in d["tokens"]))
'
