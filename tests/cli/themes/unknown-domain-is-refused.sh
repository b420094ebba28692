. ./setup.inc
vocal themes list --domain atlantis
