# A theme model the user trained on their own theme ids reports them beside
# the taxonomy rules, under their own ids (docs/themes.md "models"): only the
# shipped model's hits are limited to the loaded taxonomy and packs.
. ../themes/setup.inc
t=$TMPDIR_CASE
for i in 1 2 3 4 5 6; do
    printf '{"text":"the parking lot was full again %s","themes":["parking"]}\n' "$i"
    printf '{"text":"could not find a parking space anywhere %s","themes":["parking"]}\n' "$i"
    printf '{"text":"the waiter was rude to us %s","themes":["staff.rude"]}\n' "$i"
    printf '{"text":"lovely view from the terrace %s","themes":[]}\n' "$i"
done > "$t/own.jsonl"
vocal train -q --task themes "$t/own.jsonl" -o "$t/own.model"
printf 'The parking was full again\nThe waiter was rude\n' |
    vocal classify -q -j1 --no-model --theme-model "$t/own.model" - |
    python3 -c 'import json,sys
for l in sys.stdin:
    d = json.loads(l)
    print(d["line"], " ".join(sorted("%s:%s:%s" % (h["id"], h["label"], h["source"]) for h in d["themes"])))'
