"""Peer of b2_oncall.yaml, written from docs/model.md only (plain Python events).
api: 1 replica (health check 0), crash Exp(4d), restart Exp(20m); deploys Poisson 1/day, 20 % bad
(30 % errors, not self-detected).  Burn-rate page 14.4x over 1h/5m on a 99.9 % SLO (constant
demand: window ratio = bad time-weighted error over the window's part inside the trial), ticks
every minute from t = 0, for 0.  ops: 3 members, weekly rotation at Mon 10:00 (t = 0 is Mon 00:00),
secondary = next member; ack Exp(3m) in business hours (Mon-Fri 09-18), Exp(10m) off hours;
respond 0 / 5m; escalation 5m -> secondary, 15m -> mgr's primary, one loop (pass = 15m + 5m,
each new pass notifies the current primary again).  mgr: 1 member, ack Exp(5m), respond 0.
Runbook: diagnose Exp(4m); rollback if deployedWithin 1h, Exp(5m), 90 %; restart Exp(3m) (finishes
the pending restart now); confirmStable 15m; three passes."""
import bisect
import heapq
import itertools
import json
import math
import random
import sys

from peerstats import compare, iv, mean_se, ratio_se

D, HR, MIN = 86400.0, 3600.0, 60.0
H = 30 * D
THR = 14.4 * 0.001
LONG, SHORT = HR, 5 * MIN
WEEK, HANDOFF = 7 * D, 10 * HR
CONFIRM = 15 * MIN
ESC = [(5 * MIN, "secondary"), (15 * MIN, "mgr")]
PASS = 15 * MIN + 5 * MIN
LOOPS = 1


