printf 'good\n' | vocal tokenize - | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["tokens"][0]["stem"])'
