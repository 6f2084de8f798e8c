import { escapeMarkdown } from '@mlactions/render';
import type { FlowDeps } from './flow-deps.ts';
import type { CleanupRequest } from './lifecycle-settings.ts';
import { formatBytes } from './progress.ts';
import type { GcResult, RetainResult } from './store.ts';

export interface CleanupFlowResult {
  retained?: RetainResult;
  collected?: GcResult;
  /** Lines for people: what went (or, in a dry run, would go) and what was kept for the aliases. */
  lines: string[];
}

/** The lines that say what a retention did. */
export function retentionLines(name: string, result: RetainResult, dryRun: boolean): string[] {
  const verb = dryRun ? 'Would delete' : 'Deleted';
  const lines = [
    result.removed.length === 0
      ? `No version of ${name} to delete; ${result.kept.length} kept.`
      : `${verb} ${result.removed.length} version(s) of ${name}: ${result.removed.join(', ')}; ${result.kept.length} kept.`,
  ];
  for (const { version, why } of result.needed) lines.push(`Kept ${name} ${version}: ${why.join('; ')}.`);
  return lines;
}

/** The lines that say what a garbage collection freed. */
export function gcLines(result: GcResult, dryRun: boolean): string[] {
  const lines = result.removed.map(
    (g) => `${dryRun ? 'Would remove' : 'Removed'} ${g.what} (${formatBytes(g.bytes)}).`,
  );
  lines.push(
    `${dryRun ? 'Would free' : 'Freed'} ${formatBytes(result.bytes)} (${result.bytes} bytes) in ${result.removed.length} item(s) no version references.`,
  );
  return lines;
}

/**
 * The scheduled clean-up: deletes all but the newest versions of a model (never one an alias needs),
 * then collects what no version references; a dry run changes nothing and says what would go. The
 * lines come back for the front to print and go, as a list, to the job summary.
 */
export async function runCleanupFlow(
  request: CleanupRequest,
  deps: Omit<FlowDeps, 'log'>,
): Promise<CleanupFlowResult> {
  const lines: string[] = [];
  let retained: RetainResult | undefined;
  if (request.retain) {
    retained = await deps.store.retain({
      ...request.retain,
      dryRun: request.dryRun,
      ...(deps.provenance ? { provenance: deps.provenance } : {}),
    });
    lines.push(...retentionLines(request.retain.name, retained, request.dryRun));
  }
  let collected: GcResult | undefined;
  if (request.gc) {
    collected = await deps.store.gc({ dryRun: request.dryRun });
    lines.push(...gcLines(collected, request.dryRun));
  }
  await deps.writeSummary?.(
    `### Store clean-up${request.dryRun ? ' (dry run)' : ''}\n\n${lines.map((l) => `- ${escapeMarkdown(l)}`).join('\n')}\n`,
  );
  return { ...(retained ? { retained } : {}), ...(collected ? { collected } : {}), lines };
}
