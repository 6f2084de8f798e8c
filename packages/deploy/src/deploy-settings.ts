/**
 * The deploy's settings as the fronts take them (the action's inputs, a CLI verb's flags): text,
 * checked and turned into DeployInputs, so every front refuses and defaults the same way. Names in
 * messages are the inputs' (the flags are the same names with `--`).
 */
import { UserError } from '@mlactions/core';
import type { DeployInputs } from './deploy-flow.ts';
import { parseVersionSource } from './version-source.ts';

export interface DeploySettingsText {
  name?: string | undefined;
  /** A version (1.2.0), an alias (staging), or nothing: the version published from `sha`. */
  version?: string | undefined;
  environment?: string | undefined;
  /** Rollout targets; at least one. */
  alias?: string | undefined;
  copyTo?: string | undefined;
  command?: string | undefined;
  smokeTest?: string | undefined;
  environmentUrl?: string | undefined;
  requiredContexts?: readonly string[] | undefined;
  /** An S3-compatible server for an s3:// `copy-to`. */
  endpoint?: string | undefined;
}

export interface DeploySettingsContext {
  /** The commit being deployed. */
  sha: string;
  /** Where commands run and a relative `copy-to` is resolved. */
  cwd: string;
  /** A fresh folder for the fetched model and what is kept to restore. */
  workDir: string;
}

/** The deploy's inputs from its settings, or one error naming the setting and the fix. */
export function deployRequestFrom(text: DeploySettingsText, context: DeploySettingsContext): DeployInputs {
  if (!text.name) throw new UserError('`name` is required: the model to deploy, as it is named in the store');
  if (!text.alias && !text.copyTo && !text.command) {
    throw new UserError(
      'Nothing to roll out: give `alias` (a store alias to move), `copy-to` (a folder or S3 prefix) or `command`.',
    );
  }
  const optional = <K extends keyof DeployInputs>(key: K, value: DeployInputs[K] | undefined) =>
    value ? { [key]: value } : {};
  return {
    name: text.name,
    source: parseVersionSource(text.version, context.sha),
    environment: text.environment || 'production',
    sha: context.sha,
    ...optional('alias', text.alias),
    ...optional('copyTo', text.copyTo),
    ...optional('command', text.command),
    ...optional('smokeTest', text.smokeTest),
    ...optional('environmentUrl', text.environmentUrl),
    requiredContexts: [...(text.requiredContexts ?? [])],
    workDir: context.workDir,
    cwd: context.cwd,
    ...(text.endpoint ? { s3: { endpoint: text.endpoint, forcePathStyle: true } } : {}),
  };
}
