vocal themes --help | head -3
