/**
 * Encodes an ONNX ModelProto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto): a graph of
 * standard operators with float and int64 initializers, integer attributes, and float tensor inputs
 * and outputs whose dimensions may be symbolic (a batch dimension). That is all a small classifier
 * needs; field numbers are onnx.proto's.
 */
import { bytesField, type Field, intField, messageField, packedIntsField, stringField } from './protobuf.ts';

/** ONNX element types used here (TensorProto.DataType). */
const ELEMENT_TYPE = { float: 1, int64: 7 } as const;

/** AttributeProto.AttributeType.INT */
const ATTRIBUTE_INT = 2;

/** A constant tensor stored in the graph (weights, means, indices). */
export type Initializer =
  | { name: string; type: 'float'; dims: readonly number[]; values: Float32Array }
  | { name: string; type: 'int64'; dims: readonly number[]; values: readonly number[] };

/** A graph input or output: a float tensor; a string dimension is symbolic (`batch`). */
export interface TensorInfo {
  name: string;
  shape: readonly (number | string)[];
}

export interface OnnxNode {
  /** Operator type in the default domain (`MatMul`, `Softmax`, …). */
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  /** Integer attributes (`axis`, `to`). */
  attributes?: Readonly<Record<string, number>>;
}

export interface OnnxModel {
  /** ONNX IR version (8 goes with opset 17). */
  irVersion: number;
  /** Version of the default operator set. */
  opset: number;
  producerName: string;
  producerVersion: string;
  graphName: string;
  docString?: string;
  inputs: readonly TensorInfo[];
  outputs: readonly TensorInfo[];
  initializers: readonly Initializer[];
  nodes: readonly OnnxNode[];
  /** Free-form key/value pairs stored with the model (metadata_props). */
  metadata?: Readonly<Record<string, string>>;
}

function rawData(initializer: Initializer): Uint8Array {
  if (initializer.type === 'float') {
    const copy = Float32Array.from(initializer.values);
    return new Uint8Array(copy.buffer);
  }
  const ints = BigInt64Array.from(initializer.values, (value) => BigInt(value));
  return new Uint8Array(ints.buffer);
}

/** TensorProto with little-endian raw_data (both typed arrays are little-endian on supported hosts). */
function tensorProto(initializer: Initializer): Field[] {
  const count = initializer.dims.reduce((product, dim) => product * dim, 1);
  if (count !== initializer.values.length) {
    throw new Error(
      `initializer ${initializer.name} has ${initializer.values.length} values for dims [${initializer.dims.join(', ')}]`,
    );
  }
  return [
    packedIntsField(1, initializer.dims),
    intField(2, ELEMENT_TYPE[initializer.type]),
    stringField(8, initializer.name),
    bytesField(9, rawData(initializer)),
  ];
}

/** ValueInfoProto of a float tensor: TypeProto.tensor_type with elem_type and shape. */
function valueInfo(info: TensorInfo): Field[] {
  const dims = info.shape.map((dim) =>
    messageField(1, [typeof dim === 'number' ? intField(1, dim) : stringField(2, dim)]),
  );
  const tensorType = [intField(1, ELEMENT_TYPE.float), messageField(2, dims)];
  return [stringField(1, info.name), messageField(2, [messageField(1, tensorType)])];
}

function attribute(name: string, value: number): Field[] {
  if (!Number.isInteger(value)) throw new Error(`attribute ${name} must be an integer, not ${value}`);
  return [stringField(1, name), intField(3, value), intField(20, ATTRIBUTE_INT)];
}

function nodeProto(node: OnnxNode): Field[] {
  return [
    ...node.inputs.map((input) => stringField(1, input)),
    ...node.outputs.map((output) => stringField(2, output)),
    ...(node.name ? [stringField(3, node.name)] : []),
    stringField(4, node.op),
    ...Object.entries(node.attributes ?? {}).map(([name, value]) => messageField(5, attribute(name, value))),
  ];
}

/** The serialized ModelProto, as `onnx.save` would write it (field order aside). */
export function encodeModel(model: OnnxModel): Uint8Array {
  const graph = [
    ...model.nodes.map((node) => messageField(1, nodeProto(node))),
    stringField(2, model.graphName),
    ...model.initializers.map((initializer) => messageField(5, tensorProto(initializer))),
    ...(model.docString ? [stringField(10, model.docString)] : []),
    ...model.inputs.map((input) => messageField(11, valueInfo(input))),
    ...model.outputs.map((output) => messageField(12, valueInfo(output))),
  ];
  return Buffer.concat([
    intField(1, model.irVersion),
    stringField(2, model.producerName),
    stringField(3, model.producerVersion),
    messageField(7, graph),
    messageField(8, [intField(2, model.opset)]),
    ...Object.entries(model.metadata ?? {}).map(([key, value]) =>
      messageField(14, [stringField(1, key), stringField(2, value)]),
    ),
  ]);
}
