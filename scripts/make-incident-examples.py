#!/usr/bin/env python3
"""Regenerates the synthetic, anonymised incident exports in scenarios/incidents/.

No real data: incidents of the payments example system (scenarios/systems/
payments.yaml, business hours Mon-Fri 09:00-18:00 at UTC-05:00) drawn from
lognormal durations with a heavy-tailed minority, so that the examples show
what real incident data looks like (docs/incident-data.md). Standard library
only; a fixed seed makes the files byte-identical on every run:

    python3 scripts/make-incident-examples.py   # from the repository root
"""
import csv
import datetime as dt
import math
import os
import random

SEED = 12
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scenarios", "incidents")
ZONE = dt.timezone(dt.timedelta(hours=-5))
START = dt.datetime(2026, 1, 5, 0, 0, tzinfo=ZONE)  # a Monday
DAYS = 180
RATE_PER_DAY = 3.3
SERVICES = [("payment-api", 0.5), ("fraud-detection", 0.3), ("payments-db", 0.2)]
SEVERITIES = [("SEV-1", 0.1), ("SEV-2", 0.3), ("SEV-3", 0.6)]


def pick(rng, weighted):
    u, acc = rng.random(), 0.0
    for name, w in weighted:
        acc += w
        if u < acc:
            return name
    return weighted[-1][0]


def business(t):
    return t.weekday() < 5 and 9 <= t.hour < 18


def lognormal(rng, median, sigma):
    return median * math.exp(sigma * rng.gauss(0.0, 1.0))


def incidents():
    rng = random.Random(SEED)
    t = START
    end = START + dt.timedelta(days=DAYS)
    out = []
    n = 0
    while True:
        t += dt.timedelta(seconds=round(rng.expovariate(RATE_PER_DAY / 86400.0)))
        if t >= end:
            break
        n += 1
        service = pick(rng, SERVICES)
        severity = pick(rng, SEVERITIES)
        # Seconds: ack is slower at night; diagnosis and repair are skewed,
        # and one incident in twenty-five is a long one (a Pareto tail).
        tta = lognormal(rng, 120.0 if business(t) else 420.0, 0.8)
        ttm = tta + lognormal(rng, 1200.0, 0.9)
        ttr = ttm + lognormal(rng, 1500.0, 0.8)
        if rng.random() < 0.04:
            ttr *= 1.0 + 6.0 * rng.paretovariate(1.5)
        open_now = t > end - dt.timedelta(days=2) and rng.random() < 0.5
        out.append(dict(n=n, service=service, severity=severity, created=t,
                        tta=round(tta), ttm=round(ttm), ttr=round(ttr), open=open_now))
    return out


def iso(t):
    return t.isoformat(timespec="seconds")


def main():
    rows = incidents()
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "incidents.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "service", "severity", "created", "acknowledged", "mitigated", "resolved"])
        for r in rows:
            c = r["created"]
            w.writerow([f"INC-{r['n']:04d}", r["service"], r["severity"], iso(c),
                        iso(c + dt.timedelta(seconds=r["tta"])),
                        iso(c + dt.timedelta(seconds=r["ttm"])),
                        "" if r["open"] else iso(c + dt.timedelta(seconds=r["ttr"]))])
    # PagerDuty: the incident export's columns (docs/incident-data.md lists
    # what relsim assumes); urgency high for SEV-1/2, priorities P1..P3.
    with open(os.path.join(OUT, "pagerduty.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "incident_number", "description", "service_name", "urgency",
                    "priority_name", "created_on", "resolved_on", "seconds_to_first_ack",
                    "seconds_to_resolve", "auto_resolved"])
        for r in rows:
            c = r["created"]
            pid = "Q" + format(r["n"] * 7919 % 1000003, "06X")
            prio = "P" + r["severity"][-1]
            w.writerow([pid, r["n"], f"{r['service']}: synthetic incident {r['n']}", r["service"],
                        "high" if prio in ("P1", "P2") else "low", prio, iso(c),
                        "" if r["open"] else iso(c + dt.timedelta(seconds=r["ttr"])),
                        r["tta"], "" if r["open"] else r["ttr"], "false"])
    # Opsgenie: alert fields as the Alert API names them; times in epoch
    # milliseconds, report.ackTime / report.closeTime in milliseconds.
    with open(os.path.join(OUT, "opsgenie.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["TinyId", "Message", "Status", "Priority", "Teams", "Entity", "CreatedAt",
                    "Report.AckTime", "Report.CloseTime"])
        for r in rows:
            ms = int(r["created"].timestamp()) * 1000
            w.writerow([r["n"], f"synthetic alert {r['n']}", "open" if r["open"] else "closed",
                        "P" + r["severity"][-1], "payments-oncall", r["service"], ms,
                        r["tta"] * 1000, "" if r["open"] else r["ttr"] * 1000])
    print(f"wrote {len(rows)} incidents to scenarios/incidents/{{incidents,pagerduty,opsgenie}}.csv")


if __name__ == "__main__":
    main()
