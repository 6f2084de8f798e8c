import { isUserError } from '@mlactions/core';
import { inferColumnType, isIdLikeName } from '@mlactions/data';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { csvSource, csvText, memorySource } from '../../data/test/helpers/data.ts';
import { KllSketch } from '../src/kll.ts';
import { mergeProfiles, parseProfile } from '../src/merge.ts';
import type { ColumnProfile, DatasetProfile, NumericColumnProfile } from '../src/profile.ts';
import { profileSources } from '../src/profiler.ts';
import { mulberry32, normals } from './helpers/prng.ts';

const column = (profile: DatasetProfile, name: string): ColumnProfile =>
  profile.columns.find((c) => c.name === name)!;
const numeric = (profile: DatasetProfile, name: string) => column(profile, name) as NumericColumnProfile;

describe('type inference', () => {
  it('follows the documented rules', () => {
    const range = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));
    expect(inferColumnType('x', []).type).toBe('categorical');
    expect(inferColumnType('flag', ['yes', 'No', 'Y', 'n']).type).toBe('boolean');
    expect(inferColumnType('flag', [true, false]).type).toBe('boolean');
    expect(inferColumnType('label', ['0', '1', '1']).type).toBe('boolean');
    expect(inferColumnType('label', ['1', '1']).type).toBe('numeric');
    expect(inferColumnType('day', ['2024-01-01', '2024-01-02T10:00:00Z', '2024-02-03 04:05']).type).toBe(
      'timestamp',
    );
    expect(inferColumnType('day', [new Date(0)]).type).toBe('timestamp');
    expect(inferColumnType('x', ['1.5', '-2', '3e4', ' 7 ']).type).toBe('numeric');
    expect(inferColumnType('user_id', ['3', '9', '4', '5']).type).toBe('id');
    expect(inferColumnType('userId', ['a1', 'b2', 'c3']).type).toBe('id');
    expect(inferColumnType('row', range(25)).type).toBe('id');
    expect(inferColumnType('row', range(10)).type).toBe('numeric');
    expect(inferColumnType('count', [...range(25)].reverse()).type).toBe('numeric');
    expect(
      inferColumnType(
        'comment',
        range(30).map((i) => `text ${i}`),
      ).type,
    ).toBe('id');
    expect(inferColumnType('city', ['a', 'b', 'a', 'c']).type).toBe('categorical');
    expect(inferColumnType('mixed', ['1', 'two']).type).toBe('categorical');
  });

  it('recognises id-like names', () => {
    for (const name of ['id', 'ID', 'user_id', 'user-id', 'user id', 'userId', 'userID', 'order.id']) {
      expect(isIdLikeName(name)).toBe(true);
    }
    for (const name of ['idea', 'valid', 'paid', 'width']) expect(isIdLikeName(name)).toBe(false);
  });
});

