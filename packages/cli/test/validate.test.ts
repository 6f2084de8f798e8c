import { describe, expect, it } from 'vitest';
import { fixture } from '../../validate/test/gate-fixtures.ts';
import { runCli } from './bundled-cli.ts';

const mlactions = (...args: string[]) => runCli(args);

const multiclass = [
  '--model',
  fixture('multiclass.onnx'),
  '--data',
  fixture('multiclass.csv'),
  '--label',
  'species',
];

describe('mlactions validate', () => {
  it('prints DESIGN’s JSON shape and nothing else on stdout', () => {
    const run = mlactions('validate', ...multiclass, '--slice', 'region', '--format', 'json');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ task: 'classification', rows: 60, classes: ['bird', 'cat', 'dog'] });
    expect(json.metrics.accuracy).toBeCloseTo(0.8, 12);
    expect(json.metrics.f1_macro).toBeCloseTo(0.8012531328320801, 6);
    expect(json.metrics.confusion_matrix).toEqual([
      [15, 0, 6],
      [0, 18, 3],
      [2, 1, 15],
    ]);
    expect(json.slices.groups.map((g: { value: string; rows: number }) => [g.value, g.rows])).toEqual([
      ['north', 40],
      ['south', 20],
    ]);
  });

  it('prints a readable report by default, and takes the task and feature columns', () => {
    const run = mlactions('validate', ...multiclass, '--exclude', 'region');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^## Validation: classification, 60 rows/);
    expect(run.stdout).toContain('| accuracy | 0.8 |');
    expect(run.stdout).toContain('| bird | 15 | 0 | 6 |');

    const regression = mlactions(
      'validate',
      '--model',
      fixture('regression.onnx'),
      '--data',
      fixture('regression.jsonl'),
      '--label',
      'price',
      '--features',
      'u,v,w',
      '--task',
      'regression',
      '--format',
      'json',
    );
    expect(regression.status, regression.stderr).toBe(0);
    expect(JSON.parse(regression.stdout).metrics.rmse).toBeCloseTo(0.7411293510366658, 5);
  });

  it('names a model that does not fit the data, without a stack trace', () => {
    const run = mlactions('validate', ...multiclass, '--model', fixture('binary.onnx'));
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^mlactions: model \S+binary\.onnx does not fit data file \S+multiclass\.csv/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('asks for the label', () => {
    const run = mlactions(
      'validate',
      '--model',
      fixture('multiclass.onnx'),
      '--data',
      fixture('multiclass.csv'),
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("required option '--label <column>' not specified");
  });
});
