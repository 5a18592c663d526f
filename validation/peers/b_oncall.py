"""Peer of b_oncall.yaml, written from docs/model.md only (plain Python events).
api: deploys Poisson 0.5/day, bad with p 0.4 (30 % errors, not self-detected), a bad version lasts
until a responder's rollback or the next deploy.  Threshold alert errorRate > 5 %, 1-min grid from
t = 0, for 2m: pending at the first tick the condition holds, firing at the first tick >= pending +
2m, inactive at the first tick it fails.  Team ops: 2 members, weekly rotation handing off Mon
10:00 (t = 0 is Mon 00:00: member 1 until 10:00, then member 0), secondary = the other member;
ack Exp(5m) drawn when the notified responder is free (busy = acknowledging or working, FIFO);
escalation after 10m to the secondary; first ack wins.  Runbook: diagnose Exp(5m), rollback
Exp(10m) (success 100 %), confirmStable 15m; impact back during confirm -> steps go on (3 passes)."""
import heapq
import itertools
import json
import math
import random
import sys

from peerstats import compare, iv, mean_se, ratio_se

H = 30 * 86400.0
RATE = 0.5 / 86400.0
CFR = 0.4
TICK, FOR = 60.0, 120.0
ACK, ESC_AFTER = 300.0, 600.0
DIAG, STEP, CONFIRM = 300.0, 600.0, 900.0
WEEK, HANDOFF = 7 * 86400.0, 10 * 3600.0


def primary_at(t):
    k = math.floor((t - HANDOFF) / WEEK)
    return k % 2          # k = -1 (before the first handoff) -> member 1


def next_tick(t):
    return math.ceil(t / TICK) * TICK


