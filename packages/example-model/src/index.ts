// A small classifier trained in plain Node and written as ONNX.
export {
  encodeRows,
  type FeaturePlan,
  fitPlan,
  planWidth,
  predictProbabilities,
  type Rows,
  type SoftmaxClassifier,
} from './classifier.ts';
export {
  classifierGraph,
  classifierToOnnx,
  INPUT_NAME,
  type OnnxDescription,
  OUTPUT_NAME,
} from './classifier-onnx.ts';
export { encodeModel, type Initializer, type OnnxModel, type OnnxNode, type TensorInfo } from './onnx.ts';
export { concat, type Field, intField, messageField, packedIntsField, stringField } from './protobuf.ts';
export { createRandom, type Random } from './random.ts';
export { lossAndAccuracy, softmaxInPlace } from './softmax.ts';
export {
  type EpochMetrics,
  type LabelledRows,
  type TrainOptions,
  type TrainResult,
  trainSoftmax,
} from './train.ts';
