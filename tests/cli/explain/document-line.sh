vocal explain "not bad" | grep -c '^document: sum +'
vocal explain "never again" | grep -o -- '-> negative'
