import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUserError } from '@mlactions/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ValidateOptions, validate } from '../src/evaluate/evaluate.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'validate-errors-'));
});

async function data(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

/** The message of the UserError the run ends in (any other error fails the test). */
async function userError(options: ValidateOptions): Promise<string> {
  try {
    await validate(options);
  } catch (error) {
    if (isUserError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('a model that does not fit the data is one error listing inputs and columns', () => {
  it('feature count', async () => {
    const message = await userError({
      model: join(fixtures, 'multiclass.onnx'),
      data: join(fixtures, 'binary.csv'),
      label: 'outcome',
    });
    expect(message).toBe(
      [
        `model ${join(fixtures, 'multiclass.onnx')} does not fit data file ${join(fixtures, 'binary.csv')}: input "input" takes 4 features but the data has 3 feature columns.`,
        '  model inputs: "input" float32 [batch, 4]',
        '  data columns: "a", "b", "c", "outcome" (label "outcome")',
        '  Choose the feature columns (features, or exclude the ones that are not features) to match the inputs.',
      ].join('\n'),
    );
  });

  it('input name (a model with one input per column)', async () => {
    const path = await data('renamed.csv', 'a,c,y\n1,2,3\n');
    const message = await userError({ model: join(fixtures, 'two_inputs.onnx'), data: path, label: 'y' });
    expect(message).toContain('the model takes one input per column, and the data has no column "b"');
    expect(message).toContain('model inputs: "a" float32 [N, 1], "b" float32 [N, 1]');
    expect(message).toContain('data columns: "a", "c", "y" (label "y")');
    const listed = await userError({
      model: join(fixtures, 'two_inputs.onnx'),
      data: join(fixtures, 'two_inputs.csv'),
      label: 'y',
      features: ['b', 'a'],
    });
    expect(listed).toContain('fed by name; features lists "b", "a" instead of the inputs');
  });

  it('an excluded column that does not exist', async () => {
    const message = await userError({
      model: join(fixtures, 'multiclass.onnx'),
      data: join(fixtures, 'multiclass.csv'),
      label: 'species',
      exclude: ['regoin'],
    });
    expect(message).toContain('the data has no column "regoin"');
  });

  it('input type', async () => {
    const path = await data('ints.csv', 'i,j,k,y\n1,2,3,0\n');
    const message = await userError({ model: join(fixtures, 'int64_input.onnx'), data: path, label: 'y' });
    expect(message).toContain(
      'input "ids" takes int64; only float32 and float64 inputs can be fed from a table',
    );
    expect(message).toContain('model inputs: "ids" int64 [N, 3]');
  });

  it('a cell that is not a number names its row and column', async () => {
    const path = await data(
      'text-cell.csv',
      'f0,f1,f2,f3,species\n1,2,3,4,cat\n1,2,3,4,dog\n1,two,3,4,cat\n',
    );
    const message = await userError({
      model: join(fixtures, 'multiclass.onnx'),
      data: path,
      label: 'species',
    });
    expect(message).toBe(
      [
        `model ${join(fixtures, 'multiclass.onnx')} does not fit data file ${path}: row 3 (line 4), column "f1" holds "two", which is not a number.`,
        '  model inputs: "input" float32 [batch, 4]',
        '  data columns: "f0", "f1", "f2", "f3", "species" (label "species")',
        '  Choose the feature columns (features, or exclude the ones that are not features) to match the inputs.',
      ].join('\n'),
    );
    const regression = await data('text-label.jsonl', '{"u": 1, "v": 2, "w": 3, "price": "cheap"}\n');
    expect(
      await userError({ model: join(fixtures, 'regression.onnx'), data: regression, label: 'price' }),
    ).toBe(
      `data file ${regression}, row 1 (line 1), column "price": "cheap" is not a number; a regression's label is a number (for a classifier, set task to classification)`,
    );
  });

  it('a text column left among the features says so (the slice column is not a feature)', async () => {
    const path = await data('extra-column.csv', 'f0,f1,f2,f3,species,region\n1,2,3,4,cat,north\n');
    const message = await userError({
      model: join(fixtures, 'multiclass.onnx'),
      data: path,
      label: 'species',
    });
    expect(message).toContain('input "input" takes 4 features but the data has 5 feature columns');
    const ok = await validate({
      model: join(fixtures, 'multiclass.onnx'),
      data: path,
      label: 'species',
      exclude: ['region'],
      classes: ['bird', 'cat', 'dog'],
    });
    expect(ok.report.rows).toBe(1);
  });
});

describe('labels, classes and outputs', () => {
  it('an unknown label column lists the columns', async () => {
    const message = await userError({
      model: join(fixtures, 'multiclass.onnx'),
      data: join(fixtures, 'multiclass.csv'),
      label: 'kind',
    });
    expect(message).toContain(
      'has no column "kind"; its columns are "f0", "f1", "species", "region", "f2", "f3"',
    );
  });

  it('a label outside the model’s declared classes names its first row', async () => {
    const path = await data('unknown-class.csv', 's0,s1,s2,s3,grade\n1,2,3,4,low\n1,2,3,4,extreme\n');
    const message = await userError({
      model: join(fixtures, 'sklearn_tensor.onnx'),
      data: path,
      label: 'grade',
    });
    expect(message).toBe(
      `label "extreme" (first at row 2) is not one of the model's classes: "high", "low", "mid"`,
    );
  });

  it('labels that cannot be matched to the output columns ask for the class order', async () => {
    const path = await data('two-classes.csv', 'f0,f1,f2,f3,species\n1,2,3,4,cat\n1,2,3,4,dog\n');
    const message = await userError({
      model: join(fixtures, 'multiclass.onnx'),
      data: path,
      label: 'species',
    });
    expect(message).toContain(
      'the data\'s labels have 2 classes ("cat", "dog") but the model outputs 3 class columns',
    );
    expect(message).toContain('pass classes');
  });

  it('the error policy for missing labels stops at the first one', async () => {
    const message = await userError({
      model: join(fixtures, 'binary.onnx'),
      data: join(fixtures, 'binary.csv'),
      label: 'outcome',
      task: 'classification',
      missingLabels: 'error',
    });
    expect(message).toBe(
      `data file ${join(fixtures, 'binary.csv')}, row 5: the label column "outcome" is empty; fill it, drop the row, or skip such rows (missing labels: skip)`,
    );
  });

  it('a regression of a multi-column output, an unknown output, and missing files', async () => {
    const regression = await userError({
      model: join(fixtures, 'multiclass.onnx'),
      data: join(fixtures, 'multiclass.csv'),
      label: 'f0',
      exclude: ['species', 'region'],
      features: ['f1', 'f2', 'f3', 'f0'],
      task: 'regression',
    });
    expect(regression).toContain('the label column "f0" is listed as a feature');
    const wide = await data('wide.csv', 'f0,f1,f2,f3,y\n1,2,3,4,0.5\n');
    expect(
      await userError({
        model: join(fixtures, 'multiclass.onnx'),
        data: wide,
        label: 'y',
        task: 'regression',
      }),
    ).toContain("has 3 columns; a regressor's has one");
    expect(
      await userError({
        model: join(fixtures, 'sklearn_tensor.onnx'),
        data: join(fixtures, 'sklearn.csv'),
        label: 'grade',
        output: 'label',
      }),
    ).toContain('"label" string [N] is not a float tensor to score');
    expect(await userError({ model: join(dir, 'missing.onnx'), data: wide, label: 'y' })).toContain(
      'does not exist',
    );
    const notModel = await data('not-a-model.onnx', 'hello');
    expect(await userError({ model: notModel, data: wide, label: 'y' })).toContain(
      'is not a model onnxruntime can load',
    );
  });
});
