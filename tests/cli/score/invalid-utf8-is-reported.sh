vocal score "$DATA/bad-utf8.txt" >/dev/null
