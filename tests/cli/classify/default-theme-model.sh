# With no --theme-model, classify joins the default theme model (trained from
# corpora/en by the build) to the taxonomy rules: a theme both find says
# "both"; --no-theme-model leaves the rules alone; a theme only a domain pack
# declares is not reported unless that pack is loaded.
out=$(printf 'The checkout kept crashing when I tried to pay\n' | vocal classify -q -j1 --no-model -)
if ! grep -q '"source":"both"\|"source":"model"' <<<"$out"; then
    grep -q '"source"' <<<"$out" || { echo "skipped: no default theme model was built" >&2; exit 77; }
fi
grep -o '"id":"digital.crash"[^]]*"source":"[a-z]*"' <<<"$out" | grep -o '"source":"[a-z]*"'
printf 'The checkout kept crashing when I tried to pay\n' | vocal classify -q -j1 --no-model --no-theme-model - |
    grep -o '"id":"digital.crash"[^]]*"source":"[a-z]*"' | grep -o '"source":"[a-z]*"'
# the model knows network.outage (software pack) from the corpus
printf 'Broadband has been down for three days, total outage in our street\n' > "$TMPDIR_CASE/o.txt"
vocal classify -q -j1 --no-model "$TMPDIR_CASE/o.txt" | grep -c '"network\.' || true
vocal classify -q -j1 --no-model --domain software "$TMPDIR_CASE/o.txt" | grep -o '"id":"network\.[a-z_]*"' | sort -u
