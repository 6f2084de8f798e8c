/**
 * What flattening reads of a report: a ValidationReport, or the same document parsed back from JSON
 * (a baseline's report kept from an earlier run).
 */
export interface FlattenableReport {
  readonly rows?: number;
  readonly missingLabels?: number;
  readonly metrics: object;
  readonly slices?: {
    readonly groups: readonly {
      readonly value: string | null;
      readonly rows: number;
      readonly metrics: object;
    }[];
  };
}

/** The name a slice's missing value takes in flattened metric names. */
export const MISSING_SLICE = '(missing)';

/**
 * A report's numbers by name, for gate rules: every scalar metric (an undefined ROC area is left
 * out), `rows`, `missing_labels`, and each slice's as `slices.<value>.<metric>` and
 * `slices.<value>.rows`.
 */
export function flattenReport(report: FlattenableReport): Map<string, number> {
  const out = new Map<string, number>();
  if (typeof report.rows === 'number') out.set('rows', report.rows);
  if (typeof report.missingLabels === 'number') out.set('missing_labels', report.missingLabels);
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
