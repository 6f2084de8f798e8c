import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type PredictionsOptions,
  scoreJoinedPredictions,
  scorePredictions,
} from '../src/predictions/predictions.ts';

/** Made by scripts/reference/validate/make_prediction_fixtures.py with scikit-learn (and numpy for MAP@k and MRR). */
const fixtures = join(import.meta.dirname, 'fixtures', 'predictions');
type Metrics = Record<string, number | number[][]>;
const reference: Record<
  string,
  {
    rows: number;
    metrics: Metrics;
    classes?: string[];
    labels?: string[];
    queries?: number;
    slices?: Record<string, { rows: number; metrics: Metrics }>;
  }
> = JSON.parse(readFileSync(join(fixtures, 'reference.json'), 'utf8'));

function expectMetrics(actual: object, expected: Metrics): void {
  const got = actual as Record<string, unknown>;
  expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, value] of Object.entries(expected)) {
    if (Array.isArray(value)) expect(got[name], name).toEqual(value);
    // Probabilities are read as float32, as a model's output is.
    else
      expect(
        Math.abs((got[name] as number) - value),
        `${name}: ${got[name]} vs ${value}`,
      ).toBeLessThanOrEqual(1e-6);
  }
}

const score = (file: string, options: Omit<PredictionsOptions, 'predictions'>) =>
  scorePredictions({ predictions: join(fixtures, file), ...options });

describe('predictions files score as scikit-learn does', () => {
  it('per-class probability columns, per slice', async () => {
    const { report } = await score('candidate.csv', { label: 'species', slice: 'region' });
    const ref = reference.candidate!;
    expect(report.task).toBe('classification');
    expect(report.rows).toBe(ref.rows);
    expect(report.task === 'classification' && report.classes).toEqual(ref.classes);
    expectMetrics(report.metrics, ref.metrics);
    expect(report.slices!.groups.map((g) => [g.value, g.rows])).toEqual(
      Object.entries(ref.slices!).map(([value, s]) => [value, s.rows]),
    );
    for (const group of report.slices!.groups)
      expectMetrics(group.metrics, ref.slices![group.value!]!.metrics);
  });

  it('a class per row: label metrics, no log loss or ROC area', async () => {
    const { report } = await score('hard.csv', { label: 'species' });
    expect(report.output).toEqual({ name: 'prediction', kind: 'label' });
    expectMetrics(report.metrics, reference.hard!.metrics);
  });

  it('a numeric prediction is a regression', async () => {
    const { report } = await score('regression.csv', { label: 'price' });
    expect(report.task).toBe('regression');
    expectMetrics(report.metrics, reference.regression!.metrics);
  });

  it('multilabel: label sets separated by |, micro and macro F1 and Hamming loss', async () => {
    const { report } = await score('multilabel.csv', { label: 'tags', task: 'multilabel' });
    expect(report.task === 'multilabel' && report.labels).toEqual(['arts', 'news', 'sport', 'tech']);
    expect(report.rows).toBe(reference.multilabel!.rows);
    expectMetrics(report.metrics, reference.multilabel!.metrics);
  });

  it('ranking by query: NDCG@k, MAP@k and MRR', async () => {
    const { report } = await score('ranking.csv', {
      label: 'relevance',
      task: 'ranking',
      query: 'query',
      prediction: 'score',
      k: [3, 10],
    });
    expect(report.task === 'ranking' && report.queries).toBe(reference.ranking!.queries);
    expectMetrics(report.metrics, reference.ranking!.metrics);
  });
});

