#!/usr/bin/env bash
# The main job on a fresh Debian machine (README: "Try it"): install the
# dependencies, build vocal (and its default models, trained from corpora/),
# classify the shipped sample survey export, and write the report.
#   out/survey-tagged.jsonl  every response: sentiment, themes, root causes
#   out/report.html          the report (open it in a browser; works offline)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/release -j "$(nproc)" >/dev/null
mkdir -p out
vocal=build/release/vocal
survey=corpora/samples/survey.csv
echo "classifying $survey (corpora/samples/README.md: a fictional retailer's NPS survey, Jan-Jun 2026)"
"$vocal" classify "$survey" --text-column comment --domain retail -q \
    -o out/survey-tagged.jsonl --rejects out/survey-rejects.jsonl
echo "  $(wc -l < out/survey-tagged.jsonl) responses, $(grep -c '"text":"",' out/survey-tagged.jsonl) of them without" \
     "a comment (they count for NPS and CSAT, not for sentiment or themes);" \
     "$(wc -l < out/survey-rejects.jsonl) rejected (out/survey-rejects.jsonl)"
"$vocal" report out/survey-tagged.jsonl --period month --by segment --by touchpoint \
    --title "Northwind Home NPS survey, January to June 2026" -o out/report.html
"$vocal" report out/survey-tagged.jsonl --period month -o out/report.md -q
echo
echo "the top root causes, month by month:"
python3 - out/survey-tagged.jsonl <<'PY'
import collections, json, sys
by_month = collections.defaultdict(collections.Counter)
n = collections.Counter()
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    m = r.get("date", "")[:7]
    n[m] += 1
    for t in r["root_causes"][:1]:
        by_month[m][t] += 1
for m in sorted(n):
    top = ", ".join(f"{t} {c}" for t, c in by_month[m].most_common(3))
    print(f"  {m}  {n[m]:4} responses   {top}")
PY
echo
echo "report: $(pwd)/out/report.html (also out/report.md); tagged records: out/survey-tagged.jsonl"
