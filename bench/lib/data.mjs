// Generated benchmark data: the same bytes on every machine, written once and kept between runs.
import { createWriteStream, renameSync } from 'node:fs';

/** A seeded linear congruential generator of numbers in [0, 1): the same sequence on every run. */
export function seededRandom(seed = 1) {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Writes a CSV of a header and `count` lines from `line()` (each without its newline), in 1 MiB
 * writes, to `<path>.partial` first and renamed when whole, so that an interrupted run leaves no file
 * that a later run would take for finished.
 */
export async function writeCsv(path, header, count, line) {
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  let text = `${header}\n`;
  for (let i = 0; i < count; i++) {
    text += `${line()}\n`;
    if (text.length > 1 << 20) {
      if (!out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
      text = '';
    }
  }
  await new Promise((resolve, reject) => out.end(text, (error) => (error ? reject(error) : resolve())));
  renameSync(partial, path);
}
