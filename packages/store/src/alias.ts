import { parseLogEntry } from './log-entry.ts';
import type { Provenance } from './manifest.ts';
import { validateAlias } from './names.ts';

/**
 * One move of an alias. Entries are numbered from 1 and never rewritten; the highest number is the
 * alias's current value. A store creates entry n+1 only if it does not exist yet, which makes every
 * move a compare-and-swap: of two concurrent moves from entry n, exactly one lands.
 */
export interface AliasEntry extends Provenance {
  alias: string;
  seq: number;
  version: string;
  /** The version the alias pointed to before this move (null for its first). */
  previous: string | null;
  /** ISO 8601 time of the move. */
  time: string;
  action: 'promote' | 'rollback';
}

/** An alias and the entry that set its current value. */
export interface AliasState {
  alias: string;
  version: string;
  entry: AliasEntry;
}

/** Parses and checks a stored alias entry (a store's content is not trusted). */
export function parseAliasEntry(text: string, where: string): AliasEntry {
  const value = parseLogEntry(
    text,
    where,
    'alias',
    (value) =>
      (value.action === 'promote' || value.action === 'rollback') &&
      (value.previous === null || typeof value.previous === 'string'),
  );
  validateAlias(value.alias);
  return value as unknown as AliasEntry;
}

/**
 * The version a rollback moves the alias back to: the history is replayed as a stack (a promotion
 * pushes its version unless it is already on top, a rollback pops back to its version), and the
 * target is the entry below the top. So repeated rollbacks walk further back (3 → 2 → 1) rather than
 * toggling between the last two versions. Undefined when there is nothing to go back to.
 */
export function rollbackTarget(history: AliasEntry[]): string | undefined {
  const stack: string[] = [];
  for (const entry of history) {
    if (entry.action === 'rollback') {
      while (stack.length > 0 && stack.at(-1) !== entry.version) stack.pop();
      if (stack.length === 0) stack.push(entry.version);
    } else if (stack.at(-1) !== entry.version) {
      stack.push(entry.version);
    }
  }
  return stack.at(-2);
}
