import { UserError } from '@mlactions/core';
import { type AliasEntry, rollbackTarget } from './alias.ts';
import { byLogNumber, parseLogEntry } from './log-entry.ts';
import type { Provenance } from './manifest.ts';
import { sortVersions } from './versioning.ts';

/**
 * One change of a version's standing, in a model's lifecycle log. Entries are numbered from 1 and
 * never rewritten (created only if absent, like alias moves), so two runs changing the standing of
 * versions at once cannot lose one another's change. A version's standing is its last entry.
 */
export interface LifecycleEntry extends Provenance {
  seq: number;
  version: string;
  /** `delete` is a tombstone: the version was removed and its number is never published again. */
  action: 'deprecate' | 'undeprecate' | 'delete';
  /** Why, in the words of whoever changed it (shown by fetch, deploy and promote). */
  reason?: string;
  /** ISO 8601 time of the change. */
  time: string;
}

/** The longest reason kept; a reason is a line for people, not a document. */
export const MAX_REASON = 500;

/** Parses and checks a stored lifecycle entry (a store's content is not trusted). */
export function parseLifecycleEntry(text: string, where: string): LifecycleEntry {
  const value = parseLogEntry(
    text,
    where,
    'lifecycle',
    (value) =>
      (value.action === 'deprecate' || value.action === 'undeprecate' || value.action === 'delete') &&
      // A reason is one line without control characters: it is printed in logs, where a line break
      // could start a workflow command.
      (value.reason === undefined || (typeof value.reason === 'string' && !/\p{Cc}/u.test(value.reason))),
  );
  return value as unknown as LifecycleEntry;
}

/** A reason as given on a command line or an input: one trimmed line, required, of bounded length. */
export function validateReason(reason: unknown): string {
  const text = typeof reason === 'string' ? reason.replace(/\s+/g, ' ').trim() : '';
  if (text === '') throw new UserError('Give a reason (e.g. "accuracy regressed on the March data").');
  if (text.length > MAX_REASON) {
    throw new UserError(`The reason is ${text.length} characters; keep it under ${MAX_REASON}.`);
  }
  return text;
}

/** Each version's standing: its last lifecycle entry. */
export function lifecycleState(entries: LifecycleEntry[]): Map<string, LifecycleEntry> {
  const state = new Map<string, LifecycleEntry>();
  for (const entry of [...entries].sort(byLogNumber)) state.set(entry.version, entry);
  return state;
}

/**
 * Versions that aliases need, with why: the version each alias points to, and the one a rollback of
 * it would move it back to (see rollbackTarget). Deleting one of these would leave an alias, or its
 * rollback, pointing at nothing.
 */
export function aliasedVersions(histories: Map<string, AliasEntry[]>): Map<string, string[]> {
  const needed = new Map<string, string[]>();
  const add = (version: string, why: string) => needed.set(version, [...(needed.get(version) ?? []), why]);
  for (const [alias, history] of [...histories].sort(([a], [b]) => a.localeCompare(b))) {
    const current = history.at(-1)?.version;
    if (current !== undefined) add(current, `alias ${alias} points to it`);
    const back = rollbackTarget(history);
    if (back !== undefined) add(back, `a rollback of alias ${alias} would return to it`);
  }
  return needed;
}

/** Which versions a retention of the `keep` newest removes: the rest, except those aliases need. */
export function retentionPlan(
  versions: string[],
  keep: number,
  needed: Map<string, string[]>,
): { remove: string[]; kept: string[] } {
  if (!Number.isSafeInteger(keep) || keep < 1) {
    throw new UserError(`\`keep\` must be a whole number of versions, 1 or more; got ${keep}.`);
  }
  const sorted = sortVersions(versions);
  const newest = new Set(sorted.slice(-keep));
  const remove = sorted.filter((v) => !newest.has(v) && !needed.has(v));
  return { remove, kept: sorted.filter((v) => !remove.includes(v)) };
}

/** The warning fetch and deploy give for a deprecated version, on one line. */
export function deprecationNotice(name: string, entry: LifecycleEntry): string {
  return `${name} ${entry.version} is deprecated (since ${entry.time}): ${entry.reason ?? 'no reason given'}.`;
}
