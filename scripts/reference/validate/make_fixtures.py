#!/usr/bin/python3
"""Golden fixtures for packages/validate: small ONNX models, validation data and scikit-learn's metrics.

Run with Debian's interpreter (python3-torch, python3-onnx, python3-sklearn, python3-numpy):

    /usr/bin/python3 scripts/reference/validate/make_fixtures.py

Writes packages/validate/test/fixtures/ and bench/validate/mlp20.onnx (the benchmark's model). Reference metrics are computed by scikit-learn from the model
outputs as torch (or numpy, for the hand-built ai.onnx.ml graphs) computes them in float32, so they
differ from onnxruntime's by float32 rounding only.
"""

import gzip
import io
import json
import os

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper
from sklearn import metrics as skm
from sklearn.linear_model import LogisticRegression

OUT = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'packages', 'validate', 'test', 'fixtures')
OUT = os.path.normpath(OUT)
EPS = np.finfo(np.float64).eps


def blobs(rng, n, n_features, n_classes, spread):
    """Gaussian blobs, one per class, overlapping enough that no model is perfect."""
    centers = rng.normal(0, 1.5, size=(n_classes, n_features))
    y = rng.randint(0, n_classes, size=n)
    x = centers[y] + rng.normal(0, spread, size=(n, n_features))
    return x, y


def fmt(value, i):
    """Varied number spellings so the golden path exercises the float parser."""
    styles = ['%.6f', '%.5e', '%.7g', '%.3f']
    return styles[i % len(styles)] % value


def write_csv(path, header, rows, newline='\n', opener=open):
    with opener(path, 'wt', newline='') as f:
        f.write(','.join(header) + newline)
        for row in rows:
            f.write(','.join(row) + newline)


def gzip_text(path, mode, newline):
    """A gzip text writer with a fixed timestamp, so regenerated fixtures are byte-identical."""
    return io.TextIOWrapper(gzip.GzipFile(path, mode.replace('t', 'b'), mtime=0), newline=newline)


def as_float32(x_text):
    """The float32 features a reader makes of the written text."""
    return np.array([[float(v) for v in row] for row in x_text], dtype=np.float64).astype(np.float32)


def train_mlp(x, y, n_out, logits, seed):
    torch.manual_seed(seed)
    layers = [torch.nn.Linear(x.shape[1], 8), torch.nn.Tanh(), torch.nn.Linear(8, n_out)]
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(net.parameters(), lr=0.05)
    xt = torch.tensor(x, dtype=torch.float32)
    if n_out == 1 and not logits:
        yt = torch.tensor(y, dtype=torch.float32).reshape(-1, 1)
        loss_fn = torch.nn.BCEWithLogitsLoss()
    else:
        yt = torch.tensor(y, dtype=torch.long)
        loss_fn = torch.nn.CrossEntropyLoss()
    for _ in range(60):
        opt.zero_grad()
        loss = loss_fn(net(xt), yt)
        loss.backward()
        opt.step()
    return net


def export(module, n_features, path, input_name='input', output_name='output'):
    module.eval()
    dummy = torch.zeros(2, n_features, dtype=torch.float32)
    torch.onnx.export(
        module,
        dummy,
        path,
        input_names=[input_name],
        output_names=[output_name],
        dynamic_axes={input_name: {0: 'batch'}, output_name: {0: 'batch'}},
        opset_version=13,
    )


def classification_metrics(y_true, proba, n_classes):
    """scikit-learn's metrics for class indices y_true and a probability matrix."""
    labels = list(range(n_classes))
    y_pred = proba.argmax(axis=1)
    out = {
        'accuracy': skm.accuracy_score(y_true, y_pred),
        'f1_macro': skm.f1_score(y_true, y_pred, average='macro', zero_division=0),
        'f1_weighted': skm.f1_score(y_true, y_pred, average='weighted', zero_division=0),
        'precision_macro': skm.precision_score(y_true, y_pred, average='macro', zero_division=0),
        'recall_macro': skm.recall_score(y_true, y_pred, average='macro', zero_division=0),
        'log_loss': skm.log_loss(y_true, proba, labels=labels, eps=EPS),
        'confusion_matrix': skm.confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }
    if n_classes == 2:
        out['roc_auc'] = skm.roc_auc_score(y_true, proba[:, 1])
    else:
        out['roc_auc_ovr_macro'] = skm.roc_auc_score(y_true, proba, multi_class='ovr', labels=labels)
    return {k: (float(v) if not isinstance(v, list) else v) for k, v in out.items()}


