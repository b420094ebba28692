vocal tokenize --strict -q "$DATA/bad-utf8.txt" >/dev/null
