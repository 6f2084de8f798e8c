import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictProbabilities, type SoftmaxClassifier } from '../src/classifier.ts';
import { classifierToOnnx, INPUT_NAME, OUTPUT_NAME } from '../src/classifier-onnx.ts';
import { createRandom } from '../src/random.ts';
import { trainSoftmax } from '../src/train.ts';

function randomRows(rows: number, seed: number) {
  const random = createRandom(seed);
  const values = new Float64Array(rows * 4);
  const labels = new Uint16Array(rows);
  for (let r = 0; r < rows; r++) {
    // Columns: a, code (0..2, and 7 now and then: a code the model never saw), b, an ignored column.
    const code = random.next() < 0.05 ? 7 : random.choice([2, 1, 1]);
    values.set([random.normal() * 3 + 1, code, random.normal(), random.next() * 100], r * 4);
    labels[r] = (values[r * 4]! > 1 ? 1 : 0) + (code === 2 ? 1 : 0);
  }
  return { values, rows, labels };
}

let dir: string;
let model: SoftmaxClassifier;
let session: ort.InferenceSession;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'example-model-'));
  ({ model } = trainSoftmax(randomRows(600, 1), randomRows(100, 2), {
    columns: ['a', 'code', 'b', 'ignored'],
    features: ['a', 'code', 'b'],
    categories: { code: [0, 1, 2] },
    classes: ['none', 'one', 'two'],
    epochs: 5,
    learningRate: 0.1,
    batchSize: 50,
    l2: 0,
    seed: 3,
  }));
  const path = join(dir, 'model.onnx');
  await writeFile(
    path,
    classifierToOnnx(model, { producerVersion: '0.0.0-test', metadata: { note: 'test' } }),
  );
  session = await ort.InferenceSession.create(path);
});

afterAll(async () => {
  await session?.release();
  await rm(dir, { recursive: true, force: true });
});

async function run(rows: { values: Float64Array; rows: number }): Promise<Float32Array> {
  const input = new ort.Tensor('float32', Float32Array.from(rows.values), [rows.rows, 4]);
  const output = await session.run({ [INPUT_NAME]: input });
  const tensor = output[OUTPUT_NAME]!;
  expect(tensor.dims).toEqual([rows.rows, 3]);
  return tensor.data as Float32Array;
}

describe('classifierToOnnx', () => {
  it('declares one float input and output with a symbolic batch dimension', () => {
    expect(session.inputNames).toEqual([INPUT_NAME]);
    expect(session.outputNames).toEqual([OUTPUT_NAME]);
    const [input] = session.inputMetadata;
    expect(input).toMatchObject({ name: INPUT_NAME, isTensor: true, type: 'float32', shape: ['batch', 4] });
  });

  it('computes what the model computes in Node, unknown codes included', async () => {
    const rows = randomRows(300, 9);
    const expected = predictProbabilities(model, rows);
    const actual = await run(rows);
    for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, 5);
  });

  it('runs any batch size, a single row too', async () => {
    const rows = randomRows(1, 10);
    const actual = await run(rows);
    const expected = predictProbabilities(model, rows);
    expect([...actual].map((v) => Number(v.toFixed(5)))).toEqual(
      [...expected].map((v) => Number(v.toFixed(5))),
    );
  });
});
