#!/usr/bin/env bash
# The main job on a fresh Debian machine: install dependencies, build vocal,
# and run it on the shipped sample feedback (README: "Try it").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/release -j "$(nproc)" >/dev/null
mkdir -p out
sample=corpora/samples/feedback.txt
build/release/vocal tokenize "$sample" > out/tokens.jsonl
python3 - "$sample" out/tokens.jsonl <<'PY'
import collections, json, sys
rows = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
kinds = collections.Counter(t["kind"] for r in rows for t in r["tokens"])
neg = sum(1 for r in rows for t in r["tokens"] if "negated" in t["flags"])
caps = sum(1 for r in rows for t in r["tokens"] if "caps" in t["flags"])
print(f"vocal tokenized {len(rows)} feedback lines from {sys.argv[1]} into {sum(kinds.values())} tokens")
print("  by kind: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
print(f"  {neg} tokens in a negation scope, {caps} in ALL CAPS")
print(f"  output: {sys.argv[2]} (one JSON object per line)")
PY
