import type { FlowDeps } from './flow-deps.ts';
import { manifestMarkdown } from './manifest-markdown.ts';
import { formatBytes, formatProgress } from './progress.ts';
import type { FetchResult, VersionRef } from './store.ts';

export type FetchFlowInputs = VersionRef & {
  name: string;
  /** Folder to write the files into (created if needed). */
  out: string;
  /**
   * `skip`: an alias that was never set (nothing promoted yet, a first run) fetches nothing and is
   * no error; any failure to read it still is. `error` (the default): it is an error.
   */
  ifMissing?: 'error' | 'skip';
};

export type FetchFlowResult =
  | (FetchResult & {
      found: true;
      /** One line for people: what was fetched where. */
      line: string;
    })
  | { found: false; line: string };

/** Fetches a version (or an alias's version) into a folder, verified; progress to the log. */
export async function runFetchFlow(inputs: FetchFlowInputs, deps: FlowDeps): Promise<FetchFlowResult> {
  const { ifMissing, ...request } = inputs;
  if (
    ifMissing === 'skip' &&
    request.alias !== undefined &&
    (await deps.store.aliasHistory(request.name, request.alias)).length === 0
  ) {
    return {
      found: false,
      line: `Alias ${request.alias} of ${request.name} is not set in ${deps.store.uri} yet: nothing was fetched.`,
    };
  }
  const result = await deps.store.fetch({
    ...request,
    onProgress: (progress) => deps.log(formatProgress(progress)),
  });
  const { manifest } = result;
  const via = request.alias !== undefined ? ` (alias ${request.alias})` : '';
  const line =
    `Fetched ${manifest.name} ${manifest.version}${via} from ${deps.store.uri} into ${request.out}: ` +
    `${manifest.files.length} file(s), ${formatBytes(result.bytes)}, sizes and sha256 verified.`;
  await deps.writeSummary?.(manifestMarkdown(manifest, { verb: 'Fetched' }));
  return { ...result, found: true, line };
}
