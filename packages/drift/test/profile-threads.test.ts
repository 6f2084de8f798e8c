import { type Batch, readBatches } from '@mlactions/data';
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../data/test/helpers/data.ts';
import { type ColumnPlan, createAccumulator, feedAccumulators } from '../src/accumulate.ts';
import { type DatasetProfile, DEFAULT_SETTINGS } from '../src/profile.ts';
import { profileWorkers, shareColumns, ThreadedAccumulators } from '../src/profile-threads.ts';
import { profileSources } from '../src/profiler.ts';
import { mulberry32 } from './helpers/prng.ts';

/**
 * 30,000 rows: past the exact limit (sketches), quoted fields with line breaks, missing and invalid
 * cells, short rows, more categories than kept, a boolean, a timestamp and an id column.
 */
function tableText(rows = 30_000, seed = 5): string {
  const next = mulberry32(seed);
  const lines = ['x,city,flag,day,user_id,note,y'];
  for (let i = 0; i < rows; i++) {
    const u = next();
    const x = u < 0.02 ? 'NA' : u < 0.025 ? 'oops' : ((next() + next() + next() - 1.5) * 10).toFixed(4);
    const city = u < 0.05 ? '' : `"city ${Math.floor(next() * next() * 60)}"`;
    const flag = next() < 0.3 ? 'yes' : 'no';
    const day = `2024-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`;
    const note = next() < 0.01 ? '"two\nlines, ""quoted"""' : `n${Math.floor(next() * 5)}`;
    const row = [x, city, flag, day, `u${i}`, note, (next() * 1e6).toFixed(1)];
    // Every 97th row stops after three fields: the rest are missing.
    lines.push((i % 97 === 0 ? row.slice(0, 3) : row).join(','));
  }
  return `${lines.join('\n')}\n`;
}

const settings = { maxCategories: 40 };
// x holds a few texts: numeric by choice, they count as invalid.
const columns = { x: { type: 'numeric' } } as const;

describe('profiling in worker threads', () => {
  it('gives the same profile on 0 to 4 threads, whatever the chunk size', async () => {
    const text = tableText();
    const alone = await profileSources(memorySource('t.csv', text, 1 << 24), {
      settings,
      columns,
      read: { threads: 0 },
    });
    expect(alone.rows).toBe(30_000);
    expect(alone.columns.find((c) => c.name === 'x')).toMatchObject({ kind: 'numeric', values: null });
    expect(alone.columns.find((c) => c.name === 'x')!.invalid).toBeGreaterThan(100);
    for (const threads of [1, 2, 3, 4]) {
      for (const chunk of [4096, 65_536]) {
        const threaded = await profileSources(memorySource('t.csv', text, chunk), {
          settings,
          columns,
          read: { threads },
        });
        expect(threaded, `${threads} threads, ${chunk}-byte chunks`).toEqual(alone);
      }
    }
  });

  it('gives the same profile against a reference, with a column missing and one extra', async () => {
    const reference = await profileSources(memorySource('r.csv', tableText(20_000, 1)), {
      settings,
      columns,
    });
    const current = tableText(25_000, 2).replace(
      'x,city,flag,day,user_id,note,y',
      'x,town,flag,day,user_id,note,y',
    );
    const profile = (threads: number) =>
      profileSources(memorySource('c.csv', current, 8192), { reference, read: { threads } });
    const alone = await profile(0);
    expect(alone.absentColumns).toEqual(['city']);
    expect(alone.extraColumns).toEqual(['town']);
    expect(await profile(2)).toEqual(alone);
  });

  it('holds each column in exactly one thread, with the same result as one accumulator set', async () => {
    const text = tableText(15_000, 3);
    const batches: Batch[] = [];
    const source = memorySource('t.csv', text, 16_384);
    for await (const batch of readBatches(source, { threads: 0 })) batches.push(batch);
    const names = batches[0]!.names;
    const plans: ColumnPlan[] = names.map((name) => ({
      name,
      type: name === 'x' || name === 'y' ? 'numeric' : name === 'flag' ? 'boolean' : 'categorical',
      typeSource: 'override',
      typeReason: 'set by the test',
      included: true,
    }));
    const layout = Int32Array.from(names.map((_, i) => i));
    const local = plans.map((plan) => createAccumulator(plan, DEFAULT_SETTINGS));
    const threaded = new ThreadedAccumulators(profileWorkers(3), plans, DEFAULT_SETTINGS);
    for (const batch of batches) {
      feedAccumulators(local, batch, layout);
      await threaded.add(batch, layout);
    }
    expect(await threaded.finish()).toEqual(local.map((accumulator) => accumulator.finish()));
  });

  it('takes JSON Lines after CSV in the same profile, as one thread does', async () => {
    const csv = tableText(12_000, 6);
    const next = mulberry32(11);
    const jsonl = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({
        x: i % 50 === 0 ? 'NA' : next() * 10,
        city: `city ${Math.floor(next() * 70)}`,
        flag: next() < 0.5,
        new_key: i,
      }),
    ).join('\n');
    const profile = (threads: number) =>
      profileSources([memorySource('a.csv', csv, 16_384), memorySource('b.jsonl', jsonl, 4096)], {
        settings,
        columns,
        read: { threads },
      });
    const alone = await profile(0);
    expect(alone.rows).toBeGreaterThan(14_000);
    expect(await profile(2)).toEqual(alone);
  });

  it('names the line of a damaged record far into the file, as one thread does', async () => {
    const lines = tableText(20_000, 7).split('\n');
    lines[15_000] = `${lines[15_000]},1,2,3,4,5`;
    const text = lines.join('\n');
    const failure = (threads: number) =>
      profileSources(memorySource('d.csv', text, 8192), { read: { threads } }).catch((error) => error);
    const alone = await failure(0);
    expect(alone.message).toMatch(/^d\.csv:\d+: /);
    expect((await failure(2)).message).toBe(alone.message);
  });

  it('shares columns out by cost, the same way every time', () => {
    const plan = (type: ColumnPlan['type']): ColumnPlan => ({
      name: type,
      type,
      typeSource: 'inferred',
      typeReason: '',
      included: true,
    });
    const plans = [plan('numeric'), plan('categorical'), plan('numeric'), plan('boolean'), plan('timestamp')];
    expect(shareColumns(plans, 2)).toEqual([
      [4, 1, 3],
      [0, 2],
    ]);
    expect(shareColumns(plans, 1)).toEqual([[4, 0, 2, 1, 3]]);
    expect(shareColumns(plans.slice(0, 1), 3)).toEqual([[0], [], []]);
  });

  it('stops when the run is stopped, and profiles the next data as before', async () => {
    const text = tableText(20_000, 4);
    const stop = new AbortController();
    let batches = 0;
    const source = memorySource('t.csv', text, 8192);
    const opened = source.open;
    source.open = async () => {
      const stream = await opened();
      return (async function* () {
        for await (const chunk of stream as AsyncIterable<Uint8Array>) {
          if (++batches === 60) stop.abort(new Error('stopped'));
          yield chunk;
        }
      })();
    };
    await expect(profileSources(source, { read: { threads: 2, signal: stop.signal } })).rejects.toThrow(
      'stopped',
    );
    const again: DatasetProfile = await profileSources(memorySource('t.csv', text, 8192), {
      read: { threads: 2 },
    });
    expect(again).toEqual(
      await profileSources(memorySource('t.csv', text, 1 << 24), { read: { threads: 0 } }),
    );
  });
});
