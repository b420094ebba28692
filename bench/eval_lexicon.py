#!/usr/bin/python3
"""Accuracy table for vocal's lexicon scorer against VADER (npm vader-sentiment) and AFINN
(npm sentiment), on the public labelled sets in ../shared/eval, read in place.

usage: /usr/bin/python3 bench/eval_lexicon.py [--eval DIR] [--vocal PATH] [--json OUT]

  vader_amazon, vader_movies, vader_nyt (test), vader_tweets (dev): Pearson r between the
      scorer's compound and the mean human valence (-4..4).
  airline_tweets (train, dev), semeval2014_restaurants (dev): 3 classes from the compound
      (>= 0.05 positive, <= -0.05 negative, else neutral); accuracy and macro-F1 over the
      three gold classes.
  uci_sentiment_sentences (test): gold is 2-class; the same 3-class thresholds are applied,
      accuracy and macro-F1 are over the gold classes (positive, negative) and a neutral
      prediction counts as an error.
Columns: vocal (`VOCAL score --tsv FILE`, one JSON object per line with "compound"),
VADER (bench/peers/vader.js: compound), AFINN (bench/peers/afinn.js: `sentiment`'s comparative
score, AFINN sum / token count, thresholded the same way). A scorer that is missing or fails
shows n/a. Prints a Markdown table; exits 0 with "skipped: ..." when the eval folder is absent.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # keep bench/peers free of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers"))
from evalutil import (PEERS, command_line, eval_dir_or_skip, find_vocal, fmt,  # noqa: E402
                      markdown_table, parse_json_objects, usable, warn)
from metrics import accuracy, macro_f1, pearson, read_tsv, three_class  # noqa: E402

# (folder, split, kind); kind "r" = Pearson r vs valence, "cls" = thresholded 3-class
SETS = [
    ("vader_amazon", "test", "r"),
    ("vader_movies", "test", "r"),
    ("vader_nyt", "test", "r"),
    ("vader_tweets", "dev", "r"),
    ("airline_tweets", "train", "cls"),
    ("airline_tweets", "dev", "cls"),
    ("uci_sentiment_sentences", "test", "cls"),
    ("semeval2014_restaurants", "dev", "cls"),
]
TIMEOUT = 900


def run_node(script, path, n):
    node = shutil.which("node")
    if not node:
        return None, "node not found"
    if not os.path.isdir(os.path.join(PEERS, "node_modules")):
        return None, "bench/peers/node_modules missing: run bench/peers/setup.sh"
    p = subprocess.run([node, os.path.join(PEERS, script), "--tsv", path],
                       capture_output=True, text=True, timeout=TIMEOUT)
    if p.returncode != 0:
        return None, f"{script} exited {p.returncode}: {p.stderr.strip()[:300]}"
    vals = [float(x) for x in p.stdout.split("\n") if x.strip()]
    if len(vals) != n:
        return None, f"{script} printed {len(vals)} scores for {n} documents"
    return vals, None


def run_vocal(vocal, path, n):
    if not vocal:
        return None, "vocal binary not found (build it or pass --vocal)"
    if not usable(vocal):
        return None, f"{vocal} not found or not executable"
    try:
        p = subprocess.run([vocal, "score", "--tsv", path], capture_output=True, text=True,
                           timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, f"vocal score failed: {e}"
    if p.returncode != 0:
        return None, f"vocal score exited {p.returncode}: {p.stderr.strip()[:300]}"
    try:
        objs = parse_json_objects(p.stdout)
        vals = [float(o["compound"]) for o in objs]
    except (ValueError, KeyError, TypeError) as e:
        return None, f"vocal score output not one JSON object with \"compound\" per line: {e}"
    if len(vals) != n:
        return None, f"vocal score printed {len(vals)} objects for {n} documents"
    bad = [v for v in vals if not -1.0 <= v <= 1.0]
    if bad:
        warn(f"eval_lexicon: warning: {len(bad)} vocal compound values outside [-1, 1] in {path}")
    return vals, None


def run_classify(vocal, path, n):
    """`vocal classify` with its defaults (the default model from corpora/ plus the
    lexicon): (score, label) per document from the records' "sentiment" object."""
    if not vocal or not usable(vocal):
        return None, "vocal binary not found (build it or pass --vocal)"
    try:
        p = subprocess.run([vocal, "classify", "-q", "-j", "1", "--from", "tsv", path],
                           capture_output=True, text=True, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, f"vocal classify failed: {e}"
    if p.returncode != 0:
        return None, f"vocal classify exited {p.returncode}: {p.stderr.strip()[:300]}"
    try:
        objs = parse_json_objects(p.stdout)
        vals = [(float(o["sentiment"]["score"]), o["sentiment"]["label"]) for o in objs]
    except (ValueError, KeyError, TypeError) as e:
        return None, f"vocal classify output lacks sentiment.score / sentiment.label: {e}"
    if len(vals) != n:
        return None, f"vocal classify printed {len(vals)} records for {n} documents"
    return vals, None


def evaluate(kind, labels, scores):
    if scores and isinstance(scores[0], tuple):
        # a classifier: Pearson r on its signed score; classes from its label, where
        # "mixed" (both polarities strong) counts as neutral, the gold sets' nearest class
        if kind == "r":
            return {"pearson_r": pearson([s for s, _ in scores], [float(x) for x in labels])}
        pred = ["neutral" if lab == "mixed" else lab for _, lab in scores]
        gold_set = sorted(set(labels))
        return {"accuracy": accuracy(labels, pred), "macro_f1": macro_f1(labels, pred, labels=gold_set)}
    if kind == "r":
        gold = [float(x) for x in labels]
        return {"pearson_r": pearson(scores, gold)}
    pred = [three_class(s) for s in scores]
    gold_set = sorted(set(labels))
    return {"accuracy": accuracy(labels, pred), "macro_f1": macro_f1(labels, pred, labels=gold_set)}


def main():
    ap = argparse.ArgumentParser(description="Lexicon scorer accuracy table (vocal, VADER, AFINN).")
    ap.add_argument("--eval", metavar="DIR", help="eval data folder (default: ../shared/eval "
                    "beside the repository root)")
    ap.add_argument("--vocal", metavar="PATH", help="vocal binary (default: $VOCAL, build/vocal, "
                    "build/bin/vocal, build/src/cli/vocal, ./vocal, then PATH)")
    ap.add_argument("--json", metavar="OUT", help="also write the results as JSON to OUT")
    a = ap.parse_args()

    eval_dir = eval_dir_or_skip(a.eval)
    vocal = find_vocal(a.vocal)
    scorers = [
        ("vocal lexicon", lambda path, n: run_vocal(vocal, path, n)),
        ("vocal classify", lambda path, n: run_classify(vocal, path, n)),
        ("VADER", lambda path, n: run_node("vader.js", path, n)),
        ("AFINN", lambda path, n: run_node("afinn.js", path, n)),
    ]
    names = [s[0] for s in scorers]

    results, rows = [], []
    for folder, split, kind in SETS:
        path = os.path.join(eval_dir, folder, f"{split}.tsv")
        metrics = ["pearson_r"] if kind == "r" else ["accuracy", "macro_f1"]
        entry = {"set": folder, "split": split, "path": path, "kind": kind, "scores": {}}
        if not os.path.isfile(path):
            warn(f"eval_lexicon: {path} missing, skipped")
            entry["missing"] = True
            results.append(entry)
            for m in metrics:
                rows.append([folder, split, "—", m.replace("_", "-")] + ["n/a"] * len(names))
            continue
        labels, _texts = read_tsv(path)
        n = len(labels)
        entry["docs"] = n
        entry["gold_labels"] = None if kind == "r" else sorted(set(labels))
        for name, fn in scorers:
            t0 = time.perf_counter()
            try:
                vals, err = fn(path, n)
            except (OSError, subprocess.TimeoutExpired, ValueError) as e:
                vals, err = None, str(e)
            secs = time.perf_counter() - t0
            if vals is None:
                warn(f"eval_lexicon: {name} on {folder}/{split}: n/a ({err})")
                entry["scores"][name] = {"error": err}
            else:
                entry["scores"][name] = dict(evaluate(kind, labels, vals), process_s=round(secs, 3))
        results.append(entry)
        for m in metrics:
            label = {"pearson_r": "Pearson r", "accuracy": "accuracy", "macro_f1": "macro-F1"}[m]
            if kind == "cls" and len(entry["gold_labels"]) < 3 and m == "macro_f1":
                label = f"macro-F1 ({len(entry['gold_labels'])} gold classes)"
            rows.append([folder, split, str(n), label] +
                        [fmt(entry["scores"][s].get(m)) for s in names])

    cmd = command_line()
    vocal_desc = vocal if vocal else "not found"
    print("<!--")
    print(f"  command: {cmd}")
    print(f"  eval dir: {eval_dir}")
    print(f"  vocal: {vocal_desc} (`vocal score --tsv FILE`, \"compound\"); VADER: bench/peers/vader.js "
          "(npm vader-sentiment, compound); AFINN: bench/peers/afinn.js (npm sentiment, comparative)")
    print("  Pearson r: scorer vs mean human valence. accuracy / macro-F1: 3 classes from the score,")
    print("  >= 0.05 positive, <= -0.05 negative, else neutral; macro-F1 averages over the gold label")
    print("  set only: on 2-class sets (uci_sentiment_sentences) a neutral prediction is an error.")
    print("  n/a: the scorer is missing or failed (reason on stderr).")
    print("-->")
    print(markdown_table(["set", "split", "docs", "metric"] + names, rows, align="llrl"))

    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump({"command": cmd, "eval_dir": eval_dir, "vocal": vocal, "thresholds": [-0.05, 0.05],
                       "results": results}, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
