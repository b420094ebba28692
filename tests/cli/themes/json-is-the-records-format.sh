. ./setup.inc
vocal themes --json "Tasty meal, rude staff"
