# --format csv: the original columns, then sentiment, score, confidence,
# themes, root_causes; RFC 4180 quoting (CRLF rows, quotes doubled, cells
# with the delimiter or a line end quoted). Semicolon input, comma output.
# A row without a comment keeps its columns, with the five added ones empty.
t=$TMPDIR_CASE
printf 'id;text;note\n1;"Great, really ""great"" service";a\n2;"slow\ndelivery";\n3;;empty text\n' > "$t/in.csv"
vocal classify --no-theme-model --no-model -q "$t/in.csv" --format csv -o "$t/out.csv"
cat "$t/out.csv" | tr '\r' '~'
# plain lines: source, line and text come first
printf 'I love it\n' | vocal classify --no-theme-model --no-model -q --format csv | tr '\r' '~'
