cd "$TMPDIR_CASE"
printf '{"text":"x","sentiment":{"label":"joyful"}}\n' > one.jsonl
vocal aggregate --strict -o one.agg one.jsonl
