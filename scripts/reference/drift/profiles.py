"""Reference values for drift results computed end to end (data → profile → test), with scipy.

Run with Debian's interpreter and packages (python3-scipy, python3-numpy):
    /usr/bin/python3 scripts/reference/drift/profiles.py > packages/drift/test/fixtures/profiles.json
Data come from prng.py's generators (reproduced bit for bit by the tests). Numeric bins follow the
package's documented rule: cuts are np.quantile(reference, [0.1 … 0.9]) with duplicates dropped, and a
value v falls in bin np.searchsorted(cuts, v, side='right'). Categories are "c<k>" for integer k.
"""
import json
import sys

import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon

from prng import generate


def normal4(n, seed, loc=0.0, scale=1.0):
    return {"kind": "normal4", "n": n, "seed": seed, "loc": loc, "scale": scale}


def ints(n, seed, k):
    return {"kind": "int", "n": n, "seed": seed, "k": k}


def psi(ref, cur, eps=1e-4):
    r = np.asarray(ref, dtype=float) / np.sum(ref)
    c = np.asarray(cur, dtype=float) / np.sum(cur)
    r = np.where(r == 0, eps, r)
    c = np.where(c == 0, eps, c)
    return float(np.sum((c - r) * np.log(c / r)))


def numeric_case(ref_spec, cur_spec, bins=10):
    ref = np.asarray(generate(ref_spec))
    cur = np.asarray(generate(cur_spec))
    cuts = np.unique(np.quantile(ref, np.arange(1, bins) / bins))
    ref_counts = np.bincount(np.searchsorted(cuts, ref, side="right"), minlength=len(cuts) + 1)
    cur_counts = np.bincount(np.searchsorted(cuts, cur, side="right"), minlength=len(cuts) + 1)
    ks = stats.ks_2samp(ref, cur)
    return {
        "reference": ref_spec, "current": cur_spec,
        "cuts": cuts.tolist(), "referenceCounts": ref_counts.tolist(), "currentCounts": cur_counts.tolist(),
        "ks": {"statistic": float(ks.statistic), "pValue": float(ks.pvalue)},
        "wasserstein": float(stats.wasserstein_distance(ref, cur) / np.std(ref)),
        "jensenshannon": float(jensenshannon(ref_counts, cur_counts, base=2)),
        "psi": psi(ref_counts, cur_counts),
        "mean": float(np.mean(ref)), "std": float(np.std(ref)),
    }


def categorical_case(ref_spec, cur_spec):
    ref = [f"c{int(v)}" for v in generate(ref_spec)]
    cur = [f"c{int(v)}" for v in generate(cur_spec)]
    labels = sorted(set(ref) | set(cur))
    ref_counts = [ref.count(label) for label in labels]
    cur_counts = [cur.count(label) for label in labels]
    chi2, p, dof, _ = stats.chi2_contingency([ref_counts, cur_counts], correction=False)
    return {
        "reference": ref_spec, "current": cur_spec, "labels": labels,
        "chisquare": {"statistic": float(chi2), "pValue": float(p), "dof": int(dof)},
        "jensenshannon": float(jensenshannon(ref_counts, cur_counts, base=2)),
        "psi": psi(ref_counts, cur_counts),
    }


json.dump({
    "numeric": [
        numeric_case(normal4(500, 101), normal4(300, 102, 0.25)),
        numeric_case(normal4(5000, 103, 10.0, 4.0), normal4(4000, 104, 10.5, 4.0)),
        numeric_case(ints(900, 105, 8), ints(700, 106, 9)),
    ],
    "sketched": [
        numeric_case(normal4(200000, 107), normal4(150000, 108, 0.125)),
    ],
    "categorical": [
        categorical_case(ints(800, 109, 6), ints(700, 110, 7)),
        categorical_case(ints(3000, 111, 12), ints(2500, 112, 12)),
    ],
}, sys.stdout, indent=1)
sys.stdout.write("\n")
