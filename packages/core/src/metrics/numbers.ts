const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const NOT_A_NUMBER = /^[-+]?nan$/i;
const INFINITE = /^([-+]?)inf(?:inity)?$/i;

/**
 * Reads a number written as text in a CSV cell or a YAML/JSON plain scalar: decimals and exponents,
 * plus the spellings of NaN and infinity that Python, pandas and numpy write (`NaN`, `nan`, `inf`,
 * `-Infinity`). Anything else (including hex, `1_000` and the empty string) is not a number.
 */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (DECIMAL.test(trimmed)) return Number(trimmed);
  if (NOT_A_NUMBER.test(trimmed)) return Number.NaN;
  const infinite = INFINITE.exec(trimmed);
  if (infinite) return infinite[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return undefined;
}
