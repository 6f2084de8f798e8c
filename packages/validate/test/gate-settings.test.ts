import { isUserError } from '@mlactions/core';
import { describe, expect, it } from 'vitest';
import type { BaselineStore } from '../src/gate/gate.ts';
import { type GateSettingsText, gateRequestFrom } from '../src/gate/gate-settings.ts';

const opened: string[] = [];
const context = {
  cwd: '/work/repo',
  openStore: (uri: string): BaselineStore => {
    opened.push(uri);
    return { uri, show: () => Promise.reject(new Error('not read here')), aliasHistory: async () => [] };
  },
};

const request = (text: Partial<GateSettingsText>) =>
  gateRequestFrom({ rules: ['accuracy >= 0.9'], ...text }, context);

function messageOf(text: Partial<GateSettingsText>): string {
  try {
    request(text);
  } catch (error) {
    if (isUserError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('gateRequestFrom', () => {
  it('refuses a baseline version and a baseline alias together, naming both, before opening the store', () => {
    opened.length = 0;
    expect(
      messageOf({
        metrics: 'm.json',
        store: 'file://s',
        name: 'iris',
        baselineVersion: '1.0.0',
        baselineAlias: 'staging',
      }),
    ).toBe(
      'give `baseline-version` (1.0.0) or `baseline-alias` (staging), not both: the baseline is one version',
    );
    expect(opened).toEqual([]);
  });

  it('reads a store baseline by version, else by alias, production by default', () => {
    const store = { metrics: 'm.json', store: 'file://s', name: 'iris' };
    expect(request({ ...store, baselineVersion: '1.0.0' }).baseline).toMatchObject({
      name: 'iris',
      version: '1.0.0',
    });
    expect(request({ ...store, baselineAlias: 'staging' }).baseline).toMatchObject({ alias: 'staging' });
    const byDefault = request(store).baseline;
    expect(byDefault).toMatchObject({ kind: 'store', name: 'iris', alias: 'production' });
    expect(byDefault).not.toHaveProperty('version');
  });

  it('resolves paths from the front’s folder and leaves unset numbers to the gate’s defaults', () => {
    const built = request({
      model: 'm.onnx',
      data: 'data/val.csv',
      label: 'y',
      task: 'classification',
      features: [],
      baseline: 'base.json',
      baselineModel: '../prod.onnx',
      margin: 0.01,
    });
    expect(built.candidate).toEqual({
      kind: 'model',
      validate: {
        model: '/work/repo/m.onnx',
        data: '/work/repo/data/val.csv',
        label: 'y',
        task: 'classification',
      },
    });
    expect(built.baseline).toEqual({ kind: 'file', path: '/work/repo/base.json' });
    expect(built.baselineModel).toBe('/work/prod.onnx');
    expect(built.bootstrap).toEqual({ metrics: [], margin: 0.01 });
    expect(built).not.toHaveProperty('missingBaseline');
  });

  it('takes predictions files, joined on an id', () => {
    const built = gateRequestFrom(
      {
        rules: ['ndcg_at_5 >= baseline'],
        predictions: 'pred.csv',
        label: 'relevance',
        task: 'ranking',
        query: 'q',
        k: ['5'],
        predictionColumn: 'score',
        baselinePredictions: 'base.csv',
        id: 'doc',
      },
      context,
    );
    expect(built.candidate).toEqual({
      kind: 'predictions',
      predictions: {
        predictions: '/work/repo/pred.csv',
        label: 'relevance',
        task: 'ranking',
        query: 'q',
        k: [5],
        prediction: 'score',
      },
    });
    expect(built.baselinePredictions).toEqual({ path: '/work/repo/base.csv', id: 'doc' });
  });

  it('names what is missing, doubled or misspelt', () => {
    expect(messageOf({})).toMatch(/^say what to gate: `metrics`/);
    expect(messageOf({ model: 'm.onnx', data: 'd.csv' })).toMatch(/^say what to gate/);
    expect(messageOf({ metrics: 'm.json', model: 'm.onnx' })).toBe(
      'give one candidate: `metrics`, or `model` with `data` and `label`, or `predictions` with `label`',
    );
    expect(messageOf({ predictions: 'p.csv', model: 'm.onnx' })).toMatch(/^give one candidate/);
    expect(messageOf({ predictions: 'p.csv' })).toBe(
      'a predictions file is scored against its label column: give `label`',
    );
    expect(messageOf({ predictions: 'p.csv', label: 'y', baselinePredictions: 'b.csv' })).toBe(
      "baseline predictions are joined with the candidate's on an id column: give `id` (a column both files hold)",
    );
    expect(messageOf({ predictions: 'p.csv', label: 'y', k: ['0'] })).toBe(
      '`k` is a ranking cutoff, a positive whole number; got "0"',
    );
    expect(messageOf({ predictions: 'p.csv', label: 'y', task: 'clustering' })).toBe(
      '`task` must be classification, regression, multilabel or ranking, got "clustering"',
    );
    expect(messageOf({ metrics: 'm.json', baseline: 'b.json', store: 'file://s', name: 'iris' })).toMatch(
      /file \(`baseline`\) or from a store \(`store`\), not both/,
    );
    expect(messageOf({ metrics: 'm.json', store: 'file://s' })).toBe(
      'a store baseline needs the model: give `name`',
    );
    expect(messageOf({ metrics: 'm.json', name: 'iris', baselineAlias: 'staging' })).toBe(
      '`name`, `baseline-alias` name a store baseline: give `store` too',
    );
    expect(messageOf({ metrics: 'm.json', missingBaseline: 'ignore' })).toBe(
      '`missing-baseline` must be skip or error, got "ignore"',
    );
  });
});