def regression_metrics(y_true, y_pred):
    return {
        'rmse': float(np.sqrt(skm.mean_squared_error(y_true, y_pred))),
        'mae': float(skm.mean_absolute_error(y_true, y_pred)),
        'r2': float(skm.r2_score(y_true, y_pred)),
    }


def sliced(metric_fn, slices, *arrays):
    return {
        str(value): {'rows': int((slices == value).sum()), 'metrics': metric_fn(*[a[slices == value] for a in arrays])}
        for value in sorted(set(slices.tolist()))
    }


def softmax(z):
    z = z.astype(np.float64)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def multiclass(rng, reference):
    """Probabilities output, string labels inferred in sorted order, a slice column."""
    names = np.array(['bird', 'cat', 'dog'])
    x, y = blobs(rng, 200, 4, 3, 1.4)
    net = train_mlp(x[:140].astype(np.float32), y[:140], 3, True, 1)
    export(torch.nn.Sequential(net, torch.nn.Softmax(dim=1)), 4, os.path.join(OUT, 'multiclass.onnx'))
    xv, yv = x[140:], y[140:]
    region = np.array(['north' if i % 3 else 'south' for i in range(len(yv))])
    text = [[fmt(v, i + j) for j, v in enumerate(row)] for i, row in enumerate(xv)]
    rows = [t[:2] + [names[c], region[i]] + t[2:] for i, (t, c) in enumerate(zip(text, yv))]
    write_csv(os.path.join(OUT, 'multiclass.csv'), ['f0', 'f1', 'species', 'region', 'f2', 'f3'], rows)
    with torch.no_grad():
        proba = torch.softmax(net(torch.tensor(as_float32(text))), dim=1).numpy().astype(np.float64)
    fn = lambda yt, p: classification_metrics(yt, p, 3)  # noqa: E731
    reference['multiclass'] = {
        'rows': len(yv),
        'classes': names.tolist(),
        'metrics': fn(yv, proba),
        'slices': sliced(fn, region, yv, proba),
    }


def multiclass_logits(rng, reference):
    """Logits output (rows do not sum to 1), integer labels, gzipped CSV with CRLF line ends."""
    x, y = blobs(rng, 220, 5, 4, 1.6)
    net = train_mlp(x[:150].astype(np.float32), y[:150], 4, True, 2)
    export(net, 5, os.path.join(OUT, 'multiclass_logits.onnx'), 'features', 'logits')
    xv, yv = x[150:], y[150:]
    text = [[fmt(v, i * 3 + j) for j, v in enumerate(row)] for i, row in enumerate(xv)]
    rows = [[str(c)] + t for t, c in zip(text, yv)]
    header = ['"label"'] + ['"x %d"' % j for j in range(5)]
    write_csv(os.path.join(OUT, 'multiclass_logits.csv.gz'), header, rows, '\r\n', gzip_text)
    with torch.no_grad():
        logits = net(torch.tensor(as_float32(text))).numpy()
    proba = softmax(logits)
    reference['multiclass_logits'] = {
        'rows': len(yv),
        'classes': ['0', '1', '2', '3'],
        'metrics': classification_metrics(yv, proba, 4),
    }


def binary(rng, reference):
    """A single positive-class probability, string labels, rows with a missing label (skipped)."""
    names = np.array(['no', 'yes'])
    x, y = blobs(rng, 180, 3, 2, 1.5)
    net = train_mlp(x[:120].astype(np.float32), y[:120], 1, False, 3)
    export(torch.nn.Sequential(net, torch.nn.Sigmoid()), 3, os.path.join(OUT, 'binary.onnx'))
    xv, yv = x[120:], y[120:]
    missing = np.array([i % 11 == 4 for i in range(len(yv))])
    text = [[fmt(v, i + 2 * j) for j, v in enumerate(row)] for i, row in enumerate(xv)]
    rows = [t + ['' if m else names[c]] for t, c, m in zip(text, yv, missing)]
    write_csv(os.path.join(OUT, 'binary.csv'), ['a', 'b', 'c', 'outcome'], rows)
    with torch.no_grad():
        p = torch.sigmoid(net(torch.tensor(as_float32(text)))).numpy().astype(np.float64).reshape(-1)
    keep = ~missing
    proba = np.stack([1 - p[keep], p[keep]], axis=1)
    reference['binary'] = {
        'rows': int(keep.sum()),
        'missing_labels': int(missing.sum()),
        'classes': names.tolist(),
        'metrics': classification_metrics(yv[keep], proba, 2),
    }


