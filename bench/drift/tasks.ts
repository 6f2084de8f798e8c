/**
 * The measured tasks of the drift benchmark, each run in a child process of run.mjs so that its time
 * and peak RSS are its own. Prints one JSON line: { seconds, cpuSeconds, maxRssMiB, rows, ... }.
 *
 *   tasks.mjs udsv <csv>      parse the file into typed columns with udsv (the peer)
 *   tasks.mjs profile <csv> <threads>   profile the file as the drift check does (types, sketches,
 *                                       bins, counts), parsed and profiled by that many worker threads
 */
import { fileSource } from '../../packages/data/src/index.ts';
import { profileSources } from '../../packages/drift/src/index.ts';
import { measure, runNamedTask } from '../lib/measure.ts';
import { requireFrom } from '../lib/require-from.ts';
import { type Udsv, udsvParse } from '../lib/udsv.ts';

const data = process.argv[3]!;
const threads = Number(process.argv[4] ?? 0);

await runNamedTask({
  udsv: () => {
    // udsv is a dev dependency of packages/drift, loaded from there.
    const udsv = requireFrom('packages/drift')('udsv') as Udsv;
    return measure(() => udsvParse(udsv, data));
  },
  profile: () =>
    measure(async () => {
      const result = await profileSources(fileSource(data), { read: { threads } });
      return {
        rows: result.rows,
        columns: result.columns.length,
        profileBytes: JSON.stringify(result).length,
      };
    }),
});
