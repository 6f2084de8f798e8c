/**
 * The whole drift check in one call: profile the reference (or take a stored profile), profile the
 * current data against it (same columns, types, bins and categories), compare.
 */

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
  return { report: compareProfiles(reference, current, check.drift), reference, current };
}
