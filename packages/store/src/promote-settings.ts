/**
 * Promote's settings as the fronts take them (`mlactions promote`'s flags; the publish action's
 * `alias` promotes through runPublishFlow): text, checked and turned into one request for
 * ArtifactStore.promote. Names in messages are the settings'.
 */
import { requiredSetting } from '@mlactions/core';
import type { Provenance } from './manifest.ts';
import type { PromoteOptions } from './store.ts';

export interface PromoteSettingsText {
  name?: string | undefined;
  /** The version the alias should point to. */
  version?: string | undefined;
  alias?: string | undefined;
  /** Move only if the alias points to this version now; `none`: only if it is unset. */
  expect?: string | undefined;
  /** Move it even to a deprecated version. */
  force?: boolean | undefined;
}

/** Promote's request from its settings, or one error naming the setting and the fix. */
export function promoteRequestFrom(
  text: PromoteSettingsText,
  context: { provenance?: Provenance | undefined },
): PromoteOptions {
  return {
    name: requiredSetting('name', text.name, "the model's name in the store"),
    version: requiredSetting('version', text.version, 'the version the alias should point to'),
    alias: requiredSetting('alias', text.alias, 'the alias to move, e.g. production'),
    ...(text.expect ? { expectedVersion: text.expect === 'none' ? null : text.expect } : {}),
    ...(context.provenance ? { provenance: context.provenance } : {}),
    ...(text.force ? { force: true } : {}),
  };
}
