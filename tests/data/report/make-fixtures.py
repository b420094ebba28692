#!/usr/bin/env python3
"""Writes the report fixtures (tagged records, docs/format/records.md).
small.jsonl is hand-written (24 records; test_report.c checks figures
computed from it by hand); big.jsonl is 240 records drawn from a fixed-seed
generator, for the shard-merge and browser tests. Run from this directory."""
import json, random

T = {  # id: (parent, label)
    "delivery.late": ("delivery", "Late delivery"), "delivery.fast": ("delivery", "Fast delivery"),
    "delivery.damaged": ("delivery", "Damaged in transit"), "price.good_value": ("price", "Good value"),
    "price.expensive": ("price", "Too expensive"), "service.helpful": ("service", "Helpful agent"),
    "service.long_hold": ("service", "Long hold"), "billing.overcharged": ("billing", "Overcharged or charged twice"),
    "digital.crash": ("digital", "Crashes & errors"), "quality.good": ("quality", "Good quality"),
}

def rec(src, line, rid, date, nps, csat, ces, seg, tp, ch, label, score, themes, text):
    r = {"source": src, "line": line, "id": rid, "date": date}
    if nps is not None: r["nps"] = nps
    if csat is not None: r["csat"] = csat
    if ces is not None: r["ces"] = ces
    for k, v in (("segment", seg), ("touchpoint", tp), ("channel", ch)):
        if v: r[k] = v
    r["text"] = text
    r["sentiment"] = {"label": label, "score": score, "confidence": 0.9, "lexicon": score}
    ts = []
    for tid, pol, conf in themes:
        parent, lab = T[tid]
        word = lab.split()[0].lower()
        start = text.lower().find(word)
        ev = [{"start": start, "end": start + len(word), "text": text[start:start + len(word)]}] if start >= 0 else []
        ts.append({"id": tid, "parent": parent, "label": lab, "polarity": pol, "confidence": conf,
                   "source": "rules", "evidence": ev})
    r["themes"] = ts
    r["root_causes"] = [t["id"] for t in ts if t["polarity"] == "negative"]
    return r

small = [
 # id  date        nps csat ces seg        tp          ch      label      score  themes  text
 ("R01", "2026-08-03", 10, 5, 2, "Premium", "delivery", "web", "positive", 0.8, [("delivery.fast", "positive", 0.9)], "Arrived next day, brilliant."),
 ("R02", "2026-08-05", 9, 5, 1, "Standard", "delivery", "app", "positive", 0.7, [("delivery.fast", "positive", 0.8), ("price.good_value", "positive", 0.7)], "Fast and good value for money."),
 ("R03", "2026-08-10", 3, 1, 6, "Standard", "delivery", "web", "negative", -0.8, [("delivery.late", "negative", 0.92)], "Late again, a week late. Call me on 020 7946 0958."),
 ("R04", "2026-08-12", 6, 2, 5, "Premium", "support", "phone", "negative", -0.6, [("service.long_hold", "negative", 0.85)], "Long hold, forty minutes on the phone."),
 ("R05", "2026-08-19", 8, 4, 3, "Standard", "billing", "email", "neutral", 0.0, [], "Invoice received, nothing to add."),
 ("R06", "2026-08-21", 10, 5, 2, "Premium", "support", "phone", "positive", 0.9, [("service.helpful", "positive", 0.95)], "Helpful agent, thank you @sam_cs!"),
 ("R07", "2026-08-25", 7, 4, 3, "Standard", "delivery", "app", "mixed", 0.1, [("delivery.fast", "positive", 0.6), ("delivery.damaged", "negative", 0.7)], "Fast but the box was damaged."),
 ("R08", "2026-08-30", 2, 1, 7, "Standard", "billing", "web", "negative", -0.9, [("billing.overcharged", "negative", 0.9)], "Overcharged twice on card 4111 1111 1111 1111, write to jo.smith@example.com"),
 ("R09", "2026-09-02", 9, 5, 2, "Premium", "delivery", "web", "positive", 0.6, [("quality.good", "positive", 0.8)], "Good quality, as always."),
 ("R10", "2026-09-04", 4, 2, 5, "Standard", "delivery", "web", "negative", -0.7, [("delivery.late", "negative", 0.88)], "Late delivery, third time."),
 ("R11", "2026-09-08", 1, 1, 6, "Standard", "delivery", "app", "negative", -0.9, [("delivery.late", "negative", 0.95), ("service.long_hold", "negative", 0.8)], "Late parcel and a long hold when I called."),
 ("R12", "2026-09-11", 5, 3, 4, "Premium", "billing", "email", "negative", -0.4, [("price.expensive", "negative", 0.75)], "Too expensive for what it is."),
 ("R13", "2026-09-15", 9, 4, 2, "Standard", "support", "phone", "positive", 0.7, [("service.helpful", "positive", 0.9)], "Helpful and kind."),
 ("R14", "2026-09-19", 0, 1, 7, "Standard", "delivery", "web", "negative", -1.0, [("delivery.late", "negative", 0.9)], "Late, late, late. Never again."),
 ("R15", "2026-09-24", 8, 4, 3, "Premium", "delivery", "app", "neutral", 0.05, [("delivery.fast", "neutral", 0.5)], "Delivery was fine."),
 ("R16", "2026-09-29", None, None, None, "Standard", "support", "email", "negative", -0.5, [("digital.crash", "negative", 0.8)], "Crashes every time I log in."),
 ("R17", "2026-10-01", 10, 5, 1, "Premium", "delivery", "web", "positive", 0.9, [("delivery.fast", "positive", 0.97)], "Fast, faultless."),
 ("R18", "2026-10-03", 9, 5, 2, "Premium", "billing", "web", "positive", 0.5, [("price.good_value", "positive", 0.85)], "Good value plan."),
 ("R19", "2026-10-06", 6, 3, 4, "Standard", "delivery", "app", "negative", -0.3, [("delivery.late", "negative", 0.7)], "A day late but ok."),
 ("R20", "2026-10-09", 10, 5, 1, "Standard", "support", "phone", "positive", 0.8, [("service.helpful", "positive", 0.9)], "Helpful agent sorted it, ring +44 7700 900123 if needed."),
 ("R21", "2026-10-13", 9, 4, 2, "Premium", "delivery", "web", "positive", 0.6, [("quality.good", "positive", 0.7)], "Good quality goods."),
 ("R22", "2026-10-17", 3, 2, 6, "Standard", "billing", "web", "negative", -0.8, [("billing.overcharged", "negative", 0.93)], "Overcharged, refund please."),
 ("R23", "2026-10-22", 8, 4, 3, "Standard", "delivery", "app", "positive", 0.4, [("delivery.fast", "positive", 0.75)], "Fast enough."),
 ("R24", "2026-10-28", 10, 5, 1, "Premium", None, "web", "positive", 0.95, [], "Love it."),
]

