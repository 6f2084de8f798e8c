#!/usr/bin/python3
"""Golden fixtures for scoring predictions files (packages/validate): files and scikit-learn's metrics.

Run with Debian's interpreter (python3-sklearn, python3-numpy):

    /usr/bin/python3 scripts/reference/validate/make_prediction_fixtures.py

Writes packages/validate/test/fixtures/predictions/: classification files (per-class probability
columns, and a class per row), a regression file, a candidate and a baseline joined on an id column
(the baseline's rows shuffled), a multilabel file and a ranking file, with reference.json.

Multilabel metrics are scikit-learn's f1_score (micro, macro; zero_division=0) and hamming_loss.
NDCG@k is scikit-learn's ndcg_score per query, averaged over queries. scikit-learn has no MAP@k
nor MRR by query, so they are computed here with numpy as the README defines them (ranks count tied
documents as ranked above, as label_ranking_average_precision_score does; a query with no relevant
document scores 0), and AP with k at least the query's size is checked against
label_ranking_average_precision_score.
"""

import json
import os

import numpy as np
from sklearn import metrics as skm

OUT = os.path.normpath(
    os.path.join(os.path.dirname(__file__), '..', '..', '..', 'packages', 'validate', 'test', 'fixtures', 'predictions')
)
EPS = np.finfo(np.float64).eps


def write_csv(name, header, rows):
    with open(os.path.join(OUT, name), 'w', newline='') as f:
        f.write(','.join(header) + '\n')
        for row in rows:
            f.write(','.join(str(v) for v in row) + '\n')


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def classification(y, proba, hard=False):
    pred = proba.argmax(axis=1)
    labels = list(range(proba.shape[1]))
    out = {
        'accuracy': skm.accuracy_score(y, pred),
        'f1_macro': skm.f1_score(y, pred, average='macro', zero_division=0),
        'f1_weighted': skm.f1_score(y, pred, average='weighted', zero_division=0),
        'precision_macro': skm.precision_score(y, pred, average='macro', zero_division=0),
        'recall_macro': skm.recall_score(y, pred, average='macro', zero_division=0),
        'confusion_matrix': skm.confusion_matrix(y, pred, labels=labels).tolist(),
    }
    if not hard:
        out['log_loss'] = skm.log_loss(y, proba, labels=labels, eps=EPS)
        out['roc_auc_ovr_macro'] = skm.roc_auc_score(y, proba, multi_class='ovr', labels=labels)
    return {k: (v if isinstance(v, list) else float(v)) for k, v in out.items()}


def noisy_proba(rng, y, k, strength):
    z = rng.normal(0, 1, size=(len(y), k))
    z[np.arange(len(y)), y] += strength
    # Six decimals in the file: the probabilities scored are the ones written.
    p = np.round(softmax(z), 6)
    p[:, -1] = np.round(1 - p[:, :-1].sum(axis=1), 6)
    return p


def classification_files(rng, reference):
    classes = ['bird', 'cat', 'dog']
    n = 90
    y = rng.randint(0, 3, size=n)
    ids = ['r%03d' % i for i in range(n)]
    region = ['north' if i % 3 else 'south' for i in range(n)]
    cand = noisy_proba(rng, y, 3, 1.6)
    base = noisy_proba(rng, y, 3, 1.0)
    header = ['id', 'species', 'region'] + ['proba_' + c for c in classes]
    write_csv('candidate.csv', header, [[ids[i], classes[y[i]], region[i]] + ['%.6f' % v for v in cand[i]] for i in range(n)])
    order = rng.permutation(n)
    write_csv('baseline.csv', ['id'] + ['proba_' + c for c in classes], [[ids[i]] + ['%.6f' % v for v in base[i]] for i in order])
    hard = base.argmax(axis=1)
    write_csv('hard.csv', ['id', 'species', 'prediction'], [[ids[i], classes[y[i]], classes[hard[i]]] for i in range(n)])
    mask = np.array([r == 'north' for r in region])
    reference['candidate'] = {
        'rows': n,
        'classes': classes,
        'metrics': classification(y, cand),
        'slices': {
            'north': {'rows': int(mask.sum()), 'metrics': classification(y[mask], cand[mask])},
            'south': {'rows': int((~mask).sum()), 'metrics': classification(y[~mask], cand[~mask])},
        },
    }
    reference['baseline'] = {'rows': n, 'metrics': classification(y, base)}
    reference['hard'] = {'rows': n, 'classes': classes, 'metrics': classification(y, np.eye(3)[hard], hard=True)}


