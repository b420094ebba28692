vocal score --tsv "$DATA/labelled.tsv" | python3 -c '
import json, sys
for row in sys.stdin:
    d = json.loads(row)
    assert -1 <= d["compound"] <= 1
    assert abs(d["pos"] + d["neu"] + d["neg"] - 1) < 1e-3
    print(d["label"])
'
