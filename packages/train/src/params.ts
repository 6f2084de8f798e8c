import { UserError } from '@mlactions/core';
import { parse } from 'yaml';

/** Hyperparameters: a mapping from name to any JSON value. */
export type Params = Record<string, unknown>;

/**
 * The `params` input: a YAML or JSON mapping (`lr: 0.01`, one per line, or `{"lr": 0.01}`), as a
 * sweep's matrix writes it. Empty means none.
 */
export function parseParams(text: string | undefined): Params | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new UserError(
      `input \`params\` is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(
      'input `params` must be a mapping of names to values, e.g. `lr: 0.01` on its own line',
    );
  }
  return value as Params;
}