describe('candidate and baseline predictions joined on an id', () => {
  it('the baseline, in another row order, is scored on the candidate’s rows', async () => {
    const { candidate, baseline } = await scoreJoinedPredictions(
      { predictions: join(fixtures, 'candidate.csv'), label: 'species' },
      join(fixtures, 'baseline.csv'),
      'id',
    );
    expectMetrics(candidate.report.metrics, reference.candidate!.metrics);
    expectMetrics(baseline.report.metrics, reference.baseline!.metrics);
    expect(baseline.rows!.truth).toEqual(candidate.rows!.truth);
  });

  async function files(candidate: string, baseline: string) {
    const dir = await mkdtemp(join(tmpdir(), 'predictions-'));
    await writeFile(join(dir, 'c.csv'), candidate);
    await writeFile(join(dir, 'b.csv'), baseline);
    return () =>
      scoreJoinedPredictions({ predictions: join(dir, 'c.csv'), label: 'y' }, join(dir, 'b.csv'), 'id');
  }

  it('refuses duplicate ids, naming the rows', async () => {
    const join = await files('id,y,prediction\na,1,1\nb,0,0\na,1,0\n', 'id,prediction\na,1\nb,0\n');
    await expect(join()).rejects.toThrow(
      /c\.csv: id "a" appears twice \(row 1 \(line 2\) and row 3 \(line 4\)\)/,
    );
  });

  it('refuses row sets that differ, naming the ids on each side', async () => {
    const join = await files('id,y,prediction\na,1,1\nb,0,0\n', 'id,prediction\nb,1\nc,0\n');
    await expect(join()).rejects.toThrow(
      /not for the same rows: 1 ids of .*c\.csv are not in .*b\.csv \("a"\); 1 ids of .*b\.csv are not in .*c\.csv \("c"\)/,
    );
  });

  it('refuses a missing id column and an empty id', async () => {
    await expect((await files('id,y,prediction\na,1,1\n', 'key,prediction\na,1\n'))()).rejects.toThrow(
      /b\.csv has no column "id"; its columns are "key", "prediction"/,
    );
    await expect((await files('id,y,prediction\n,1,1\n', 'id,prediction\na,1\n'))()).rejects.toThrow(
      /c\.csv, row 1 \(line 2\): the id column "id" is empty/,
    );
  });

  it('refuses labels that differ between the files', async () => {
    const join = await files('id,y,prediction\na,1,1\nb,0,0\n', 'id,y,prediction\nb,1,1\na,1,0\n');
    await expect(join()).rejects.toThrow(/label "y" differ for id "b" \("0" in .*c\.csv, "1" in .*b\.csv\)/);
  });
});

describe('bad predictions files', () => {
  async function file(text: string) {
    const dir = await mkdtemp(join(tmpdir(), 'predictions-'));
    await writeFile(join(dir, 'p.csv'), text);
    return join(dir, 'p.csv');
  }

  it('names the columns when there is neither a prediction nor probability columns', async () => {
    await expect(scorePredictions({ predictions: await file('y,guess\n1,1\n'), label: 'y' })).rejects.toThrow(
      /has no "prediction" column nor probability columns \("proba_<class>"\); its columns are "y", "guess"/,
    );
  });

  it('refuses probabilities that do not sum to 1, naming the row', async () => {
    const path = await file('y,proba_a,proba_b\na,0.9,0.1\nb,0.5,0.6\n');
    await expect(scorePredictions({ predictions: path, label: 'y' })).rejects.toThrow(
      /row 2 \(line 3\): the probability columns do not sum to 1/,
    );
  });

  it('refuses a label that is not one of the probability columns’ classes', async () => {
    const path = await file('y,proba_a,proba_b\nc,0.9,0.1\n');
    await expect(scorePredictions({ predictions: path, label: 'y' })).rejects.toThrow(
      /label "c" .* is not one of the probability columns' classes: "a", "b"/,
    );
  });

  it('skips rows without a label and counts them', async () => {
    const path = await file('y,prediction\n1,1.5\n,2\n3,2.5\n');
    const { report } = await scorePredictions({ predictions: path, label: 'y' });
    expect([report.rows, report.missingLabels]).toEqual([2, 1]);
    expect(report.metrics).toMatchObject({ mae: 0.5 });
  });

  it('ranking needs the query column', async () => {
    await expect(
      scorePredictions({ predictions: await file('y,prediction\n1,1\n'), label: 'y', task: 'ranking' }),
    ).rejects.toThrow(/give the query column/);
  });
});
