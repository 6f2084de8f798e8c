import { InputReader } from '@mlactions/core';
import { InvalidArgumentError } from 'commander';

/** Accumulates a repeatable option into a list. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A finite number, or commander's clear "invalid argument" error. */
export function numberOption(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new InvalidArgumentError(`"${value}" is not a number.`);
  return n;
}

/**
 * A verb's flags as the inputs of the action of the same verb (`--timeout-minutes` is the input
 * `timeout-minutes`), so that both fronts read them through one request builder. A repeated flag
 * is one line per value, as a multi-line input; `fixed` gives inputs that the CLI has no flag for.
 */
export function flagInputs(opts: Record<string, unknown>, fixed: Record<string, string> = {}): InputReader {
  const camel = (name: string) => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
  return new InputReader({
    text(name) {
      if (name in fixed) return fixed[name];
      const value = opts[camel(name)];
      if (value === undefined) return undefined;
      return Array.isArray(value) ? value.join('\n') : String(value);
    },
    label: (name) => `--${name}`,
    howToSet: `pass it on the command line`,
  });
}
