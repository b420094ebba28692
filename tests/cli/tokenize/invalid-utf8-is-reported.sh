vocal tokenize "$DATA/bad-utf8.txt" >/dev/null
