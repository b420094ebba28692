# --rejects FILE: one JSON object per rejected record, with source, line,
# byte, reason and the raw record when the reader still holds it (a JSONL
# line, a CSV row with its quoted line ends).
t=$TMPDIR_CASE
printf '{"text":"hello there"}\n{oops\n\n{"text":"fine again"}\n' > "$t/a.jsonl"
printf 'id,text\n1\n2,ok\n3,"two\nlines",extra\n' > "$t/b.csv"
vocal classify --no-theme-model "$t/a.jsonl" "$t/b.csv" --rejects "$t/rej.jsonl" > /dev/null 2> /dev/null
sed "s#$t/##g" "$t/rej.jsonl"