with open("small.jsonl", "w") as f:
    for i, r in enumerate(small):
        f.write(json.dumps(rec("survey.csv", i + 2, *r), ensure_ascii=False) + "\n")

rnd = random.Random(8)
neg_themes = ["delivery.late", "delivery.damaged", "price.expensive", "service.long_hold", "billing.overcharged", "digital.crash"]
pos_themes = ["delivery.fast", "price.good_value", "service.helpful", "quality.good"]
texts_neg = {"delivery.late": "The parcel was late by {n} days.", "delivery.damaged": "Damaged box, item dented.",
             "price.expensive": "Too expensive compared to others.", "service.long_hold": "Long hold of {n} minutes.",
             "billing.overcharged": "Overcharged on my last bill, mail me at user{n}@example.org.",
             "digital.crash": "Crashes when I open the app."}
texts_pos = {"delivery.fast": "Fast delivery, {n} hours.", "price.good_value": "Good value for the price.",
             "service.helpful": "Helpful agent, thanks @agent{n}.", "quality.good": "Good quality product."}
with open("big.jsonl", "w") as f:
    for i in range(240):
        month = 6 + i * 6 // 240
        day = 1 + rnd.randrange(28)
        drift = (month - 6) * 0.04  # late delivery gets worse over time
        seg = rnd.choice(["Premium", "Standard", "Standard", "Business"])
        tp = rnd.choice(["delivery", "delivery", "support", "billing", "app"])
        ch = rnd.choice(["web", "app", "email", "phone"])
        themes = []
        if rnd.random() < 0.35 + drift:
            themes.append((rnd.choice(neg_themes[:1] * 3 + neg_themes), "negative", round(rnd.uniform(0.5, 0.99), 2)))
        if rnd.random() < 0.45:
            themes.append((rnd.choice(pos_themes), "positive", round(rnd.uniform(0.5, 0.99), 2)))
        themes = list({t[0]: t for t in themes}.values())
        negs = sum(1 for t in themes if t[1] == "negative")
        poss = len(themes) - negs
        label = "mixed" if negs and poss else "negative" if negs else "positive" if poss else "neutral"
        nps = max(0, min(10, int(rnd.gauss(8.5 - 5 * negs + poss, 1.8))))
        csat = max(1, min(5, round(nps / 2.2) + 1))
        ces = max(1, min(7, 8 - csat - rnd.randrange(2)))
        score = {"mixed": 0.0, "negative": -0.6, "positive": 0.6, "neutral": 0.0}[label]
        text = " ".join((texts_neg if t[1] == "negative" else texts_pos)[t[0]].format(n=rnd.randrange(2, 40))
                        for t in themes) or "No comment."
        r = ("B%03d" % i, "2026-%02d-%02d" % (month, day), nps if rnd.random() < 0.9 else None, csat, ces,
             seg, tp, ch, label, score, themes, text)
        f.write(json.dumps(rec("export.csv", i + 2, *r), ensure_ascii=False) + "\n")
