import type { MetricComparison, MetricsReport } from './compare.ts';

/** A number as JSON can hold it: NaN and infinities become the strings "NaN", "Infinity", "-Infinity". */
export type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/**
 * One metric in the report's JSON document: the comparison with its numbers JSON can hold, histories
 * left out (reportToJson writes the contract's fields first, then the statistics).
 */
export type MetricJson = Omit<MetricComparison, 'base' | 'head' | 'delta' | 'relative' | 'history'> & {
  base: JsonNumber | string | null;
  head: JsonNumber | string | null;
  delta: JsonNumber | null;
  relative: JsonNumber | null;
};

/** The report as `--format json` prints it: `{"metrics": [...]}` plus how it was computed. */
export interface ReportJson {
  hasBaseline: boolean;
  baseRuns: number;
  headRuns: number;
  alpha: number;
  confidence: number;
  metrics: MetricJson[];
}

function jsonNumber(value: number): JsonNumber {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

function jsonValue<T>(value: number | T): JsonNumber | T {
  return typeof value === 'number' ? jsonNumber(value) : value;
}

/**
 * The report as a JSON-safe object (histories left out). JSON has no NaN or infinity, and
 * JSON.stringify would write null, which reads as "absent"; they are written as strings instead.
 */
export function reportToJson(report: MetricsReport): ReportJson {
  return {
    hasBaseline: report.hasBaseline,
    baseRuns: report.baseRuns,
    headRuns: report.headRuns,
    alpha: report.alpha,
    confidence: report.confidence,
    metrics: report.metrics.map((metric) => ({
      file: metric.file,
      name: metric.name,
      base: jsonValue(metric.base),
      head: jsonValue(metric.head),
      delta: jsonValue(metric.delta),
      relative: jsonValue(metric.relative),
      better: metric.better,
      status: metric.status,
      changed: metric.changed,
      significant: metric.significant,
      pValue: metric.pValue,
      test: metric.test,
      baseStats: metric.baseStats,
      headStats: metric.headStats,
    })),
  };
}
