import { describe, expect, it } from 'vitest';
import { type AliasEntry, rollbackTarget } from '../src/alias.ts';

const history = (...moves: [AliasEntry['action'], string][]): AliasEntry[] =>
  moves.map(([action, version], index) => ({
    alias: 'production',
    seq: index + 1,
    version,
    previous: null,
    time: '2026-01-01T00:00:00.000Z',
    action,
  }));

describe('rollbackTarget', () => {
  it('has nothing to roll back to before a second version', () => {
    expect(rollbackTarget([])).toBeUndefined();
    expect(rollbackTarget(history(['promote', '1.0.0']))).toBeUndefined();
    expect(rollbackTarget(history(['promote', '1.0.0'], ['promote', '1.0.0']))).toBeUndefined();
  });

  it('goes back to the version before the current one', () => {
    expect(rollbackTarget(history(['promote', '1.0.0'], ['promote', '2.0.0']))).toBe('1.0.0');
  });

  it('walks further back on repeated rollbacks instead of toggling', () => {
    const moves: [AliasEntry['action'], string][] = [
      ['promote', '1.0.0'],
      ['promote', '2.0.0'],
      ['promote', '3.0.0'],
      ['rollback', '2.0.0'],
    ];
    expect(rollbackTarget(history(...moves))).toBe('1.0.0');
    expect(rollbackTarget(history(...moves, ['rollback', '1.0.0']))).toBeUndefined();
  });

  it('treats a promotion after a rollback as a new top', () => {
    expect(
      rollbackTarget(
        history(['promote', '1.0.0'], ['promote', '2.0.0'], ['rollback', '1.0.0'], ['promote', '3.0.0']),
      ),
    ).toBe('1.0.0');
  });
});
