"""Small shared helpers for vocal's peer/eval scripts (stdlib only).

read_tsv(path) -> (labels, texts): `label<TAB>text`, split on the first TAB, lines split on
'\\n' only (texts may contain other Unicode line separators), a trailing '\\r' dropped.
"""
import math


def read_lines(path):
    with open(path, encoding="utf-8", newline="") as f:
        data = f.read()
    lines = data.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [ln[:-1] if ln.endswith("\r") else ln for ln in lines]


def read_tsv(path):
    labels, texts = [], []
    for ln in read_lines(path):
        lab, sep, text = ln.partition("\t")
        labels.append(lab)
        texts.append(text if sep else "")
    return labels, texts


def accuracy(gold, pred):
    if not gold:
        return float("nan")
    return sum(g == p for g, p in zip(gold, pred)) / len(gold)


def macro_f1(gold, pred, labels=None):
    """Macro-averaged F1. labels=None: over the union of gold and predicted labels
    (scikit-learn's default). With labels given, only those classes are averaged;
    a prediction outside them is simply an error (a false negative for the gold class)."""
    if labels is None:
        labels = sorted(set(gold) | set(pred))
    f1s = []
    for c in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        denom = 2 * tp + fp + fn
        f1s.append(2 * tp / denom if denom else 0.0)
    return sum(f1s) / len(f1s) if f1s else float("nan")


def pearson(xs, ys):
    n = len(xs)
    if n < 2:
        return float("nan")
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return float("nan")
    return sxy / math.sqrt(sxx * syy)


def three_class(score, pos=0.05, neg=-0.05):
    """VADER's usual thresholds: >= 0.05 positive, <= -0.05 negative, else neutral."""
    if score >= pos:
        return "positive"
    if score <= neg:
        return "negative"
    return "neutral"
