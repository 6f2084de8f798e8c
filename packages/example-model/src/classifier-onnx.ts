/**
 * The ONNX graph of a SoftmaxClassifier: it takes every input column as one `[batch, columns]` float
 * tensor (as a table's feature columns are fed) and does the preprocessing itself, so the model file
 * is all a server needs.
 *
 *     features ─Gather(numeric columns)─Sub(mean)─Mul(scale)──────────────┐
 *              ─Gather(column k)─Equal(codes of k)─Cast(float)  (each k) ─┴─Concat─Gemm(W, b)─Softmax─ probabilities
 */
import type { SoftmaxClassifier } from './classifier.ts';
import { encodeModel, type Initializer, type OnnxModel, type OnnxNode } from './onnx.ts';

/** IR 8 and opset 17 (ONNX 1.12): read by every onnxruntime since 1.12. */
const IR_VERSION = 8;
const OPSET = 17;
/** TensorProto.DataType.FLOAT, for Cast's `to`. */
const FLOAT = 1;

export const INPUT_NAME = 'features';
export const OUTPUT_NAME = 'probabilities';

export interface OnnxDescription {
  producerVersion: string;
  /** Shown by model viewers (Netron) as the graph's documentation. */
  docString?: string;
  /** Stored as metadata_props; the class names and columns are added here. */
  metadata?: Readonly<Record<string, string>>;
}

/** The classifier as an ONNX model description (see encodeModel). */
export function classifierGraph(model: SoftmaxClassifier, description: OnnxDescription): OnnxModel {
  const { plan } = model;
  const classes = model.bias.length;
  const width = model.weights.length / classes;
  const initializers: Initializer[] = [];
  const nodes: OnnxNode[] = [];
  const parts: string[] = [];
  if (plan.numeric.length > 0) {
    const n = plan.numeric.length;
    initializers.push(
      { name: 'numeric_columns', type: 'int64', dims: [n], values: plan.numeric.map((c) => c.column) },
      { name: 'mean', type: 'float', dims: [n], values: Float32Array.from(plan.numeric, (c) => c.mean) },
      { name: 'scale', type: 'float', dims: [n], values: Float32Array.from(plan.numeric, (c) => c.scale) },
    );
    nodes.push(
      {
        op: 'Gather',
        inputs: [INPUT_NAME, 'numeric_columns'],
        outputs: ['numeric'],
        attributes: { axis: 1 },
      },
      { op: 'Sub', inputs: ['numeric', 'mean'], outputs: ['centered'] },
      { op: 'Mul', inputs: ['centered', 'scale'], outputs: ['standardized'] },
    );
    parts.push('standardized');
  }
  plan.categorical.forEach(({ column, categories }, i) => {
    const name = model.columns[column]!;
    initializers.push(
      { name: `column_${i}`, type: 'int64', dims: [1], values: [column] },
      {
        name: `codes_${i}`,
        type: 'float',
        dims: [1, categories.length],
        values: Float32Array.from(categories),
      },
    );
    nodes.push(
      {
        op: 'Gather',
        name: `select ${name}`,
        inputs: [INPUT_NAME, `column_${i}`],
        outputs: [`category_${i}`],
        attributes: { axis: 1 },
      },
      { op: 'Equal', inputs: [`category_${i}`, `codes_${i}`], outputs: [`is_code_${i}`] },
      { op: 'Cast', inputs: [`is_code_${i}`], outputs: [`one_hot_${i}`], attributes: { to: FLOAT } },
    );
    parts.push(`one_hot_${i}`);
  });
  nodes.push(
    { op: 'Concat', inputs: parts, outputs: ['design'], attributes: { axis: 1 } },
    { op: 'Gemm', inputs: ['design', 'weights', 'bias'], outputs: ['logits'] },
    { op: 'Softmax', inputs: ['logits'], outputs: [OUTPUT_NAME], attributes: { axis: 1 } },
  );
  initializers.push(
    { name: 'weights', type: 'float', dims: [width, classes], values: Float32Array.from(model.weights) },
    { name: 'bias', type: 'float', dims: [classes], values: Float32Array.from(model.bias) },
  );
  return {
    irVersion: IR_VERSION,
    opset: OPSET,
    producerName: 'mlactions',
    producerVersion: description.producerVersion,
    graphName: 'softmax_classifier',
    ...(description.docString ? { docString: description.docString } : {}),
    inputs: [{ name: INPUT_NAME, shape: ['batch', model.columns.length] }],
    outputs: [{ name: OUTPUT_NAME, shape: ['batch', classes] }],
    initializers,
    nodes,
    metadata: {
      ...description.metadata,
      columns: JSON.stringify(model.columns),
      classes: JSON.stringify(model.classes),
    },
  };
}

/** The classifier as ONNX model bytes. */
export function classifierToOnnx(model: SoftmaxClassifier, description: OnnxDescription): Uint8Array {
  return encodeModel(classifierGraph(model, description));
}