describe('profiling', () => {
  it('counts missing and invalid values per column, with examples, and never feeds them to the profile', async () => {
    const profile = await profileSources(
      memorySource(
        'd.csv',
        'x,c,b\n1.5,a,true\n,NA,\nNaN,None,null\n2,b,false\nfoo,  ,yes\ninf,"a",maybe\n N/A ,a,0\n',
      ),
      // "foo" and "maybe" would make x and b categorical by inference; typed, they are invalid values.
      { columns: { x: { type: 'numeric' }, b: { type: 'boolean' } } },
    );
    expect(profile.rows).toBe(7);
    const x = numeric(profile, 'x');
    expect([x.type, x.count, x.missing, x.invalid, x.invalidExamples]).toEqual(['numeric', 2, 4, 1, ['foo']]);
    expect(x.values).toEqual([1.5, 2]);
    const c = column(profile, 'c');
    expect([c.type, c.count, c.missing]).toEqual(['categorical', 4, 3]);
    expect(c.kind === 'categorical' && c.categories).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
    const b = column(profile, 'b');
    expect([b.type, b.count, b.missing, b.invalid, b.invalidExamples]).toEqual([
      'boolean',
      4,
      2,
      1,
      ['maybe'],
    ]);
    expect(b.kind === 'boolean' && [b.trueCount, b.falseCount]).toEqual([2, 2]);
  });

  it('counts the fields a short row lacks as missing, never as 0 or the row before', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => (i % 3 === 2 ? `${i}` : `${i},${i + 0.5}`));
    const profile = await profileSources(memorySource('s.csv', `a,b\n${rows.join('\n')}\n`, 16));
    const b = numeric(profile, 'b');
    expect([b.count, b.missing, b.min, b.max]).toEqual([20, 10, 0.5, 28.5]);
    expect(b.values).toEqual(rows.filter((row) => row.includes(',')).map((row) => Number(row.split(',')[1])));
  });

  it('keeps values exactly up to the limit and a sketch with a stated bound past it', async () => {
    const small = await profileSources(csvSource('s.csv', { x: normals(10_000, 1) }));
    expect(numeric(small, 'x').values).toHaveLength(10_000);
    expect(numeric(small, 'x').rankError).toBe(0);
    expect(numeric(small, 'x').bins.exact).toBe(true);
    const large = await profileSources(csvSource('l.csv', { x: normals(10_001, 1) }));
    const x = numeric(large, 'x');
    expect(x.values).toBeNull();
    expect(x.sketch!.n).toBe(10_001);
    expect(x.bins.exact).toBe(false);
    expect(x.bins.counts.reduce((a, b) => a + b, 0)).toBe(10_001);
  });

  it('computes mean and variance exactly whatever the size', async () => {
    const values = normals(30_000, 2, 1e6, 3);
    const x = numeric(await profileSources(csvSource('m.csv', { x: values })), 'x');
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const m2 = values.reduce((a, v) => a + (v - mean) ** 2, 0);
    expect(x.mean).toBeCloseTo(mean, 6);
    expect(x.m2 / m2).toBeCloseTo(1, 9);
    expect([x.min, x.max]).toEqual([Math.min(...values), Math.max(...values)]);
  });

  it('gives the same profile whatever the chunk size (buffers are reused between batches)', async () => {
    const next = mulberry32(8);
    const text = csvText({
      x: normals(5000, 9),
      c: Array.from({ length: 5000 }, () => `cat "${Math.floor(next() * 30)}", ok`),
      n: Array.from({ length: 5000 }, () => (next() < 0.1 ? 'NA' : Math.floor(next() * 1e6))),
    });
    const whole = await profileSources(memorySource('w.csv', text, 1 << 22));
    for (const chunk of [37, 1000, 65_536]) {
      expect(await profileSources(memorySource('w.csv', text, chunk))).toEqual(whole);
    }
  });

  it('caps categories, counting later new values as other', async () => {
    const values = Array.from({ length: 50 }, (_, i) => `v${i % 20}`);
    const profile = await profileSources(csvSource('c.csv', { c: values }), {
      settings: { maxCategories: 5 },
    });
    const c = column(profile, 'c');
    expect(c.kind === 'categorical' && [c.categories.length, c.other, c.count]).toEqual([5, 35, 50]);
  });

  it('leaves ids and timestamps out of the tests unless included, and takes type overrides', async () => {
    const source = () =>
      csvSource('t.csv', {
        id: Array.from({ length: 30 }, (_, i) => i + 1),
        when: Array.from({ length: 30 }, (_, i) => `2024-01-${String((i % 28) + 1).padStart(2, '0')}`),
        zip: Array.from({ length: 30 }, (_, i) => 10_000 + (i % 4)),
      });
    const plain = await profileSources(source());
    expect(plain.columns.map((c) => [c.name, c.type, c.kind, c.included, c.typeSource])).toEqual([
      ['id', 'id', 'counts', false, 'inferred'],
      ['when', 'timestamp', 'counts', false, 'inferred'],
      ['zip', 'numeric', 'numeric', true, 'inferred'],
    ]);
    const asked = await profileSources(source(), {
      columns: { when: { include: true }, zip: { type: 'categorical' }, id: { include: true } },
    });
    expect(asked.columns.map((c) => [c.name, c.type, c.kind, c.included])).toEqual([
      ['id', 'id', 'categorical', true],
      ['when', 'timestamp', 'numeric', true],
      ['zip', 'categorical', 'categorical', true],
    ]);
    expect(numeric(asked, 'when').min).toBe(Date.UTC(2024, 0, 1) / 1000);
    const error = await profileSources(source(), { columns: { nope: { type: 'numeric' } } }).catch((e) => e);
    expect(isUserError(error) && error.message).toBe(
      'Column option for "nope": no such column; the columns are "id", "when", "zip"',
    );
  });

  it('profiles CSV, JSON Lines and Parquet holding the same data alike', async () => {
    const n = 120;
    const next = mulberry32(4);
    const x = Array.from({ length: n }, (_, i) => (i % 10 === 0 ? null : Math.round(next() * 1000) / 8));
    const c = Array.from({ length: n }, () => ['red', 'green', 'blue'][Math.floor(next() * 3)]!);
    const b = Array.from({ length: n }, (_, i) => i % 3 === 0);
    const csv = await profileSources(memorySource('d.csv', csvText({ x, c, b })));
    const jsonl = await profileSources(
      memorySource('d.jsonl', x.map((v, i) => JSON.stringify({ x: v, c: c[i], b: b[i] })).join('\n')),
    );
    const parquet = await profileSources(
      memorySource(
        'd.parquet',
        Buffer.from(
          parquetWriteBuffer({
            columnData: [
              { name: 'x', data: x, type: 'DOUBLE' },
              { name: 'c', data: c, type: 'STRING' },
              { name: 'b', data: b, type: 'BOOLEAN' },
            ],
            rowGroupSize: 50,
          }),
        ),
      ),
    );
    const strip = (p: DatasetProfile) => p.columns.map(({ typeReason: _, ...rest }) => rest);
    expect(strip(jsonl)).toEqual(strip(csv));
    expect(strip(parquet)).toEqual(strip(csv));
  });

  it('reads a missing token wrapped in any white space JavaScript trims as missing, in a CSV as in JSON Lines', async () => {
    // No-break, em, ideographic and line-separator spaces around tokens; non-ASCII edges that are not space.
    const c = [
      'NA\u00a0',
      '\u3000null',
      '\u2003N/A\u2003',
      'none\u2028',
      '\ufeffNaN',
      'café',
      '日本',
      ' x ',
      'x',
    ];
    const n = new Array(c.length).fill(0).map((_, i) => i % 3);
    const csv = await profileSources(memorySource('d.csv', csvText({ c, n })));
    const jsonl = await profileSources(
      memorySource('d.jsonl', c.map((v, i) => JSON.stringify({ c: v, n: n[i] })).join('\n')),
    );
    const strip = (p: DatasetProfile) => p.columns.map(({ typeReason: _, ...rest }) => rest);
    expect(strip(csv)).toEqual(strip(jsonl));
    expect(column(csv, 'c').missing).toBe(5);
  });

  it('against a reference: takes its types, bins and categories, and lists absent and extra columns', async () => {
    const reference = await profileSources(
      csvSource('r.csv', {
        x: normals(500, 1),
        c: ['a', 'b'].flatMap((v) => new Array(250).fill(v)),
        gone: normals(500, 2),
      }),
    );
    const current = await profileSources(
      csvSource('c.csv', { x: normals(300, 3), c: new Array(300).fill('z'), new: normals(300, 4) }),
      { reference },
    );
    expect(current.absentColumns).toEqual(['gone']);
    expect(current.extraColumns).toEqual(['new']);
    expect(numeric(current, 'x').bins.cuts).toEqual(numeric(reference, 'x').bins.cuts);
    expect(numeric(current, 'x').bins.origin).toBe('reference');
    const c = column(current, 'c');
    expect(c.kind === 'categorical' && c.categories).toEqual([['z', 300]]);
    expect(column(current, 'x').typeSource).toBe('reference');
  });
});

