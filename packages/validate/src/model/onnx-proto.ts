/**
 * Just enough of ONNX's protobuf to do three things onnxruntime-node cannot: find a classifier's class
 * labels, reach the probability tensor behind a ZipMap (onnxruntime-node returns tensors only, and
 * sklearn-onnx ends classifiers in ZipMap's sequence of maps), and find tensors whose data lives in
 * external files. Tensor data is skipped over, never decoded.
 */

/** Field numbers in onnx.proto. */
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_OUTPUT = 12;
const NODE_INPUT = 1;
const NODE_OUTPUT = 2;
const NODE_OP_TYPE = 4;
const NODE_ATTRIBUTE = 5;
const VALUE_INFO_NAME = 1;
const ATTRIBUTE_NAME = 1;
const ATTRIBUTE_INTS = 8;
const ATTRIBUTE_STRINGS = 9;

// Where tensors live: a graph's initializers and sparse initializers, a node's tensor and graph
// attributes (Constant values, If/Loop/Scan bodies), the functions of a model.
const MODEL_FUNCTIONS = 25;
const FUNCTION_NODE = 7;
const GRAPH_INITIALIZER = 5;
const GRAPH_SPARSE_INITIALIZER = 15;
const ATTRIBUTE_T = 5;
const ATTRIBUTE_G = 6;
const ATTRIBUTE_TENSORS = 10;
const ATTRIBUTE_GRAPHS = 11;
const ATTRIBUTE_SPARSE_TENSOR = 22;
const ATTRIBUTE_SPARSE_TENSORS = 23;
const SPARSE_VALUES = 1;
const SPARSE_INDICES = 2;
const TENSOR_NAME = 8;
const TENSOR_EXTERNAL_DATA = 13;
const TENSOR_DATA_LOCATION = 14;
const DATA_LOCATION_EXTERNAL = 1n;

const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const FIXED32 = 5;

interface Field {
  readonly number: number;
  readonly wire: number;
  /** The varint's value (wire type 0). */
  readonly value: bigint;
  /** The payload (wire type 2). */
  readonly bytes: Uint8Array;
}

const EMPTY = new Uint8Array(0);
const decoder = new TextDecoder();
const encoder = new TextEncoder();

function readVarint(buf: Uint8Array, start: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  for (let i = start; i < buf.length; i++) {
    const byte = buf[i]!;
    value |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return [value, i + 1];
    shift += 7n;
  }
  throw new Error('truncated varint');
}

