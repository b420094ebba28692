# A Windows-1252 export (semicolons, CRLF, curly quotes, euro sign, an
# undefined byte 0x81): converted as it streams; the record with the
# undefined byte is rejected with the byte's file offset, never mangled.
t=$TMPDIR_CASE
printf 'id;Why?\r\n1;Caf\xe9 tr\xe8s bon, \x8020 well spent\r\n2;bad \x81 byte\r\n3;\x93Rude\x94 staff\r\n' > "$t/w.csv"
vocal classify --no-theme-model --no-model "$t/w.csv" --encoding windows-1252 --text-column 'Why?' | python3 -c 'import json,sys
for l in sys.stdin:
    d = json.loads(l); print(d["line"], d["id"], d["text"], d["sentiment"]["label"], sep="|")'
# read as UTF-8 (the default) the same file is rejected record by record
vocal classify --no-theme-model --no-model -q "$t/w.csv" --text-column 'Why?' --rejects "$t/rej.jsonl" || echo "exit $?"
python3 -c 'import json
for l in open("'"$t"'/rej.jsonl"): d = json.loads(l); print(d["line"], d["reason"], sep="|")'
