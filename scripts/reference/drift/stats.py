"""Reference values for packages/drift's statistics, computed with scipy.

Run with Debian's interpreter and packages (python3-scipy, python3-numpy):
    /usr/bin/python3 scripts/reference/drift/stats.py > packages/drift/test/fixtures/stats.json
Data come from the generators in prng.py, which packages/drift/test/helpers/prng.ts reproduces bit
for bit, so the fixture holds generator parameters and results, not data.
"""
import json
import sys

import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon
from scipy.special import smirnov

from prng import generate


def normal4(n, seed, loc=0.0, scale=1.0):
    return {"kind": "normal4", "n": n, "seed": seed, "loc": loc, "scale": scale}


def ints(n, seed, k):
    return {"kind": "int", "n": n, "seed": seed, "k": k}


KS_CASES = [
    (normal4(20, 1), normal4(20, 2)),
    (normal4(25, 3), normal4(40, 4, 0.5)),
    (normal4(100, 5), normal4(150, 6, 0.125)),
    (normal4(1000, 7), normal4(800, 8, 0.0625)),
    (ints(300, 9, 10), ints(500, 10, 12)),
    (normal4(10000, 11), normal4(9000, 12, 0.015625)),
    (normal4(10001, 13), normal4(500, 14, 0.0625)),
    (normal4(20000, 15), normal4(15000, 16, 0.015625)),
    (normal4(12000, 17), normal4(100, 18, 0.25)),
    (normal4(10001, 19), normal4(10001, 20)),
    (normal4(50, 21), normal4(50, 21)),
    (normal4(5, 22), normal4(5, 23, 8.0)),
    (ints(20000, 24, 50), ints(30000, 25, 50)),
]


def two_sample_cases(cases, test):
    """Statistic and p-value of a two-sample test on each pair of generated samples."""
    out = []
    for a_spec, b_spec in cases:
        statistic, p_value = test(generate(a_spec), generate(b_spec))
        out.append({"a": a_spec, "b": b_spec, "statistic": float(statistic), "pValue": float(p_value)})
    return out


def ks_cases():
    return two_sample_cases(KS_CASES, lambda a, b: tuple(stats.ks_2samp(a, b))[:2])


def kstwo_cases():
    out = []
    for n in [3, 10, 50, 140, 141, 500, 1000, 5000, 100000, 150000]:
        xs = [0.001, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.2, 0.3, 0.5, 0.7, 0.99, 0.75 / n, 1 - 0.5 / n]
        for x in xs:
            out.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})
    return out


def smirnov_cases():
    out = []
    for n in [5, 100, 1012, 1013, 20000, 200000]:
        for d in [0.001, 0.01, 0.02, 0.05, 0.2, 0.6]:
            out.append({"n": n, "d": d, "sf": float(smirnov(n, d))})
    return out


def wasserstein_cases():
    out = []
    for u_spec, v_spec, weighted in [
        (normal4(50, 31), normal4(60, 32, 0.5), False),
        (normal4(1000, 33), normal4(2000, 34, 0.0625, 2.0), False),
        (ints(400, 35, 7), ints(300, 36, 9), False),
        (normal4(40, 37), normal4(30, 38, 0.25), True),
    ]:
        u, v = generate(u_spec), generate(v_spec)
        uw = [float(i % 5 + 1) for i in range(len(u))] if weighted else None
        vw = [float(i % 3 + 1) for i in range(len(v))] if weighted else None
        d = stats.wasserstein_distance(u, v, uw, vw)
        out.append({
            "u": u_spec, "v": v_spec, "weighted": weighted, "distance": float(d),
            "normalized": float(d / np.std(u)),
        })
    return out


HISTOGRAMS = [
    ([10, 20, 30, 40], [40, 30, 20, 10]),
    ([5, 0, 5], [0, 5, 5]),
    ([1, 2, 3, 0, 0], [1, 2, 3, 4, 5]),
    ([100, 1], [100, 1]),
    ([3, 0], [0, 7]),
    ([0.2, 0.3, 0.5], [0.1, 0.1, 0.8]),
]


def psi(ref, cur, eps=1e-4):
    r = np.asarray(ref, dtype=float) / np.sum(ref)
    c = np.asarray(cur, dtype=float) / np.sum(cur)
    r = np.where(r == 0, eps, r)
    c = np.where(c == 0, eps, c)
    return float(np.sum((c - r) * np.log(c / r)))


def histogram_cases():
    out = []
    for p, q in HISTOGRAMS:
        out.append({
            "p": p, "q": q,
            "jensenshannon": float(jensenshannon(p, q, base=2)),
            "jensenshannonNatural": float(jensenshannon(p, q)),
            "psi": psi(p, q),
        })
    return out


