// The behaviour every backend owes the store, run against each one for real (contract-*.test.ts).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUserError } from '@mlactions/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../src/manifest.ts';
import type { OpenStoreOptions } from '../src/open-store.ts';
import type { Progress } from '../src/progress.ts';
import type { ArtifactStore } from '../src/store.ts';

export interface ContractBackend {
  /** Opens the store under test; every call returns a fresh instance on the same storage. */
  open(options: Pick<OpenStoreOptions, 'cwd' | 'now' | 'progressIntervalMs' | 'warn'>): ArtifactStore;
  /** Replaces the stored bytes of one file of a version. */
  tamper(store: ArtifactStore, manifest: Manifest, path: string, bytes: Buffer): Promise<void>;
  /** Whether a file the store already holds is skipped by a later version (content addressing). */
  deduplicates: boolean;
  /** The clock the storage stamps what it holds with (garbage collection ages content by it). */
  clock: () => number;
  /** Makes everything stored so far look two hours old by that clock. */
  age(): Promise<void>;
  /**
   * Leaves the bytes as a publish of `name` `version` interrupted before its manifest leaves them;
   * resolves to how garbage collection names that content.
   */
  leaveUnfinished(name: string, version: string, bytes: Buffer): Promise<string>;
}

export const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Expects a promise to reject with a UserError and returns its message. */
export async function userErrorOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a UserError').toBeDefined();
  expect(isUserError(error), String(error)).toBe(true);
  return (error as Error).message;
}

/** A clock that moves one second per reading, so stamps are deterministic and progress reports come often. */
export function steppingClock(start = Date.parse('2026-03-01T12:00:00Z')) {
  let time = start;
  return () => {
    time += 1000;
    return time;
  };
}

