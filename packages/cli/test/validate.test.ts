import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { s3ClientConfig, s3Env, startS3Server } from '../../../test/harness/s3-server.ts';
import { encodeModel } from '../../example-model/src/onnx.ts';
import {
  type Field,
  intField,
  messageField,
  packedIntsField,
  stringField,
} from '../../example-model/src/protobuf.ts';
import { fixture } from '../../validate/test/gate-fixtures.ts';
import { runCli, runCliAsync } from './bundled-cli.ts';

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

/** A float tensor `w` of two values whose data, the model says, lives in `secret.bin` beside it. */
function externalTensor(fields: 'location and entries' | 'entries only'): Field[] {
  const entry = (key: string, value: string) =>
    messageField(13, [stringField(1, key), stringField(2, value)]);
  return [
    packedIntsField(1, [2]),
    intField(2, 1),
    stringField(8, 'w'),
    entry('location', 'secret.bin'),
    entry('length', '8'),
    ...(fields === 'location and entries' ? [intField(14, 1)] : []),
  ];
}

/** y = x + w, with w appended to the graph (protobuf merges a repeated field written later). */
function modelWith(graphFields: Field[]): Uint8Array {
  const base = encodeModel({
    irVersion: 8,
    opset: 17,
    producerName: 'test',
    producerVersion: '1',
    graphName: 'g',
    inputs: [{ name: 'x', shape: ['batch', 2] }],
    outputs: [{ name: 'y', shape: ['batch', 2] }],
    initializers: [],
    nodes: [{ op: 'Add', inputs: ['x', 'w'], outputs: ['y'] }],
  });
  return Buffer.concat([base, messageField(7, graphFields)]);
}

describe('ONNX external data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-external-'));
  writeFileSync(join(dir, 'secret.bin'), Buffer.from(new Float32Array([42, 7]).buffer));
  writeFileSync(join(dir, 'data.csv'), 'a,b,y\n1,2,3\n');
  // An initializer stored outside, and a Constant's value inside an If branch stored outside.
  const initializer = join(dir, 'initializer.onnx');
  writeFileSync(initializer, modelWith([messageField(5, externalTensor('location and entries'))]));
  const constant = messageField(1, [
    stringField(2, 'w'),
    stringField(4, 'Constant'),
    messageField(5, [
      stringField(1, 'value'),
      messageField(5, externalTensor('entries only')),
      intField(20, 4),
    ]),
  ]);
  const nested = join(dir, 'nested.onnx');
  writeFileSync(
    nested,
    modelWith([
      messageField(1, [
        stringField(1, 'cond'),
        stringField(2, 'w'),
        stringField(4, 'If'),
        messageField(5, [stringField(1, 'then_branch'), messageField(6, [constant]), intField(20, 5)]),
      ]),
    ]),
  );

  it('validate and gate refuse a model whose tensors live in external files, before the runtime reads them', () => {
    for (const model of [initializer, nested]) {
      for (const verb of [['validate'], ['gate', '--rule', 'rmse < 1']]) {
        const run = mlactions(...verb, '--model', model, '--data', join(dir, 'data.csv'), '--label', 'y');
        expect(run.status).toBe(1);
        expect(run.stderr).toContain(
          `model file ${model} keeps tensor "w" in an external data file, which mlactions refuses`,
        );
      }
    }
  });
});

describe('mlactions validate and gate on s3:// data', () => {
  it('read the validation set through --endpoint as they read the file', async () => {
    const server = await startS3Server({ buckets: ['data'] });
    try {
      const client = new S3Client(s3ClientConfig(server.endpoint));
      const body = readFileSync(fixture('multiclass.csv'));
      await client.send(new PutObjectCommand({ Bucket: 'data', Key: 'val/multiclass.csv', Body: body }));
      client.destroy();
      const env = { ...process.env, ...s3Env(server) };
      const remote = ['--data', 's3://data/val/multiclass.csv', '--endpoint', server.endpoint];
      const model = ['--model', fixture('multiclass.onnx'), '--label', 'species', '--exclude', 'region'];
      // The server lives in this process: the CLI runs without blocking it.
      const validate = await runCliAsync(['validate', ...model, ...remote, '--format', 'json'], { env });
      expect(validate.status, validate.stderr).toBe(0);
      const local = JSON.parse(
        mlactions('validate', ...multiclass, '--exclude', 'region', '--format', 'json').stdout,
      );
      expect(JSON.parse(validate.stdout).metrics.accuracy).toBe(local.metrics.accuracy);
      const gate = await runCliAsync(['gate', ...model, ...remote, '--rule', 'accuracy >= 0.9'], { env });
      expect(gate.status).toBe(1);
      expect(gate.stderr).toMatch(/^mlactions: the gate failed:\n {2}accuracy/);
    } finally {
      await server.stop();
    }
  });
});