TABLES = [
    ([10, 20, 30], [15, 25, 5]),
    ([0, 5, 10], [3, 5, 10]),
    ([7], [9]),
    ([500, 300, 200, 1], [480, 330, 180, 12]),
    ([1, 1], [1, 1]),
]


def chisquare_cases():
    out = []
    for r, c in TABLES:
        if len(r) == 1:
            stat, p, dof = 0.0, 1.0, 0
        else:
            stat, p, dof, _ = stats.chi2_contingency([r, c], correction=False)
        out.append({"reference": r, "current": c, "statistic": float(stat), "pValue": float(p), "dof": int(dof)})
    return out


def ztest_cases():
    out = []
    for x1, n1, x2, n2 in [(30, 100, 45, 100), (500, 1000, 510, 1000), (1, 50, 0, 60), (10, 10, 9, 10), (400, 800, 90, 150)]:
        p1, p2 = x1 / n1, x2 / n2
        pooled = (x1 + x2) / (n1 + n2)
        z = (p2 - p1) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        out.append({"x1": x1, "n1": n1, "x2": x2, "n2": n2, "statistic": float(z),
                    "pValue": float(2 * stats.norm.sf(abs(z)))})
    return out


def correction_cases():
    out = []
    for ps in [[0.01, 0.04, 0.03, 0.2, 0.5], [0.001, 0.001, 0.9], [0.05]]:
        arr = np.asarray(ps)
        m = len(ps)
        order = np.argsort(arr)
        ranked = arr[order] * m / np.arange(1, m + 1)
        bh_sorted = np.minimum.accumulate(ranked[::-1])[::-1]
        bh = np.empty(m)
        bh[order] = np.minimum(bh_sorted, 1)
        out.append({"pValues": ps, "bonferroni": [float(min(1, p * m)) for p in ps], "benjaminiHochberg": bh.tolist()})
    return out


def quantile_cases():
    out = []
    for spec in [normal4(101, 41), normal4(10, 42), ints(57, 43, 4)]:
        x = generate(spec)
        qs = [i / 10 for i in range(11)]
        out.append({"data": spec, "q": qs, "quantiles": np.quantile(x, qs).tolist()})
    return out


CVM_CASES = [
    (normal4(7, 51), normal4(6, 52, 0.5)),
    (normal4(20, 53), normal4(20, 54, 1.0)),
    (normal4(12, 55), normal4(19, 56)),
    (ints(15, 57, 4), ints(18, 58, 4)),
    (normal4(21, 59), normal4(30, 60, 0.25)),
    (normal4(500, 61), normal4(400, 62, 0.125)),
    (normal4(5000, 63), normal4(3000, 64)),
    (ints(2000, 65, 20), ints(2500, 66, 22)),
    (normal4(1000, 67), normal4(1000, 68, 1.0)),
]


def cvm_cases():
    from scipy.stats._hypotests import _cdf_cvm_inf
    from scipy.special import kve
    def cvm(a, b):
        r = stats.cramervonmises_2samp(a, b)
        return r.statistic, r.pvalue

    out = two_sample_cases(CVM_CASES, cvm)
    limit = [{"x": x, "cdf": float(_cdf_cvm_inf(x))} for x in [0.01, 0.05, 0.1, 0.2, 0.3, 0.4618, 0.7, 1.0, 2.0, 3.0]]
    bessel = [{"x": x, "kve": float(kve(0.25, x))} for x in [0.01, 0.1, 0.5, 1.0, 3.0, 10.0, 40.0, 300.0]]
    return {"cases": out, "limitCdf": limit, "besselK": bessel}


ANDERSON_CASES = [
    (normal4(10, 71), normal4(12, 72, 0.5)),
    (normal4(40, 73), normal4(30, 74, 0.6)),
    (normal4(300, 75), normal4(250, 76, 0.15)),
    (normal4(500, 77), normal4(500, 78)),
    (ints(400, 79, 6), ints(300, 80, 7)),
    (normal4(3000, 81), normal4(2000, 82, 0.3)),
    (normal4(200, 83), normal4(150, 84, 2.0)),
]


def anderson_cases():
    import warnings

    def anderson(a, b):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # scipy warns when it caps the p-value
            r = stats.anderson_ksamp([a, b])
        return r.statistic, r.significance_level

    return two_sample_cases(ANDERSON_CASES, anderson)


json.dump({
    "scipy": scipy.__version__, "numpy": np.__version__,
    "ks": ks_cases(), "kstwo": kstwo_cases(), "smirnov": smirnov_cases(),
    "wasserstein": wasserstein_cases(), "histograms": histogram_cases(), "chisquare": chisquare_cases(),
    "ztest": ztest_cases(), "corrections": correction_cases(), "quantiles": quantile_cases(),
    "cramervonmises": cvm_cases(), "anderson": anderson_cases(),
}, sys.stdout, indent=1)
sys.stdout.write("\n")
