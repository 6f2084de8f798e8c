import type { ArtifactStore, Provenance } from '@mlactions/store';

/** The alias target as read when the deploy starts. */
export interface AliasPlan {
  name: string;
  alias: string;
  /** Where the alias pointed when the deploy started (null: never set): the move's expected version. */
  current: string | null;
  /** The version the deploy replaces, which a restore goes back to. */
  previous: string | undefined;
  /**
   * True when the alias already points to the version because an earlier attempt of this same run
   * moved it there (a job re-run after a crash): it is not moved again, but a failure still restores it.
   */
  movedByThisRun: boolean;
}

/** Reads the alias before anything changes; `runUrl` (none for a local deploy) recognises a move made by an earlier attempt. */
export async function planAlias(
  store: ArtifactStore,
  name: string,
  alias: string,
  version: string,
  runUrl: string | undefined,
): Promise<AliasPlan> {
  const head = (await store.aliasHistory(name, alias)).at(-1);
  const current = head?.version ?? null;
  if (current !== version)
    return { name, alias, current, previous: current ?? undefined, movedByThisRun: false };
  const movedByThisRun = runUrl !== undefined && head?.action === 'promote' && head.runUrl === runUrl;
  return {
    name,
    alias,
    current,
    previous: movedByThisRun ? (head?.previous ?? undefined) : undefined,
    movedByThisRun,
  };
}

/**
 * Points the alias at the version, refusing (a UserError, nothing moved) when another run moved it
 * since the deploy read it. True when a failure must restore it.
 */
export async function applyAlias(
  store: ArtifactStore,
  plan: AliasPlan,
  version: string,
  provenance: Provenance,
): Promise<boolean> {
  if (plan.current === version) return plan.movedByThisRun;
  await store.promote({
    name: plan.name,
    alias: plan.alias,
    version,
    expectedVersion: plan.current,
    provenance,
    // A deploy warns about a deprecated version (see runDeployFlow) rather than refusing it.
    force: true,
  });
  return true;
}

/**
 * Rolls the alias back from the version, as `mlactions rollback` would (so a later rollback walks on
 * to the version before), unless another run moved it meanwhile.
 */
export async function restoreAlias(
  store: ArtifactStore,
  plan: AliasPlan,
  version: string,
  provenance: Provenance,
): Promise<void> {
  await store.rollback({ name: plan.name, alias: plan.alias, expectedVersion: version, provenance });
}
