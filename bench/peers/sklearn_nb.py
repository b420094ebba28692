#!/usr/bin/python3
"""scikit-learn baselines for vocal: MultinomialNB, ComplementNB, LogisticRegression(max_iter=1000)
on CountVectorizer(ngram_range=(1, 2)) counts (default tokenization, lowercase).

usage: /usr/bin/python3 sklearn_nb.py TRAIN.tsv DEV.tsv [--predict-file BIG.txt] [--header]

Prints one TSV line per model: model<TAB>accuracy<TAB>macro_f1<TAB>train_s<TAB>predict_docs_per_s
  train_s            = vectorizer fit on TRAIN (shared, counted in every model) + model fit
  predict_docs_per_s = DEV docs / (vectorizer transform + predict) on DEV, in-process;
                       with --predict-file, over the plain lines of BIG.txt instead.
macro_f1 is averaged over the union of gold and predicted labels (scikit-learn's default).
BLAS/OpenMP are pinned to one thread (override with OMP_NUM_THREADS etc.) to measure one core.
"""
import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

sys.dont_write_bytecode = True  # keep bench/peers free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from metrics import accuracy, macro_f1, read_lines, read_tsv  # noqa: E402

try:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import ComplementNB, MultinomialNB
except ImportError:
    sys.exit("sklearn_nb.py: scikit-learn missing: run with Debian's /usr/bin/python3 "
             "(apt-get install -y python3-sklearn, or bench/peers/setup.sh)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("train")
    ap.add_argument("dev")
    ap.add_argument("--predict-file", help="time predict over the plain lines of this file")
    ap.add_argument("--header", action="store_true", help="print a header line first")
    a = ap.parse_args()

    ytr, xtr = read_tsv(a.train)
    ydev, xdev = read_tsv(a.dev)
    big = read_lines(a.predict_file) if a.predict_file else None

    t0 = time.perf_counter()
    vec = CountVectorizer(ngram_range=(1, 2))
    Xtr = vec.fit_transform(xtr)
    vec_s = time.perf_counter() - t0

    models = [
        ("sklearn_MultinomialNB", MultinomialNB()),
        ("sklearn_ComplementNB", ComplementNB()),
        ("sklearn_LogisticRegression", LogisticRegression(max_iter=1000)),
    ]
    if a.header:
        print("model\taccuracy\tmacro_f1\ttrain_s\tpredict_docs_per_s")
    for name, clf in models:
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            clf.fit(Xtr, ytr)
        train_s = vec_s + time.perf_counter() - t0

        t0 = time.perf_counter()
        pred = clf.predict(vec.transform(xdev))
        dev_s = time.perf_counter() - t0
        pred = [str(p) for p in pred]
        if big is not None:
            t0 = time.perf_counter()
            clf.predict(vec.transform(big))
            rate = len(big) / max(time.perf_counter() - t0, 1e-9)
        else:
            rate = len(xdev) / max(dev_s, 1e-9)
        print(f"{name}\t{accuracy(ydev, pred):.4f}\t{macro_f1(ydev, pred):.4f}\t"
              f"{train_s:.3f}\t{rate:.0f}", flush=True)


if __name__ == "__main__":
    main()
