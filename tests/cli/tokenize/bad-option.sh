vocal tokenize --frobnicate
