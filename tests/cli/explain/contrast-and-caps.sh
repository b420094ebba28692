# the rules applied, and the sign of each contribution (values follow the lexicon)
vocal explain "The food was great but the waiter was RUDE" | grep -E '^(great|RUDE) ' |
    sed -E 's/ +/ /g; s/ [+-][0-9.]+$//; s/^([A-Za-z]+) ([+-])[0-9.]+ /\1 \2 /'
