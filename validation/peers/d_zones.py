"""Peer of d_zones.yaml, written from docs/model.md only (plain Python events).
web: 2 replicas, one in zone-a and one in zone-b (round robin), 200 req/s each, demand 200,
crossZone: a healthy replica gets x*h/R of the load (R = replicas still routed: alive, or dead
for less than the 30 s health-check delay).  Crash Exp(3d) per replica slot, restart Exp(5m) in
the same zone if it is up, else rescheduled into an up zone (fewest replicas of web, then
declaration order) -- not moved back.  zone-a outages Exp(7d), lasting Exp(1h), kill everything
there (the replica draws a restart).  db: primary in zone-a, replica zone-b, automatic failover:
detect 2m + Exp(1m) then 10 s of connection errors (100 %), then the primary is in zone-b.
Threshold ticket: errorRate > 20 % on a 1-minute grid, for 90 s (fires 2 ticks after pending)."""
import heapq
import itertools
import json
import math
import random
import sys

from peerstats import compare, iv, mean_se, ratio_se

D, MIN = 86400.0, 60.0
H = 30 * D
HCD = 30.0


class Trial:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.q = []
        self.seq = itertools.count()
        self.zone_up = {"a": True, "b": True}
        self.rep_zone = ["a", "b"]
        self.alive = [True, True]
        self.died = [None, None]          # when it died (routed for HCD after)
        self.waiting = [False, False]     # restart ready but no zone
        self.db_zone = "a"
        self.db_state = "up"              # up | down | failover | connerr
        self.ver = [0, 0]
        self.last_t = 0.0
        self.good = 0.0
        self.alert_state = "inactive"
        self.pending_since = None
        self.alert_ver = 0
        self.tickets = 0
        self.incidents = []
        self.cur = None                   # open incident

    def push(self, t, kind, *args):
        heapq.heappush(self.q, (t, next(self.seq), kind, args))

    def success(self, t):
        routed = [i for i in range(2) if self.alive[i] or
                  (self.died[i] is not None and t < self.died[i] + HCD)]
        h = sum(1 for i in range(2) if self.alive[i])
        R = len(routed)
        adm = (min(200.0 * h / R, 200.0 * h) / 200.0) if R else 0.0
        return adm * (1.0 if self.db_state == "up" else 0.0)

    def kill(self, t, i):
        if not self.alive[i]:
            return
        self.alive[i] = False
        self.died[i] = t
        self.ver[i] += 1
        self.push(t + HCD, "hcd")
        self.push(t + self.rng.expovariate(1 / (5 * MIN)), "ready", i, self.ver[i])

    def place(self, t, i):
        if not self.zone_up[self.rep_zone[i]]:
            ups = [z for z in ("a", "b") if self.zone_up[z]]
            if not ups:
                self.waiting[i] = True
                return
            count = {z: sum(1 for j in range(2) if j != i and self.rep_zone[j] == z) for z in ups}
            self.rep_zone[i] = min(ups, key=lambda z: (count[z], z))
        self.waiting[i] = False
        self.alive[i] = True
        self.died[i] = None
        self.ver[i] += 1
        self.push(t + self.rng.expovariate(1 / (3 * D)), "crash", i, self.ver[i])

    def step(self, t, cause):
        s = self.success(t)
        impaired = s < 1 - 1e-6
        if impaired and self.cur is None:
            self.incidents.append(dict(start=t, cause=cause, mitigated=None, detected=None))
            self.cur = len(self.incidents) - 1
        elif not impaired and self.cur is not None:
            self.incidents[self.cur]["mitigated"] = t
            self.last_closed = self.cur
            self.cur = None
        self.alert_ver += 1
        self.push(math.ceil(t / MIN) * MIN, "tick", self.alert_ver)

    def tick(self, t):
        cond = 1 - self.success(t) > 0.2
        if self.alert_state == "inactive":
            if cond:
                self.alert_state, self.pending_since = "pending", t
                self.push(t + MIN, "tick", self.alert_ver)
        elif self.alert_state == "pending":
            if not cond:
                self.alert_state = "inactive"
            elif t >= self.pending_since + 90:
                self.alert_state = "firing"
                self.tickets += 1
                h = self.cur if self.cur is not None else getattr(self, "last_closed", None)
                if h is not None and self.incidents[h]["detected"] is None:
                    self.incidents[h]["detected"] = t
            else:
                self.push(t + MIN, "tick", self.alert_ver)
        elif not cond:
            self.alert_state = "inactive"

    def run(self):
        for i in range(2):
            self.push(self.rng.expovariate(1 / (3 * D)), "crash", i, self.ver[i])
        self.push(self.rng.expovariate(1 / (7 * D)), "zdown")
        while self.q:
            t, _, kind, args = heapq.heappop(self.q)
            if t > H:
                break
            s = self.success(self.last_t)
            self.good += s * (t - self.last_t)
            self.last_t = t
            cause = None
            if kind == "crash":
                i, v = args
                if v == self.ver[i] and self.alive[i]:
                    self.kill(t, i)
                    cause = "replica_crash"
            elif kind == "ready":
                i, v = args
                if v == self.ver[i]:
                    self.place(t, i)
            elif kind == "hcd":
                pass
            elif kind == "zdown":
                self.zone_up["a"] = False
                for i in range(2):
                    if self.rep_zone[i] == "a":
                        self.kill(t, i)
                if self.db_zone == "a" and self.db_state == "up":
                    self.db_state = "down"
                    self.push(t + 120 + self.rng.expovariate(1 / MIN), "promote")
                self.push(t + self.rng.expovariate(1 / 3600.0), "zup")
                cause = "zone_outage"
            elif kind == "zup":
                self.zone_up["a"] = True
                for i in range(2):
                    if self.waiting[i]:
                        self.place(t, i)
                self.push(t + self.rng.expovariate(1 / (7 * D)), "zdown")
            elif kind == "promote":
                self.db_zone, self.db_state = "b", "connerr"
                self.push(t + 10, "dbok")
            elif kind == "dbok":
                self.db_state = "up"
            elif kind == "tick":
                if args[0] == self.alert_ver or self.alert_state == "pending":
                    self.tick(t)
                continue
            self.step(t, cause)
        s = self.success(self.last_t)
        self.good += s * (H - self.last_t)
        return self


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    trials = [Trial(1000003 * s + 13).run() for s in range(n)]
    rel = json.load(open("d_zones.relsim.json"))
    print(f"d_zones: peer {n} trials, relsim {rel['trials']} trials")
    compare("web availability", *mean_se([t.good / H for t in trials]), iv(rel["services"][0]["availability"]))
    compare("tickets per trial", *mean_se([t.tickets for t in trials]), iv(rel["teams"][0]["ticketsPerTrial"]))
    a = rel["incidents"]["all"]
    compare("incidents per trial", *mean_se([len(t.incidents) for t in trials]), iv(a["perTrial"]))
    def rs(f, sel=lambda i: True):
        ys, ns = [], []
        for t in trials:
            v = [f(i) for i in t.incidents if sel(i) and f(i) is not None]
            ys.append(sum(v)); ns.append(len(v))
        return ratio_se(ys, ns)
    ttm = lambda i: None if i["mitigated"] is None else i["mitigated"] - i["start"]
    ttd = lambda i: None if i["detected"] is None else i["detected"] - i["start"]
    compare("TTM mean (s)", *rs(ttm), iv(a["ttmSeconds"]["mean"]))
    compare("TTD mean (s)", *rs(ttd), iv(a["ttdSeconds"]["mean"]))
    bc = rel["incidentFigures"]["byCause"]
    for cause, key in (("zone_outage", "zone outage"), ("replica_crash", "replica crash")):
        g = bc[key]
        compare(f"{key}: incidents per trial", *mean_se([sum(1 for i in t.incidents if i["cause"] == cause) for t in trials]),
                (g["incidents"] / rel["trials"],) * 3)
        compare(f"{key}: mitigate mean (s)", *rs(ttm, lambda i: i["cause"] == cause), iv(g["mitigateSeconds"]["mean"]))
        compare(f"{key}: detected per trial", *mean_se([sum(1 for i in t.incidents if i["cause"] == cause and i["detected"] is not None) for t in trials]),
                (g["detectSeconds"]["n"] / rel["trials"],) * 3)
