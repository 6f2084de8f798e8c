import picomatch from 'picomatch';
import { glob, isDynamicPattern } from 'tinyglobby';

/**
 * The project's one glob dialect: picomatch's (through tinyglobby), the dialect of the report's
 * rules too. `*` and `?` stay within a path segment, `**` spans any number of segments (none
 * included: `data/**\/*.csv` matches `data/y.csv`), names starting with a dot are matched, and a
 * pattern starting with `!` takes files away.
 */
export function isGlobPattern(text: string): boolean {
  return isDynamicPattern(text);
}

/** The files (never folders) the patterns match under `cwd`, as absolute paths in sorted order. */
export async function globFiles(patterns: readonly string[], cwd: string): Promise<string[]> {
  const files = await glob([...patterns], {
    cwd,
    absolute: true,
    dot: true,
    onlyFiles: true,
    expandDirectories: false,
  });
  return files.sort();
}

/**
 * A matcher of `/`-separated names (S3 keys) by one pattern of the dialect, and the literal folder in
 * front of its first wildcard (`data/2026-*\/x.csv` → `data/`), the prefix worth listing.
 */
export function globMatcher(pattern: string): { matches: (name: string) => boolean; base: string } {
  const { base, isGlob } = picomatch.scan(pattern);
  const matcher = picomatch(pattern, { dot: true });
  // One argument only: picomatch's second one asks for a result object instead of a boolean.
  return { matches: (name) => matcher(name), base: isGlob && base !== '' ? `${base}/` : base };
}
