#!/usr/bin/env bash
# The main job on a fresh Debian machine: install dependencies, build vocal,
# and score the shipped sample feedback (README: "Try it"). Writes
# out/sample-scores.jsonl and prints a short report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/release -j "$(nproc)" >/dev/null
mkdir -p out
sample=corpora/samples/feedback.txt
vocal=build/release/vocal
"$vocal" score "$sample" > out/sample-scores.jsonl
python3 - "$sample" out/sample-scores.jsonl <<'PY'
import collections, json, sys
texts = open(sys.argv[1], encoding="utf-8").read().splitlines()
rows = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
labels = collections.Counter(r["label"] for r in rows)
n = len(rows)
print(f"vocal scored {n} comments from {sys.argv[1]}")
for lab in ("positive", "neutral", "negative"):
    print(f"  {lab:9} {labels[lab]:3}  {100 * labels[lab] / n:5.1f}%")
ranked = sorted(zip(rows, texts), key=lambda p: p[0]["compound"])
print("\nmost negative:")
for r, t in ranked[:3]:
    print(f"  {r['compound']:+.3f}  {t}")
print("most positive:")
for r, t in ranked[::-1][:3]:
    print(f"  {r['compound']:+.3f}  {t}")
print(f"\nscores: {sys.argv[2]} (one JSON object per comment)")
PY
echo
echo "why the most negative one scored as it did:"
worst=$(python3 -c 'import json,sys; rows=[json.loads(l) for l in open("out/sample-scores.jsonl")]; print(min(range(len(rows)), key=lambda i: rows[i]["compound"]) + 1)')
"$vocal" explain "$(sed -n "${worst}p" "$sample")"
