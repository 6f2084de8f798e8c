import type { Metric } from '@mlactions/core';
import { recordedToMetrics } from './metadata.ts';
import type { ArtifactStore, VersionRef } from './store.ts';

/** Text that reads as a semantic version (a leading `v` allowed): `1.2.0`, `v2.0.0-rc.1`. */
const VERSION_LIKE = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/** True when the text names a version rather than an alias. */
export function isVersionLike(text: string): boolean {
  return VERSION_LIKE.test(text);
}

/** A version or an alias, as users write either in one field: `1.4.0` or `production`. */
export function parseVersionRef(text: string): VersionRef {
  return isVersionLike(text) ? { version: text } : { alias: text };
}

/**
 * A reference from two separate fields, as a front's `version` and `alias` inputs or flags give it.
 * Neither or both is left for the store to refuse (ArtifactStore.resolve), with a message naming them.
 */
export function versionRef(given: { version?: string | undefined; alias?: string | undefined }): VersionRef {
  return { version: given.version, alias: given.alias } as VersionRef;
}

/**
 * The version a reference names, or undefined when it is an alias that was never set (a first run:
 * nothing has been promoted yet). An unknown version is still an error.
 */
export async function resolveIfSet(
  store: ArtifactStore,
  name: string,
  ref: VersionRef,
): Promise<string | undefined> {
  if (ref.alias !== undefined) {
    const aliases = await store.listAliases(name);
    if (!aliases.some((a) => a.alias === ref.alias)) return undefined;
  }
  return store.resolve(name, ref);
}

/**
 * The metrics recorded with a version (by version or alias), for a comparison's baseline; undefined
 * when the alias was never set.
 */
export async function versionMetrics(
  store: ArtifactStore,
  name: string,
  ref: string,
): Promise<{ version: string; metrics: Metric[]; params?: Record<string, unknown> } | undefined> {
  // A version names itself: only an alias needs resolving before its manifest is read.
  const parsed = parseVersionRef(ref);
  const version = parsed.alias === undefined ? parsed.version : await resolveIfSet(store, name, parsed);
  if (version === undefined) return undefined;
  const manifest = await store.show(name, version);
  return {
    version: manifest.version,
    metrics: recordedToMetrics(manifest.metrics ?? {}),
    ...(manifest.params ? { params: manifest.params } : {}),
  };
}

/** The metrics a version was published with. */
export interface VersionMetrics {
  version: string;
  metrics: Metric[];
}

/**
 * A comparison's baseline from a store: the version's recorded metrics (and params, when it was
 * published with them), or why there are none. With
 * `history`, also the metrics of up to that many versions ending with the baseline (oldest first), for
 * a chart of each metric across versions.
 */
export async function storeBaseline(
  store: ArtifactStore,
  name: string,
  ref: string,
  options: { history?: number } = {},
): Promise<
  { metrics: Metric[]; params?: Record<string, unknown>; versions?: VersionMetrics[] } | { missing: string }
> {
  const found = await versionMetrics(store, name, ref);
  if (found === undefined) return { missing: `the alias ${ref} of ${name} is not set in ${store.uri} yet` };
  if (found.metrics.length === 0)
    return { missing: `${name} ${found.version} was published without metrics` };
  const count = options.history ?? 0;
  const params = found.params ? { params: found.params } : {};
  if (count < 2) return { metrics: found.metrics, ...params };
  const all = await store.listVersions(name);
  const at = all.indexOf(found.version);
  const earlier = at < 0 ? [] : all.slice(Math.max(0, at - (count - 1)), at);
  // One request per version; sent together, as each stands alone.
  const versions = await Promise.all(
    earlier.map(async (version) => ({
      version,
      metrics: recordedToMetrics((await store.show(name, version)).metrics ?? {}),
    })),
  );
  return {
    metrics: found.metrics,
    ...params,
    versions: [...versions, { version: found.version, metrics: found.metrics }],
  };
}