export function storeContract(
  label: string,
  setup: () => Promise<ContractBackend & { close(): Promise<void> }>,
) {
  describe(`${label} store`, () => {
    let backend: ContractBackend & { close(): Promise<void> };
    let work: string;
    const open = (extra: Partial<OpenStoreOptions> = {}) =>
      backend.open({ cwd: work, now: steppingClock(), ...extra });

    beforeAll(async () => {
      backend = await setup();
      work = await mkdtemp(join(tmpdir(), 'mlactions-store-work-'));
      await mkdir(join(work, 'model/tokenizer'), { recursive: true });
      await writeFile(join(work, 'model/weights.bin'), randomBytes(300_000));
      await writeFile(join(work, 'model/tokenizer/vocab.json'), '{"a":1}');
      await writeFile(join(work, 'metrics.json'), '{"accuracy":0.93,"loss":{"train":0.1}}');
      await writeFile(join(work, 'params.yaml'), 'lr: 0.01\nepochs: 3\n');
      await mkdir(join(work, 'data'));
      await writeFile(join(work, 'data/train.csv'), 'x,y\n1,2\n');
      await writeFile(join(work, 'data/test.csv'), 'x,y\n3,4\n');
      await writeFile(join(work, 'notes.txt'), 'first');
      await writeFile(join(work, 'model/empty.txt'), '');
    });

    afterAll(async () => {
      try {
        await backend?.close();
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    });

    it('publishes a version with its manifest and fetches it back byte for byte', async () => {
      const store = open({ progressIntervalMs: 0 });
      const progress: Progress[] = [];
      const result = await store.publish({
        name: 'iris',
        version: 'v1.0.0',
        files: ['model', { source: 'notes.txt', path: 'docs/NOTES.txt' }],
        metricsFile: 'metrics.json',
        paramsFile: 'params.yaml',
        data: ['data'],
        provenance: {
          gitSha: 'a'.repeat(40),
          gitRef: 'refs/heads/main',
          runUrl: 'https://example.test/run/1',
          actor: 'me',
        },
        onProgress: (p) => progress.push(p),
      });
      const { manifest } = result;
      expect(manifest).toMatchObject({
        manifestVersion: 1,
        name: 'iris',
        version: '1.0.0',
        createdAt: expect.stringMatching(/^2026-03-01T12:0\d:\d\d\.000Z$/),
        metrics: { 'metrics.json': { accuracy: 0.93, 'loss.train': 0.1 } },
        params: { lr: 0.01, epochs: 3 },
        gitSha: 'a'.repeat(40),
        gitRef: 'refs/heads/main',
        runUrl: 'https://example.test/run/1',
        actor: 'me',
      });
      expect(manifest.parent).toBeUndefined();
      expect(manifest.files.map((f) => f.path)).toEqual([
        'docs/NOTES.txt',
        'model/empty.txt',
        'model/tokenizer/vocab.json',
        'model/weights.bin',
      ]);
      const weights = await readFile(join(work, 'model/weights.bin'));
      expect(manifest.files[3]).toMatchObject({ size: weights.length, sha256: sha256(weights) });
      const listing = [
        `${sha256(Buffer.from('x,y\n3,4\n'))}  ./test.csv\n`,
        `${sha256(Buffer.from('x,y\n1,2\n'))}  ./train.csv\n`,
      ].join('');
      expect(manifest.data).toEqual([
        { path: 'data', size: 16, files: 2, sha256: sha256(Buffer.from(listing)) },
      ]);
      expect(result.uploadedBytes + result.skippedBytes).toBe(weights.length + 7 + 5);
      expect(progress.some((p) => p.phase === 'hash')).toBe(true);
      expect(progress.some((p) => p.phase === 'upload' && p.file === 'model/weights.bin')).toBe(true);

      expect(await open().show('iris', '1.0.0')).toEqual(manifest);
      const out = join(work, 'out-1');
      const fetched = await open().fetch({ name: 'iris', version: '1.0.0', out });
      expect(fetched.written).toEqual(manifest.files.map((f) => join(out, f.path)));
      expect(await readFile(join(out, 'model/weights.bin'))).toEqual(weights);
      expect(await readFile(join(out, 'docs/NOTES.txt'), 'utf8')).toBe('first');
      expect(await readFile(join(out, 'model/empty.txt'), 'utf8')).toBe('');
      expect((await readdir(out, { recursive: true })).filter((f) => f.includes('.partial'))).toEqual([]);
    });

    it('refuses to publish an existing version again', async () => {
      const message = await userErrorOf(
        open().publish({ name: 'iris', version: '1.0.0', files: ['notes.txt'] }),
      );
      expect(message).toContain('iris 1.0.0 already exists');
      expect(message).toContain('immutable');
    });

    it('bumps from the latest version and records the parent', async () => {
      const store = open();
      const patch = await store.publish({ name: 'iris', bump: 'patch', files: ['model'] });
      expect(patch.manifest.version).toBe('1.0.1');
      expect(patch.manifest.parent).toBe('1.0.0');
      if (backend.deduplicates) {
        expect(patch.uploadedBytes).toBe(0);
        expect(patch.skippedFiles).toBe(3);
      } else {
        expect(patch.uploadedFiles).toBe(3);
      }
      expect(
        (await store.publish({ name: 'iris', bump: 'minor', files: ['notes.txt'] })).manifest.version,
      ).toBe('1.1.0');
      const major = await store.publish({
        name: 'iris',
        bump: 'major',
        files: ['notes.txt'],
        parent: '1.0.0',
      });
      expect(major.manifest).toMatchObject({ version: '2.0.0', parent: '1.0.0' });
      expect(await store.listVersions('iris')).toEqual(['1.0.0', '1.0.1', '1.1.0', '2.0.0']);
      expect(await userErrorOf(store.publish({ name: 'iris', files: ['notes.txt'] }))).toContain(
        'Give a version',
      );
      expect(
        await userErrorOf(
          store.publish({ name: 'iris', version: '3.0.0', bump: 'major', files: ['notes.txt'] }),
        ),
      ).toContain('not both');
    });

    it('validates names, versions and aliases before touching the store', async () => {
      const store = open({ progressIntervalMs: 0 });
      expect(
        await userErrorOf(store.publish({ name: '../x', version: '1.0.0', files: ['notes.txt'] })),
      ).toContain('Invalid model name');
      expect(
        await userErrorOf(store.publish({ name: 'iris', version: '1.0', files: ['notes.txt'] })),
      ).toContain('Invalid version');
      expect(await userErrorOf(store.fetch({ name: 'iris', alias: 'a/b', out: work }))).toContain(
        'Invalid alias',
      );
      expect(
        await userErrorOf(store.promote({ name: 'iris', alias: 'prod..x', version: '1.0.0' })),
      ).toContain('Invalid alias');
      expect(await userErrorOf(store.show('iris', '9.9.9'))).toContain('no version 9.9.9 of iris');
      const neither = { name: 'iris', out: work } as Parameters<typeof store.fetch>[0];
      expect(await userErrorOf(store.fetch(neither))).toContain('either a version or an alias');
      expect(
        await userErrorOf(store.publish({ name: 'iris', version: '9.0.0', files: ['missing.bin'] })),
      ).toContain('does not exist');
      // A missing data path is refused before a byte of the model is hashed or sent.
      const progress: Progress[] = [];
      const dataMissing = store.publish({
        name: 'iris',
        version: '9.0.0',
        files: ['model'],
        data: ['no-such-data'],
        onProgress: (p) => progress.push(p),
      });
      expect(await userErrorOf(dataMissing)).toMatch(/^Data path .*no-such-data does not exist\.$/);
      expect(progress).toEqual([]);
      expect(await store.listVersions('iris')).not.toContain('9.0.0');
    });

    it('lets exactly one of two concurrent publishers of one version win', async () => {
      await writeFile(join(work, 'a.bin'), randomBytes(50_000));
      await writeFile(join(work, 'b.bin'), randomBytes(50_000));
      const results = await Promise.allSettled([
        open().publish({ name: 'race', version: '1.0.0', files: [{ source: 'a.bin', path: 'model.bin' }] }),
        open().publish({ name: 'race', version: '1.0.0', files: [{ source: 'b.bin', path: 'model.bin' }] }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(isUserError(lost[0]!.reason), String(lost[0]!.reason)).toBe(true);
      expect((lost[0]!.reason as Error).message).toMatch(/race 1\.0\.0/);
      expect(await open().listVersions('race')).toEqual(['1.0.0']);
      const winner = results.findIndex((r) => r.status === 'fulfilled');
      const out = join(work, 'out-race');
      await open().fetch({ name: 'race', version: '1.0.0', out });
      expect(await readFile(join(out, 'model.bin'))).toEqual(
        await readFile(join(work, winner === 0 ? 'a.bin' : 'b.bin')),
      );
    });

    it('moves aliases with history, compare-and-swap and rollback', async () => {
      const store = open();
      expect(await store.listAliases('iris')).toEqual([]);
      const first = await store.promote({
        name: 'iris',
        alias: 'production',
        version: '1.0.0',
        expectedVersion: null,
        provenance: { gitSha: 'b'.repeat(40), runUrl: 'https://example.test/run/2', actor: 'ci' },
      });
      expect(first).toMatchObject({
        alias: 'production',
        seq: 1,
        version: '1.0.0',
        previous: null,
        action: 'promote',
        gitSha: 'b'.repeat(40),
        actor: 'ci',
      });
      await store.promote({ name: 'iris', alias: 'production', version: '1.1.0', expectedVersion: '1.0.0' });
      await store.promote({ name: 'iris', alias: 'staging', version: '2.0.0' });
      await store.promote({ name: 'iris', alias: 'production', version: '2.0.0' });

      expect(
        await userErrorOf(
          store.promote({ name: 'iris', alias: 'production', version: '1.0.1', expectedVersion: '1.1.0' }),
        ),
      ).toContain('points to 2.0.0, not 1.1.0');
      expect(
        await userErrorOf(store.promote({ name: 'iris', alias: 'staging', version: '7.0.0' })),
      ).toContain('no version 7.0.0');

      const aliases = await open().listAliases('iris');
      expect(aliases.map((a) => [a.alias, a.version])).toEqual([
        ['production', '2.0.0'],
        ['staging', '2.0.0'],
      ]);
      const history = await open().aliasHistory('iris', 'production');
      expect(history.map((e) => [e.seq, e.version, e.previous])).toEqual([
        [1, '1.0.0', null],
        [2, '1.1.0', '1.0.0'],
        [3, '2.0.0', '1.1.0'],
      ]);

      expect(await store.rollbackTarget('iris', 'production')).toBe('1.1.0');
      const back = await store.rollback({ name: 'iris', alias: 'production', expectedVersion: '2.0.0' });
      expect(back).toMatchObject({ seq: 4, version: '1.1.0', previous: '2.0.0', action: 'rollback' });
      const again = await store.rollback({ name: 'iris', alias: 'production' });
      expect(again).toMatchObject({ version: '1.0.0', previous: '1.1.0' });
      expect(await userErrorOf(store.rollback({ name: 'iris', alias: 'production' }))).toContain(
        'no earlier version',
      );

      const out = join(work, 'out-alias');
      const fetched = await open().fetch({ name: 'iris', alias: 'staging', out });
      expect(fetched.manifest.version).toBe('2.0.0');
      expect(await userErrorOf(store.fetch({ name: 'iris', alias: 'canary', out }))).toContain('not set');
    });

    it('lets exactly one of two concurrent moves of an alias land', async () => {
      const results = await Promise.allSettled([
        open().promote({ name: 'iris', alias: 'canary', version: '1.0.0' }),
        open().promote({ name: 'iris', alias: 'canary', version: '1.0.1' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(isUserError(lost.reason), String(lost.reason)).toBe(true);
      expect((await open().aliasHistory('iris', 'canary')).map((e) => e.seq)).toEqual([1]);
    });

    it('refuses a tampered file on fetch, naming it, and leaves the target as it was', async () => {
      await writeFile(join(work, 'good.bin'), randomBytes(40_000));
      await writeFile(join(work, 'victim.bin'), randomBytes(40_000));
      const store = open();
      const { manifest } = await store.publish({
        name: 'tamper',
        version: '1.0.0',
        files: ['good.bin', 'victim.bin'],
      });
      const original = await readFile(join(work, 'victim.bin'));
      const flipped = Buffer.from(original);
      flipped[100] = flipped[100]! ^ 0xff;
      await backend.tamper(store, manifest, 'victim.bin', flipped);
      const out = join(work, 'out-tamper');
      await mkdir(out);
      await writeFile(join(out, 'good.bin'), 'the one before');
      const asItWas = async () => {
        expect(await readdir(out)).toEqual(['good.bin']);
        expect(await readFile(join(out, 'good.bin'), 'utf8')).toBe('the one before');
        // Nor is any staging left beside it.
        expect((await readdir(work)).filter((name) => name.startsWith('.out-tamper'))).toEqual([]);
      };
      const corrupt = await userErrorOf(open().fetch({ name: 'tamper', version: '1.0.0', out }));
      expect(corrupt).toContain('victim.bin of tamper 1.0.0 is corrupt');
      await asItWas();

      await backend.tamper(store, manifest, 'victim.bin', original.subarray(0, 1000));
      const truncated = await userErrorOf(open().fetch({ name: 'tamper', version: '1.0.0', out }));
      expect(truncated).toContain('victim.bin of tamper 1.0.0 is truncated (1000 of 40000 bytes)');
      await asItWas();
    });

    it('never trusts a damaged stored file as already stored: a later version replaces it', async () => {
      await writeFile(join(work, 'shared.bin'), randomBytes(30_000));
      const store = open();
      const { manifest } = await store.publish({
        name: 'damaged',
        version: '1.0.0',
        files: ['shared.bin'],
      });
      const original = await readFile(join(work, 'shared.bin'));
      const flipped = Buffer.from(original);
      flipped[7] = flipped[7]! ^ 0xff;
      // Same size, wrong bytes: only reading them back tells it from the real file.
      await backend.tamper(store, manifest, 'shared.bin', flipped);
      const next = await open().publish({ name: 'damaged', version: '1.1.0', files: ['shared.bin'] });
      expect(next).toMatchObject({ uploadedFiles: 1, skippedFiles: 0, uploadedBytes: 30_000 });
      // Where versions share blobs, the earlier version is mended too; a release keeps its own assets.
      for (const version of backend.deduplicates ? ['1.0.0', '1.1.0'] : ['1.1.0']) {
        const out = join(work, `out-damaged-${version}`);
        await open().fetch({ name: 'damaged', version, out });
        expect(await readFile(join(out, 'shared.bin'))).toEqual(original);
      }
    });

    it('deprecates a version: fetch warns, promote refuses it without force, and undo lifts it', async () => {
      const store = open();
      await store.publish({ name: 'life', version: '1.0.0', files: ['notes.txt'] });
      await store.publish({ name: 'life', version: '1.1.0', files: ['notes.txt'] });
      expect(await userErrorOf(store.deprecate({ name: 'life', version: '1.0.0' }))).toContain(
        'Give a reason',
      );
      expect(await userErrorOf(store.deprecate({ name: 'life', version: '3.0.0', reason: 'x' }))).toContain(
        'no version 3.0.0',
      );
      const entry = await store.deprecate({
        name: 'life',
        version: 'v1.0.0',
        reason: 'accuracy regressed\non March data',
        provenance: { actor: 'me' },
      });
      expect(entry).toMatchObject({
        seq: 1,
        version: '1.0.0',
        action: 'deprecate',
        reason: 'accuracy regressed on March data',
        actor: 'me',
      });

      const warnings: string[] = [];
      const fetched = await open({ warn: (m) => warnings.push(m) }).fetch({
        name: 'life',
        version: '1.0.0',
        out: join(work, 'out-life'),
      });
      expect(fetched.deprecated).toMatchObject({
        version: '1.0.0',
        reason: 'accuracy regressed on March data',
      });
      expect(warnings).toEqual([
        expect.stringMatching(/^life 1\.0\.0 is deprecated .*: accuracy regressed on March data\.$/),
      ]);

      const refused = await userErrorOf(
        store.promote({ name: 'life', alias: 'production', version: '1.0.0' }),
      );
      expect(refused).toContain('life 1.0.0 is deprecated');
      expect(refused).toContain('--force');
      expect(await store.aliasHistory('life', 'production')).toEqual([]);
      await store.promote({ name: 'life', alias: 'production', version: '1.0.0', force: true });

      expect(await store.deprecate({ name: 'life', version: '1.0.0', undo: true })).toMatchObject({
        seq: 2,
        action: 'undeprecate',
      });
      expect(await store.deprecation('life', '1.0.0')).toBeUndefined();
      const after = await open({ warn: (m) => warnings.push(m) }).fetch({
        name: 'life',
        version: '1.0.0',
        out: join(work, 'out-life'),
      });
      expect(after.deprecated).toBeUndefined();
      expect(warnings).toHaveLength(1);
      expect(await userErrorOf(store.deprecate({ name: 'life', version: '1.0.0', undo: true }))).toContain(
        'not deprecated',
      );
    });

    it('deletes a version only when no alias needs it, and never publishes its number again', async () => {
      const store = open();
      for (const version of ['1.0.0', '1.1.0', '1.2.0', '2.0.0']) {
        await store.publish({ name: 'doomed', version, files: ['notes.txt'] });
      }
      await store.promote({ name: 'doomed', alias: 'production', version: '1.1.0' });
      await store.promote({ name: 'doomed', alias: 'production', version: '1.2.0' });
      expect(await userErrorOf(store.deleteVersion({ name: 'doomed', version: '1.2.0' }))).toContain(
        'alias production points to it',
      );
      expect(await userErrorOf(store.deleteVersion({ name: 'doomed', version: '1.1.0' }))).toContain(
        'a rollback of alias production would return to it',
      );
      expect(await open().listVersions('doomed')).toEqual(['1.0.0', '1.1.0', '1.2.0', '2.0.0']);

      expect((await store.deleteVersion({ name: 'doomed', version: '1.0.0' })).version).toBe('1.0.0');
      expect(await open().listVersions('doomed')).toEqual(['1.1.0', '1.2.0', '2.0.0']);
      expect(await userErrorOf(open().show('doomed', '1.0.0'))).toContain('no version 1.0.0');
      await store.deleteVersion({ name: 'doomed', version: '1.1.0', force: true });
      expect(await open().listVersions('doomed')).toEqual(['1.2.0', '2.0.0']);

      await store.deleteVersion({ name: 'doomed', version: '2.0.0' });
      expect(
        await userErrorOf(store.publish({ name: 'doomed', version: '1.0.0', files: ['notes.txt'] })),
      ).toContain('doomed 1.0.0 was deleted');
      // The next version comes after the deleted ones too.
      expect(
        (await store.publish({ name: 'doomed', bump: 'major', files: ['notes.txt'] })).manifest.version,
      ).toBe('3.0.0');
      expect((await open().lifecycle('doomed')).map((e) => [e.version, e.action])).toEqual([
        ['1.0.0', 'delete'],
        ['1.1.0', 'delete'],
        ['2.0.0', 'delete'],
      ]);
    });

    it('keeps the newest versions and every one an alias needs; a dry run deletes nothing', async () => {
      const store = open();
      for (const version of ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.0.4']) {
        await store.publish({ name: 'kept', version, files: ['notes.txt'] });
      }
      await store.promote({ name: 'kept', alias: 'production', version: '1.0.1' });
      const dry = await store.retain({ name: 'kept', keep: 2, dryRun: true });
      expect(dry).toMatchObject({
        removed: ['1.0.0', '1.0.2'],
        kept: ['1.0.1', '1.0.3', '1.0.4'],
        needed: [{ version: '1.0.1', why: ['alias production points to it'] }],
      });
      expect(await open().listVersions('kept')).toHaveLength(5);
      expect((await store.retain({ name: 'kept', keep: 2 })).removed).toEqual(['1.0.0', '1.0.2']);
      expect(await open().listVersions('kept')).toEqual(['1.0.1', '1.0.3', '1.0.4']);
      expect(await userErrorOf(store.retain({ name: 'kept', keep: 0 }))).toContain('`keep`');
    });

    it('collects content no version references once it is an hour old, beside a concurrent publish', async () => {
      const gcStore = () => open({ now: backend.clock });
      const unique = randomBytes(20_000);
      const reused = randomBytes(25_000);
      await writeFile(join(work, 'unique.bin'), unique);
      await writeFile(join(work, 'reused.bin'), reused);
      const left = await backend.leaveUnfinished('swept', '1.0.0', unique);
      // Content addressed stores hold it as the blob the publish below reuses; releases, as another release.
      const reusedLeft = await backend.leaveUnfinished('swept-before', '2.0.0', reused);
      // Young: a publish may be writing it right now.
      const young = await gcStore().gc({ dryRun: true });
      expect(young.removed.map((g) => g.what)).not.toContain(left);

      await backend.age();
      // A publish that starts now reuses (or carries on) the old content while gc runs beside it.
      const [published, collected] = await Promise.all([
        open().publish({
          name: 'swept',
          version: '2.0.0',
          files: [{ source: 'reused.bin', path: 'model.bin' }],
        }),
        gcStore().gc(),
      ]);
      expect(published.manifest.version).toBe('2.0.0');
      expect(collected.removed).toContainEqual({ what: left, bytes: unique.length });
      expect(collected.bytes).toBe(collected.removed.reduce((sum, g) => sum + g.bytes, 0));
      const out = join(work, 'out-swept');
      await open().fetch({ name: 'swept', version: '2.0.0', out });
      expect(await readFile(join(out, 'model.bin'))).toEqual(reused);
      // Every version published before still fetches whole.
      await open().fetch({ name: 'iris', version: '1.0.0', out: join(work, 'out-after-gc') });
      expect((await gcStore().gc({ dryRun: true })).removed.map((g) => g.what)).not.toContain(reusedLeft);
      expect((await gcStore().gc()).removed.map((g) => g.what)).not.toContain(left);
    });
  });
}
