import type { RemoteSources } from '@mlactions/data';
import { describe, expect, it } from 'vitest';
import {
  columnOptionsFrom,
  type DriftSettingsText,
  driftOptionsFrom,
  driftRequestFrom,
  parseColumnOverride,
  readOptionsFrom,
} from '../src/settings.ts';
import type { VersionFetcher } from '../src/store-reference.ts';

describe('settings from text', () => {
  it('reads column overrides, splitting at the last =', () => {
    expect(parseColumnOverride('age=psi:0.2')).toEqual(['age', { stattest: 'psi', threshold: 0.2 }]);
    expect(parseColumnOverride('a=b=ks')).toEqual(['a=b', { stattest: 'ks' }]);
    expect(parseColumnOverride(' age = :0.3 ')).toEqual(['age', { threshold: 0.3 }]);
    expect(() => parseColumnOverride('age')).toThrow(
      'Column override "age" must be <column>=<value>, e.g. age=psi:0.2',
    );
    expect(() => parseColumnOverride('age=')).toThrow(
      'Column override "age=" must be <column>=<stattest>[:<threshold>], e.g. age=psi:0.2',
    );
    expect(() => parseColumnOverride('age=psi:x')).toThrow(
      'Column override "age=psi:x": threshold "x" is not a number',
    );
    expect(() => parseColumnOverride('age=t:0.1')).toThrow(/unknown stattest "t"; use one of ks/);
  });

  it('builds the comparison options, leaving unset ones to the defaults', () => {
    expect(driftOptionsFrom({})).toEqual({});
    expect(
      driftOptionsFrom({
        stattest: 'wasserstein',
        threshold: 0.2,
        columns: ['a=psi', 'a=:0.3'],
        shareThreshold: 0.3,
        keyFeatures: ['a'],
        correction: 'benjamini-hochberg',
      }),
    ).toEqual({
      stattest: 'wasserstein',
      threshold: 0.2,
      columns: { a: { stattest: 'psi', threshold: 0.3 } },
      shareThreshold: 0.3,
      keyFeatures: ['a'],
      correction: 'benjamini-hochberg',
    });
    expect(() => driftOptionsFrom({ correction: 'holm' })).toThrow(
      'Unknown correction "holm"; use one of none, bonferroni, benjamini-hochberg',
    );
  });

  it('builds the column options: types, included and excluded columns', () => {
    expect(
      columnOptionsFrom({
        columnTypes: ['zip=categorical'],
        includeColumns: ['ts'],
        excludeColumns: ['note'],
      }),
    ).toEqual({
      zip: { type: 'categorical' },
      ts: { include: true },
      note: { include: false },
    });
    expect(() => columnOptionsFrom({ columnTypes: ['zip=text'] })).toThrow(
      'Column type "zip=text": unknown type "text"; use one of numeric, categorical, boolean, id, timestamp',
    );
    expect(() => columnOptionsFrom({ includeColumns: ['a'], excludeColumns: ['a'] })).toThrow(
      'Column "a" is both included and excluded',
    );
  });
});

describe('read options', () => {
  it('take a tab written as \\t or tab, and any other delimiter as given', () => {
    expect(readOptionsFrom({})).toEqual({});
    expect(readOptionsFrom({ delimiter: '\\t' })).toEqual({ delimiter: '\t' });
    expect(readOptionsFrom({ delimiter: 'TAB' })).toEqual({ delimiter: '\t' });
    expect(readOptionsFrom({ delimiter: ';' })).toEqual({ delimiter: ';' });
  });
});

const opened: string[] = [];
const store: VersionFetcher = { fetch: () => Promise.reject(new Error('not fetched here')) };
const context = {
  cwd: '/work/repo',
  referenceStore: {
    open: (uri: string) => {
      opened.push(uri);
      return store;
    },
    out: '/tmp/reference',
  },
};
const request = (text: DriftSettingsText) => driftRequestFrom({ current: ['now.csv'], ...text }, context);

describe('driftRequestFrom', () => {
  it('leaves unset settings to the defaults of the profiler and the comparison', () => {
    expect(request({ reference: ['then.csv'] })).toEqual({
      reference: ['then.csv'],
      current: ['now.csv'],
      cwd: '/work/repo',
      columns: {},
      read: {},
      drift: {},
    });
  });

  it('turns every setting into the check request, one field each', () => {
    const remote = {} as RemoteSources;
    const signal = new AbortController().signal;
    expect(
      driftRequestFrom(
        {
          reference: ['ref/*.csv'],
          current: ['cur.tsv'],
          columnTypes: ['zip=categorical'],
          includeColumns: ['ts'],
          excludeColumns: ['note'],
          delimiter: 'tab',
          stattest: 'psi',
          threshold: 0.2,
          columns: ['age=ks'],
          shareThreshold: 0.3,
          keyFeatures: ['age'],
          correction: 'bonferroni',
          saveReferenceProfile: 'profile.json',
        },
        { cwd: '/work/repo', remote, signal },
      ),
    ).toEqual({
      reference: ['ref/*.csv'],
      current: ['cur.tsv'],
      cwd: '/work/repo',
      remote,
      columns: { zip: { type: 'categorical' }, ts: { include: true }, note: { include: false } },
      read: { delimiter: '\t', signal },
      drift: {
        stattest: 'psi',
        threshold: 0.2,
        columns: { age: { stattest: 'ks' } },
        shareThreshold: 0.3,
        keyFeatures: ['age'],
        correction: 'bonferroni',
      },
      saveReferenceProfile: 'profile.json',
    });
  });

  it('leaves the share threshold unset when not given, for the comparison to default it to 0.5', () => {
    expect(request({}).drift).not.toHaveProperty('shareThreshold');
  });

  it('reads the reference from a store: the model, its version or alias, the profile inside it', () => {
    opened.length = 0;
    const made = request({
      store: 's3://models',
      name: 'iris',
      alias: 'production',
      referenceProfile: 'p.json',
    });
    expect(opened).toEqual(['s3://models']);
    expect(made.reference).toEqual([]);
    expect(made.referenceStore).toEqual({
      store,
      name: 'iris',
      alias: 'production',
      file: 'p.json',
      out: '/tmp/reference',
    });
    expect(request({ store: 's3://models', name: 'iris', version: '1.2.0' }).referenceStore).toEqual({
      store,
      name: 'iris',
      version: '1.2.0',
      out: '/tmp/reference',
    });
  });

  it('refuses a store without the model, before opening it, and a store where none is read', () => {
    opened.length = 0;
    expect(() => request({ store: 's3://models' })).toThrow(
      '`name` is required: the model whose published profile is the reference',
    );
    expect(opened).toEqual([]);
    expect(() => driftRequestFrom({ store: 's3://models', name: 'iris' }, { cwd: '/' })).toThrow(
      '`store` is not read here: give the reference as files or stored profiles',
    );
  });

  it('refuses a misspelt setting with the message of the setting it reads', () => {
    expect(() => request({ stattest: 't' })).toThrow(/unknown stattest "t"; use one of ks/);
    expect(() => request({ correction: 'holm' })).toThrow('Unknown correction "holm"');
    expect(() => request({ columnTypes: ['zip=text'] })).toThrow(
      'Column type "zip=text": unknown type "text"',
    );
    expect(() => request({ columns: ['age'] })).toThrow('Column override "age" must be <column>=<value>');
  });
});
