import { UserError } from '@mlactions/core';

/**
 * Where an action's inputs come from, by their names: the step's `with:`. The rules for reading
 * their text (what is true, a number, a list) live once, in InputReader; what the values mean is the
 * request builders' (gate-settings.ts and its peers).
 */
export interface InputSource {
  /** The text given for an input, or undefined when it was not given. */
  text(name: string): string | undefined;
  /** How the user names the input in a message: "input `timeout-minutes`". */
  label(name: string): string;
  /** How to give a required input, for its message: "set it under `with:` in the workflow step". */
  howToSet: string;
}

/** Reads inputs as text into typed values; each mistake is one UserError naming the input. */
export class InputReader {
  constructor(private readonly source: InputSource) {}

  /** A string; empty means absent, as the runner passes unset inputs as empty strings. */
  string(name: string): string | undefined {
    const value = this.source.text(name)?.trim();
    return value === '' ? undefined : value;
  }

  required(name: string): string {
    const value = this.string(name);
    if (value === undefined)
      throw new UserError(`${this.source.label(name)} is required: ${this.source.howToSet}`);
    return value;
  }

  /** One of a few words; the fallback when it is not given. */
  choice<T extends string>(name: string, choices: readonly T[]): T | undefined;
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T;
  choice<T extends string>(name: string, choices: readonly T[], fallback?: T): T | undefined {
    const value = this.string(name) ?? fallback;
    if (value !== undefined && !choices.includes(value as T)) {
      const words = `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
      throw new UserError(`${this.source.label(name)} must be ${words}, got "${value}"`);
    }
    return value as T | undefined;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.string(name);
    if (value === undefined) return fallback;
    if (/^(true|yes|on|1)$/i.test(value)) return true;
    if (/^(false|no|off|0)$/i.test(value)) return false;
    throw new UserError(`${this.source.label(name)} must be true or false, got "${value}"`);
  }

  /** A number; the fallback (or undefined) when it is not given. */
  number(name: string): number | undefined;
  number(name: string, fallback: number): number;
  number(name: string, fallback?: number): number | undefined {
    const value = this.string(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n))
      throw new UserError(`${this.source.label(name)} must be a number, got "${value}"`);
    return n;
  }

  /** A list where commas may belong to an item (rules, commands, globs): one item per line. */
  lines(name: string): string[] {
    return (this.string(name) ?? '')
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }

  /** A list: one item per line or comma-separated; blank items dropped. */
  list(name: string): string[] {
    return (this.string(name) ?? '')
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
}