def regression(rng, reference):
    """A regression MLP over JSON lines, with a slice column."""
    x = rng.normal(0, 1, size=(160, 3))
    y = 2.0 * x[:, 0] - x[:, 1] * x[:, 2] + rng.normal(0, 0.3, size=160) + 5
    torch.manual_seed(4)
    net = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    opt = torch.optim.Adam(net.parameters(), lr=0.05)
    xt, yt = torch.tensor(x[:100], dtype=torch.float32), torch.tensor(y[:100], dtype=torch.float32).reshape(-1, 1)
    for _ in range(150):
        opt.zero_grad()
        torch.nn.functional.mse_loss(net(xt), yt).backward()
        opt.step()
    export(net, 3, os.path.join(OUT, 'regression.onnx'))
    xv, yv = x[100:], y[100:]
    shop = np.array(['a' if i % 2 else 'b' for i in range(len(yv))])
    with open(os.path.join(OUT, 'regression.jsonl'), 'w') as f:
        for i in range(len(yv)):
            row = {'u': round(xv[i, 0], 6), 'shop': shop[i], 'v': round(xv[i, 1], 6), 'w': round(xv[i, 2], 6)}
            row['price'] = round(yv[i], 4)
            f.write(json.dumps(row) + '\n')
    feats = np.round(xv, 6).astype(np.float32)
    with torch.no_grad():
        pred = net(torch.tensor(feats)).numpy().astype(np.float64).reshape(-1)
    truth = np.round(yv, 4)
    reference['regression'] = {
        'rows': len(yv),
        'metrics': regression_metrics(truth, pred),
        'slices': sliced(regression_metrics, shop, truth, pred),
    }


def linear_classifier_graph(model, zipmap):
    """The graph sklearn-onnx makes of a LogisticRegression: ai.onnx.ml LinearClassifier (+ ZipMap)."""
    classes = [str(c) for c in model.classes_]
    n_features = model.coef_.shape[1]
    nodes = [
        helper.make_node(
            'LinearClassifier',
            ['float_input'],
            ['label', 'probability_tensor'],
            domain='ai.onnx.ml',
            coefficients=model.coef_.astype(np.float32).reshape(-1).tolist(),
            intercepts=model.intercept_.astype(np.float32).tolist(),
            classlabels_strings=classes,
            multi_class=1,
            post_transform='SOFTMAX',
        )
    ]
    outputs = [helper.make_tensor_value_info('label', TensorProto.STRING, ['N'])]
    if zipmap:
        nodes.append(
            helper.make_node(
                'ZipMap', ['probability_tensor'], ['probabilities'], domain='ai.onnx.ml', classlabels_strings=classes
            )
        )
        # onnx 1.12's helper has no make_map_type_proto: seq(map(string, tensor(float))) spelled out.
        map_type = onnx.TypeProto()
        map_type.map_type.key_type = TensorProto.STRING
        map_type.map_type.value_type.CopyFrom(helper.make_tensor_type_proto(TensorProto.FLOAT, []))
        outputs.append(helper.make_value_info('probabilities', helper.make_sequence_type_proto(map_type)))
    else:
        nodes.append(helper.make_node('Identity', ['probability_tensor'], ['probabilities']))
        outputs.append(helper.make_tensor_value_info('probabilities', TensorProto.FLOAT, ['N', len(classes)]))
    graph = helper.make_graph(
        nodes, 'logreg', [helper.make_tensor_value_info('float_input', TensorProto.FLOAT, ['N', n_features])], outputs
    )
    opsets = [helper.make_opsetid('', 13), helper.make_opsetid('ai.onnx.ml', 1)]
    onnx_model = helper.make_model(graph, opset_imports=opsets, producer_name='mlactions-fixtures')
    onnx.checker.check_model(onnx_model)
    return onnx_model


