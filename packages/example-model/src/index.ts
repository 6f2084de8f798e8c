// A small classifier trained in plain Node and written as ONNX.
export { classifierToOnnx } from './classifier-onnx.ts';
export { createRandom, type Random } from './random.ts';
export { type EpochMetrics, type LabelledRows, type TrainOptions, trainSoftmax } from './train.ts';
