vocal tokenize "$DATA/two-lines.txt" /nonexistent/file.txt >/dev/null
