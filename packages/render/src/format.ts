import type { SampleSummary } from '@mlactions/core';

/** A value's magnitude outside which plain decimals get long; scientific notation is used there. */
const SMALL = 1e-4;
const LARGE = 1e9;

/**
 * A number for people: `significant` digits, trailing zeros dropped, scientific notation for very
 * small or large magnitudes, NaN and ∞ spelled out.
 */
export function formatNumber(value: number, significant = 5): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) && magnitude < LARGE) return String(value);
  if (magnitude < SMALL || magnitude >= LARGE) {
    return value.toExponential(significant - 1).replace(/\.?0+e/, 'e');
  }
  return String(Number(value.toPrecision(significant)));
}

/** A change with its sign: `+0.012`, `-3`, `0`. */
export function formatDelta(delta: number, significant = 4): string {
  const text = formatNumber(delta, significant);
  return delta > 0 ? `+${text}` : text;
}

/** A relative change as a signed percentage: 0.0123 gives `+1.23%`. */
export function formatPercent(relative: number): string {
  return `${formatDelta(relative * 100, 3)}%`;
}

/** A p-value to two significant digits, or `<0.001`. */
export function formatPValue(p: number): string {
  return p < 0.001 ? '<0.001' : String(Number(p.toPrecision(2)));
}

/** Several values as `mean ± half-width (n=5)`, the half-width of the summary's confidence interval. */
export function formatSummary(summary: SampleSummary): string {
  const mean = formatNumber(summary.mean);
  if (summary.high === null) return `${mean} (n=${summary.n})`;
  return `${mean} ± ${formatNumber(summary.high - summary.mean, 2)} (n=${summary.n})`;
}

/** `1 chart`, `2,500 charts`: a count with its noun. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}
