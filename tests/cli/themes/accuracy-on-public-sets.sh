# Theme accuracy on real labelled data, read in place from ../shared/eval by
# bench/eval_themes.py (docs/themes.md "Measured"): the script must run
# against the current command line and output, a model trained on the
# restaurant train split must beat the SemEval-2014 baseline (63.9 F1), and
# joining the model to the rules must do better than the rules alone on
# both sets (it did not when the model's own themes were dropped).
eval_dir="$SRC/../shared/eval"
if [ ! -d "$eval_dir" ]; then
    echo "skipped: $eval_dir not found (public evaluation data is not shipped)" >&2
    exit 77
fi
python3 "$SRC/bench/eval_themes.py" --eval "$eval_dir" --vocal "$VOCAL" --json "$TMPDIR_CASE/r.json" > /dev/null
python3 - "$TMPDIR_CASE/r.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
rest, air = r["restaurants"], r["airline"]
print(f"restaurants F1 rules {rest['rules']['f1']:.3f} model {rest['model']['f1']:.3f} both {rest['rules + model']['f1']:.3f}; "
      f"airline accuracy rules {air['rules']['accuracy']:.3f} both {air['rules + model']['accuracy']:.3f}", file=sys.stderr)
checks = {
    "model beats the SemEval baseline": rest["model"]["f1"] > 0.639,
    "rules + model beat the rules on restaurants": rest["rules + model"]["f1"] > rest["rules"]["f1"],
    "rules + model beat the rules on airline reasons": air["rules + model"]["accuracy"] > air["rules"]["accuracy"],
}
for name, ok in checks.items():
    print(("ok: " if ok else "FAILED: ") + name)
sys.exit(0 if all(checks.values()) else 1)
PY
