#!/usr/bin/python3
"""Accuracy and speed tables for vocal's trained classifier against fastText and scikit-learn,
on the public labelled sets in ../shared/eval, read in place.

usage: /usr/bin/python3 bench/eval_nb.py [--eval DIR] [--vocal PATH] [--sets A,B] [--all]
                                         [--json OUT]

Each set is trained on train.tsv and scored on dev.tsv, or on test.tsv where the folder has no
dev split (uci_sentiment_sentences, sentiment140_100k). Systems:
  vocal          `VOCAL train TRAIN.tsv -o TMP.model`, then
                 `VOCAL eval DEV.tsv --model TMP.model --json` (JSON with "accuracy", "macro_f1")
  fastText       bench/peers/fasttext_eval.sh, defaults; and with -wordNgrams 2
  sklearn        bench/peers/sklearn_nb.py: MultinomialNB, ComplementNB, LogisticRegression on
                 1-2-gram counts
Table 1: accuracy and macro-F1. Table 2: training seconds and predict throughput (docs/s).
vocal and fastText times are whole processes (model load included in predict); scikit-learn
times are in-process (vectorizer included). A system that is missing or fails shows n/a.
Exits 0 with "skipped: ..." when the eval folder is absent.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # keep bench/peers free of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers"))
from evalutil import (PEERS, command_line, eval_dir_or_skip, find_vocal, fmt,  # noqa: E402
                      last_json_object, markdown_table, usable, warn)
from metrics import read_lines  # noqa: E402

DEFAULT_SETS = ["sst2", "uci_sentiment_sentences", "airline_tweets", "semeval2014_restaurants",
                "sentiment140_100k"]
# --all adds every other folder with class labels in train.tsv and a dev.tsv or test.tsv
SYSTEMS = ["vocal", "fastText", "fastText -wordNgrams 2", "sklearn MNB", "sklearn CNB", "sklearn LR"]
SK_NAMES = {"sklearn_MultinomialNB": "sklearn MNB", "sklearn_ComplementNB": "sklearn CNB",
            "sklearn_LogisticRegression": "sklearn LR"}
PY = "/usr/bin/python3"
TIMEOUT = 1800


def splits(eval_dir, folder):
    d = os.path.join(eval_dir, folder)
    train = os.path.join(d, "train.tsv")
    for name in ("dev", "test"):
        dev = os.path.join(d, f"{name}.tsv")
        if os.path.isfile(train) and os.path.isfile(dev):
            return train, dev, name
    return None


def float_labels(path):
    """True for the VADER sets, whose labels are mean valences, not classes."""
    for ln in read_lines(path)[:20]:
        try:
            float(ln.split("\t", 1)[0])
            return True
        except ValueError:
            return False
    return False


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, **kw)


def run_vocal(vocal, train, dev, ndev):
    if not vocal:
        return {"error": "vocal binary not found (build it or pass --vocal)"}
    if not usable(vocal):
        return {"error": f"{vocal} not found or not executable"}
    with tempfile.TemporaryDirectory(prefix="vocal-eval-") as tmp:
        model = os.path.join(tmp, "model")
        t0 = time.perf_counter()
        p = run([vocal, "train", train, "-o", model])
        train_s = time.perf_counter() - t0
        if p.returncode != 0:
            return {"error": f"vocal train exited {p.returncode}: {p.stderr.strip()[:300]}"}
        t0 = time.perf_counter()
        p = run([vocal, "eval", dev, "--model", model, "--json"])
        eval_s = time.perf_counter() - t0
        if p.returncode != 0:
            return {"error": f"vocal eval exited {p.returncode}: {p.stderr.strip()[:300]}"}
    obj = last_json_object(p.stdout)
    try:
        acc, f1 = float(obj["accuracy"]), float(obj["macro_f1"])
    except (TypeError, KeyError, ValueError):
        return {"error": f"vocal eval --json printed no object with accuracy and macro_f1: "
                         f"{p.stdout.strip()[:200]!r}"}
    return {"accuracy": acc, "macro_f1": f1, "train_s": train_s,
            "predict_docs_per_s": ndev / eval_s if eval_s > 0 else None}


def parse_tsv_line(line):
    f = line.split("\t")
    return f[0], {"accuracy": float(f[1]), "macro_f1": float(f[2]), "train_s": float(f[3]),
                  "predict_docs_per_s": float(f[4])}


def run_fasttext(train, dev, extra):
    p = run(["bash", os.path.join(PEERS, "fasttext_eval.sh"), train, dev] + extra)
    if p.returncode != 0:
        return {"error": f"fasttext_eval.sh exited {p.returncode}: {p.stderr.strip()[-300:]}"}
    try:
        return parse_tsv_line(p.stdout.strip().splitlines()[-1])[1]
    except (IndexError, ValueError):
        return {"error": f"fasttext_eval.sh output not understood: {p.stdout[:200]!r}"}


def run_sklearn(train, dev):
    p = run([PY, os.path.join(PEERS, "sklearn_nb.py"), train, dev])
    out = {}
    for ln in p.stdout.strip().splitlines():
        try:
            name, res = parse_tsv_line(ln)
        except (IndexError, ValueError):
            continue
        if name in SK_NAMES:
            out[SK_NAMES[name]] = res
    for s in SK_NAMES.values():
        if s not in out:
            out[s] = {"error": f"sklearn_nb.py exited {p.returncode}: {p.stderr.strip()[-300:]}"}
    return out


def main():
    ap = argparse.ArgumentParser(description="Trained-classifier accuracy and speed tables.")
    ap.add_argument("--eval", metavar="DIR", help="eval data folder (default: ../shared/eval "
                    "beside the repository root)")
    ap.add_argument("--vocal", metavar="PATH", help="vocal binary (default: $VOCAL, build/vocal, "
                    "build/bin/vocal, build/src/cli/vocal, ./vocal, then PATH)")
    ap.add_argument("--sets", help="comma-separated folders (default: " + ",".join(DEFAULT_SETS) + ")")
    ap.add_argument("--all", action="store_true", help="every folder with train.tsv and dev.tsv or test.tsv")
    ap.add_argument("--json", metavar="OUT", help="also write the results as JSON to OUT")
    a = ap.parse_args()

    eval_dir = eval_dir_or_skip(a.eval)
    vocal = find_vocal(a.vocal)
    if a.sets:
        sets = [s for s in a.sets.split(",") if s]
    elif a.all:
        sets = DEFAULT_SETS + sorted(d for d in os.listdir(eval_dir)
                                     if d not in DEFAULT_SETS and splits(eval_dir, d)
                                     and not float_labels(splits(eval_dir, d)[0]))
    else:
        sets = DEFAULT_SETS

    results = []
    for folder in sets:
        sp = splits(eval_dir, folder)
        if not sp:
            warn(f"eval_nb: {folder}: no train.tsv with dev.tsv or test.tsv in {eval_dir}, skipped")
            results.append({"set": folder, "missing": True, "systems": {}})
            continue
        train, dev, devname = sp
        ntrain, ndev = len(read_lines(train)), len(read_lines(dev))
        ndev_labels = len({ln.split("\t", 1)[0] for ln in read_lines(dev)})
        warn(f"eval_nb: {folder} (train {ntrain}, {devname} {ndev}) ...")
        res = {}
        res["vocal"] = run_vocal(vocal, train, dev, ndev)
        res["fastText"] = run_fasttext(train, dev, [])
        res["fastText -wordNgrams 2"] = run_fasttext(train, dev, ["-wordNgrams", "2"])
        res.update(run_sklearn(train, dev))
        for s in SYSTEMS:
            if "error" in res[s]:
                warn(f"eval_nb: {s} on {folder}: n/a ({res[s]['error']})")
        results.append({"set": folder, "train": train, "dev": dev, "dev_split": devname,
                        "train_docs": ntrain, "dev_docs": ndev, "classes": ndev_labels,
                        "systems": res})

    acc_rows, speed_rows = [], []
    for r in results:
        if r.get("missing"):
            for rows, ms in ((acc_rows, ("accuracy", "macro-F1")), (speed_rows, ("train s", "predict docs/s"))):
                for m in ms:
                    rows.append([r["set"], "—", "—", m] + ["n/a"] * len(SYSTEMS))
            continue
        sy = r["systems"]
        where = f"train→{r['dev_split']}"
        docs = f"{r['train_docs']}/{r['dev_docs']}"
        acc_rows.append([r["set"], where, str(r["classes"]), "accuracy"] +
                        [fmt(sy[s].get("accuracy")) for s in SYSTEMS])
        acc_rows.append(["", "", "", "macro-F1"] + [fmt(sy[s].get("macro_f1")) for s in SYSTEMS])
        speed_rows.append([r["set"], where, docs, "train s"] +
                          [fmt(sy[s].get("train_s"), 2) for s in SYSTEMS])
        speed_rows.append(["", "", "", "predict docs/s"] +
                          [fmt(None if sy[s].get("predict_docs_per_s") is None
                               else round(sy[s]["predict_docs_per_s"])) for s in SYSTEMS])

    cmd = command_line()
    print("<!--")
    print(f"  command: {cmd}")
    print(f"  eval dir: {eval_dir}")
    print(f"  vocal: {vocal or 'not found'} (`vocal train TRAIN -o MODEL`; `vocal eval DEV --model MODEL --json`)")
    print("  fastText: bench/peers/fasttext_eval.sh (lower-cased, training file shuffled with seed 1,")
    print("  fastText defaults: 5 epochs, several threads). sklearn: bench/peers/sklearn_nb.py,")
    print("  CountVectorizer(ngram_range=(1,2)) counts, LogisticRegression(max_iter=1000), one BLAS thread.")
    print("  Trained on train.tsv, scored on dev.tsv (test.tsv where there is no dev split).")
    print("  macro-F1 averages over the gold and predicted classes. n/a: missing or failed (see stderr).")
    print("-->")
    print()
    print("Accuracy and macro-F1")
    print()
    print(markdown_table(["set", "split", "classes", "metric"] + SYSTEMS, acc_rows, align="llrl"))
    print()
    print("<!-- train s: whole `vocal train` / `fasttext supervised` process; sklearn: vectorizer fit +")
    print("  model fit, in-process. predict docs/s: dev docs / whole `vocal eval` / `fasttext predict`")
    print("  process (model load included; dominates for small dev sets and big -wordNgrams 2 models);")
    print("  sklearn: dev docs / (vectorizer transform + predict), in-process. -->")
    print()
    print("Training time and predict throughput")
    print()
    print(markdown_table(["set", "split", "train/dev docs", "metric"] + SYSTEMS, speed_rows, align="llrl"))

    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump({"command": cmd, "eval_dir": eval_dir, "vocal": vocal, "results": results}, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
