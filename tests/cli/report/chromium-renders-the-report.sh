# The HTML report in headless Chromium: a screenshot that is not blank, a
# DOM that holds the headline figures, and no console error. Skipped (77)
# when chromium is absent (scripts/deps.sh --test installs it).
command -v chromium >/dev/null || { echo "chromium is not installed (scripts/deps.sh --test)" >&2; exit 77; }
set -e
cd "$TMPDIR_CASE"
export HOME="$TMPDIR_CASE"
vocal report -q -o report.html "$SRC/tests/data/report/big.jsonl"
flags=(--headless=new --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --mute-audio
       --user-data-dir="$TMPDIR_CASE/profile" --window-size=1280,2000)
timeout 120 chromium "${flags[@]}" --enable-logging=stderr --v=0 --screenshot="$TMPDIR_CASE/shot.png" \
    "file://$TMPDIR_CASE/report.html" > chromium.out 2> chromium.err || true
python3 "$SRC/tests/browser/png_check.py" shot.png
timeout 120 chromium "${flags[@]}" --dump-dom "file://$TMPDIR_CASE/report.html" > dom.html 2>/dev/null
grep -o 'id="kpi-nps">[^<]*' dom.html
grep -o 'id="kpi-records">[^<]*' dom.html
grep -o '<svg' dom.html | wc -l
grep -q 'Late delivery' dom.html && echo "top theme: Late delivery"
if grep -E 'Uncaught|ERROR:CONSOLE|CONSOLE\([0-9]+\)' chromium.err; then echo "console errors"; exit 1; fi
echo "no console errors"
