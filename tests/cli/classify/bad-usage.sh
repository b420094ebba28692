vocal classify --no-theme-model --format xml /dev/null
