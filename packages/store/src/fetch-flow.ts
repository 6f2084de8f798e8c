import type { FlowDeps } from './flow-deps.ts';
import { manifestMarkdown } from './manifest-markdown.ts';
import { formatBytes, formatProgress } from './progress.ts';
import type { FetchResult, VersionRef } from './store.ts';

export type FetchFlowInputs = VersionRef & {
  name: string;
  /** Folder to write the files into (created if needed). */
  out: string;
};

export interface FetchFlowResult extends FetchResult {
  /** One line for people: what was fetched where. */
  line: string;
}

/** Fetches a version (or an alias's version) into a folder, verified; progress to the log. */
export async function runFetchFlow(inputs: FetchFlowInputs, deps: FlowDeps): Promise<FetchFlowResult> {
  const result = await deps.store.fetch({
    ...inputs,
    onProgress: (progress) => deps.log(formatProgress(progress)),
  });
  const { manifest } = result;
  const via = inputs.alias !== undefined ? ` (alias ${inputs.alias})` : '';
  const line =
    `Fetched ${manifest.name} ${manifest.version}${via} from ${deps.store.uri} into ${inputs.out}: ` +
    `${manifest.files.length} file(s), ${formatBytes(result.bytes)}, sizes and sha256 verified.`;
  await deps.writeSummary?.(manifestMarkdown(manifest, { verb: 'Fetched' }));
  return { ...result, line };
}