/** The fields of one message, in order. */
function* fields(buf: Uint8Array): Generator<Field> {
  let i = 0;
  while (i < buf.length) {
    const [tag, afterTag] = readVarint(buf, i);
    const number = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    i = afterTag;
    if (wire === VARINT) {
      const [value, next] = readVarint(buf, i);
      i = next;
      yield { number, wire, value, bytes: EMPTY };
    } else if (wire === BYTES) {
      const [length, next] = readVarint(buf, i);
      const end = next + Number(length);
      if (end > buf.length) throw new Error('truncated field');
      i = end;
      yield { number, wire, value: 0n, bytes: buf.subarray(next, end) };
    } else if (wire === FIXED64 || wire === FIXED32) {
      i += wire === FIXED64 ? 8 : 4;
      yield { number, wire, value: 0n, bytes: EMPTY };
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
  }
}

interface NodeInfo {
  readonly opType: string;
  readonly inputs: string[];
  readonly outputs: string[];
  readonly classLabels: string[] | undefined;
}

function readNode(buf: Uint8Array): NodeInfo {
  let opType = '';
  const inputs: string[] = [];
  const outputs: string[] = [];
  let classLabels: string[] | undefined;
  for (const field of fields(buf)) {
    if (field.number === NODE_INPUT) inputs.push(decoder.decode(field.bytes));
    else if (field.number === NODE_OUTPUT) outputs.push(decoder.decode(field.bytes));
    else if (field.number === NODE_OP_TYPE) opType = decoder.decode(field.bytes);
    else if (field.number === NODE_ATTRIBUTE) classLabels ??= readClassLabels(field.bytes);
  }
  return { opType, inputs, outputs, classLabels };
}

/** The labels of a `classlabels_*` attribute (strings, or integers written as text). */
function readClassLabels(buf: Uint8Array): string[] | undefined {
  let name = '';
  const strings: string[] = [];
  const ints: string[] = [];
  for (const field of fields(buf)) {
    if (field.number === ATTRIBUTE_NAME) name = decoder.decode(field.bytes);
    else if (field.number === ATTRIBUTE_STRINGS) strings.push(decoder.decode(field.bytes));
    else if (field.number === ATTRIBUTE_INTS && field.wire === VARINT)
      ints.push(BigInt.asIntN(64, field.value).toString());
    else if (field.number === ATTRIBUTE_INTS && field.wire === BYTES) {
      for (let i = 0; i < field.bytes.length; ) {
        const [value, next] = readVarint(field.bytes, i);
        ints.push(BigInt.asIntN(64, value).toString());
        i = next;
      }
    }
  }
  if (!name.startsWith('classlabels_')) return undefined;
  return strings.length > 0 ? strings : ints.length > 0 ? ints : undefined;
}

/** What the graph says about classification. */
export interface GraphFacts {
  /** ZipMap nodes: the probability tensor each one turns into a sequence of maps. */
  readonly zipMaps: readonly { readonly input: string; readonly output: string }[];
  /** Class labels in output-column order: a ZipMap's, else the first classifier node's. */
  readonly classLabels: readonly string[] | undefined;
}

/** Reads the top-level graph's nodes; an unparsable model yields no facts (the runtime will complain). */
export function readGraphFacts(model: Uint8Array): GraphFacts {
  const zipMaps: { input: string; output: string }[] = [];
  let zipMapLabels: string[] | undefined;
  let classifierLabels: string[] | undefined;
  try {
    for (const field of fields(model)) {
      if (field.number !== MODEL_GRAPH || field.wire !== BYTES) continue;
      for (const graphField of fields(field.bytes)) {
        if (graphField.number !== GRAPH_NODE || graphField.wire !== BYTES) continue;
        const node = readNode(graphField.bytes);
        if (node.opType === 'ZipMap' && node.inputs[0] && node.outputs[0]) {
          zipMaps.push({ input: node.inputs[0], output: node.outputs[0] });
          zipMapLabels ??= node.classLabels;
        } else {
          classifierLabels ??= node.classLabels;
        }
      }
    }
  } catch {
    return { zipMaps: [], classLabels: undefined };
  }
  return { zipMaps, classLabels: zipMapLabels ?? classifierLabels };
}

/** The name of the first tensor stored outside the model (or '' for an unnamed one), if any. */
type Found = string | undefined;

function externalInTensor(buf: Uint8Array): Found {
  let name = '';
  let external = false;
  for (const field of fields(buf)) {
    if (field.number === TENSOR_NAME && field.wire === BYTES) name = decoder.decode(field.bytes);
    else if (field.number === TENSOR_EXTERNAL_DATA) external = true;
    else if (field.number === TENSOR_DATA_LOCATION && field.value === DATA_LOCATION_EXTERNAL) external = true;
  }
  return external ? name : undefined;
}

function firstIn(buf: Uint8Array, walkers: Readonly<Record<number, (b: Uint8Array) => Found>>): Found {
  for (const field of fields(buf)) {
    const walk = field.wire === BYTES ? walkers[field.number] : undefined;
    const found = walk?.(field.bytes);
    if (found !== undefined) return found;
  }
  return undefined;
}

const inSparse = (buf: Uint8Array): Found =>
  firstIn(buf, { [SPARSE_VALUES]: externalInTensor, [SPARSE_INDICES]: externalInTensor });
const inAttribute = (buf: Uint8Array): Found =>
  firstIn(buf, {
    [ATTRIBUTE_T]: externalInTensor,
    [ATTRIBUTE_TENSORS]: externalInTensor,
    [ATTRIBUTE_SPARSE_TENSOR]: inSparse,
    [ATTRIBUTE_SPARSE_TENSORS]: inSparse,
    [ATTRIBUTE_G]: inGraph,
    [ATTRIBUTE_GRAPHS]: inGraph,
  });
const inNode = (buf: Uint8Array): Found => firstIn(buf, { [NODE_ATTRIBUTE]: inAttribute });
function inGraph(buf: Uint8Array): Found {
  return firstIn(buf, {
    [GRAPH_NODE]: inNode,
    [GRAPH_INITIALIZER]: externalInTensor,
    [GRAPH_SPARSE_INITIALIZER]: inSparse,
  });
}

/**
 * The name of a tensor whose data the model keeps in an external file (TensorProto.data_location
 * EXTERNAL, or external_data entries), anywhere in the model; undefined when every tensor is inside.
 * Throws on bytes that are not protobuf, so that nothing unread reaches the runtime.
 */
export function externalDataTensor(model: Uint8Array): string | undefined {
  return firstIn(model, {
    [MODEL_GRAPH]: inGraph,
    [MODEL_FUNCTIONS]: (buf) => firstIn(buf, { [FUNCTION_NODE]: inNode }),
  });
}

function lengthDelimited(field: number, payload: Uint8Array): Uint8Array {
  const header: number[] = [(field << 3) | BYTES];
  for (let length = payload.length; ; length >>>= 7) {
    if (length < 0x80) {
      header.push(length);
      break;
    }
    header.push((length & 0x7f) | 0x80);
  }
  const out = new Uint8Array(header.length + payload.length);
  out.set(header);
  out.set(payload, header.length);
  return out;
}

/**
 * The model with more graph outputs. Protobuf merges a message concatenated to another, appending
 * repeated fields, so a trailing `graph { output { name } }` adds outputs without re-encoding the model;
 * the runtime infers their types.
 */
export function addGraphOutputs(model: Uint8Array, names: readonly string[]): Uint8Array {
  const outputs = names.map((name) =>
    lengthDelimited(GRAPH_OUTPUT, lengthDelimited(VALUE_INFO_NAME, encoder.encode(name))),
  );
  const graph = lengthDelimited(MODEL_GRAPH, Buffer.concat(outputs));
  return Buffer.concat([model, graph]);
}