def sklearn_style(rng, reference):
    """A scikit-learn LogisticRegression as sklearn-onnx converts it: label + probabilities (ZipMap or not)."""
    names = np.array(['high', 'low', 'mid'])
    x, y = blobs(rng, 200, 4, 3, 1.5)
    model = LogisticRegression(max_iter=500).fit(x[:140], names[y[:140]])
    onnx.save(linear_classifier_graph(model, False), os.path.join(OUT, 'sklearn_tensor.onnx'))
    onnx.save(linear_classifier_graph(model, True), os.path.join(OUT, 'sklearn_zipmap.onnx'))
    xv, yv = x[140:], names[y[140:]]
    text = [[fmt(v, i + j) for j, v in enumerate(row)] for i, row in enumerate(xv)]
    write_csv(os.path.join(OUT, 'sklearn.csv'), ['s0', 's1', 's2', 's3', 'grade'], [t + [c] for t, c in zip(text, yv)])
    z = as_float32(text) @ model.coef_.astype(np.float32).T + model.intercept_.astype(np.float32)
    proba = softmax(z.astype(np.float32))
    y_idx = np.searchsorted(model.classes_, yv)
    reference['sklearn'] = {'rows': len(yv), 'classes': names.tolist(), 'metrics': classification_metrics(y_idx, proba, 3)}


def per_column_inputs(rng, reference):
    """One [N, 1] input per column, as sklearn-onnx makes for column transformers: fed by name."""
    inputs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, ['N', 1]) for n in ('a', 'b')]
    weights = helper.make_tensor('w', TensorProto.FLOAT, [2, 1], [1.5, -0.5])
    nodes = [
        helper.make_node('Concat', ['a', 'b'], ['ab'], axis=1),
        helper.make_node('MatMul', ['ab', 'w'], ['variable']),
    ]
    graph = helper.make_graph(
        nodes, 'two_inputs', inputs, [helper.make_tensor_value_info('variable', TensorProto.FLOAT, ['N', 1])], [weights]
    )
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)])
    onnx.checker.check_model(onnx_model)
    onnx.save(onnx_model, os.path.join(OUT, 'two_inputs.onnx'))
    x = np.round(rng.normal(0, 1, size=(30, 2)), 4)
    y = np.round(1.5 * x[:, 0] - 0.5 * x[:, 1] + rng.normal(0, 0.2, size=30), 4)
    write_csv(os.path.join(OUT, 'two_inputs.csv'), ['b', 'y', 'a'], [[str(r[1]), str(t), str(r[0])] for r, t in zip(x, y)])
    xf = x.astype(np.float32)
    pred = (xf[:, 0] * np.float32(1.5) + xf[:, 1] * np.float32(-0.5)).astype(np.float64)
    reference['two_inputs'] = {'rows': 30, 'metrics': regression_metrics(y, pred)}


def int64_input():
    """A model whose input is int64: the evaluator must refuse it with the model's inputs listed."""
    graph = helper.make_graph(
        [helper.make_node('Cast', ['ids'], ['out'], to=TensorProto.FLOAT)],
        'int_input',
        [helper.make_tensor_value_info('ids', TensorProto.INT64, ['N', 3])],
        [helper.make_tensor_value_info('out', TensorProto.FLOAT, ['N', 3])],
    )
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)])
    onnx.checker.check_model(onnx_model)
    onnx.save(onnx_model, os.path.join(OUT, 'int64_input.onnx'))


def bench_model():
    """A 20-feature binary MLP with fixed random weights for bench/validate (its accuracy is no concern)."""
    torch.manual_seed(20)
    net = torch.nn.Sequential(
        torch.nn.Linear(20, 32), torch.nn.Tanh(), torch.nn.Linear(32, 2), torch.nn.Softmax(dim=1)
    )
    path = os.path.join(os.path.dirname(OUT), '..', '..', '..', 'bench', 'validate', 'mlp20.onnx')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    export(net, 20, os.path.normpath(path))


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(7)
    reference = {}
    multiclass(rng, reference)
    multiclass_logits(rng, reference)
    binary(rng, reference)
    regression(rng, reference)
    sklearn_style(rng, reference)
    per_column_inputs(rng, reference)
    int64_input()
    bench_model()
    with open(os.path.join(OUT, 'reference.json'), 'w') as f:
        json.dump(reference, f, indent=1, sort_keys=True)
        f.write('\n')


if __name__ == '__main__':
    main()
