"""Estimates with standard errors, by trial, for the peer models."""
import math


def mean_se(xs):
    n = len(xs)
    m = sum(xs) / n
    v = sum((x - m) ** 2 for x in xs) / (n - 1)
    return m, math.sqrt(v / n)


def ratio_se(ys, ns):
    """Mean over pooled items (sum y / sum n) with the delta-method SE by trial."""
    T = len(ys)
    Y, N = sum(ys), sum(ns)
    if N == 0:
        return float("nan"), float("nan")
    R = Y / N
    v = sum((y - R * n) ** 2 for y, n in zip(ys, ns)) * T / ((T - 1) * N * N)
    return R, math.sqrt(v)


def compare(name, peer, peer_se, rel):
    """rel: (estimate, low, high) of relsim's 95 % interval."""
    est, lo, hi = rel
    if est is None or peer != peer:
        print(f"{name:34s} relsim {est}  peer {peer}")
        return
    rel_se = (hi - lo) / (2 * 1.96) if lo is not None and hi is not None else 0.0
    comb = math.hypot(rel_se, peer_se)
    z = (peer - est) / comb if comb > 0 else (0.0 if peer == est else float("inf"))
    flag = "  <-- FINDING" if abs(z) > 3 else ""
    print(f"{name:34s} relsim {est:.6g} [{lo:.6g}, {hi:.6g}]  peer {peer:.6g} ± {peer_se:.3g}  z={z:+.2f}{flag}")


def iv(d):
    return (d["estimate"], d["low"], d["high"])
