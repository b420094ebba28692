#!/usr/bin/env python3
"""Checks of vocal's own labelled corpora (corpora/README.md), run by ctest.

usage: tests/corpus/check.py [--root DIR] [--eval DIR] [--min-en N]

Fails (exit 1, naming file and line) on:
  - a line that is not a JSON object with the keys and values corpora/README.md allows;
  - a theme id that no lexicons/themes/*.themes file declares;
  - the same text twice (compared case-folded, whitespace collapsed), in any files;
  - fewer than --min-en English records (default 8000), a sentiment class under its
    floor (positive, negative, neutral 10%; mixed 3%), or a language set under 100;
  - a text (of 6 words or more) that is a line of the evaluation data in --eval (default
    ../shared/eval, read in place), or that shares a run of 10 words with it.
Prints the distribution (sentiment, kind, domain, top themes) and, for review, the
texts of 4-5 words that equal an evaluation line and a count of runs of 8 or 9 shared
words (stock phrases such as "don't waste your money" do that by coincidence). The copy check is skipped,
saying so, when the evaluation folder is absent.
"""
import argparse
import collections
import glob
import json
import os
import re
import sys

SENTIMENTS = {"positive", "negative", "neutral", "mixed"}
POLARITIES = {"positive", "negative", "neutral"}
DOMAINS = {"retail", "finance", "travel", "hospitality", "software", "telecom", "utilities", "public"}
KINDS = {"survey", "review", "ticket", "chat", "social"}
FLOORS = {"positive": 0.10, "negative": 0.10, "neutral": 0.10, "mixed": 0.03}
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def words(text):
    return WORD.findall(text.casefold())


