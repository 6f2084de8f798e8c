import { UserError } from '../user-error.ts';
import type { MetricValue } from './types.ts';

/** True for plain objects (maps), as opposed to lists, scalars and null. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The value of one leaf: a number; a list of numbers is several values of one metric (seeds, folds,
 * bootstrap samples); anything else (strings, booleans, null, lists of other things) is text to show.
 */
export function leafValue(value: unknown): MetricValue {
  if (typeof value === 'number') return { kind: 'number', value };
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'number')) {
    return { kind: 'samples', values: value as number[] };
  }
  if (typeof value === 'string') return { kind: 'text', text: value };
  return { kind: 'text', text: JSON.stringify(value) ?? String(value) };
}

/**
 * Flattens nested objects into metrics named by their key path joined with dots, as DVC does:
 * `{"eval": {"acc": 0.9}}` gives `eval.acc`. Empty objects give nothing. Two paths that flatten to the
 * same name (`{"a.b": 1, "a": {"b": 2}}`) are refused, since either value could be meant.
 */
export function flattenMetrics(tree: Record<string, unknown>, file: string): Map<string, MetricValue> {
  const metrics = new Map<string, MetricValue>();
  const walk = (node: Record<string, unknown>, prefix: string): void => {
    for (const [key, value] of Object.entries(node)) {
      const name = prefix === '' ? key : `${prefix}.${key}`;
      if (isRecord(value)) {
        walk(value, name);
        continue;
      }
      if (metrics.has(name)) {
        throw new UserError(
          `${file}: the metric "${name}" is written twice (once with a dot in its key, once nested). Keep one.`,
        );
      }
      metrics.set(name, leafValue(value));
    }
  };
  walk(tree, '');
  return metrics;
}
