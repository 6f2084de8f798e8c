import { UserError } from '@mlactions/core';
import type { RemoteSources } from '@mlactions/data';
import { describe, expect, it } from 'vitest';
import { type ScoreSettingsText, scoreRequestFrom } from '../src/score-settings.ts';

const context = { cwd: '/work/repo' };

/** Expects the settings refused with exactly this message. */
function refused(text: ScoreSettingsText, message: string): void {
  expect(() => scoreRequestFrom(text, context)).toThrow(new UserError(message));
}

describe('scoreRequestFrom (what `mlactions validate` scores, and the gate’s candidate)', () => {
  it('runs a model on data: paths from the front’s folder, s3:// data as it is, empty lists as not given', () => {
    const remote = {} as RemoteSources;
    expect(
      scoreRequestFrom(
        {
          model: 'm.onnx',
          data: 's3://lake/val.csv',
          label: 'y',
          features: [],
          exclude: ['id'],
          slice: 'region',
        },
        { ...context, remote },
      ),
    ).toEqual({
      kind: 'model',
      validate: {
        model: '/work/repo/m.onnx',
        data: 's3://lake/val.csv',
        label: 'y',
        remote,
        exclude: ['id'],
        slice: 'region',
      },
    });
    expect(
      scoreRequestFrom({ model: 'm.onnx', data: 'val/*.csv', label: 'y', task: 'regression' }, context),
    ).toEqual({
      kind: 'model',
      validate: { model: '/work/repo/m.onnx', data: '/work/repo/val/*.csv', label: 'y', task: 'regression' },
    });
  });

  it('scores a predictions file against its label', () => {
    expect(
      scoreRequestFrom(
        {
          predictions: 'p.csv',
          label: 'y',
          task: 'ranking',
          query: 'q',
          k: ['3', '10'],
          predictionColumn: 's',
        },
        context,
      ),
    ).toEqual({
      kind: 'predictions',
      predictions: {
        predictions: '/work/repo/p.csv',
        label: 'y',
        task: 'ranking',
        query: 'q',
        k: [3, 10],
        prediction: 's',
      },
    });
  });

  it('leaves it to the verb to say what it takes when neither is named whole', () => {
    expect(scoreRequestFrom({}, context)).toBeUndefined();
    expect(scoreRequestFrom({ model: 'm.onnx', label: 'y' }, context)).toBeUndefined();
    expect(scoreRequestFrom({ model: 'm.onnx', data: 'd.csv' }, context)).toBeUndefined();
  });

  it('names what is doubled, missing or misspelt', () => {
    refused(
      { predictions: 'p.csv', data: 'd.csv', label: 'y' },
      'give `predictions`, or `model` with `data` and `label`; not both',
    );
    refused({ predictions: 'p.csv' }, 'a predictions file is scored against its label column: give `label`');
    refused(
      { predictions: 'p.csv', label: 'y', k: ['0'] },
      '`k` is a ranking cutoff, a positive whole number; got "0"',
    );
    refused(
      { model: 'm.onnx', data: 'd.csv', label: 'y', task: 'clustering' },
      '`task` must be classification, regression, multilabel or ranking, got "clustering"',
    );
  });

  // The validate verb and the gate disagreed here: the gate said "`task` must be classification or
  // regression", the validate verb pointed to predictions files. Both now point there.
  it('refuses a multilabel or ranking task for a model, pointing to predictions files', () => {
    for (const task of ['multilabel', 'ranking'])
      refused(
        { model: 'm.onnx', data: 'd.csv', label: 'y', task },
        `a model validated here is a classifier or a regressor; score ${task} predictions with \`predictions\``,
      );
  });
});