def theme_ids(root):
    ids = set()
    for path in sorted(glob.glob(os.path.join(root, "lexicons", "themes", "*.themes"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and parts[0] == "theme":
                    ids.add(parts[1])
    return ids


def read_corpus(path, ids, errors):
    recs = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            where = f"{path}:{n}"
            if not line.strip():
                errors.append(f"{where}: blank line")
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{where}: not JSON: {e}")
                continue
            if not isinstance(r, dict):
                errors.append(f"{where}: not a JSON object")
                continue
            bad = []
            if not isinstance(r.get("text"), str) or not r["text"].strip():
                bad.append("text must be a non-empty string")
            if r.get("sentiment") not in SENTIMENTS:
                bad.append(f"sentiment {r.get('sentiment')!r} is not one of {sorted(SENTIMENTS)}")
            if r.get("domain") not in DOMAINS:
                bad.append(f"domain {r.get('domain')!r} is not one of {sorted(DOMAINS)}")
            if r.get("kind") not in KINDS:
                bad.append(f"kind {r.get('kind')!r} is not one of {sorted(KINDS)}")
            themes = r.get("themes")
            if not isinstance(themes, list):
                bad.append("themes must be a list")
                themes = []
            seen = set()
            for t in themes:
                if not isinstance(t, dict) or t.get("id") not in ids:
                    bad.append(f"unknown theme {t.get('id') if isinstance(t, dict) else t!r}")
                elif t.get("polarity") not in POLARITIES:
                    bad.append(f"theme {t['id']}: polarity {t.get('polarity')!r}")
                elif t["id"] in seen:
                    bad.append(f"theme {t['id']} twice")
                else:
                    seen.add(t["id"])
            for b in bad:
                errors.append(f"{where}: {b}")
            if not bad:
                recs.append((where, r))
    return recs


def eval_texts(eval_dir):
    """Every text of the evaluation data: the part after the first TAB of .tsv lines,
    the "text" of .jsonl lines, and whole lines of raw text files."""
    for dirpath, _, files in os.walk(eval_dir):
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            if name.endswith(".tsv") or name.endswith(".txt"):
                with open(path, encoding="utf-8", errors="replace") as f:
                    for line in f:
                        yield line.split("\t", 1)[-1]
            elif name.endswith(".jsonl"):
                with open(path, encoding="utf-8", errors="replace") as f:
                    for line in f:
                        try:
                            t = json.loads(line).get("text")
                        except (ValueError, AttributeError):
                            continue
                        if isinstance(t, str):
                            yield t


def copy_check(recs, eval_dir, errors):
    if not os.path.isdir(eval_dir):
        print(f"copy check skipped: {eval_dir} not found (it is the evaluation data, absent on users' machines)")
        return
    lines = {}
    shingles = collections.defaultdict(set)  # 8-word run -> corpus record indexes
    for i, (where, r) in enumerate(recs):
        w = words(r["text"])
        if len(w) >= 4:
            lines.setdefault(" ".join(w), (where, len(w)))
        for k in range(len(w) - 7):
            shingles[" ".join(w[k:k + 8])].add(i)
    exact, long_runs, short_runs = {}, {}, set()
    n_eval = 0
    for text in eval_texts(eval_dir):
        n_eval += 1
        w = words(text)
        key = " ".join(w)
        if key in lines:
            exact[lines[key]] = text.strip()[:80]
        hits = collections.defaultdict(int)  # corpus record -> longest run of consecutive 8-word hits
        run = collections.defaultdict(int)
        for k in range(len(w) - 7):
            found = shingles.get(" ".join(w[k:k + 8]), ())
            for i in list(run):
                if i not in found:
                    run[i] = 0
            for i in found:
                run[i] += 1
                hits[i] = max(hits[i], run[i])
        for i, h in hits.items():
            if h >= 3:  # 3 consecutive 8-word runs = 10 words shared
                long_runs[recs[i][0]] = text.strip()[:80]
            else:
                short_runs.add(i)
    for (where, nw), t in sorted(exact.items()):
        if nw >= 6:
            errors.append(f"{where}: the text is a line of the evaluation data ({t!r})")
        else:
            print(f"note: {where}: a {nw}-word stock phrase also found in the evaluation data ({t!r})")
    copied = {where for (where, _) in exact}
    for where, t in sorted(long_runs.items()):
        if where not in copied:
            errors.append(f"{where}: shares 10 or more words in a row with the evaluation data ({t!r})")
    print(f"copy check: {len(recs)} corpus texts against {n_eval} evaluation texts in {eval_dir}: "
          f"{sum(1 for (_, nw) in exact if nw >= 6)} copied lines, {len(long_runs)} with 10+ shared words, "
          f"{len(short_runs)} with 8-9 shared words (common phrases; not errors)")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(here)))
    ap.add_argument("--eval", default=None)
    ap.add_argument("--min-en", type=int, default=8000)
    a = ap.parse_args()
    root = a.root
    eval_dir = a.eval or os.path.join(root, "..", "shared", "eval")
    ids = theme_ids(root)
    errors = []
    if not ids:
        errors.append(f"{root}/lexicons/themes: no theme declared")
    by_lang = {}
    for path in sorted(glob.glob(os.path.join(root, "corpora", "*", "*.jsonl"))):
        lang = os.path.basename(os.path.dirname(path))
        by_lang.setdefault(lang, []).extend(read_corpus(path, ids, errors))
    allrecs = [x for lang in sorted(by_lang) for x in by_lang[lang]]
    first = {}
    for where, r in allrecs:
        key = " ".join(r["text"].casefold().split())
        if key in first:
            errors.append(f"{where}: the same text as {first[key]}")
        else:
            first[key] = where
    for lang in sorted(by_lang):
        recs = by_lang[lang]
        n = len(recs)
        sent = collections.Counter(r["sentiment"] for _, r in recs)
        kind = collections.Counter(r["kind"] for _, r in recs)
        dom = collections.Counter(r["domain"] for _, r in recs)
        th = collections.Counter(t["id"] for _, r in recs for t in r["themes"])
        no_theme = sum(1 for _, r in recs if not r["themes"])
        pct = lambda c: ", ".join(f"{k} {v} ({100 * v / n:.0f}%)" for k, v in c.most_common())
        print(f"{lang}: {n} records")
        print(f"  sentiment: {pct(sent)}")
        print(f"  kind: {pct(kind)}")
        print(f"  domain: {pct(dom)}")
        print(f"  themes: {len(th)} ids used, {no_theme} records without a theme; top: "
              + ", ".join(f"{k} {v}" for k, v in th.most_common(12)))
        floor_n = a.min_en if lang == "en" else 100
        if n < floor_n:
            errors.append(f"corpora/{lang}: {n} records, fewer than {floor_n}")
        for s, f in FLOORS.items():
            if n and sent[s] < f * n:
                errors.append(f"corpora/{lang}: {s} is {100 * sent[s] / n:.1f}% of the records, under {100 * f:.0f}%")
    if "en" not in by_lang:
        errors.append("corpora/en: no English corpus")
    copy_check(allrecs, eval_dir, errors)
    for e in errors[:200]:
        print(f"error: {e}", file=sys.stderr)
    if len(errors) > 200:
        print(f"error: ... and {len(errors) - 200} more", file=sys.stderr)
    print(f"{len(allrecs)} records checked, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
