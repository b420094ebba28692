vocal --help | grep -c tokenize