class Trial:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.q = []
        self.seq = itertools.count()
        self.bad = False
        self.alert = "inactive"
        self.pending_since = None
        self.alert_ver = 0
        self.incidents = []
        self.holder = None          # open incident of api
        self.people = [dict(state="free", inc=None, queue=[], ver=0) for _ in range(2)]
        self.pages = 0
        self.noise = 0
        self.deploys = 0

    def push(self, t, kind, *args):
        heapq.heappush(self.q, (t, next(self.seq), kind, args))

    # ---- impact -------------------------------------------------------------------
    def set_bad(self, t, bad, by_human=False):
        was = self.bad
        self.bad = bad
        if bad and not was:
            h = self.holder
            if h is not None and not self.incidents[h]["closed"]:
                inc = self.incidents[h]          # impact came back: rejoin
                inc["mitigated"] = None
                if inc["phase"] == "confirm":
                    inc["cver"] += 1              # confirm cancelled: the steps go on
                    self.next_step(t, h)
            else:
                self.incidents.append(dict(start=t, detected=None, paged=None, acked=None,
                                           mitigated=None, resolved=None, closed=False,
                                           esc=0, phase="none", notified=set(), passes=0,
                                           step=0, worker=None, cver=0, wver=0, withdrawn=False,
                                           human=False))
                self.holder = len(self.incidents) - 1
            self.alert_changed(t)
        elif was and not bad:
            h = self.holder
            inc = self.incidents[h]
            inc["mitigated"] = t
            inc["human"] = by_human
            if inc["phase"] in ("diagnose", "step", "waitimpact"):
                inc["wver"] += 1                 # automation (or the step) mitigated: confirm
                self.start_confirm(t, h)
            elif inc["paged"] is None or inc["withdrawn"]:
                self.resolve(t, h)               # no responder: resolved at mitigation
            # paged but not acked yet: it waits for the ack (or the alert to clear: noise)
            self.alert_changed(t)

    # ---- alert --------------------------------------------------------------------
    def alert_changed(self, t):
        self.alert_ver += 1
        self.push(next_tick(t), "tick", self.alert_ver)

    def tick(self, t):
        cond = self.bad
        if self.alert == "inactive":
            if cond:
                self.alert = "pending"
                self.pending_since = t
                self.push(t + FOR, "tick", self.alert_ver)
        elif self.alert == "pending":
            if not cond:
                self.alert = "inactive"
            elif t >= self.pending_since + FOR:
                self.alert = "firing"
                self.fire(t)
            else:
                self.push(self.pending_since + FOR, "tick", self.alert_ver)
        elif self.alert == "firing":
            if not cond:
                self.alert = "inactive"
                self.cleared(t)

    def attributed(self, t):
        h = self.holder
        if h is None:
            return None
        inc = self.incidents[h]
        if inc["resolved"] is None or t <= inc["resolved"] + 3600:
            return h
        return None

    def fire(self, t):
        h = self.attributed(t)
        if h is None:
            return
        inc = self.incidents[h]
        if inc["detected"] is None:
            inc["detected"] = t
        if inc["paged"] is None:
            if inc["resolved"] is not None:
                self.pages += 1
                self.noise += 1                   # a page with no impact behind it
                return
            inc["paged"] = t
            self.pages += 1
            self.notify(t, h, primary_at(t))
            self.push(t + ESC_AFTER, "escalate", h)

    def cleared(self, t):
        h = self.attributed(t)
        if h is None:
            return
        inc = self.incidents[h]
        if inc["paged"] is not None and inc["acked"] is None and not inc["withdrawn"]:
            inc["withdrawn"] = True
            self.noise += 1
            for p in inc["notified"]:
                self.release(t, p, h)
            if inc["mitigated"] is not None:
                self.resolve(t if inc["mitigated"] is None else inc["mitigated"], h)

    # ---- people -------------------------------------------------------------------
    def notify(self, t, h, p):
        inc = self.incidents[h]
        inc["notified"].add(p)
        person = self.people[p]
        if person["state"] == "free":
            self.start_ack(t, p, h)
        else:
            person["queue"].append(h)

    def start_ack(self, t, p, h):
        person = self.people[p]
        person["state"], person["inc"] = "ack", h
        person["ver"] += 1
        self.push(t + self.rng.expovariate(1 / ACK), "ack", p, person["ver"])

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

    def escalate(self, t, h):
        inc = self.incidents[h]
        if inc["acked"] is not None or inc["withdrawn"]:
            return
        inc["esc"] += 1
        self.notify(t, h, 1 - primary_at(t))

    def ack(self, t, p):
        person = self.people[p]
        h = person["inc"]
        inc = self.incidents[h]
        inc["acked"] = t
        inc["acker_escalated"] = inc["esc"] > 0
        for o in inc["notified"]:
            if o != p:
                self.release(t, o, h)
        person["state"] = "work"
        inc["worker"] = p
        # respond: 0s; the runbook's diagnosis first
        if inc["mitigated"] is not None:
            self.start_confirm(t, h)       # impact already over: confirm
            return
        inc["phase"] = "diagnose"
        inc["wver"] += 1
        self.push(t + self.rng.expovariate(1 / DIAG), "work", h, inc["wver"])

    def next_step(self, t, h):
        inc = self.incidents[h]
        if inc["step"] >= 1:              # one step: the list starts over
            inc["passes"] += 1
            inc["step"] = 0
        if inc["passes"] >= 3:
            inc["phase"] = "waitimpact"
            return
        inc["phase"] = "step"
        inc["wver"] += 1
        self.push(t + self.rng.expovariate(1 / STEP), "work", h, inc["wver"])

    def work(self, t, h):
        inc = self.incidents[h]
        if inc["phase"] == "diagnose":
            self.next_step(t, h)
        elif inc["phase"] == "step":
            inc["step"] += 1
            if self.bad:
                self.set_bad(t, False, by_human=True)   # rollback works (100 %)
            else:
                self.start_confirm(t, h)

    def start_confirm(self, t, h):
        inc = self.incidents[h]
        inc["phase"] = "confirm"
        inc["cver"] += 1
        self.push(inc["mitigated"] + CONFIRM, "confirm", h, inc["cver"])

    def resolve(self, t, h):
        inc = self.incidents[h]
        inc["resolved"] = t
        inc["phase"] = "done"
        inc["closed"] = True
        if inc["worker"] is not None and self.people[inc["worker"]]["state"] == "work" \
                and self.people[inc["worker"]]["inc"] == h:
            self.free(t, inc["worker"])

    # ---- run ----------------------------------------------------------------------
    def run(self):
        self.push(self.rng.expovariate(RATE), "deploy")
        while self.q:
            t, _, kind, args = heapq.heappop(self.q)
            if t > H:
                break
            if kind == "deploy":
                self.deploys += 1
                bad = self.rng.random() < CFR
                self.set_bad(t, bad)
                self.push(t + self.rng.expovariate(RATE), "deploy")
            elif kind == "tick":
                if args[0] == self.alert_ver:
                    self.tick(t)
            elif kind == "escalate":
                self.escalate(t, args[0])
            elif kind == "ack":
                p, ver = args
                if self.people[p]["ver"] == ver and self.people[p]["state"] == "ack":
                    self.ack(t, p)
            elif kind == "work":
                h, ver = args
                if self.incidents[h]["wver"] == ver and self.incidents[h]["phase"] in ("diagnose", "step"):
                    self.work(t, h)
            elif kind == "confirm":
                h, ver = args
                inc = self.incidents[h]
                if inc["cver"] == ver and inc["phase"] == "confirm" and inc["mitigated"] is not None:
                    self.resolve(t, h)
        return self


