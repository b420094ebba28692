#!/usr/bin/python3
"""Helper for fasttext_eval.sh (stdlib only).

  ftutil.py train TRAIN.tsv OUT.txt [SEED]  -> `__label__X text` lines, lower-cased, shuffled
                                               with random.Random(SEED) (default 1)
  ftutil.py dev DEV.tsv TEXT.txt GOLD.txt   -> lower-cased texts (one per line) and gold labels
  ftutil.py score GOLD.txt PRED.txt         -> prints accuracy<TAB>macro_f1
Texts are kept on one line: any CR/LF/VT/FF and Unicode line separators become spaces, since
fastText reads one document per '\\n' line.
"""
import os
import random
import re
import sys

sys.dont_write_bytecode = True  # keep bench/peers free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from metrics import accuracy, macro_f1, read_lines, read_tsv  # noqa: E402

_SEP = re.compile("[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")


def clean(text):
    return _SEP.sub(" ", text).lower()


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "train" and len(argv) in (4, 5):
        labels, texts = read_tsv(argv[2])
        rows = [f"__label__{lab} {clean(t)}" for lab, t in zip(labels, texts)]
        random.Random(int(argv[4]) if len(argv) == 5 else 1).shuffle(rows)
        with open(argv[3], "w", encoding="utf-8", newline="\n") as f:
            f.write("".join(r + "\n" for r in rows))
    elif cmd == "dev" and len(argv) == 5:
        labels, texts = read_tsv(argv[2])
        with open(argv[3], "w", encoding="utf-8", newline="\n") as f:
            f.write("".join(clean(t) + "\n" for t in texts))
        with open(argv[4], "w", encoding="utf-8", newline="\n") as f:
            f.write("".join(lab + "\n" for lab in labels))
    elif cmd == "score" and len(argv) == 4:
        gold = read_lines(argv[2])
        pred = [p.split(" ")[0].removeprefix("__label__") for p in read_lines(argv[3])]
        if len(pred) != len(gold):
            sys.exit(f"ftutil.py: {len(pred)} predictions for {len(gold)} gold labels")
        print(f"{accuracy(gold, pred):.4f}\t{macro_f1(gold, pred):.4f}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
