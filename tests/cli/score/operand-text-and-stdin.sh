vocal score "not bad at all" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["label"])'
printf 'terrible service\n' | vocal score - | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["label"])'
