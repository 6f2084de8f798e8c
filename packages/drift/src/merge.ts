/**
 * Merging profiles: the profiles of shards of a dataset merge into the profile of the whole. Counts,
 * extremes, means and variances combine exactly; numeric values stay exact while their total fits the
 * exact limit and otherwise become a merged sketch; bins counted against the same reference cuts add
 * up, other bins are recomputed from the merged values or sketch.
 */
import { UserError } from '@mlactions/core';
import { ownBins } from './accumulate.ts';
import { KllSketch, seedFrom } from './kll.ts';
import {
  type BooleanColumnProfile,
  type CategoricalColumnProfile,
  type ColumnProfile,
  type CountsColumnProfile,
  type DatasetProfile,
  MAX_INVALID_EXAMPLES,
  type NumericColumnProfile,
  PROFILE_FORMAT,
  PROFILE_VERSION,
  type ProfileSettings,
} from './profile.ts';
import { checkProfileFields } from './profile-check.ts';
import { sampleOf } from './sample.ts';

/** The same column's profile for data that lacks it: every row missing. */
function absentLike(column: ColumnProfile, rows: number): ColumnProfile {
  const base = { ...column, count: 0, missing: rows, invalid: 0, invalidExamples: [] };
  switch (column.kind) {
    case 'numeric':
      return {
        ...base,
        kind: 'numeric',
        min: null,
        max: null,
        mean: null,
        m2: 0,
        values: [],
        sketch: null,
        rankError: 0,
        bins: { ...column.bins, counts: column.bins.counts.map(() => 0), exact: true },
      };
    case 'categorical':
      return { ...base, kind: 'categorical', categories: [], other: 0 };
    case 'boolean':
      return { ...base, kind: 'boolean', trueCount: 0, falseCount: 0 };
    default:
      return { ...base, kind: 'counts' };
  }
}

function sameSettings(a: ProfileSettings, b: ProfileSettings): boolean {
  return (
    a.exactLimit === b.exactLimit &&
    a.maxCategories === b.maxCategories &&
    a.sketchK === b.sketchK &&
    a.bins === b.bins
  );
}

function sketchOf(column: NumericColumnProfile, k: number): KllSketch {
  if (column.sketch) return KllSketch.fromJSON(column.sketch);
  const sketch = new KllSketch(k, seedFrom(column.name));
  if (column.values && column.values.length > 0) sketch.updateMany(Float64Array.from(column.values));
  return sketch;
}

/** Sorted union of two sorted arrays. */
function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! <= b[j]!)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

function mergeNumeric(
  a: NumericColumnProfile,
  b: NumericColumnProfile,
  settings: ProfileSettings,
): NumericColumnProfile {
  const count = a.count + b.count;
  let mean: number | null = null;
  let m2 = 0;
  if (a.count === 0 || b.count === 0) {
    ({ mean, m2 } = a.count === 0 ? b : a);
  } else {
    // Chan et al.'s pairwise update of mean and sum of squared deviations.
    const delta = b.mean! - a.mean!;
    mean = a.mean! + (delta * b.count) / count;
    m2 = a.m2 + b.m2 + (delta * delta * a.count * b.count) / count;
  }
  const exact = a.values !== null && b.values !== null && count <= settings.exactLimit;
  let values: number[] | null = null;
  let sketch: KllSketch | undefined;
  if (exact) values = mergeSorted(a.values!, b.values!);
  else {
    sketch = sketchOf(a, settings.sketchK);
    sketch.merge(sketchOf(b, settings.sketchK));
  }
  const sameCuts =
    a.bins.origin === 'reference' &&
    b.bins.origin === 'reference' &&
    a.bins.cuts.length === b.bins.cuts.length &&
    a.bins.cuts.every((cut, i) => cut === b.bins.cuts[i]);
  const bins = sameCuts
    ? {
        ...a.bins,
        counts: a.bins.counts.map((c, i) => c + b.bins.counts[i]!),
        exact: a.bins.exact && b.bins.exact,
      }
    : ownBins(sketch ? sketch.sample() : sampleOf(values!), settings.bins, exact);
  const extremes = [a, b].filter((c) => c.count > 0);
  return {
    ...a,
    ...mergeCounts(a, b),
    kind: 'numeric',
    min: extremes.length ? Math.min(...extremes.map((c) => c.min!)) : null,
    max: extremes.length ? Math.max(...extremes.map((c) => c.max!)) : null,
    mean,
    m2,
    values,
    sketch: sketch ? sketch.toJSON() : null,
    rankError: sketch ? sketch.rankError() : 0,
    bins,
  };
}

