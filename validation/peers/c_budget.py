"""Peer of c_budget.yaml, written from docs/model.md only (plain Python events).
shop: 1 replica, crash Exp(6d), restart Exp(15m), health check 0 (down = every request fails).
Demand: base 100 x daily profile (piecewise linear through 04:00 x0.5 and 14:00 x2.0, wrapping
around midnight) x 0.5 on Sat/Sun; t = 0 is Monday 2026-01-05 00:00 local.  SLO 99.9 % over a
30-day rolling window = the whole 30-day trial.
Tiers (default policy): freeze when the remaining budget falls to 50 %, allHands 25 %,
leadershipReview exhausted (0 %).  The remaining budget at t is computed two ways:
  A: 1 - bad(0..t) / ((1 - o) x total requests of the whole window)
  B: 1 - bad(0..t) / ((1 - o) x total requests so far)"""
import bisect
import json
import math
import random
import sys

from peerstats import compare, iv, mean_se, ratio_se

D = 86400.0
H = 30 * D
O = 0.999
WRAP0 = 2.0 + (0.5 - 2.0) * 10.0 / 14.0        # profile at 00:00


def day_knots():
    return [(0.0, WRAP0), (4 * 3600.0, 0.5), (14 * 3600.0, 2.0), (D, WRAP0)]


# cumulative demand at knots, piecewise linear demand between them
KT, KC, KV = [], [], []   # knot times, cumulative at knot, (v0, v1) of the segment starting there
c = 0.0
for day in range(30):
    wf = 0.5 if day % 7 in (5, 6) else 1.0
    ks = day_knots()
    for (t0, v0), (t1, v1) in zip(ks, ks[1:]):
        KT.append(day * D + t0)
        KC.append(c)
        KV.append((100 * wf * v0, 100 * wf * v1, t1 - t0))
        c += 100 * wf * (v0 + v1) / 2 * (t1 - t0)
TOTAL = c


def cum(t):
    i = bisect.bisect_right(KT, t) - 1
    v0, v1, L = KV[i]
    x = t - KT[i]
    return KC[i] + v0 * x + (v1 - v0) * x * x / (2 * L)


def first_reach(downs, level, mode):
    """First instant at which bad(0..t) >= level x budget(t) (level = consumed fraction)."""
    bad = 0.0
    for a, b in downs:
        if mode == "A":
            need = level * (1 - O) * TOTAL
            if bad + cum(b) - cum(a) >= need:
                lo, hi = a, b                     # bisect within the outage
                for _ in range(60):
                    m = (lo + hi) / 2
                    if bad + cum(m) - cum(a) >= need:
                        hi = m
                    else:
                        lo = m
                return hi
        else:   # B: the budget grows with the requests so far; consumption only rises while down
            f = lambda t: bad + cum(t) - cum(a) - level * (1 - O) * cum(t)
            if f(b) >= 0:
                lo, hi = a, b
                if f(a) >= 0:
                    return a
                for _ in range(60):
                    m = (lo + hi) / 2
                    if f(m) >= 0:
                        hi = m
                    else:
                        lo = m
                return hi
        bad += cum(b) - cum(a)
    return None


def trial(seed):
    rng = random.Random(seed)
    t, downs = 0.0, []
    while True:
        t += rng.expovariate(1 / (6 * D))
        if t >= H:
            break
        r = rng.expovariate(1 / 900.0)
        downs.append((t, min(H, t + r), t + r <= H, r))
        t += r
    bad = sum(cum(b) - cum(a) for a, b, _, _ in downs)
    att = 1 - bad / TOTAL
    consumed = bad / ((1 - O) * TOTAL)
    iv_ = [(a, b) for a, b, _, _ in downs]
    tiers = {m: [first_reach(iv_, lv, m) for lv in (0.5, 0.75, 1.0)] for m in ("A", "B")}
    ttm = [r for _, _, done, r in downs if done]
    return dict(att=att, met=1.0 if att >= O else 0.0, consumed=consumed,
                minutes=bad / TOTAL * H / 60, tiers=tiers, n=len(downs), ttm=(sum(ttm), len(ttm)))


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    res = [trial(1000003 * s + 3) for s in range(n)]
    rel = json.load(open("c_budget.relsim.json"))
    s = rel["slos"][0]
    print(f"c_budget: peer {n} trials, relsim {rel['trials']} trials")
    compare("attainment", *mean_se([r["att"] for r in res]), iv(s["attainment"]))
    compare("availability", *mean_se([r["att"] for r in res]), iv(rel["services"][0]["availability"]))
    compare("P(met)", *mean_se([r["met"] for r in res]), iv(s["met"]["probability"]))
    compare("budget consumed mean", *mean_se([r["consumed"] for r in res]), iv(s["budgetConsumed"]["mean"]))
    cs = sorted(r["consumed"] for r in res)
    print(f"{'budget consumed p95':34s} relsim {s['budgetConsumed']['p95']['estimate']:.6g} "
          f"[{s['budgetConsumed']['p95']['low']:.6g}, {s['budgetConsumed']['p95']['high']:.6g}]  peer {cs[math.ceil(0.95 * n) - 1]:.6g}")
    compare("budget minutes mean", *mean_se([r["minutes"] for r in res]), iv(s["budgetMinutes"]["mean"]))
    for k, tier in enumerate(s["tiers"][1:]):
        for mode in ("A", "B"):
            hits = [r["tiers"][mode][k] for r in res]
            compare(f"P({tier['action']}) [{mode}]", *mean_se([0.0 if h is None else 1.0 for h in hits]), iv(tier["probability"]))
            compare(f"  first reached (s) [{mode}]", *mean_se([h for h in hits if h is not None]), iv(tier["firstReachedSeconds"]))
    compare("incidents per trial", *mean_se([r["n"] for r in res]), iv(rel["incidents"]["all"]["perTrial"]))
    compare("TTM mean (s)", *ratio_se([r["ttm"][0] for r in res], [r["ttm"][1] for r in res]), iv(rel["incidents"]["all"]["ttmSeconds"]["mean"]))