def business(t):
    day = int(t // D) % 7              # 0 = Monday
    h = (t % D) / HR
    return day < 5 and 9 <= h < 18


def ops_primary(t):
    return math.floor((t - HANDOFF) / WEEK) % 3


class Trial:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.q = []
        self.seq = itertools.count()
        self.up, self.bad = True, False
        self.restart_ver = 0
        self.crash_ver = 0
        self.last_deploy = -1e18
        self.rec_t, self.rec_b, self.rec_e = [0.0], [0.0], [0.0]   # cumulative bad time
        self.alert = False
        self.ticking = False
        self.incidents = []
        self.holder = None
        self.people = {p: dict(state="free", inc=None, queue=[], ver=0)
                       for p in [("ops", 0), ("ops", 1), ("ops", 2), ("mgr", 0)]}
        self.pages = self.noise = self.night = 0
        self.deploys = 0

    def push(self, t, kind, *args):
        heapq.heappush(self.q, (t, next(self.seq), kind, args))

    # ---- fluid and burn windows -----------------------------------------------------
    def err(self):
        return 1.0 if not self.up else (0.3 if self.bad else 0.0)

    def record(self, t):
        e = self.err()
        b = self.B(t)
        self.rec_t.append(t); self.rec_b.append(b); self.rec_e.append(e)

    def B(self, t):
        i = bisect.bisect_right(self.rec_t, t) - 1
        return self.rec_b[i] + self.rec_e[i] * (t - self.rec_t[i])

    def ratio(self, t, w):
        a = max(0.0, t - w)
        return (self.B(t) - self.B(a)) / (t - a) if t > a else 0.0

    def cond(self, t):
        return self.ratio(t, LONG) >= THR and self.ratio(t, SHORT) >= THR

    def ensure_ticking(self, t):
        if not self.ticking:
            self.ticking = True
            self.push(math.ceil(t / MIN) * MIN, "tick")

    def tick(self, t):
        c = self.cond(t)
        if c and not self.alert:
            self.alert = True
            self.fire(t)
        elif not c and self.alert:
            self.alert = False
            self.cleared(t)
        if self.alert or self.B(t) - self.B(max(0.0, t - SHORT)) > 0:
            self.push(t + MIN, "tick")
        else:
            self.ticking = False

    # ---- impact -------------------------------------------------------------------
    def changed(self, t, cause=None, human=False):
        """Call after every change of up/bad."""
        self.record(t)
        e = self.err()
        if e > 0:
            self.ensure_ticking(t)
        h = self.holder
        inc = self.incidents[h] if h is not None else None
        impaired_now = e > 0
        was = inc is not None and inc["mitigated"] is None and not inc["closed"]
        if impaired_now:
            if inc is not None and not inc["closed"]:
                if inc["mitigated"] is not None:          # impact came back
                    inc["mitigated"] = None
                    if inc["phase"] == "confirm":
                        inc["cver"] += 1
                        self.next_step(t, h)
                inc["sev_err"] = max(inc["sev_err"], e)
            else:
                self.incidents.append(dict(start=t, cause=cause, detected=None, paged=None,
                                           acked=None, responding=None, mitigated=None,
                                           resolved=None, closed=False, esc=0, acker=None,
                                           ack_esc=False, phase="none", notified=set(),
                                           passes=0, step=0, wver=0, cver=0, withdrawn=False,
                                           human=False, sev_err=e))
                self.holder = len(self.incidents) - 1
        elif was:
            inc["mitigated"] = t
            inc["human"] = human
            if inc["phase"] in ("diagnose", "step", "waitimpact"):
                inc["wver"] += 1
                self.start_confirm(t, h)
            elif inc["paged"] is None or inc["withdrawn"]:
                self.resolve(t, h)
            # paged, not acked or responding not started: decided at ack / responding

    # ---- alert routing ------------------------------------------------------------
    def attributed(self, t):
        h = self.holder
        if h is None:
            return None
        inc = self.incidents[h]
        if inc["resolved"] is None or t <= inc["resolved"] + HR:
            return h
        return None

    def fire(self, t):
        h = self.attributed(t)
        if h is None or self.incidents[h]["closed"]:
            # a page with no impact behind it: noise, notifies nobody
            self.pages += 1
            self.noise += 1
            if not business(t):
                self.night += 1
            if h is not None:
                inc = self.incidents[h]
                if inc["detected"] is None:
                    inc["detected"] = t
                if inc["paged"] is None:             # the closed incident is paged
                    inc["paged"] = t                 # (docs/model.md "Routing", as clarified)
                    inc["noisepaged"] = True
            return
        inc = self.incidents[h]
        if inc["detected"] is None:
            inc["detected"] = t
        if inc["paged"] is None:
            self.pages += 1
            if not business(t):
                self.night += 1
            inc["paged"] = t
            self.notify(t, h, ("ops", ops_primary(t)))
            for j in range(LOOPS + 1):
                base = t + j * PASS
                if j > 0:
                    self.push(base, "escalate", h, "primary")
                for after, to in ESC:
                    self.push(base + after, "escalate", h, to)

    def cleared(self, t):
        h = self.attributed(t)
        if h is None:
            return
        inc = self.incidents[h]
        if inc["paged"] is not None and inc["acked"] is None and not inc["withdrawn"] \
                and not inc.get("noisepaged"):
            inc["withdrawn"] = True
            self.noise += 1
            for p in list(inc["notified"]):
                self.release(t, p, h)
            if inc["mitigated"] is not None:
                self.resolve(inc["mitigated"], h)

    # ---- people -------------------------------------------------------------------
    def notify(self, t, h, p):
        inc = self.incidents[h]
        inc["notified"].add(p)
        person = self.people[p]
        if person["state"] == "free":
            self.start_ack(t, p, h)
        elif not (person["state"] == "ack" and person["inc"] == h) and h not in person["queue"]:
            person["queue"].append(h)

    def start_ack(self, t, p, h):
        person = self.people[p]
        person["state"], person["inc"] = "ack", h
        person["ver"] += 1
        if p[0] == "mgr":
            m = 5 * MIN
        else:
            m = 3 * MIN if business(t) else 10 * MIN
        self.push(t + self.rng.expovariate(1 / m), "ack", p, person["ver"])

    def release(self, t, p, h):
        person = self.people[p]
        if h in person["queue"]:
            person["queue"].remove(h)
        if person["state"] == "ack" and person["inc"] == h:
            person["ver"] += 1
            self.free(t, p)

    def free(self, t, p):
        person = self.people[p]
        person["state"], person["inc"] = "free", None
        while person["queue"]:
            h = person["queue"].pop(0)
            inc = self.incidents[h]
            if inc["acked"] is None and not inc["withdrawn"]:
                self.start_ack(t, p, h)
                return

    def escalate(self, t, h, to):
        inc = self.incidents[h]
        if inc["acked"] is not None or inc["withdrawn"]:
            return
        if to == "primary":
            self.notify(t, h, ("ops", ops_primary(t)))
            return
        inc["esc"] += 1
        if to == "secondary":
            self.notify(t, h, ("ops", (ops_primary(t) + 1) % 3))
        else:
            self.notify(t, h, ("mgr", 0))

    def ack(self, t, p):
        person = self.people[p]
        h = person["inc"]
        inc = self.incidents[h]
        inc["acked"] = t
        inc["acker"] = p
        inc["ack_esc"] = inc["esc"] > 0
        for o in list(inc["notified"]):
            if o != p:
                self.release(t, o, h)
        person["state"] = "work"
        r = 0.0 if (p[0] == "mgr" or business(t)) else 5 * MIN
        inc["phase"] = "respond"
        inc["wver"] += 1
        self.push(t + r, "work", h, inc["wver"])

    def responding(self, t, h):
        inc = self.incidents[h]
        inc["responding"] = t
        if inc["mitigated"] is not None:
            self.start_confirm(t, h)
            return
        inc["phase"] = "diagnose"
        inc["wver"] += 1
        self.push(t + self.rng.expovariate(1 / (4 * MIN)), "work", h, inc["wver"])

    def next_step(self, t, h):
        inc = self.incidents[h]
        while True:
            if inc["step"] >= 2:
                inc["passes"] += 1
                inc["step"] = 0
            if inc["passes"] >= 3:
                inc["phase"] = "waitimpact"
                return
            if inc["step"] == 0 and not (t - self.last_deploy <= HR):
                inc["step"] = 1                  # rollback skipped: no deploy within 1h
                continue
            break
        inc["phase"] = "step"
        inc["wver"] += 1
        mean = 5 * MIN if inc["step"] == 0 else 3 * MIN
        self.push(t + self.rng.expovariate(1 / mean), "work", h, inc["wver"])

    def work(self, t, h):
        inc = self.incidents[h]
        if inc["phase"] == "respond":
            self.responding(t, h)
        elif inc["phase"] == "diagnose":
            self.next_step(t, h)
        elif inc["phase"] == "step":
            s = inc["step"]
            inc["step"] += 1
            if s == 0:
                if self.rng.random() < 0.9 and self.bad:
                    self.bad = False
                    self.changed(t, human=True)
            else:
                if not self.up:
                    self.up = True
                    self.restart_ver += 1
                    self.crash_ver += 1
                    self.push(t + self.rng.expovariate(1 / (4 * D)), "crash", self.crash_ver)
                    self.changed(t, human=True)
            if inc["phase"] == "step":           # impact not ended: the next step
                self.next_step(t, h)

    def start_confirm(self, t, h):
        inc = self.incidents[h]
        inc["phase"] = "confirm"
        inc["cver"] += 1
        self.push(max(t, inc["mitigated"] + CONFIRM), "confirm", h, inc["cver"])

    def resolve(self, t, h):
        inc = self.incidents[h]
        inc["resolved"] = t
        inc["phase"] = "done"
        inc["closed"] = True
        if inc["acker"] is not None:
            p = inc["acker"]
            if self.people[p]["state"] == "work" and self.people[p]["inc"] == h:
                self.free(t, p)

    # ---- run ----------------------------------------------------------------------
    def run(self):
        self.push(self.rng.expovariate(1 / D), "deploy")
        self.push(self.rng.expovariate(1 / (4 * D)), "crash", self.crash_ver)
        while self.q:
            t, _, kind, args = heapq.heappop(self.q)
            if t > H:
                break
            if kind == "deploy":
                self.deploys += 1
                self.last_deploy = t
                bad = self.rng.random() < 0.2
                if bad != self.bad:
                    self.bad = bad
                    self.changed(t, cause="bad_deploy")
                self.push(t + self.rng.expovariate(1 / D), "deploy")
            elif kind == "crash":
                if args[0] == self.crash_ver and self.up:
                    self.up = False
                    self.restart_ver += 1
                    self.push(t + self.rng.expovariate(1 / (20 * MIN)), "restart", self.restart_ver)
                    self.changed(t, cause="replica_crash")
            elif kind == "restart":
                if args[0] == self.restart_ver and not self.up:
                    self.up = True
                    self.crash_ver += 1
                    self.push(t + self.rng.expovariate(1 / (4 * D)), "crash", self.crash_ver)
                    self.changed(t)
            elif kind == "tick":
                self.tick(t)
            elif kind == "escalate":
                self.escalate(t, *args)
            elif kind == "ack":
                p, ver = args
                if self.people[p]["ver"] == ver and self.people[p]["state"] == "ack":
                    self.ack(t, p)
            elif kind == "work":
                h, ver = args
                if self.incidents[h]["wver"] == ver:
                    self.work(t, h)
            elif kind == "confirm":
                h, ver = args
                inc = self.incidents[h]
                if inc["cver"] == ver and inc["phase"] == "confirm" and inc["mitigated"] is not None:
                    self.resolve(t, h)
        return self


def figures(tr, sev=None):
    inc = [i for i in tr.incidents if sev is None or (1 if i["sev_err"] > 0.5 else 2) == sev]

    def part(a, b):
        v = [i[b] - i[a] for i in inc if i[a] is not None and i[b] is not None]
        return sum(v), len(v)

    paged = [i for i in inc if i["paged"] is not None]
    acked = [i for i in inc if i["acked"] is not None]
    answered = [i for i in paged if not (i["acked"] is None and i["mitigated"] is not None)]
    tgt = {1: (5 * MIN, 15 * MIN), 2: (15 * MIN, 30 * MIN)}
    def ackmet(i):
        a, _ = tgt[1 if i["sev_err"] > 0.5 else 2]
        return i["acked"] is not None and i["acked"] - i["paged"] <= a
    def respmet(i):
        _, r = tgt[1 if i["sev_err"] > 0.5 else 2]
        return i["responding"] is not None and i["responding"] - i["paged"] <= r
    dora = [max(0.0, i["resolved"] - i["detected"]) for i in inc
            if i["resolved"] is not None and i["detected"] is not None]
    return dict(n=len(inc), pages=tr.pages, noise=tr.noise, night=tr.night, deploys=tr.deploys,
                ttd=part("start", "detected"), tta=part("paged", "acked"),
                ttm=part("start", "mitigated"), ttr=part("start", "resolved"),
                esc=(sum(1 for i in paged if i["esc"] > 0), len(paged)),
                escn=(sum(i["esc"] for i in paged), len(paged)),
                ackesc=(sum(1 for i in acked if i["ack_esc"]), len(acked)),
                other=(sum(1 for i in acked if i["acker"][0] == "mgr"), len(acked)),
                human=(sum(1 for i in inc if i["human"]), len(inc)),
                ackmet=(sum(1 for i in answered if ackmet(i)), len(answered)),
                respmet=(sum(1 for i in answered if respmet(i)), len(answered)),
                dora=(sum(dora), len(dora)))


def rs(res, k):
    return ratio_se([r[k][0] for r in res], [r[k][1] for r in res])


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    trials = [Trial(1000003 * s + 9).run() for s in range(n)]
    rel = json.load(open("b2_oncall.relsim.json"))
    print(f"b2_oncall: peer {n} trials, relsim {rel['trials']} trials")
    ops = rel["teams"][0]
    compare("pages per trial", *mean_se([t.pages for t in trials]), iv(rel["pagesPerTrial"]))
    compare("night pages per trial", *mean_se([t.night for t in trials]), iv(ops["nightPagesPerTrial"]))
    compare("noise pages per trial", *mean_se([t.noise for t in trials]), iv(ops["noisePagesPerTrial"]))
    for g, sev in (("all", None), ("sev1", 1), ("sev2", 2)):
        res = [figures(t, sev) for t in trials]
        a = rel["incidents"][g]
        print(f"-- {g}")
        compare("incidents per trial", *mean_se([r["n"] for r in res]), iv(a["perTrial"]))
        for key, name in (("ttd", "ttdSeconds"), ("tta", "ttaSeconds"), ("ttm", "ttmSeconds"), ("ttr", "mttrSeconds")):
            compare(f"{key.upper()} mean (s)", *rs(res, key), iv(a[name]["mean"]))
        e = a["escalation"]
        compare("P(escalated)", *rs(res, "esc"), iv(e["pEscalated"]))
        compare("escalations per incident", *rs(res, "escn"), iv(e["escalationsPerIncident"]))
        compare("P(acked after escalation)", *rs(res, "ackesc"), iv(e["pAckedAfterEscalation"]))
        compare("P(other team acked)", *rs(res, "other"), iv(e["pOtherTeamAcked"]))
        compare("P(humans needed)", *rs(res, "human"), iv(a["pHumanNeeded"]))
        if sev:
            c = rel["incidentFigures"]["sevCompliance"][f"SEV-{sev}"]
            compare("P(ack target met)", *rs(res, "ackmet"), iv(c["pAckMet"]))
            compare("P(response target met)", *rs(res, "respmet"), iv(c["pRespondMet"]))
        else:
            compare("DORA MTTR (s)", *rs(res, "dora"), iv(rel["incidentFigures"]["doraMttrSeconds"]["mean"]))