function mergeCategorical(
  a: CategoricalColumnProfile,
  b: CategoricalColumnProfile,
  settings: ProfileSettings,
): CategoricalColumnProfile {
  const counts = new Map(a.categories);
  for (const [value, count] of b.categories) counts.set(value, (counts.get(value) ?? 0) + count);
  const categories = [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const kept = categories.slice(0, settings.maxCategories);
  const folded = categories.slice(settings.maxCategories).reduce((sum, [, count]) => sum + count, 0);
  return {
    ...a,
    ...mergeCounts(a, b),
    kind: 'categorical',
    categories: kept,
    other: a.other + b.other + folded,
  };
}

function mergeCounts(a: ColumnProfile, b: ColumnProfile) {
  const examples = [...a.invalidExamples];
  for (const example of b.invalidExamples) {
    if (examples.length < MAX_INVALID_EXAMPLES && !examples.includes(example)) examples.push(example);
  }
  return {
    count: a.count + b.count,
    missing: a.missing + b.missing,
    invalid: a.invalid + b.invalid,
    invalidExamples: examples,
  };
}

function mergeColumn(a: ColumnProfile, b: ColumnProfile, settings: ProfileSettings): ColumnProfile {
  if (a.type !== b.type || a.kind !== b.kind) {
    throw new UserError(
      `Column ${JSON.stringify(a.name)} is ${a.type}${a.included ? '' : ' (not tested)'} in one profile and ${b.type}${b.included ? '' : ' (not tested)'} in the other; profile the shards with the same column types`,
    );
  }
  if (a.kind === 'numeric') return mergeNumeric(a, b as NumericColumnProfile, settings);
  if (a.kind === 'categorical') return mergeCategorical(a, b as CategoricalColumnProfile, settings);
  if (a.kind === 'boolean') {
    const other = b as BooleanColumnProfile;
    return {
      ...a,
      ...mergeCounts(a, b),
      trueCount: a.trueCount + other.trueCount,
      falseCount: a.falseCount + other.falseCount,
    };
  }
  return { ...(a as CountsColumnProfile), ...mergeCounts(a, b) };
}

/** The profile of the union of the data two profiles describe (see the module notes). */
export function mergeProfiles(a: DatasetProfile, b: DatasetProfile): DatasetProfile {
  if (!sameSettings(a.settings, b.settings)) {
    throw new UserError(
      'The profiles were made with different settings (exact limit, categories, sketch size or bins); profile both shards with the same settings',
    );
  }
  const names = [...a.columns.map((c) => c.name)];
  for (const column of b.columns) if (!names.includes(column.name)) names.push(column.name);
  const columns = names.map((name) => {
    const left = a.columns.find((c) => c.name === name);
    const right = b.columns.find((c) => c.name === name);
    return mergeColumn(left ?? absentLike(right!, a.rows), right ?? absentLike(left!, b.rows), a.settings);
  });
  return {
    format: PROFILE_FORMAT,
    version: PROFILE_VERSION,
    rows: a.rows + b.rows,
    sources: [...a.sources, ...b.sources],
    settings: a.settings,
    columns,
    absentColumns: a.absentColumns.filter((name) => b.absentColumns.includes(name) && !names.includes(name)),
    extraColumns: [...new Set([...a.extraColumns, ...b.extraColumns])].filter(
      (name) => !names.includes(name),
    ),
  };
}

/** Reads a stored profile, checking that it is one; `name` says where it came from in errors. */
export function parseProfile(text: string, name: string): DatasetProfile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${name}: not valid JSON (${(error as Error).message})`);
  }
  const profile = json as Partial<DatasetProfile> | null;
  if (!profile || profile.format !== PROFILE_FORMAT) {
    throw new UserError(`${name}: not a drift profile (expected "format": "${PROFILE_FORMAT}")`);
  }
  if (profile.version !== PROFILE_VERSION) {
    throw new UserError(
      `${name}: drift profile version ${String(profile.version)} is not supported (this version reads ${PROFILE_VERSION}); profile the data again`,
    );
  }
  return checkProfileFields(profile as Record<string, unknown>, name);
}
