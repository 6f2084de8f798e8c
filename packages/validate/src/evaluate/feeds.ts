import { UserError } from '@mlactions/core';
import * as ort from 'onnxruntime-node';
import { describeModelPort, type Model, type ModelPort, type Tensors } from '../model/model.ts';
import { describeColumns } from './columns.ts';

/** Which columns feed the model, and how a batch becomes its input tensors. */
export interface FeedPlan {
  readonly features: readonly string[];
  readonly featureType: 'float32' | 'float64';
  /** The input tensors for `rows` rows of the feature matrix (rows × features, row-major). */
  feeds(features: Float32Array | Float64Array, rows: number): Tensors;
}

/** The columns that are not features, and the caller's choice of features. */
export interface ColumnRoles {
  readonly label: string;
  readonly slice?: string;
  /** Feature columns in the model's order; by default every column but the label, slice and exclusions. */
  readonly features?: readonly string[];
  readonly exclude?: readonly string[];
}

/** The data side of a mismatch message. */
export interface DataDescription {
  readonly path: string;
  readonly columns: readonly string[];
  readonly roles: ColumnRoles;
}

const FLOAT_TYPES = new Set(['float32', 'float64']);

/**
 * Matches the model's inputs to the data. One input takes every feature as a [batch, n] matrix; several
 * inputs (sklearn-onnx makes one per column) are fed by name, each a [batch, 1] column.
 */
export function planFeeds(model: Model, data: DataDescription): FeedPlan {
  const { inputs } = model;
  for (const input of inputs) {
    if (!FLOAT_TYPES.has(input.type)) {
      throw mismatch(
        model,
        data,
        `input ${JSON.stringify(input.name)} takes ${input.type}; only float32 and float64 inputs can be fed from a table`,
      );
    }
  }
  if (inputs.length === 1) return matrixFeed(model, data, inputs[0]!);
  if (inputs.length > 1) return columnFeeds(model, data);
  throw mismatch(model, data, 'the model has no inputs');
}

function matrixFeed(model: Model, data: DataDescription, input: ModelPort): FeedPlan {
  const { roles } = data;
  const excluded = new Set([
    roles.label,
    ...(roles.slice === undefined ? [] : [roles.slice]),
    ...(roles.exclude ?? []),
  ]);
  const features = roles.features ?? data.columns.filter((name) => !excluded.has(name));
  const missing = [...features, ...(roles.exclude ?? [])].filter((name) => !data.columns.includes(name));
  if (missing.length > 0) {
    throw mismatch(
      model,
      data,
      `the data has no column ${missing.map((name) => JSON.stringify(name)).join(', ')}`,
    );
  }
  if (features.includes(roles.label)) {
    throw mismatch(model, data, `the label column ${JSON.stringify(roles.label)} is listed as a feature`);
  }
  if (input.dims.length !== 2 && !(input.dims.length === 1 && features.length === 1)) {
    throw mismatch(
      model,
      data,
      `input ${JSON.stringify(input.name)} has ${input.dims.length} dimensions; a table feeds [batch, features]`,
    );
  }
  const width = input.dims.length === 2 ? input.dims[1] : 1;
  if (typeof width === 'number' && width !== features.length) {
    throw mismatch(
      model,
      data,
      `input ${JSON.stringify(input.name)} takes ${width} features but the data has ${features.length} feature columns`,
    );
  }
  const type = input.type as 'float32' | 'float64';
  const shape = (rows: number) => (input.dims.length === 2 ? [rows, features.length] : [rows]);
  return {
    features,
    featureType: type,
    feeds: (matrix, rows) => ({ [input.name]: new ort.Tensor(type, matrix, shape(rows)) }),
  };
}

function columnFeeds(model: Model, data: DataDescription): FeedPlan {
  const names = model.inputs.map((input) => input.name);
  const chosen = data.roles.features;
  if (chosen !== undefined && chosen.join('\u0000') !== names.join('\u0000')) {
    throw mismatch(
      model,
      data,
      `the model takes one input per column, fed by name; features lists ${chosen.map((name) => JSON.stringify(name)).join(', ')} instead of the inputs`,
    );
  }
  const missing = names.filter((name) => !data.columns.includes(name));
  if (missing.length > 0) {
    throw mismatch(
      model,
      data,
      `the model takes one input per column, and the data has no column ${missing.map((name) => JSON.stringify(name)).join(', ')}`,
    );
  }
  for (const input of model.inputs) {
    const last = input.dims.at(-1);
    if (input.dims.length > 2 || (input.dims.length === 2 && typeof last === 'number' && last !== 1)) {
      throw mismatch(
        model,
        data,
        `input ${JSON.stringify(input.name)} is not one column ([batch, 1] or [batch])`,
      );
    }
  }
  const featureType = model.inputs.some((input) => input.type === 'float64') ? 'float64' : 'float32';
  return {
    features: names,
    featureType,
    feeds(matrix, rows) {
      const width = names.length;
      const tensors: Tensors = {};
      model.inputs.forEach((input, slot) => {
        const column = input.type === 'float64' ? new Float64Array(rows) : new Float32Array(rows);
        for (let r = 0; r < rows; r++) column[r] = matrix[r * width + slot]!;
        tensors[input.name] = new ort.Tensor(
          input.type as 'float32' | 'float64',
          column,
          input.dims.length === 2 ? [rows, 1] : [rows],
        );
      });
      return tensors;
    },
  };
}

/**
 * The one error for a model that does not fit the data: what is wrong, the model's inputs (name,
 * type, dims) and the data's columns, so the fix is visible from the message alone.
 */
export function mismatch(model: Model, data: DataDescription, problem: string): UserError {
  const roles = [`label ${JSON.stringify(data.roles.label)}`];
  if (data.roles.slice !== undefined) roles.push(`slice ${JSON.stringify(data.roles.slice)}`);
  return new UserError(
    [
      `model ${model.path} does not fit data file ${data.path}: ${problem}.`,
      `  model inputs: ${model.inputs.map(describeModelPort).join(', ') || '(none)'}`,
      `  data columns: ${describeColumns(data.columns)} (${roles.join(', ')})`,
      '  Choose the feature columns (features, or exclude the ones that are not features) to match the inputs.',
    ].join('\n'),
  );
}
