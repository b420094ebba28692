. ./setup.inc
vocal themes list --themes "$T/extra.themes"
