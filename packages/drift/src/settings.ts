/**
 * Drift's settings as the fronts take them (the drift action's inputs, `mlactions drift`'s and
 * `mlactions profile`'s flags): text, checked and turned into one request for checkDriftFiles (or the
 * profiler's options), so both fronts refuse and default the same way.
 */
import { requiredSetting, UserError } from '@mlactions/core';
import type { ReadOptions, RemoteSources } from '@mlactions/data';
import { COLUMN_TYPES, type ColumnType } from '@mlactions/data';
import type { DriftFilesRequest } from './check-files.ts';
import type { ColumnDriftOptions, DriftOptions } from './compare.ts';
import type { ColumnOptions } from './profiler.ts';
import type { Correction } from './stats/correction.ts';
import { parseStatTest } from './stattests.ts';
import type { StoreReferenceRequest, VersionFetcher } from './store-reference.ts';

const CORRECTIONS: readonly Correction[] = ['none', 'bonferroni', 'benjamini-hochberg'];

/** The comparison's settings. */
export interface ComparisonSettingsText {
  /** Test for every column it applies to. */
  stattest?: string | undefined;
  threshold?: number | undefined;
  /** Per-column overrides, `name=stattest`, `name=stattest:threshold` or `name=:threshold`. */
  columns?: readonly string[] | undefined;
  /** The share of tested columns that must drift (the comparison's 0.5 when not given). */
  shareThreshold?: number | undefined;
  keyFeatures?: readonly string[] | undefined;
  correction?: string | undefined;
}

/** The settings of profiling data: its columns and how it is read. */
export interface ProfileSettingsText {
  /** Column types, `name=type` (numeric, categorical, boolean, id, timestamp). */
  columnTypes?: readonly string[] | undefined;
  /** Columns to test although their type leaves them out (ids, timestamps). */
  includeColumns?: readonly string[] | undefined;
  /** Columns to leave out of the tests. */
  excludeColumns?: readonly string[] | undefined;
  /** The CSV field separator; `\t` or `tab` for a tab. */
  delimiter?: string | undefined;
}

/** Drift's settings: what to compare, where the reference comes from, and how to compare. */
export interface DriftSettingsText extends ProfileSettingsText, ComparisonSettingsText {
  /** The reference: data files, folders, globs or s3:// URIs, or stored profiles. */
  reference?: readonly string[] | undefined;
  current?: readonly string[] | undefined;
  /** Instead of `reference`: a store holding a model version whose published profile is the reference. */
  store?: string | undefined;
  name?: string | undefined;
  /** The version, or an alias naming it; the store refuses neither or both. */
  version?: string | undefined;
  alias?: string | undefined;
  /** The profile's path inside the version (by default the one profile among its files). */
  referenceProfile?: string | undefined;
  /** Where to write the reference's profile, for the next run. */
  saveReferenceProfile?: string | undefined;
}

/** Where a drift check runs. */
export interface DriftSettingsContext {
  /** Relative paths are read from here (the workspace, the shell's folder). */
  cwd: string;
  /** Reads `s3://` data (@mlactions/store's s3DataReader, with the front's endpoint). */
  remote?: RemoteSources;
  /** Stops the reads (the CLI's interrupt). */
  signal?: AbortSignal;
  /** Opens the store a reference profile is fetched from, and the folder it is fetched into. */
  referenceStore?: { open: (uri: string) => VersionFetcher; out: string };
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
export function driftOptionsFrom(text: ComparisonSettingsText): DriftOptions {
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
export function columnOptionsFrom(text: ProfileSettingsText): Record<string, ColumnOptions> {
  const columns: Record<string, ColumnOptions> = {};
  const set = (name: string, options: ColumnOptions) => {
    columns[name] = { ...columns[name], ...options };
  };
  for (const item of text.columnTypes ?? []) {
    const [name, type] = splitAssignment(item, 'Column type', 'zip=categorical');
    if (!(COLUMN_TYPES as readonly string[]).includes(type)) {
      throw new UserError(
        `Column type ${JSON.stringify(item)}: unknown type ${JSON.stringify(type)}; use one of ${COLUMN_TYPES.join(', ')}`,
      );
    }
    set(name, { type: type as ColumnType });
  }
  for (const name of text.includeColumns ?? []) set(name, { include: true });
  for (const name of text.excludeColumns ?? []) {
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

/** What profiling data takes from the settings: the columns' options, the reader's, the s3:// reader. */
export function profileOptionsFrom(
  text: ProfileSettingsText,
  context: Pick<DriftSettingsContext, 'remote' | 'signal'>,
): { columns: Record<string, ColumnOptions>; read: ReadOptions; remote?: RemoteSources } {
  return {
    columns: columnOptionsFrom(text),
    read: { ...readOptionsFrom(text), ...(context.signal ? { signal: context.signal } : {}) },
    ...(context.remote ? { remote: context.remote } : {}),
  };
}

function referenceStoreFrom(
  text: DriftSettingsText,
  context: DriftSettingsContext,
): DriftFilesRequest['referenceStore'] {
  if (!text.store) return undefined;
  if (!context.referenceStore)
    throw new UserError('`store` is not read here: give the reference as files or stored profiles');
  const name = requiredSetting('name', text.name, 'the model whose published profile is the reference');
  const wanted: StoreReferenceRequest = {
    name,
    ...(text.version ? { version: text.version } : {}),
    ...(text.alias ? { alias: text.alias } : {}),
    ...(text.referenceProfile ? { file: text.referenceProfile } : {}),
    out: context.referenceStore.out,
  };
  return { store: context.referenceStore.open(text.store), ...wanted };
}

/** Drift's request from its settings, or one error naming the setting and the fix. */
export function driftRequestFrom(text: DriftSettingsText, context: DriftSettingsContext): DriftFilesRequest {
  const referenceStore = referenceStoreFrom(text, context);
  return {
    reference: [...(text.reference ?? [])],
    ...(referenceStore ? { referenceStore } : {}),
    current: [...(text.current ?? [])],
    cwd: context.cwd,
    ...profileOptionsFrom(text, context),
    drift: driftOptionsFrom(text),
    ...(text.saveReferenceProfile ? { saveReferenceProfile: text.saveReferenceProfile } : {}),
  };
}
