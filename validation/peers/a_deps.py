"""Peer of a_deps.yaml, written from docs/model.md only (plain Python events).
web: 2 replicas (1 carries the demand), crash Exp(5d), restart Exp(2h), health check 0.
hard dep on datastore db: primary failure Exp(10d), down Exp(1h) (no automatic failover).
soft dep on reco (callFraction 0.4, fallbackSuccess 0.5): 1 replica, crash Exp(4d), restart Exp(3h).
Impact/incidents per docs/model.md "Incidents": impaired = success ratio > 1e-6 below nominal (1);
newly impaired services of one event group into one incident (or rejoin an unclosed one);
no responders, so resolved = mitigated = when its last impaired service recovers."""
import heapq
import json
import random
import sys

from peerstats import compare, iv, mean_se, ratio_se

H = 30 * 86400.0
D, HR = 86400.0, 3600.0


def trial(seed):
    rng = random.Random(seed)
    q = []
    web_up = [True, True]
    reco_up = True
    db_up = True
    for r in range(2):
        heapq.heappush(q, (rng.expovariate(1 / (5 * D)), "web_crash", r))
    heapq.heappush(q, (rng.expovariate(1 / (4 * D)), "reco_crash", 0))
    heapq.heappush(q, (rng.expovariate(1 / (10 * D)), "db_fail", 0))

    def ratios():
        adm = min(1.0, sum(web_up))           # admitted / load of web
        s_db = 1.0 if db_up else 0.0
        s_reco = 1.0 if reco_up else 0.0
        soft = 1 - 0.4 + 0.4 * (s_reco + (1 - s_reco) * 0.5)
        web = adm * s_db * soft
        return web, s_reco, adm

    t_last = 0.0
    area_web = area_reco_good = area_reco_load = 0.0
    impaired = {"web": False, "reco": False}
    holder = {"web": None, "reco": None}      # incident index holding the service
    incidents = []                            # dicts: start, members(set impaired now), mitigated
    while q:
        t, kind, r = heapq.heappop(q)
        if t > H:
            break
        web, reco, adm = ratios()
        dt = t - t_last
        area_web += web * dt
        area_reco_good += adm * reco * dt
        area_reco_load += adm * dt
        t_last = t
        if kind == "web_crash":
            web_up[r] = False
            heapq.heappush(q, (t + rng.expovariate(1 / (2 * HR)), "web_back", r))
        elif kind == "web_back":
            web_up[r] = True
            heapq.heappush(q, (t + rng.expovariate(1 / (5 * D)), "web_crash", r))
        elif kind == "reco_crash":
            reco_up = False
            heapq.heappush(q, (t + rng.expovariate(1 / (3 * HR)), "reco_back", r))
        elif kind == "reco_back":
            reco_up = True
            heapq.heappush(q, (t + rng.expovariate(1 / (4 * D)), "reco_crash", r))
        elif kind == "db_fail":
            db_up = False
            heapq.heappush(q, (t + rng.expovariate(1 / HR), "db_back", r))
        elif kind == "db_back":
            db_up = True
            heapq.heappush(q, (t + rng.expovariate(1 / (10 * D)), "db_fail", r))
        web, reco, adm = ratios()
        # reco's success ratio: 1 when up (with no load its ratio is taken as nominal)
        now = {"web": web < 1 - 1e-6, "reco": (reco < 1 - 1e-6) and adm > 0}
        newly = [s for s in ("web", "reco") if now[s] and not impaired[s]]
        recovered = [s for s in ("web", "reco") if impaired[s] and not now[s]]
        for s in recovered:
            impaired[s] = False
            inc = incidents[holder[s]]
            inc["members"].discard(s)
            if not inc["members"]:
                inc["mitigated"] = t          # no responder: resolved and closed now
        group = None
        for s in newly:
            impaired[s] = True
            h = holder[s]
            if h is not None and incidents[h]["mitigated"] is None:
                incidents[h]["members"].add(s)  # rejoin (cannot happen without responders)
                continue
            if group is None:
                incidents.append({"start": t, "members": set(), "ever": set(), "mitigated": None})
                group = len(incidents) - 1
            incidents[group]["members"].add(s)
            incidents[group]["ever"].add(s)
            holder[s] = group
    web, reco, adm = ratios()
    dt = H - t_last
    area_web += web * dt
    area_reco_good += adm * reco * dt
    area_reco_load += adm * dt
    ttm = [i["mitigated"] - i["start"] for i in incidents if i["mitigated"] is not None]
    bysvc = {v: sum(1 for i in incidents if v in i["ever"]) for v in ("web", "reco")}
    return area_web / H, area_reco_good / area_reco_load, len(incidents), sum(ttm), len(ttm), bysvc


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    res = [trial(1000003 * s + 7) for s in range(n)]
    rel = json.load(open("a_deps.relsim.json"))
    svc = {s["name"]: s["availability"] for s in rel["services"]}
    print(f"a_deps: peer {n} trials, relsim {rel['trials']} trials")
    compare("web availability", *mean_se([r[0] for r in res]), iv(svc["web"]))
    compare("reco availability", *mean_se([r[1] for r in res]), iv(svc["reco"]))
    compare("incidents per trial", *mean_se([r[2] for r in res]), iv(rel["incidents"]["all"]["perTrial"]))
    m, se = ratio_se([r[3] for r in res], [r[4] for r in res])
    compare("TTM mean (s)", m, se, iv(rel["incidents"]["all"]["ttmSeconds"]["mean"]))
    compare("MTTR mean (s)", m, se, iv(rel["incidents"]["all"]["mttrSeconds"]["mean"]))
    bs = rel["incidentFigures"]["byService"]
    for v in ("web", "reco"):
        compare(f"by service {v}: incidents per trial", *mean_se([r[5][v] for r in res]),
                (bs[v]["incidents"] / rel["trials"],) * 3)
