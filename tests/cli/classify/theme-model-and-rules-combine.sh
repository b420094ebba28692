. ../themes/setup.inc
t=$TMPDIR_CASE
vocal train --task themes "$T/train.jsonl" -o "$t/th.model" 2>/dev/null
printf 'Tasty food but the waiter was rude\nThe courier was late by two days\n' |
    vocal classify --no-theme-model --no-model --theme-model "$t/th.model" |
    python3 -c 'import json,sys
for l in sys.stdin:
    d = json.loads(l)
    print(d["line"], " ".join("%s:%s:%s" % (h["id"], h["polarity"], h["source"]) for h in d["themes"]), d["root_causes"])'
