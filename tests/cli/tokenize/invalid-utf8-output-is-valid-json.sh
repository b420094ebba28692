vocal tokenize -q "$DATA/bad-utf8.txt" | python3 -c '
import json, sys
for row in sys.stdin:
    d = json.loads(row)
    print(d["line"], d["invalid_utf8"], [t["text"] for t in d["tokens"]])
'
