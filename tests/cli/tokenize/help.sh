vocal tokenize --help | head -1
