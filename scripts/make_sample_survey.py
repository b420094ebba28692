#!/usr/bin/env python3
"""Build corpora/samples/survey.csv from the hand-written comments.

The comments live in corpora/samples/comments/*.txt, one respondent per line.
Each file starts with a directive line

    #! from=YYYY-MM-DD to=YYYY-MM-DD band=P|Pa|D|any touchpoint=Name:weight,... [segment=Name]

that says when those comments were written, which NPS band they belong to
(P promoter 9-10, Pa passive 7-8, D detractor 0-6, any = a non-answer that
can come from anyone), which touchpoints they are about and, optionally, the
segment of every respondent in the file. Other lines starting with '#' are
notes. In a comment, a literal \\n is a line break inside the answer,
<empty> is an empty answer, and a leading {Segment} (e.g. {New}) fixes the
segment of a respondent whose comment names it ("my first order").

This script only assigns the mechanical columns (ids, dates inside the file's
window, scores inside the band, segment, touchpoint, channel); every comment
is used exactly once. It is deterministic (stdlib only, one fixed-seed
random.Random), so running it again gives the same bytes:

    python3 scripts/make_sample_survey.py
"""
import csv
import datetime as dt
import io
import os
import sys

import random

SEED = 20260105
FIRST = dt.date(2026, 1, 5)
LAST = dt.date(2026, 6, 28)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "corpora", "samples", "comments")
OUT = os.path.join(ROOT, "corpora", "samples", "survey.csv")

NPS_WEIGHTS = {
    "D": {0: 5, 1: 4, 2: 6, 3: 8, 4: 10, 5: 13, 6: 12},
    "Pa": {7: 45, 8: 55},
    "P": {9: 48, 10: 52},
}
ANY_BANDS = {"P": 42, "Pa": 38, "D": 20}
SEGMENTS = ["New", "Returning", "Loyalty member", "Business"]
SEGMENT_WEIGHTS = {
    "P": [19, 39, 34, 8],
    "Pa": [25, 42, 21, 12],
    "D": [27, 43, 14, 16],
}
TOUCHPOINTS = ["Website", "App", "Delivery", "Store", "Customer service", "Returns"]
CHANNELS = ["Email survey", "In-app", "SMS"]
# CSAT (1-5) given the NPS score; asked of about 60% of respondents.
CSAT_WEIGHTS = {
    0: [85, 15, 0, 0, 0], 1: [80, 20, 0, 0, 0], 2: [70, 28, 2, 0, 0],
    3: [55, 38, 7, 0, 0], 4: [35, 45, 18, 2, 0], 5: [15, 40, 38, 7, 0],
    6: [8, 30, 45, 17, 0], 7: [0, 8, 45, 42, 5], 8: [0, 3, 22, 60, 15],
    9: [0, 0, 6, 44, 50], 10: [0, 0, 2, 20, 78],
}
CSAT_ASKED = 0.60


def pick(rng, weights):
    """weights: dict value -> weight; deterministic order."""
    keys = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


def parse_weights(spec):
    out = {}
    for part in spec.split(","):
        name, _, w = part.partition(":")
        if name not in TOUCHPOINTS:
            raise SystemExit(f"unknown touchpoint {name!r}")
        out[name] = float(w or 1)
    return out


def read_sources():
    items = []
    for name in sorted(os.listdir(SRC)):
        if not name.endswith(".txt"):
            continue
        path = os.path.join(SRC, name)
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        if not lines[0].startswith("#! "):
            raise SystemExit(f"{path}:1: missing '#!' directive line")
        d = dict(kv.split("=", 1) for kv in lines[0][3:].split())
        spec = {
            "from": max(FIRST, dt.date.fromisoformat(d["from"])),
            "to": min(LAST, dt.date.fromisoformat(d["to"])),
            "band": d["band"],
            "touchpoints": parse_weights(d["touchpoint"].replace("_", " ")),
            "segment": d.get("segment", "").replace("_", " ") or None,
            "file": name,
        }
        if spec["band"] not in ("P", "Pa", "D", "any"):
            raise SystemExit(f"{path}:1: bad band")
        if spec["segment"] and spec["segment"] not in SEGMENTS:
            raise SystemExit(f"{path}:1: bad segment")
        for no, line in enumerate(lines[1:], 2):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            seg = None
            if line.startswith("{") and "}" in line:
                seg, line = line[1:line.index("}")], line[line.index("}") + 1:].strip()
                if seg not in SEGMENTS:
                    raise SystemExit(f"{path}:{no}: bad segment {seg!r}")
            text = "" if line == "<empty>" else line.replace("\\n", "\n")
            items.append((spec, text, f"{name}:{no}", seg))
    return items


def main():
    rng = random.Random(SEED)
    items = read_sources()
    seen = {}
    for spec, text, where, _ in items:
        if spec["band"] != "any":
            if text in seen:
                raise SystemExit(f"{where}: duplicate of {seen[text]}")
            seen[text] = where
    rows = []
    for spec, text, where, seg in items:
        band = spec["band"]
        if band == "any":
            band = pick(rng, ANY_BANDS)
        nps = pick(rng, NPS_WEIGHTS[band])
        span = (spec["to"] - spec["from"]).days
        date = spec["from"] + dt.timedelta(days=rng.randint(0, span))
        if rng.random() < CSAT_ASKED:
            csat = str(rng.choices([1, 2, 3, 4, 5], CSAT_WEIGHTS[nps])[0])
        else:
            csat = ""
        segment = spec["segment"] or rng.choices(SEGMENTS, SEGMENT_WEIGHTS[band])[0]
        segment = seg or segment
        touchpoint = pick(rng, spec["touchpoints"])
        if touchpoint == "App":
            channel = rng.choices(CHANNELS, [20, 70, 10])[0]
        elif touchpoint == "Store":
            channel = rng.choices(CHANNELS, [50, 5, 45])[0]
        else:
            channel = rng.choices(CHANNELS, [60, 18, 22])[0]
        rows.append([date, rng.random(), nps, csat, segment, touchpoint, channel, text])
    rows.sort(key=lambda r: (r[0], r[1]))
    rid = 100
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(["respondent_id", "response_date", "nps", "csat", "segment",
                "touchpoint", "channel", "comment"])
    for date, _, nps, csat, segment, touchpoint, channel, text in rows:
        rid += rng.randint(1, 4)
        w.writerow([f"R{rid:06d}", date.isoformat(), nps, csat, segment,
                    touchpoint, channel, text])
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())
    print(f"wrote {os.path.relpath(OUT, ROOT)}: {len(rows)} rows", file=sys.stderr)


if __name__ == "__main__":
    main()