describe('merging profiles', () => {
  const shard = (seed: number, n: number) => ({
    x: normals(n, seed),
    c: Array.from({ length: n }, (_, i) => `k${(i * seed) % 7}`),
    b: Array.from({ length: n }, (_, i) => (i % seed === 0 ? 'yes' : 'no')),
  });
  const concat = (a: ReturnType<typeof shard>, b: ReturnType<typeof shard>) => ({
    x: [...a.x, ...b.x],
    c: [...a.c, ...b.c],
    b: [...a.b, ...b.b],
  });
  const settings = { inferenceRows: 100 };

  it('merge(profile(a), profile(b)) equals profile(a + b) while values are exact', async () => {
    const a = shard(3, 2000);
    const b = shard(5, 3000);
    const merged = mergeProfiles(
      await profileSources(csvSource('a.csv', a), { settings }),
      await profileSources(csvSource('b.csv', b), { settings }),
    );
    const whole = await profileSources(csvSource('ab.csv', concat(a, b)), { settings });
    expect(merged.rows).toBe(whole.rows);
    const mx = numeric(merged, 'x');
    const wx = numeric(whole, 'x');
    expect(mx.values).toEqual(wx.values);
    expect(mx.bins).toEqual(wx.bins);
    expect(mx.mean).toBeCloseTo(wx.mean!, 12);
    expect(mx.m2 / wx.m2).toBeCloseTo(1, 10);
    expect(column(merged, 'c')).toEqual(column(whole, 'c'));
    expect(column(merged, 'b')).toEqual(column(whole, 'b'));
  });

  it('past the exact limit, the merged sketch summarizes the union within its bound', async () => {
    const a = shard(3, 8000);
    const b = shard(5, 9000);
    const merged = mergeProfiles(
      await profileSources(csvSource('a.csv', a), { settings }),
      await profileSources(csvSource('b.csv', b), { settings }),
    );
    const x = numeric(merged, 'x');
    expect(x.values).toBeNull();
    expect(x.count).toBe(17_000);
    const sample = KllSketch.fromJSON(x.sketch!).sample();
    const all = [...a.x, ...b.x].sort((p, q) => p - q);
    for (const q of [0.1, 0.25, 0.5, 0.75, 0.9]) {
      const value = all[Math.floor(q * all.length)]!;
      let below = 0;
      for (let i = 0; i < sample.values.length && sample.values[i]! < value; i++)
        below += sample.weights![i]!;
      const exact = all.findIndex((v) => v >= value);
      expect(Math.abs(below - exact) / all.length).toBeLessThanOrEqual(x.rankError);
    }
    expect(x.bins.counts.reduce((s, c) => s + c, 0)).toBe(17_000);
  });

  it('adds bins counted against the same reference exactly, and fills columns a shard lacks as missing', async () => {
    const reference = await profileSources(csvSource('r.csv', shard(2, 1000)));
    const a = await profileSources(csvSource('a.csv', shard(3, 400)), { reference });
    const b = await profileSources(csvSource('b.csv', { x: normals(300, 9) }), { reference });
    const merged = mergeProfiles(a, b);
    expect(numeric(merged, 'x').bins.counts).toEqual(
      numeric(a, 'x').bins.counts.map((c, i) => c + numeric(b, 'x').bins.counts[i]!),
    );
    expect(numeric(merged, 'x').bins.exact).toBe(true);
    expect([column(merged, 'c').count, column(merged, 'c').missing]).toEqual([400, 300]);
    expect(merged.absentColumns).toEqual([]);
  });

  it('refuses profiles whose column types differ', async () => {
    const a = await profileSources(csvSource('a.csv', { v: [1, 2, 3] }));
    const b = await profileSources(csvSource('b.csv', { v: ['x', 'y', 'x'] }));
    expect(() => mergeProfiles(a, b)).toThrow(
      /Column "v" is numeric in one profile and categorical in the other/,
    );
  });
});

describe('stored profiles', () => {
  it('round-trip through JSON and are checked when read', async () => {
    const profile = await profileSources(
      csvSource('a.csv', { x: normals(12_000, 1), c: new Array(12_000).fill('a') }),
    );
    expect(parseProfile(JSON.stringify(profile), 'p.json')).toEqual(profile);
    expect(() => parseProfile('{', 'p.json')).toThrow(/^p\.json: not valid JSON/);
    expect(() => parseProfile('{"format":"other"}', 'p.json')).toThrow(/^p\.json: not a drift profile/);
    expect(() => parseProfile(JSON.stringify({ ...profile, version: 99 }), 'p.json')).toThrow(
      /version 99 is not supported/,
    );
  });
});
