import { globFiles, isGlobPattern, UserError } from '@mlactions/core';
import { escapeMarkdown } from '@mlactions/render';
import type { AliasEntry } from './alias.ts';
import type { FlowDeps } from './flow-deps.ts';
import { manifestLocation } from './manifest-location.ts';
import { manifestMarkdown } from './manifest-markdown.ts';
import { validateAlias } from './names.ts';
import { formatBytes, formatProgress } from './progress.ts';
import { type Promotion, promotionOf } from './promotion.ts';
import type { PublishResult } from './store.ts';
import type { Bump } from './versioning.ts';

export interface PublishFlowDeps extends FlowDeps {
  /** Expands a glob pattern into the files it matches; core's globFiles under `cwd` by default. */
  glob?: (pattern: string) => Promise<string[]>;
  /** Tells others the alias moved (a `model-promoted` repository_dispatch), when the front was asked to. */
  announce?: (promotion: Promotion) => Promise<void>;
}

export interface PublishFlowInputs {
  name: string;
  /** Give this or bump. */
  version?: string;
  bump?: Bump;
  /** Files, folders or glob patterns, relative to cwd. */
  files: string[];
  metricsFile?: string;
  paramsFile?: string;
  /** Data files or folders to fingerprint into the manifest. */
  data?: string[];
  /** An alias to point at the new version once it is published. */
  alias?: string;
  /** Resolves relative paths (and a relative file:// store) for the manifest's location. */
  cwd: string;
}

export interface PublishFlowResult extends PublishResult {
  /** Where the manifest lives (see manifestLocation). */
  manifestLocation: string;
  /** The alias move, when an alias was given. */
  promoted?: AliasEntry;
  /** One line for people: what was published where. */
  line: string;
}

/**
 * File inputs with glob patterns expanded: a line with glob syntax (`*`, `?`, `[`, `{`) is a pattern whose matching
 * files are published under their base names (a folder is given by its path, which keeps its tree);
 * a pattern that matches nothing is an error rather than a version with a file missing.
 */
export async function expandFiles(inputs: string[], glob: (pattern: string) => Promise<string[]>) {
  const files: string[] = [];
  for (const input of inputs) {
    if (!isGlobPattern(input)) {
      files.push(input);
      continue;
    }
    const matched = await glob(input);
    if (matched.length === 0) {
      throw new UserError(`The files pattern ${JSON.stringify(input)} matches no file; check the path.`);
    }
    files.push(...matched);
  }
  return files;
}

/**
 * Publishes a version (and, when asked, points an alias at it): progress to the log, the manifest
 * to the job summary. The alias is checked before anything is sent, so a bad alias publishes nothing.
 */
export async function runPublishFlow(
  inputs: PublishFlowInputs,
  deps: PublishFlowDeps,
): Promise<PublishFlowResult> {
  const alias = inputs.alias === undefined ? undefined : validateAlias(inputs.alias);
  const glob = deps.glob ?? ((pattern: string) => globFiles([pattern], inputs.cwd));
  const files = await expandFiles(inputs.files, glob);
  const result = await deps.store.publish({
    name: inputs.name,
    ...(inputs.version !== undefined ? { version: inputs.version } : {}),
    ...(inputs.bump !== undefined ? { bump: inputs.bump } : {}),
    files,
    ...(inputs.metricsFile ? { metricsFile: inputs.metricsFile } : {}),
    ...(inputs.paramsFile ? { paramsFile: inputs.paramsFile } : {}),
    ...(inputs.data && inputs.data.length > 0 ? { data: inputs.data } : {}),
    ...(deps.provenance ? { provenance: deps.provenance } : {}),
    onProgress: (progress) => deps.log(formatProgress(progress)),
  });
  const { manifest } = result;
  const location = manifestLocation(deps.store.uri, manifest.name, manifest.version, {
    cwd: inputs.cwd,
    ...(deps.serverUrl ? { serverUrl: deps.serverUrl } : {}),
  });
  let line =
    `Published ${manifest.name} ${manifest.version} to ${deps.store.uri}: ${manifest.files.length} file(s), ` +
    `${formatBytes(result.uploadedBytes)} uploaded, ${formatBytes(result.skippedBytes)} already stored.`;
  // The summary first: the version exists now, whatever happens to the alias.
  await deps.writeSummary?.(manifestMarkdown(manifest, { verb: 'Published', location, transfer: result }));
  let promoted: AliasEntry | undefined;
  if (alias !== undefined) {
    promoted = await deps.store.promote({
      name: manifest.name,
      alias,
      version: manifest.version,
      ...(deps.provenance ? { provenance: deps.provenance } : {}),
    });
    const moved = `${alias} now points to ${manifest.version} (was ${promoted.previous ?? 'unset'}).`;
    line += ` ${moved}`;
    await deps.announce?.(promotionOf(manifest.name, promoted));
    await deps.writeSummary?.(`\nAlias ${escapeMarkdown(moved)}\n`);
  }
  return { ...result, manifestLocation: location, ...(promoted ? { promoted } : {}), line };
}
