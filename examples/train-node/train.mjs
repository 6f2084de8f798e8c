#!/usr/bin/env node
// A tiny training job in plain Node (no Python, no GPU): logistic regression by gradient descent on
// a two-feature data set. It behaves as a real training script should under the train action:
//
// - hyperparameters from MLACTIONS_PARAMS (JSON: lr, epochs, epoch_ms, seed), else defaults;
// - the data set read from data/train.csv, written there first when missing (the "download" that
//   the action's data cache saves on the next run);
// - a checkpoint in MLACTIONS_CHECKPOINT_DIR after every epoch, and at once on SIGTERM, after which
//   it exits 143; on start it resumes from the checkpoint it finds there;
// - metrics in MLACTIONS_METRICS_FILE (metrics.json by default): final values as JSON, or one line
//   per epoch when the name ends in .jsonl;
// - the model (weights and bias as JSON) in model/model.json.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const params = {
  lr: 0.5,
  epochs: 20,
  epoch_ms: 0,
  seed: 1,
  ...JSON.parse(process.env.MLACTIONS_PARAMS || '{}'),
};
const checkpointDir = process.env.MLACTIONS_CHECKPOINT_DIR || '.checkpoints';
const checkpointFile = join(checkpointDir, 'checkpoint.json');
const metricsFile = process.env.MLACTIONS_METRICS_FILE || 'metrics.json';
const dataFile = join('data', 'train.csv');

/** A small deterministic generator (mulberry32), so every run sees the same data. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function writeData() {
  const next = random(params.seed);
  const rows = ['x1,x2,label'];
  for (let i = 0; i < 400; i++) {
    const label = i % 2;
    const x1 = (label ? 1 : -1) + (next() - 0.5) * 2.4;
    const x2 = (label ? 0.5 : -0.5) + (next() - 0.5) * 2.4;
    rows.push(`${x1.toFixed(4)},${x2.toFixed(4)},${label}`);
  }
  mkdirSync(dirname(dataFile), { recursive: true });
  writeFileSync(dataFile, `${rows.join('\n')}\n`);
  console.log(`wrote ${dataFile} (400 rows)`);
}

if (!existsSync(dataFile)) writeData();
const data = readFileSync(dataFile, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',').map(Number));

/** Writes a file whole or not at all: a checkpoint cut short by SIGKILL must not be half a file. */
function writeAtomic(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

let state = { epoch: 0, w: [0, 0], b: 0, loss: null, accuracy: null };
if (existsSync(checkpointFile)) {
  state = JSON.parse(readFileSync(checkpointFile, 'utf8'));
  console.log(`resumed from checkpoint at epoch ${state.epoch}`);
}
const saveCheckpoint = () => writeAtomic(checkpointFile, JSON.stringify(state));

process.on('SIGTERM', () => {
  saveCheckpoint();
  console.log(`SIGTERM: checkpoint written at epoch ${state.epoch}`);
  process.exit(143);
});

const sigmoid = (z) => 1 / (1 + Math.exp(-z));
function epoch() {
  let gw0 = 0;
  let gw1 = 0;
  let gb = 0;
  let loss = 0;
  let correct = 0;
  for (const [x1, x2, y] of data) {
    const p = sigmoid(state.w[0] * x1 + state.w[1] * x2 + state.b);
    loss -= y * Math.log(p + 1e-12) + (1 - y) * Math.log(1 - p + 1e-12);
    correct += (p >= 0.5 ? 1 : 0) === y ? 1 : 0;
    gw0 += (p - y) * x1;
    gw1 += (p - y) * x2;
    gb += p - y;
  }
  const n = data.length;
  state.w = [state.w[0] - (params.lr * gw0) / n, state.w[1] - (params.lr * gw1) / n];
  state.b -= (params.lr * gb) / n;
  state.loss = loss / n;
  state.accuracy = correct / n;
}

const history = metricsFile.endsWith('.jsonl');
if (history && state.epoch === 0) writeAtomic(metricsFile, '');
while (state.epoch < params.epochs) {
  epoch();
  state.epoch++;
  saveCheckpoint();
  if (history)
    appendFileSync(
      metricsFile,
      `${JSON.stringify({ epoch: state.epoch, loss: state.loss, accuracy: state.accuracy })}\n`,
    );
  console.log(
    `epoch ${state.epoch}/${params.epochs} loss ${state.loss.toFixed(4)} accuracy ${state.accuracy.toFixed(4)}`,
  );
  // Room for SIGTERM to arrive between epochs, and a knob to make the job take a while.
  await sleep(params.epoch_ms);
}

if (!history)
  writeAtomic(
    metricsFile,
    `${JSON.stringify({ loss: state.loss, accuracy: state.accuracy, epochs: state.epoch }, null, 2)}\n`,
  );
writeAtomic(join('model', 'model.json'), `${JSON.stringify({ weights: state.w, bias: state.b })}\n`);
console.log(`done: loss ${state.loss.toFixed(4)} accuracy ${state.accuracy.toFixed(4)}`);
