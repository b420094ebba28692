# every token's [start, end) must slice its text out of the input line
vocal tokenize "$DATA/two-lines.txt" | python3 -c '
import json, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
n = 0
for row in sys.stdin:
    d = json.loads(row)
    src = lines[d["line"] - 1]
    for t in d["tokens"]:
        assert src[t["start"]:t["end"]].decode() == t["text"], (t, src)
        n += 1
print(n, "tokens sliced")
' "$DATA/two-lines.txt"
