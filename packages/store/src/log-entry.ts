/**
 * The numbered entries of a store's append-only logs (alias moves, lifecycle changes): how one is
 * written, and how one read back is checked (a store's content is not trusted).
 */
import { UserError } from '@mlactions/core';
import { normalizeVersion } from './names.ts';

/** The order of a log: by the entries' numbers. */
export function byLogNumber(a: { seq: number }, b: { seq: number }): number {
  return a.seq - b.seq;
}

/** A log's entries read back, in the order they were numbered; those gone since they were listed left out. */
export async function inLogOrder<T extends { seq: number }>(
  reads: readonly Promise<T | undefined>[],
): Promise<T[]> {
  const entries: (T | undefined)[] = await Promise.all(reads);
  return entries.filter((entry): entry is T => entry !== undefined).sort(byLogNumber);
}

export function serializeLogEntry(entry: object): string {
  return `${JSON.stringify(entry, null, 2)}\n`;
}

/**
 * Parses the `kind` record at `where` and checks what every entry has (a number from 1, a time, a
 * version); `valid` checks the fields of its kind.
 */
export function parseLogEntry(
  text: string,
  where: string,
  kind: string,
  valid: (value: Record<string, unknown>) => boolean,
): Record<string, unknown> {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`The ${kind} record at ${where} is not valid JSON (${(error as Error).message}).`);
  }
  const ok =
    typeof value === 'object' &&
    value !== null &&
    Number.isSafeInteger(value.seq) &&
    (value.seq as number) >= 1 &&
    typeof value.time === 'string' &&
    valid(value);
  if (!ok) throw new UserError(`The ${kind} record at ${where} is malformed.`);
  normalizeVersion(value.version);
  return value;
}
