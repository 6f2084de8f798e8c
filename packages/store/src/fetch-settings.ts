/**
 * Fetch's settings as the fronts take them (the fetch action's inputs, `mlactions fetch`'s flags):
 * text, checked and turned into one request for runFetchFlow, so both fronts refuse and default the
 * same way. Names in messages are the inputs'.
 */
import { resolve } from 'node:path';
import { choiceSetting, requiredSetting } from '@mlactions/core';
import type { FetchFlowInputs } from './fetch-flow.ts';
import type { StoreSettingsContext } from './publish-settings.ts';
import { versionRef } from './version-ref.ts';

export interface FetchSettingsText {
  name?: string | undefined;
  /** A version, or an alias whose current version to fetch; the store refuses neither or both. */
  version?: string | undefined;
  alias?: string | undefined;
  /** The folder to write into, relative to the context's cwd (`model` by default). */
  path?: string | undefined;
  /** `error` or `skip` (see FetchFlowInputs.ifMissing). */
  ifMissing?: string | undefined;
}

const IF_MISSING = ['error', 'skip'] as const;

/** Fetch's request from its settings, or one error naming the setting and the fix. */
export function fetchRequestFrom(text: FetchSettingsText, context: StoreSettingsContext): FetchFlowInputs {
  const name = requiredSetting('name', text.name, "the model's name in the store");
  return {
    name,
    ...versionRef({ version: text.version || undefined, alias: text.alias || undefined }),
    out: resolve(context.cwd, text.path || 'model'),
    ifMissing: choiceSetting('if-missing', text.ifMissing, IF_MISSING) ?? 'error',
  };
}
