"""c_budget with a 7-day rolling window (the last 7 days of the 30-day trial): attainment,
P(met), budget consumed against relsim (run with --set slos.0.window=7d)."""
import os
import json
import random
import subprocess
import sys

from c_budget import cum, H, D, O
from peerstats import compare, iv, mean_se

n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
W0 = H - 7 * D
tot = cum(H) - cum(W0)
att, met, cons = [], [], []
for s in range(n):
    rng = random.Random(1000003 * s + 3)
    t, bad = 0.0, 0.0
    while True:
        t += rng.expovariate(1 / (6 * D))
        if t >= H:
            break
        r = rng.expovariate(1 / 900.0)
        a, b = max(t, W0), min(H, t + r)
        if b > a:
            bad += cum(b) - cum(a)
        t += r
    att.append(1 - bad / tot); met.append(1.0 if bad / tot <= 1 - O else 0.0); cons.append(bad / ((1 - O) * tot))
out = subprocess.run([os.environ.get("RELSIM", "relsim"), "run", "c_budget.yaml", "--set", "slos.0.window=7d",
                      "--trials", "40000", "--threads", "2", "--format", "json"], capture_output=True, text=True).stdout
s = json.loads(out)["slos"][0]
print("window", s["window"])
compare("attainment (7d)", *mean_se(att), iv(s["attainment"]))
compare("P(met) (7d)", *mean_se(met), iv(s["met"]["probability"]))
compare("budget consumed (7d)", *mean_se(cons), iv(s["budgetConsumed"]["mean"]))
