# @united is a handle, not the word "united" (PEERS.md: VADER scores it +1.8)
vocal score "@united" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["compound"])'
