# UTF-16 exports ("Unicode text" from spreadsheets): found by the byte
# order mark without --encoding, little- or big-endian; little-endian when
# --encoding utf-16 is given and there is no mark.
t=$TMPDIR_CASE
printf 'text\tnps\nCaf\xc3\xa9 was great\t9\nslow and rude\t2\n' > "$t/u8.tsv"
iconv -f UTF-8 -t UTF-16 < "$t/u8.tsv" > "$t/bom.csv"    # glibc writes a BOM (LE here)
iconv -f UTF-8 -t UTF-16BE < "$t/u8.tsv" > "$t/be.csv"
{ printf '\xfe\xff'; cat "$t/be.csv"; } > "$t/be-bom.csv"
iconv -f UTF-8 -t UTF-16LE < "$t/u8.tsv" > "$t/le.csv"
for run in "bom.csv" "be-bom.csv" "le.csv --encoding utf-16" "be.csv --encoding utf-16be"; do
    set -- $run
    f=$1; shift
    echo "== $run"
    vocal classify --no-theme-model -q "$t/$f" "$@" | python3 -c 'import json,sys
for l in sys.stdin:
    d = json.loads(l); print(d["line"], d["nps"], d["text"], d["sentiment"]["label"], sep="|")'
done
