vocal tokenize "$DATA/bom-nul.txt" | python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
print(d["nul_bytes"], [(t["text"], t["start"]) for t in d["tokens"]])
'
