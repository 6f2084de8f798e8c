/**
 * Drift settings as the fronts take them (command-line flags, action inputs): text, checked and turned
 * into the options of the profiler and of the comparison, so both fronts read them the same way.
 */
import { UserError } from '@mlactions/core';
import type { ReadOptions } from '@mlactions/data';
import { COLUMN_TYPES, type ColumnType } from '@mlactions/data';
import type { ColumnDriftOptions, DriftOptions } from './compare.ts';
import type { ColumnOptions } from './profiler.ts';
import type { Correction } from './stats/correction.ts';
import { parseStatTest } from './stattests.ts';

const CORRECTIONS: readonly Correction[] = ['none', 'bonferroni', 'benjamini-hochberg'];

export interface DriftSettingsText {
  /** Test for every column it applies to. */
  stattest?: string;
  threshold?: number;
  /** Per-column overrides, `name=stattest`, `name=stattest:threshold` or `name=:threshold`. */
  columns?: readonly string[];
  shareThreshold?: number;
  keyFeatures?: readonly string[];
  correction?: string;
}

export interface ColumnSettingsText {
  /** Column types, `name=type` (numeric, categorical, boolean, id, timestamp). */
  types?: readonly string[];
  /** Columns to test although their type leaves them out (ids, timestamps). */
  include?: readonly string[];
  /** Columns to leave out of the tests. */
  exclude?: readonly string[];
}

/** Splits `name=value` at the last `=`, so a column name may itself hold one. */
function splitAssignment(text: string, what: string, example: string): [string, string] {
  const at = text.lastIndexOf('=');
  const name = text.slice(0, at).trim();
  if (at < 0 || name === '') {
    throw new UserError(`${what} ${JSON.stringify(text)} must be <column>=<value>, e.g. ${example}`);
  }
  return [name, text.slice(at + 1).trim()];
}

/** One per-column override, `name=stattest[:threshold]` or `name=:threshold`. */
export function parseColumnOverride(text: string): [string, ColumnDriftOptions] {
  const example = 'age=psi:0.2';
  const [name, value] = splitAssignment(text, 'Column override', example);
  const [test = '', threshold, ...rest] = value.split(':').map((part) => part.trim());
  const where = `Column override ${JSON.stringify(text)}`;
  if (rest.length > 0 || (test === '' && threshold === undefined)) {
    throw new UserError(`${where} must be <column>=<stattest>[:<threshold>], e.g. ${example}`);
  }
  const options: ColumnDriftOptions = {};
  if (test !== '') options.stattest = parseStatTest(test, where);
  if (threshold !== undefined) {
    const n = Number(threshold);
    if (threshold === '' || !Number.isFinite(n))
      throw new UserError(`${where}: threshold ${JSON.stringify(threshold)} is not a number`);
    options.threshold = n;
  }
  return [name, options];
}

function parseCorrection(text: string): Correction {
  if ((CORRECTIONS as readonly string[]).includes(text)) return text as Correction;
  throw new UserError(`Unknown correction ${JSON.stringify(text)}; use one of ${CORRECTIONS.join(', ')}`);
}

/** The comparison's options from their text forms (absent settings keep the package defaults). */
export function driftOptionsFrom(text: DriftSettingsText): DriftOptions {
  const columns: Record<string, ColumnDriftOptions> = {};
  for (const item of text.columns ?? []) {
    const [name, options] = parseColumnOverride(item);
    columns[name] = { ...columns[name], ...options };
  }
  return {
    ...(text.stattest ? { stattest: parseStatTest(text.stattest, 'stattest') } : {}),
    ...(text.threshold !== undefined ? { threshold: text.threshold } : {}),
    ...(Object.keys(columns).length > 0 ? { columns } : {}),
    ...(text.shareThreshold !== undefined ? { shareThreshold: text.shareThreshold } : {}),
    ...(text.keyFeatures && text.keyFeatures.length > 0 ? { keyFeatures: [...text.keyFeatures] } : {}),
    ...(text.correction ? { correction: parseCorrection(text.correction) } : {}),
  };
}

/** The profiler's per-column options (types, inclusion) from their text forms. */
export function columnOptionsFrom(text: ColumnSettingsText): Record<string, ColumnOptions> {
  const columns: Record<string, ColumnOptions> = {};
  const set = (name: string, options: ColumnOptions) => {
    columns[name] = { ...columns[name], ...options };
  };
  for (const item of text.types ?? []) {
    const [name, type] = splitAssignment(item, 'Column type', 'zip=categorical');
    if (!(COLUMN_TYPES as readonly string[]).includes(type)) {
      throw new UserError(
        `Column type ${JSON.stringify(item)}: unknown type ${JSON.stringify(type)}; use one of ${COLUMN_TYPES.join(', ')}`,
      );
    }
    set(name, { type: type as ColumnType });
  }
  for (const name of text.include ?? []) set(name, { include: true });
  for (const name of text.exclude ?? []) {
    if (columns[name]?.include)
      throw new UserError(`Column ${JSON.stringify(name)} is both included and excluded`);
    set(name, { include: false });
  }
  return columns;
}

/**
 * The reader's options from their text forms. A tab may be written `\t` or `tab`, since a workflow's
 * inputs are trimmed and a shell argument is awkward to give one in.
 */
export function readOptionsFrom(text: { delimiter?: string | undefined }): ReadOptions {
  const { delimiter } = text;
  if (delimiter === undefined || delimiter === '') return {};
  return { delimiter: /^(\\t|tab)$/i.test(delimiter) ? '\t' : delimiter };
}
