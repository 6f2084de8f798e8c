import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '@mlactions/core';
import { parse as parseYaml } from 'yaml';

/**
 * Reads a metrics or params file (JSON, or YAML for `.yaml` / `.yml`) whose top level is an object,
 * to record it in a manifest as it is.
 */
export async function readMetadataFile(
  path: string,
  cwd: string,
  kind: string,
): Promise<Record<string, unknown>> {
  const full = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch {
    throw new UserError(`The ${kind} file ${full} cannot be read; check the path.`);
  }
  let value: unknown;
  try {
    value = /\.ya?ml$/i.test(full) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new UserError(`The ${kind} file ${full} does not parse: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError(`The ${kind} file ${full} must hold an object of names and values at its top level.`);
  }
  return value as Record<string, unknown>;
}
