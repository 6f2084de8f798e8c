/**
 * The report's settings as the fronts take them (the action's inputs, `mlactions report`'s flags):
 * text, checked and turned into one ReportRequest (a store baseline read on the way), so both fronts
 * refuse and default the same way. Names in messages are the inputs' (the flags add `--`).
 */
import { UserError } from '@mlactions/core';
import { type ArtifactStore, storeBaseline } from '@mlactions/store';
import type { ReportRequest } from './build-report.ts';

export interface ReportSettingsText {
  /** The candidate's metrics: files or folders (several = several runs). */
  head: readonly string[];
  /** The baseline's metrics: files or folders, or `git:<ref>`; or a store version, below. */
  base?: readonly string[] | undefined;
  /** Several files on a side are different things matched by file name, not runs of one model. */
  pairByName?: boolean | undefined;
  baseStore?: string | undefined;
  baseModel?: string | undefined;
  /** A version or an alias in the store (production by default). */
  baseVersion?: string | undefined;
  /** How many store versions, ending with the baseline, to chart each metric across (5 by default). */
  baseHistory?: number | undefined;
  /** The candidate's parameter file (YAML, JSON, TOML, DVC's params.yaml). */
  params?: string | undefined;
  /** The baseline's parameter file or `git:<ref>` (default: from the metrics baseline). */
  baseParams?: string | undefined;
  /** Curve files or a dvc.yaml, one chart per curve. */
  plots?: readonly string[] | undefined;
  rules?: string | undefined;
  absolute?: number | undefined;
  relative?: number | undefined;
  alpha?: number | undefined;
  title?: string | undefined;
}

export interface ReportSettingsContext {
  /** Relative paths and `git:` refs are read from here. */
  cwd: string;
  /** Opens the store a baseline is read from (each front has its own credentials). */
  openStore: (uri: string) => ArtifactStore;
}

/** The store baseline the settings name, read; undefined without `base-store`. */
async function baselineFrom(text: ReportSettingsText, context: ReportSettingsContext) {
  if (text.baseStore === undefined) {
    if (text.baseModel !== undefined)
      throw new UserError('`base-model` names a store baseline: give `base-store` too');
    return undefined;
  }
  if (text.baseModel === undefined)
    throw new UserError('`base-store` needs `base-model`: the model name in the store');
  if (text.base?.length) throw new UserError('give the baseline as `base` or from `base-store`, not both');
  return storeBaseline(context.openStore(text.baseStore), text.baseModel, text.baseVersion ?? 'production', {
    history: text.baseHistory ?? 5,
  });
}

/** The report's request from its settings, or one error naming the setting and the fix. */
export async function reportRequestFrom(
  text: ReportSettingsText,
  context: ReportSettingsContext,
): Promise<ReportRequest> {
  if (text.head.length === 0)
    throw new UserError("`head` is required: the candidate's metrics files or folders");
  if (text.baseParams !== undefined && text.params === undefined)
    throw new UserError("`base-params` needs `params`: the candidate's parameter file");
  const baseline = await baselineFrom(text, context);
  const { absolute, relative, alpha } = text;
  return {
    head: [...text.head],
    base: [...(text.base ?? [])],
    pairByName: text.pairByName === true,
    ...(baseline ? { baseline } : {}),
    cwd: context.cwd,
    ...(text.rules ? { rulesFile: text.rules } : {}),
    ...(text.params ? { headParams: text.params } : {}),
    ...(text.baseParams ? { baseParams: text.baseParams } : {}),
    ...(text.plots?.length ? { plots: [...text.plots] } : {}),
    ...(absolute !== undefined ? { absolute } : {}),
    ...(relative !== undefined ? { relative } : {}),
    ...(alpha !== undefined ? { alpha } : {}),
    ...(text.title ? { title: text.title } : {}),
  };
}
