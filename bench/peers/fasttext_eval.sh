#!/usr/bin/env bash
# fastText supervised baseline for vocal.
#
# usage: fasttext_eval.sh [--predict-file BIG.txt] [--seed N] TRAIN.tsv DEV.tsv [extra fasttext args]
#   e.g. fasttext_eval.sh train.tsv dev.tsv -wordNgrams 2 -epoch 25
#
# Converts TRAIN/DEV (label<TAB>text) to fastText format in a temp dir (`__label__X text`,
# lower-cased; the training file is shuffled with a fixed seed, default 1, because fastText
# does not shuffle and label-sorted input yields a constant classifier), runs
# `fasttext supervised` (fastText defaults plus the extra args), `fasttext predict` on DEV, and
# prints one TSV line:
#   fasttext[args]<TAB>accuracy<TAB>macro_f1<TAB>train_s<TAB>predict_docs_per_s
# train_s: the whole `fasttext supervised` process. predict_docs_per_s: DEV docs / wall time of
# the whole `fasttext predict` process (model load included); with --predict-file, the plain
# lines of BIG.txt (lower-cased like DEV) are predicted and timed instead.
# Note: fastText trains with several threads by default (-thread 12), so results vary slightly
# between runs; pass `-thread 1` for a deterministic one-core run.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
FASTTEXT=${FASTTEXT:-fasttext}

usage() { sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

predict_file="" seed=1 pos=() extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --predict-file) [ $# -ge 2 ] || usage; predict_file=$2; shift 2 ;;
    --predict-file=*) predict_file=${1#*=}; shift ;;
    --seed) [ $# -ge 2 ] || usage; seed=$2; shift 2 ;;
    -h|--help) usage ;;
    *) if [ ${#pos[@]} -lt 2 ]; then pos+=("$1"); else extra+=("$1"); fi; shift ;;
  esac
done
[ ${#pos[@]} -eq 2 ] || usage
train=${pos[0]} dev=${pos[1]}
for f in "$train" "$dev" ${predict_file:+"$predict_file"}; do
  [ -r "$f" ] || { echo "fasttext_eval.sh: cannot read $f" >&2; exit 1; }
done
command -v "$FASTTEXT" >/dev/null || { echo "fasttext_eval.sh: fasttext not found (apt-get install -y fasttext, or bench/peers/setup.sh)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vocal-fasttext.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }

"$PY" "$here/ftutil.py" train "$train" "$tmp/train.txt" "$seed"
"$PY" "$here/ftutil.py" dev "$dev" "$tmp/dev.txt" "$tmp/gold.txt"

t0=$(now)
"$FASTTEXT" supervised -input "$tmp/train.txt" -output "$tmp/model" ${extra[@]+"${extra[@]}"} >"$tmp/train.log" 2>&1 \
  || { cat "$tmp/train.log" >&2; echo "fasttext_eval.sh: fasttext supervised failed" >&2; exit 1; }
t1=$(now)

t2=$(now)
"$FASTTEXT" predict "$tmp/model.bin" "$tmp/dev.txt" >"$tmp/pred.txt"
t3=$(now)
ndocs=$(wc -l <"$tmp/dev.txt")

if [ -n "$predict_file" ]; then
  "$PY" -c 'import sys; sys.path.insert(0, sys.argv[1]); from ftutil import clean; from metrics import read_lines
with open(sys.argv[3], "w", encoding="utf-8", newline="\n") as f: f.write("".join(clean(t) + "\n" for t in read_lines(sys.argv[2])))' \
    "$here" "$predict_file" "$tmp/big.txt"
  t2=$(now)
  "$FASTTEXT" predict "$tmp/model.bin" "$tmp/big.txt" >/dev/null
  t3=$(now)
  ndocs=$(wc -l <"$tmp/big.txt")
fi

scores=$("$PY" "$here/ftutil.py" score "$tmp/gold.txt" "$tmp/pred.txt")
name="fasttext"
[ ${#extra[@]} -eq 0 ] || name="fasttext[${extra[*]}]"
awk -v name="$name" -v scores="$scores" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v t3="$t3" -v n="$ndocs" \
  'BEGIN { d = t3 - t2; if (d <= 0) d = 1e-9; printf "%s\t%s\t%.3f\t%.0f\n", name, scores, t1 - t0, n / d }'
