/**
 * The whole drift check in one call: profile the reference (or take a stored profile), profile the
 * current data against it (same columns, types, bins and categories), compare.
 */

import { UserError } from '@mlactions/core';
import type { DataSource } from '@mlactions/data';
import { compareProfiles, type DriftOptions, type DriftReport } from './compare.ts';
import { type DatasetProfile, PROFILE_FORMAT } from './profile.ts';
import { type ProfileOptions, profileSources } from './profiler.ts';

export interface DriftCheck {
  /** Reference data, or its stored profile. */
  reference: DataSource | readonly DataSource[] | DatasetProfile;
  current: DataSource | readonly DataSource[];
  /** How to profile the reference (column types and inclusion, settings, CSV delimiter). */
  profile?: Omit<ProfileOptions, 'reference'>;
  drift?: DriftOptions;
}

export interface DriftCheckResult {
  report: DriftReport;
  /** The reference profile, worth storing so that the next check reads the reference no more. */
  reference: DatasetProfile;
  current: DatasetProfile;
}

function isProfile(value: DriftCheck['reference']): value is DatasetProfile {
  return !Array.isArray(value) && (value as Partial<DatasetProfile>).format === PROFILE_FORMAT;
}

export async function checkDrift(check: DriftCheck): Promise<DriftCheckResult> {
  const reference = isProfile(check.reference)
    ? check.reference
    : await profileSources(check.reference, check.profile);
  const current = await profileSources(check.current, { reference, read: check.profile?.read });
  const report = compareProfiles(reference, current, check.drift);
  if (report.testedCount === 0) throw new UserError(nothingTested(report));
  return { report, reference, current };
}

/**
 * A check that could compare no column would report "no drift" for good (a changed delimiter or
 * schema makes every column absent): it is an error that says why.
 */
function nothingTested(report: DriftReport): string {
  const prefix = 'The drift check tested no column:';
  const names = (list: readonly string[]) => list.map((name) => JSON.stringify(name)).join(', ');
  const { features } = report;
  if (features.length === 0) return `${prefix} the reference has no columns.`;
  if (features.every((f) => f.state === 'absent')) {
    return `${prefix} the current data has none of the reference's columns ${names(features.map((f) => f.name))} (its columns: ${names(report.columnsOnlyInCurrent)}). Check the delimiter and that both sides have the same schema.`;
  }
  const why = features.map((f) =>
    f.state === 'empty'
      ? `${JSON.stringify(f.name)} has ${f.reason}`
      : `${JSON.stringify(f.name)}: ${f.reason}`,
  );
  return `${prefix} ${why.join('; ')}.`;
}
