import type { ValidationReport } from './report.ts';

/** The name a slice's missing value takes in flattened metric names. */
export const MISSING_SLICE = '(missing)';

/**
 * A report's numbers by name, for gate rules: every scalar metric (an undefined ROC area is left
 * out), `rows`, `missing_labels`, and each slice's as `slices.<value>.<metric>` and
 * `slices.<value>.rows`.
 */
export function flattenReport(report: ValidationReport): Map<string, number> {
  const out = new Map<string, number>([
    ['rows', report.rows],
    ['missing_labels', report.missingLabels],
  ]);
  const add = (prefix: string, metrics: object) => {
    for (const [name, value] of Object.entries(metrics))
      if (typeof value === 'number') out.set(`${prefix}${name}`, value);
  };
  add('', report.metrics);
  for (const group of report.slices?.groups ?? []) {
    const prefix = `slices.${group.value ?? MISSING_SLICE}.`;
    out.set(`${prefix}rows`, group.rows);
    add(prefix, group.metrics);
  }
  return out;
}
