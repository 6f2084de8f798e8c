#!/usr/bin/python3
"""Reference values for packages/core/src/stats/samples.ts and ttest.ts, computed by scipy.

Run with Debian's python3 and python3-scipy from the repository root:
    /usr/bin/python3 scripts/reference/ttest.py
It writes packages/core/test/fixtures/ttest.json.
"""
import json
import pathlib

import numpy as np
import scipy
from scipy import stats

OUT = pathlib.Path('packages/core/test/fixtures/ttest.json')
rng = np.random.default_rng(20240601)

pairs = [
    ([0.91, 0.92, 0.915, 0.905, 0.925], [0.93, 0.94, 0.935, 0.925, 0.928]),
    ([1.0, 2.0, 3.0], [1.5, 2.5, 3.5, 4.5, 5.5, 6.5]),
    ([0.812, 0.815], [0.9, 0.7, 0.95]),
    ([10.0, 10.1, 9.9, 10.05], [10.02, 9.98, 10.01, 10.0]),
    ([1e-6, 2e-6, 3e-6, 4e-6], [1.1e-6, 2.2e-6, 3.1e-6, 4.4e-6]),
    ([5.0, 5.0, 5.0, 5.1], [4.0, 9.0, 1.0, 7.0, 3.0, 8.0, 2.0]),
    (rng.normal(0.80, 0.01, 30).tolist(), rng.normal(0.81, 0.02, 12).tolist()),
    (rng.normal(100.0, 5.0, 200).tolist(), rng.normal(100.5, 9.0, 150).tolist()),
    (rng.normal(0.5, 0.1, 8).tolist(), rng.normal(0.9, 0.1, 8).tolist()),
]


def welch_df(a, b):
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    return float((va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1)))


def welch(a, b):
    result = stats.ttest_ind(a, b, equal_var=False)
    return {'a': a, 'b': b, 'statistic': float(result.statistic), 'df': welch_df(a, b), 'pValue': float(result.pvalue)}


def one_sample(values, mu):
    result = stats.ttest_1samp(values, mu)
    return {'values': values, 'mu': mu, 'statistic': float(result.statistic), 'pValue': float(result.pvalue)}


def summary(values, confidence):
    values = np.asarray(values)
    sem = stats.sem(values)
    low, high = stats.t.interval(confidence, len(values) - 1, loc=values.mean(), scale=sem)
    return {'values': values.tolist(), 'confidence': confidence, 'mean': float(values.mean()),
            'sd': float(values.std(ddof=1)), 'standardError': float(sem), 'low': float(low), 'high': float(high)}


fixture = {
    'generator': 'scripts/reference/ttest.py',
    'scipy': scipy.__version__,
    'welch': [welch(a, b) for a, b in pairs],
    'oneSample': [one_sample(a, b[0]) for a, b in pairs] + [one_sample([0.9, 0.91, 0.92], 0.8)],
    'summaries': [summary(a, confidence) for a, _ in pairs for confidence in (0.95, 0.9, 0.99)],
}
OUT.write_text(json.dumps(fixture, indent=1) + '\n')
print(f'wrote {OUT}')
