#!/usr/bin/python3
"""Reference values for packages/core/src/stats/distributions.ts, computed by scipy (logBeta by mpmath).

Run with Debian's python3 and python3-scipy (which brings python3-mpmath) from the repository root:
    /usr/bin/python3 scripts/reference/distributions.py
It writes packages/core/test/fixtures/distributions.json.
"""
import json
import pathlib

import mpmath
import scipy
from scipy import special, stats

mpmath.mp.dps = 40
OUT = pathlib.Path('packages/core/test/fixtures/distributions.json')

normal_x = [-38.0, -20.0, -8.5, -5.0, -3.0, -1.96, -1.0, -0.3, -1e-8, 0.0, 1e-8, 0.5, 1.0, 1.6448536269514722,
            2.5, 4.0, 6.0, 9.0, 15.0, 30.0]
t_cases = [(t, df) for df in [0.5, 1.0, 1.5, 2.0, 3.7, 5.0, 9.3, 30.0, 120.5, 1000.0, 1e6]
           for t in [-25.0, -4.0, -2.0, -0.7, -1e-6, 0.0, 0.3, 1.0, 2.228, 3.5, 8.0, 60.0]]
chi_cases = [(x, df) for df in [0.5, 1.0, 2.0, 3.0, 7.5, 10.0, 50.0, 200.0, 1000.0]
             for x in [0.001, 0.1, 0.5, 1.0, 3.84, 9.0, 20.0, 80.0, 250.0, 1200.0]]
gamma_cases = [(a, x) for a in [0.1, 0.5, 1.0, 2.5, 10.0, 33.3, 100.0, 1000.0, 12345.0]
               for x in [1e-5, 0.05, 0.5, 1.0, 2.0, 9.0, 10.5, 30.0, 95.0, 110.0, 990.0, 1050.0, 12000.0, 12700.0]]
beta_cases = [(x, a, b) for (a, b) in [(0.5, 0.5), (1.0, 1.0), (2.0, 3.0), (0.1, 7.0), (15.0, 0.5), (50.0, 60.0),
                                       (250.5, 0.5), (1000.0, 1200.0)]
              for x in [0.0, 1e-6, 0.01, 0.2, 0.45, 0.5, 0.55, 0.8, 0.99, 0.999999, 1.0]]


def t_pdf(t, df):
    t, df = mpmath.mpf(t), mpmath.mpf(df)
    return mpmath.exp(mpmath.loggamma((df + 1) / 2) - mpmath.loggamma(df / 2)) / mpmath.sqrt(df * mpmath.pi) \
        * (1 + t * t / df) ** (-(df + 1) / 2)


def t_quantile(p, df):
    if p == 0.5:
        return 0.0
    start = mpmath.mpf(float(stats.t.ppf(p, df)))
    nu = mpmath.mpf(df)

    def cdf(t):
        tail = mpmath.betainc(nu / 2, mpmath.mpf(1) / 2, 0, nu / (nu + t * t), regularized=True) / 2
        return tail if t < 0 else 1 - tail

    return float(mpmath.findroot(lambda t: cdf(t) - p, start))


fixture = {
    'generator': 'scripts/reference/distributions.py',
    'scipy': scipy.__version__,
    'normalCdf': [[x, float(stats.norm.cdf(x))] for x in normal_x],
    'normalSf': [[x, float(stats.norm.sf(x))] for x in normal_x],
    'studentTCdf': [[t, df, float(stats.t.cdf(t, df))] for t, df in t_cases],
    'studentTSf': [[t, df, float(stats.t.sf(t, df))] for t, df in t_cases],
    'chiSquareSf': [[x, df, float(stats.chi2.sf(x, df))] for x, df in chi_cases],
    'regularizedGammaP': [[a, x, float(special.gammainc(a, x))] for a, x in gamma_cases],
    'regularizedGammaQ': [[a, x, float(special.gammaincc(a, x))] for a, x in gamma_cases],
    'regularizedBeta': [[x, a, b, float(special.betainc(a, b, x))] for x, a, b in beta_cases],
    # scipy's t.pdf loses ~1e-10 at 1e6 degrees of freedom (a difference of gammaln); mpmath is exact here.
    'studentTPdf': [[t, df, float(t_pdf(t, df))] for t, df in t_cases],
    # scipy's t.ppf (cephes stdtrit) is good to ~1e-9 only; the root is refined in mpmath from scipy's value.
    'studentTQuantile': [[p, df, t_quantile(p, df)] for df in [0.7, 1.0, 2.0, 3.3, 4.0, 9.0, 29.5, 200.0, 1e5]
                         for p in [1e-12, 1e-5, 0.001, 0.025, 0.05, 0.3, 0.5, 0.6, 0.9, 0.975, 0.995, 0.99999]],
    'normalQuantile': [[p, float(stats.norm.ppf(p))] for p in [1e-300, 1e-20, 1e-8, 0.001, 0.025, 0.2, 0.5, 0.7, 0.975,
                                                              0.999, 0.9999999]],
    # scipy.special.betaln loses ~1e-11 for B(1/2, 5e5); mpmath at 40 digits is the reference here.
    'logBeta': [[a, b, float(mpmath.log(mpmath.beta(a, b)))] for a, b in [(0.5, 0.5), (2.0, 3.0), (0.1, 7.0), (3.0, 25.0),
                                                                  (0.5, 5e5), (12.0, 40.0), (1000.0, 1200.0), (5e5, 5e5)]],
    'logGamma': [[x, float(special.gammaln(x))] for x in [1e-8, 0.1, 0.5, 1.0, 1.5, 2.0, 3.3, 10.0, 171.5, 1e5, -0.5, -2.7]],
}
OUT.write_text(json.dumps(fixture, indent=1) + '\n')
print(f'wrote {OUT}')