def figures(tr):
    inc = tr.incidents
    def part(a, b):
        v = [i[b] - i[a] for i in inc if i[a] is not None and i[b] is not None]
        return sum(v), len(v)
    paged = [i for i in inc if i["paged"] is not None]
    acked = [i for i in inc if i["acked"] is not None]
    dora = [i["resolved"] - i["detected"] for i in inc if i["resolved"] is not None and i["detected"] is not None]
    return dict(n=len(inc), pages=tr.pages, noise=tr.noise, deploys=tr.deploys,
                ttd=part("start", "detected"), tta=part("paged", "acked"),
                ttm=part("start", "mitigated"), ttr=part("start", "resolved"),
                esc=(sum(1 for i in paged if i["esc"] > 0), len(paged)),
                escn=(sum(i["esc"] for i in paged), len(paged)),
                ackesc=(sum(1 for i in acked if i["acker_escalated"]), len(acked)),
                human=(sum(1 for i in inc if i["human"]), len(inc)),
                dora=(sum(max(0.0, x) for x in dora), len(dora)))


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    res = [figures(Trial(1000003 * s + 5).run()) for s in range(n)]
    rel = json.load(open("b_oncall.relsim.json"))
    a = rel["incidents"]["all"]
    print(f"b_oncall: peer {n} trials, relsim {rel['trials']} trials")
    compare("incidents per trial", *mean_se([r["n"] for r in res]), iv(a["perTrial"]))
    compare("pages per trial", *mean_se([r["pages"] for r in res]), iv(rel["pagesPerTrial"]))
    compare("noise pages per trial", *mean_se([r["noise"] for r in res]), iv(rel["teams"][0]["noisePagesPerTrial"]))
    compare("deploys per trial", *mean_se([r["deploys"] for r in res]),
            (rel["incidentFigures"]["deploys"] / rel["trials"],) * 3)
    for key, name in (("ttd", "ttdSeconds"), ("tta", "ttaSeconds"), ("ttm", "ttmSeconds"), ("ttr", "mttrSeconds")):
        compare(f"{key.upper()} mean (s)", *ratio_se([r[key][0] for r in res], [r[key][1] for r in res]), iv(a[name]["mean"]))
    e = a["escalation"]
    compare("P(escalated)", *ratio_se([r["esc"][0] for r in res], [r["esc"][1] for r in res]), iv(e["pEscalated"]))
    compare("escalations per incident", *ratio_se([r["escn"][0] for r in res], [r["escn"][1] for r in res]), iv(e["escalationsPerIncident"]))
    compare("P(acked after escalation)", *ratio_se([r["ackesc"][0] for r in res], [r["ackesc"][1] for r in res]), iv(e["pAckedAfterEscalation"]))
    compare("P(humans needed)", *ratio_se([r["human"][0] for r in res], [r["human"][1] for r in res]), iv(a["pHumanNeeded"]))
    compare("DORA MTTR (s)", *ratio_se([r["dora"][0] for r in res], [r["dora"][1] for r in res]), iv(rel["incidentFigures"]["doraMttrSeconds"]["mean"]))
