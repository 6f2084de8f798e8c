// Cache keys for a training job's data and checkpoints. GitHub's cache entries are immutable: a key
// is written once, and a lookup by prefix (restore keys) returns the newest entry that starts with
// it. So the data entry is keyed on the data's fingerprint alone, and every checkpoint save gets a
// key of its own that ends in the run, the attempt and the time, found again by prefix.

/** Which earlier checkpoint a job resumes from. */
export type ResumePolicy = 'rerun' | 'latest' | 'never';

export const RESUME_POLICIES: readonly ResumePolicy[] = ['rerun', 'latest', 'never'];

/** A key part with nothing the cache service refuses (commas) or that would blur the key's structure. */
export function keyPart(text: string): string {
  return text
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .slice(0, 100);
}

/** The identity of one job's cache entries. */
export interface KeyContext {
  /** The user's `cache-key` (which model, which config). */
  name: string;
  /** Hash of the files that identify the data version; '' when there were none. */
  fingerprint: string;
  runId: string;
  runAttempt: string;
}

const prefix = (k: KeyContext) =>
  `mlactions-train-${keyPart(k.name) || 'train'}-${k.fingerprint ? k.fingerprint.slice(0, 16) : 'nodata'}`;

/** The data's key: one entry per data fingerprint. */
export function dataKey(k: KeyContext): string {
  return `${prefix(k)}-data`;
}

/** The prefix shared by the checkpoints of one run (every attempt) with the same data. */
export function runCheckpointPrefix(k: KeyContext): string {
  return `${prefix(k)}-ckpt-${keyPart(k.runId)}-`;
}

/** A key for one checkpoint save: unique per save, ordered by time within an attempt. */
export function checkpointKey(k: KeyContext, nowMs: number): string {
  return `${runCheckpointPrefix(k)}${keyPart(k.runAttempt)}-${nowMs}`;
}

/**
 * What a restore looks up: a primary key that never exists (the lookup is by prefix only) and the
 * prefixes to try. `rerun` resumes a rerun of the same workflow run (after a preempted, cancelled or
 * timed-out attempt); `latest` the newest checkpoint of any run with this name and data; `never`
 * starts afresh.
 */
export function checkpointLookup(
  k: KeyContext,
  policy: ResumePolicy,
): { key: string; restoreKeys: string[] } | undefined {
  if (policy === 'never') return undefined;
  const key = `${runCheckpointPrefix(k)}${keyPart(k.runAttempt)}-lookup`;
  const restoreKeys =
    policy === 'rerun' ? [runCheckpointPrefix(k)] : [runCheckpointPrefix(k), `${prefix(k)}-ckpt-`];
  return { key, restoreKeys };
}