def regression_file(rng, reference):
    n = 50
    truth = np.round(rng.normal(10, 3, size=n), 4)
    pred = np.round(truth + rng.normal(0, 1, size=n), 4)
    write_csv('regression.csv', ['id', 'price', 'prediction'], [['p%d' % i, truth[i], pred[i]] for i in range(n)])
    reference['regression'] = {
        'rows': n,
        'metrics': {
            'rmse': float(np.sqrt(skm.mean_squared_error(truth, pred))),
            'mae': float(skm.mean_absolute_error(truth, pred)),
            'r2': float(skm.r2_score(truth, pred)),
        },
    }


def multilabel_file(rng, reference):
    labels = ['news', 'sport', 'tech', 'arts']
    n = 60
    truth = (rng.uniform(size=(n, 4)) < 0.35).astype(int)
    flip = rng.uniform(size=(n, 4)) < 0.2
    pred = np.where(flip, 1 - truth, truth)
    # A label seen in no cell is unknown to a file's reader: every label appears somewhere.
    cell = lambda row: '|'.join(l for l, v in zip(labels, row) if v)  # noqa: E731
    write_csv('multilabel.csv', ['id', 'tags', 'prediction'], [['m%d' % i, cell(truth[i]), cell(pred[i])] for i in range(n)])
    reference['multilabel'] = {
        'rows': n,
        'labels': labels,
        'metrics': {
            'f1_micro': float(skm.f1_score(truth, pred, average='micro', zero_division=0)),
            'f1_macro': float(skm.f1_score(truth, pred, average='macro', zero_division=0)),
            'hamming_loss': float(skm.hamming_loss(truth, pred)),
        },
    }


def ranks(scores):
    """A document's rank: the number of documents scored at least as high (ties count as above)."""
    return (scores[None, :] >= scores[:, None]).sum(axis=1)


def average_precision_at(relevance, scores, k):
    relevant = relevance > 0
    if not relevant.any():
        return 0.0
    r = ranks(scores)
    total = 0.0
    for i in np.flatnonzero(relevant):
        if r[i] <= k:
            total += (relevant & (scores >= scores[i])).sum() / r[i]
    return total / min(k, relevant.sum())


def reciprocal_rank(relevance, scores):
    relevant = relevance > 0
    return 0.0 if not relevant.any() else 1.0 / ranks(scores)[relevant].min()


def ranking_file(rng, reference):
    rows = []
    queries = []
    for q in range(25):
        size = rng.randint(2, 12)
        relevance = rng.choice([0, 0, 0, 1, 2, 3], size=size)
        if q == 3:
            relevance[:] = 0  # a query with no relevant document
        scores = np.round(relevance * 0.4 + rng.normal(0, 1, size=size), 1)  # one decimal: ties happen
        queries.append((relevance, scores))
        for d in range(size):
            rows.append(['q%02d' % q, 'd%d' % d, relevance[d], scores[d]])
    # Rows of a query need not be adjacent: interleave two halves of the file.
    rows = rows[::2] + rows[1::2]
    write_csv('ranking.csv', ['query', 'doc', 'relevance', 'score'], rows)
    ks = [3, 10]
    metrics = {}
    for k in ks:
        metrics['ndcg_at_%d' % k] = float(np.mean([skm.ndcg_score([r], [s], k=k) for r, s in queries]))
        metrics['map_at_%d' % k] = float(np.mean([average_precision_at(r, s, k) for r, s in queries]))
    metrics['mrr'] = float(np.mean([reciprocal_rank(r, s) for r, s in queries]))
    for r, s in queries:
        if (r > 0).any():
            lrap = skm.label_ranking_average_precision_score([(r > 0).astype(int)], [s])
            assert abs(average_precision_at(r, s, len(r)) - lrap) < 1e-12, (r, s)
    reference['ranking'] = {'queries': len(queries), 'rows': len(rows), 'metrics': metrics}


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(18)
    reference = {}
    classification_files(rng, reference)
    regression_file(rng, reference)
    multilabel_file(rng, reference)
    ranking_file(rng, reference)
    with open(os.path.join(OUT, 'reference.json'), 'w') as f:
        json.dump(reference, f, indent=1, sort_keys=True)
        f.write('\n')


if __name__ == '__main__':
    main()
