"""Peer of e_burn.yaml, written from docs/model.md only (numpy over the evaluation ticks).
The c_budget service and demand (see c_budget.py) with two ticket-routed burn-rate alerts on
5-minute ticks from t = 0: FastBurn (14.4x 1h/5m OR 6x 6h/30m) and SlowBurn (3x 1d/2h OR 1x 3d/6h)
on the 99.9 % SLO.  Window ratio = (B(t) - B(t - W)) / (N(t) - N(t - W)), N and B the cumulative
total and bad requests (windows reaching before t = 0 see only the trial).  for 0: a rule fires
at each tick where its condition holds and did not at the tick before; every firing counts a
ticket for the alert's team; it detects the service's last incident when that is unresolved or
resolved at most an hour before."""
import json
import random
import sys

import numpy as np

from c_budget import cum, H, D
from peerstats import compare, iv, mean_se, ratio_se

STEP = 300.0
TK = np.arange(0.0, H, STEP)
NT = np.array([cum(t) for t in TK])
O = 0.999
RULES = {"fast": [(14.4, 3600, 300), (6, 6 * 3600, 1800)],
         "slow": [(3, 86400, 7200), (1, 3 * 86400, 6 * 3600)]}


def ratio(BT, W):
    s = int(W / STEP)
    num = BT.copy()
    den = NT.copy()
    num[s:] -= BT[:-s]
    den[s:] -= NT[:-s]
    out = np.zeros_like(num)
    np.divide(num, den, out=out, where=den > 0)
    return out


def trial(seed):
    rng = random.Random(seed)
    t, downs = 0.0, []
    while True:
        t += rng.expovariate(1 / (6 * D))
        if t >= H:
            break
        r = rng.expovariate(1 / 900.0)
        downs.append([t, t + r, None])      # start, mitigated (may be past H), detected
        t += r
    BT = np.zeros_like(NT)
    for a, b, _ in downs:
        ca, cb = cum(a), cum(min(b, H))
        BT += np.clip(NT, ca, cb) - ca
    cache = {}
    fires = {}
    for team, pairs in RULES.items():
        cond = np.zeros(len(TK), dtype=bool)
        for f, L, S in pairs:
            thr = f * (1 - O)
            rl = cache.setdefault(L, ratio(BT, L))
            rs = cache.setdefault(S, ratio(BT, S))
            cond |= (rl >= thr) & (rs >= thr)
        prev = np.concatenate(([False], cond[:-1]))
        fires[team] = TK[cond & ~prev]
    starts = [d[0] for d in downs]
    for tau in sorted(np.concatenate(list(fires.values()))):
        i = np.searchsorted(starts, tau, side="right") - 1
        if i >= 0:
            a, b, det = downs[i]
            if det is None and tau <= b + 3600:
                downs[i][2] = tau
    return dict(tickets={k: len(v) for k, v in fires.items()}, downs=downs)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    res = [trial(1000003 * s + 17) for s in range(n)]
    rel = json.load(open("e_burn.relsim.json"))
    print(f"e_burn: peer {n} trials, relsim {rel['trials']} trials")
    for team in rel["teams"]:
        compare(f"tickets per trial ({team['name']})", *mean_se([r["tickets"][team["name"]] for r in res]), iv(team["ticketsPerTrial"]))
    a = rel["incidents"]["all"]
    compare("incidents per trial", *mean_se([len(r["downs"]) for r in res]), iv(a["perTrial"]))
    ttd = ratio_se([sum(d[2] - d[0] for d in r["downs"] if d[2] is not None) for r in res],
                   [sum(1 for d in r["downs"] if d[2] is not None) for r in res])
    compare("TTD mean (s)", *ttd, iv(a["ttdSeconds"]["mean"]))
    compare("detected incidents per trial", *mean_se([sum(1 for d in r["downs"] if d[2] is not None) for r in res]),
            (a["ttdSeconds"]["n"] / rel["trials"],) * 3)
    ttm = ratio_se([sum(d[1] - d[0] for d in r["downs"] if d[1] <= H) for r in res],
                   [sum(1 for d in r["downs"] if d[1] <= H) for r in res])
    compare("TTM mean (s)", *ttm, iv(a["ttmSeconds"]["mean"]))
