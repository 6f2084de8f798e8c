import { readFile } from 'node:fs/promises';
import { UserError } from '@mlactions/core';
import * as ort from 'onnxruntime-node';
import { addGraphOutputs, externalDataTensor, readGraphFacts } from './onnx-proto.ts';

/** One input or output of a model, as the runtime describes it. */
export interface ModelPort {
  readonly name: string;
  /** Tensor element type (`float32`, `int64`, `string`, …), or `sequence/map` for other values. */
  readonly type: string;
  /** Dimensions: numbers, or names for symbolic ones (`batch`, `N`); empty when unknown. */
  readonly dims: readonly (number | string)[];
}

/** The tensors a batch feeds to, or gets from, a model. */
export type Tensors = Record<string, ort.Tensor>;

/** An ONNX model ready to run. */
export interface Model {
  readonly path: string;
  readonly inputs: readonly ModelPort[];
  /** Tensor outputs (a ZipMap's sequence of maps is replaced by the probability tensor it wraps). */
  readonly outputs: readonly ModelPort[];
  /** Class labels in output-column order when the graph declares them (sklearn-onnx classifiers do). */
  readonly classLabels: readonly string[] | undefined;
  run(feeds: Tensors, outputs: readonly string[]): Promise<Tensors>;
  close(): Promise<void>;
}

export interface OpenModelOptions {
  /** Threads for one inference (onnxruntime's intra-op pool); by default the runtime decides. */
  readonly threads?: number;
}

/**
 * Loads an ONNX model with onnxruntime-node's CPU backend. A ZipMap output (a sequence of maps,
 * which onnxruntime-node cannot return) is reached through the tensor that feeds it.
 */
export async function openModel(path: string, options: OpenModelOptions = {}): Promise<Model> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new UserError(`model file ${path} does not exist`);
    if (code === 'EISDIR') throw new UserError(`model file ${path} is a directory; pass the .onnx file`);
    throw error;
  }
  refuseExternalData(path, bytes);
  const facts = readGraphFacts(bytes);
  const zipMapInputs = facts.zipMaps.map((zipMap) => zipMap.input);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(
      zipMapInputs.length > 0 ? addGraphOutputs(bytes, zipMapInputs) : bytes,
      {
        executionProviders: ['cpu'],
        ...(options.threads === undefined ? {} : { intraOpNumThreads: options.threads }),
        // Between batches this thread reads the next rows; a spinning intra-op pool would hold a
        // core meanwhile (a whole one per idle pool thread), which the CSV worker threads need.
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      },
    );
  } catch (error) {
    throw new UserError(
      `model file ${path} is not a model onnxruntime can load: ${(error as Error).message}`,
    );
  }
  const zipMapOutputs = new Set(facts.zipMaps.map((zipMap) => zipMap.output));
  return {
    path,
    inputs: session.inputMetadata.map(describePort),
    outputs: session.outputMetadata.filter((port) => !zipMapOutputs.has(port.name)).map(describePort),
    classLabels: facts.classLabels,
    run: (feeds, outputs) => session.run(feeds, [...outputs]),
    close: () => session.release(),
  };
}

/**
 * A tensor kept in an external file would have the runtime read a path the model names: any file the
 * job can read (`.git/config` included) could become a weight that shows in the metrics.
 */
function refuseExternalData(path: string, bytes: Uint8Array): void {
  let tensor: string | undefined;
  try {
    tensor = externalDataTensor(bytes);
  } catch (error) {
    throw new UserError(
      `model file ${path} is not a model onnxruntime can load: ${(error as Error).message}`,
    );
  }
  if (tensor !== undefined)
    throw new UserError(
      `model file ${path} keeps tensor ${JSON.stringify(tensor.slice(0, 100))} in an external data file, which mlactions refuses ` +
        '(it could read any file the job can): save the model with its weights inside, e.g. onnx.save(model, path, save_as_external_data=False)',
    );
}

function describePort(port: ort.InferenceSession.ValueMetadata): ModelPort {
  return port.isTensor
    ? { name: port.name, type: port.type, dims: [...port.shape] }
    : { name: port.name, type: 'sequence/map', dims: [] };
}

/** A port for a message: `"input" float32 [batch, 4]`. */
export function describeModelPort(port: ModelPort): string {
  const dims = port.dims.length > 0 ? ` [${port.dims.join(', ')}]` : '';
  return `${JSON.stringify(port.name)} ${port.type}${dims}`;
}
