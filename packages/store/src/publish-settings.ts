/**
 * Publish's settings as the fronts take them (the publish action's inputs, `mlactions publish`'s
 * flags): text, checked and turned into one request for runPublishFlow, so both fronts refuse and
 * default the same way. Names in messages are the inputs'.
 */
import { choiceSetting, requiredSetting, UserError } from '@mlactions/core';
import type { PublishFlowInputs } from './publish-flow.ts';
import { BUMPS } from './versioning.ts';

export interface PublishSettingsText {
  name?: string | undefined;
  /** The version to publish; or `bump`. */
  version?: string | undefined;
  bump?: string | undefined;
  /** Files, folders or glob patterns, relative to the context's cwd. */
  files?: readonly string[] | undefined;
  metricsFile?: string | undefined;
  paramsFile?: string | undefined;
  /** Data files or folders to fingerprint into the manifest. */
  data?: readonly string[] | undefined;
  /** An alias to point at the new version once it is published. */
  alias?: string | undefined;
}

/** Where a store verb runs. */
export interface StoreSettingsContext {
  /** Relative paths are read from here (the workspace, the shell's folder). */
  cwd: string;
}

/** Publish's request from its settings, or one error naming the setting and the fix. */
export function publishRequestFrom(
  text: PublishSettingsText,
  context: StoreSettingsContext,
): PublishFlowInputs {
  const name = requiredSetting('name', text.name, "the model's name in the store");
  if (!text.files?.length)
    throw new UserError('`files` is required: the files, folders or glob patterns to publish, one per line');
  const bump = choiceSetting('bump', text.bump, BUMPS);
  return {
    name,
    ...(text.version ? { version: text.version } : {}),
    ...(bump ? { bump } : {}),
    files: [...text.files],
    ...(text.metricsFile ? { metricsFile: text.metricsFile } : {}),
    ...(text.paramsFile ? { paramsFile: text.paramsFile } : {}),
    ...(text.data?.length ? { data: [...text.data] } : {}),
    ...(text.alias ? { alias: text.alias } : {}),
    cwd: context.cwd,
  };
}
