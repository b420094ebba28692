. ./setup.inc
vocal themes list --themes "$T/bad.themes"
