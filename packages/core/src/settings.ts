/**
 * The rules every request builder (gate-settings.ts, publish-settings.ts …) applies to settings given
 * as text, so that a missing or misspelt setting reads the same from every verb and front. Names are
 * the action's inputs (a CLI flag is the same name with `--`).
 */
import { UserError } from './user-error.ts';

/** "a, b or c". */
function words(choices: readonly string[]): string {
  return choices.length < 2 ? choices.join('') : `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
}

/** A setting that must be given: its text, or "`name` is required: <what it is>". */
export function requiredSetting(name: string, value: string | undefined, what: string): string {
  if (!value) throw new UserError(`\`${name}\` is required: ${what}`);
  return value;
}

/** One of a few words, or undefined when not given (empty is not given). */
export function choiceSetting<T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
): T | undefined {
  if (!value) return undefined;
  if (choices.includes(value as T)) return value as T;
  throw new UserError(`\`${name}\` must be ${words(choices)}, got ${JSON.stringify(value)}`);
}

/** A number of 0 or more (a duration, an interval), or the fallback when not given. */
export function nonNegativeSetting(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0)
    throw new UserError(`\`${name}\` must be a number of 0 or more, got ${value}`);
  return value;
}
