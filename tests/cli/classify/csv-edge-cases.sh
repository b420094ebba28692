# A table of CSV exports as spreadsheet and survey tools write them: each is
# classified and its records printed as line|id|text (or the rejection); a
# blank text cell is a response without a comment, kept with text "".
t=$TMPDIR_CASE
show() { # file, extra options...
    f=$1; shift
    echo "== $(basename "$f")"
    vocal classify --no-theme-model --no-model -q "$f" --rejects "$t/rej.jsonl" "$@" | python3 -c 'import json,sys
for l in sys.stdin:
    d = json.loads(l); print(d["line"], d.get("id", "-"), repr(d["text"]), sep="|")'
    python3 -c 'import json,sys
for l in open(sys.argv[1]):
    d = json.loads(l); print("rejected", d["line"], d.get("byte"), d["reason"], sep="|")' "$t/rej.jsonl"
}
printf 'id,text\n1,"first line\nsecond line"\n2,after\n' > "$t/quoted-newline.csv"
printf 'id,text\n1,"she said ""great"" twice"\n2,""""\n' > "$t/doubled-quotes.csv"
printf 'id,text\n1,fine\n2,too,many,cells\n3\n4,last\n' > "$t/ragged.csv"
printf '\xef\xbb\xbfid,text\n1,with bom\n' > "$t/bom.csv"
printf 'id,text\r\n1,crlf one\r\n2,"crlf\r\ninside"\r\n' > "$t/crlf.csv"
printf 'id;text;nps\n1;semi, colons;9\n2;"a;b";10\n' > "$t/semicolons.csv"
printf 'id,text,nps\n,empty id,\n2,,5\n3, ,\n4,ok,\n' > "$t/empty-fields.csv"
printf 'id,text\n1,"never closed\n2,lost\n' > "$t/open-quote.csv"
for f in quoted-newline doubled-quotes ragged bom crlf semicolons empty-fields open-quote; do
    show "$t/$f.csv"
done
# a 10 MB cell: over the default 1 MiB record limit it is rejected in
# bounded memory and reading goes on; with a larger limit it is tagged
python3 -c 'import sys
sys.stdout.write("id,text\n1,\"" + "good " * 2000000 + "\"\n2,next\n")' > "$t/big-cell.csv"
show "$t/big-cell.csv"
vocal classify --no-theme-model --no-model -q "$t/big-cell.csv" --max-record-bytes 16M | python3 -c 'import json,sys
for l in sys.stdin:
    d = json.loads(l); print(d["line"], len(d["text"]), d["sentiment"]["label"])'
