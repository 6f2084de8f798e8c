import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { flattenMetrics, isRecord } from '../metrics/flatten.ts';
import { parseTree } from '../metrics/tree.ts';
import type { MetricValue } from '../metrics/types.ts';
import { UserError } from '../user-error.ts';

/** One parameter on both sides of a comparison; a side without it reads null. */
export interface ParamChange {
  name: string;
  base: string | null;
  head: string | null;
  changed: boolean;
}

/** A parameter file's formats, by extension: DVC's params.yaml is YAML. */
const FORMATS: Record<string, 'json' | 'yaml' | 'toml'> = {
  '.json': 'json',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.toml': 'toml',
};

function parseTomlText(text: string, file: string): unknown {
  try {
    // Through JSON, so TOML dates become the text they were written as, like every other leaf.
    return JSON.parse(JSON.stringify(parseToml(text)));
  } catch (error) {
    if (error instanceof TomlError) {
      const why = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      throw new UserError(
        `${file}:${error.line}:${error.column}: this is not valid TOML (${why}). Fix the file.`,
      );
    }
    throw error;
  }
}

/**
 * Parses the text of a parameter file (JSON, YAML — DVC's params.yaml — or TOML, told apart by the
 * extension of `file`) into an object of names and values, or one error naming the file.
 */
export function parseParamsText(source: string, file: string): Record<string, unknown> {
  const format = FORMATS[posix.extname(file).toLowerCase()];
  if (format === undefined) {
    throw new UserError(`${file}: not a parameter file. Use .yaml, .yml, .json or .toml.`);
  }
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const tree = format === 'toml' ? parseTomlText(text, file) : parseTree(text, file, format);
  if (tree === null || tree === undefined) return {};
  if (!isRecord(tree)) {
    throw new UserError(`${file}: a parameter file holds an object of names and values at its top level.`);
  }
  return tree;
}

/** Reads a parameter file (JSON, YAML or TOML) into an object of names and values. */
export async function readParamsFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UserError(`${path}: no such parameter file. Check the path.`);
  }
  return parseParamsText(text, path);
}

/** A leaf as the report shows it: numbers and text as written, lists as JSON. */
function paramText(value: MetricValue): string {
  if (value.kind === 'number') return String(value.value);
  if (value.kind === 'samples') return JSON.stringify(value.values);
  return value.text;
}

/** Parameters named as metrics are, nested keys joined with dots (`train.lr`), each value as text. */
export function flattenParams(tree: Record<string, unknown>, file: string): Map<string, string> {
  return new Map([...flattenMetrics(tree, file)].map(([name, value]) => [name, paramText(value)]));
}

/**
 * Both sides' parameters by name: changed ones (a different value, or on one side only) first, then
 * the unchanged, each group sorted by name.
 */
export function diffParams(
  base: ReadonlyMap<string, string>,
  head: ReadonlyMap<string, string>,
): ParamChange[] {
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  const all = names.map((name) => {
    const b = base.get(name) ?? null;
    const h = head.get(name) ?? null;
    return { name, base: b, head: h, changed: b !== h };
  });
  return [...all.filter((p) => p.changed), ...all.filter((p) => !p.changed)];
}
