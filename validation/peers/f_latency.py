"""Peer of f_latency.yaml, written from docs/model.md only ("Dependencies", "Latency").
front (no load stretch: utilisation 5 %) calls reco on half its requests over a soft edge with a
300 ms timeout and a 90 % fallback.  sigma_e = reco's success x P(reco answers within 300 ms) with
P = F_reco((0.3 - D_reco) / 1); front success = 1 - f + f (s + (1 - s) 0.9); front's added delay
D = f x min(D_reco, timeout); latency-good = success x F_front((0.2 - D) / 1).  reco: crash Exp(5d),
restart Exp(30m); deploys 1/day, 30 % bad (adds 150 ms, rolled back by automation after
Exp(20m), or replaced by the next deploy).  Constant demand: SLI = time average."""
import heapq
import itertools
import json
import math
import random
import sys

from peerstats import compare, iv, mean_se, ratio_se

D = 86400.0
H = 30 * D
Z99 = 2.3263478740408408


def lognormal_cdf(x, median, p99):
    if x <= 0:
        return 0.0
    s = math.log(p99 / median) / Z99
    return 0.5 * math.erfc(-(math.log(x / median)) / (s * math.sqrt(2)))


def ratios(up, bad):
    d_reco = 0.150 if bad else 0.0
    s = (1.0 if up else 0.0) * lognormal_cdf(0.3 - d_reco, 0.1, 1.0)
    front = 1 - 0.5 + 0.5 * (s + (1 - s) * 0.9)
    d_front = 0.5 * min(d_reco, 0.3)
    fast = lognormal_cdf(0.2 - d_front, 0.05, 0.2)
    return front, front * fast, (1.0 if up else 0.0)


NOMINAL = ratios(True, False)


def trial(seed):
    rng = random.Random(seed)
    q, seq = [], itertools.count()
    push = lambda t, k, *a: heapq.heappush(q, (t, next(seq), k, a))
    up, bad, rb_ver = True, False, 0
    push(rng.expovariate(1 / (5 * D)), "crash")
    push(rng.expovariate(1 / D), "deploy")
    last, acc = 0.0, [0.0, 0.0, 0.0]
    incidents, cur = [], None
    while q:
        t, _, kind, a = heapq.heappop(q)
        if t > H:
            break
        r = ratios(up, bad)
        for j in range(3):
            acc[j] += r[j] * (t - last)
        last = t
        if kind == "crash":
            up = False
            push(t + rng.expovariate(1 / 1800.0), "restart")
        elif kind == "restart":
            up = True
            push(t + rng.expovariate(1 / (5 * D)), "crash")
        elif kind == "deploy":
            isbad = rng.random() < 0.3
            rb_ver += 1
            bad = isbad
            if isbad:
                push(t + rng.expovariate(1 / 1200.0), "rollback", rb_ver)
            push(t + rng.expovariate(1 / D), "deploy")
        elif kind == "rollback":
            if a[0] == rb_ver:
                bad = False
        r = ratios(up, bad)
        impaired = (r[0] < NOMINAL[0] - 1e-6) or (r[2] < 1 - 1e-6) or bad
        if impaired and cur is None:
            incidents.append([t, None]); cur = len(incidents) - 1
        elif not impaired and cur is not None:
            incidents[cur][1] = t; cur = None
    r = ratios(up, bad)
    for j in range(3):
        acc[j] += r[j] * (H - last)
    ttm = [b - s for s, b in incidents if b is not None]
    return [x / H for x in acc], len(incidents), (sum(ttm), len(ttm))


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    res = [trial(1000003 * s + 19) for s in range(n)]
    rel = json.load(open("f_latency.relsim.json"))
    print(f"f_latency: peer {n} trials, relsim {rel['trials']} trials; nominal front success {NOMINAL[0]:.6f}, latency-good {NOMINAL[1]:.6f}")
    slo = {s["name"]: s for s in rel["slos"]}
    svc = {s["name"]: s["availability"] for s in rel["services"]}
    compare("front availability", *mean_se([r[0][0] for r in res]), iv(svc["front"]))
    compare("front-availability attainment", *mean_se([r[0][0] for r in res]), iv(slo["front-availability"]["attainment"]))
    compare("front-latency attainment", *mean_se([r[0][1] for r in res]), iv(slo["front-latency"]["attainment"]))
    compare("reco availability", *mean_se([r[0][2] for r in res]), iv(svc["reco"]))
    a = rel["incidents"]["all"]
    compare("incidents per trial", *mean_se([r[1] for r in res]), iv(a["perTrial"]))
    compare("TTM mean (s)", *ratio_se([r[2][0] for r in res], [r[2][1] for r in res]), iv(a["ttmSeconds"]["mean"]))
