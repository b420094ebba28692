vocal tokenize --lang klingon -e "hi"
