"""Check of c_budget's remaining-budget series (interpretation A: the whole window's budget)."""
import json
import random
from c_budget import trial, cum, TOTAL, O, H, D
from peerstats import compare, mean_se

rel = json.load(open("c_budget.relsim.json"))
rb = rel["slos"][0]["remainingBudget"]
step = rb["stepSeconds"]
idx = [24 * 5, 24 * 15, 24 * 29]          # samples at 5, 15 and 29 days
n = 8000
vals = {i: [] for i in idx}
for s in range(n):
    rng = random.Random(1000003 * s + 3)
    t, downs = 0.0, []
    while True:
        t += rng.expovariate(1 / (6 * D))
        if t >= H:
            break
        r = rng.expovariate(1 / 900.0)
        downs.append((t, min(H, t + r)))
        t += r
    for i in idx:
        x = rb["startSeconds"] + i * step
        bad = sum(cum(min(b, x)) - cum(a) for a, b in downs if a < x)
        vals[i].append(1 - bad / ((1 - O) * TOTAL))
print("step", step, "samples", len(rb["mean"]))
for i in idx:
    print(f"t = {i * step / 86400:.0f} d:", end=" ")
    compare("remaining budget mean", *mean_se(vals[i]), (rb["mean"][i], rb["mean"][i], rb["mean"][i]))
