vocal classify --format xml /dev/null
