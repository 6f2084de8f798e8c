/**
 * The lifecycle verbs' settings as the fronts take them (the cleanup action's inputs, the flags of
 * `mlactions deprecate`, `delete` and `gc`): text, checked and turned into one request each, so every
 * front refuses and defaults the same way. Names in messages are the inputs' (the flags are the same
 * names with `--`).
 */
import { UserError } from '@mlactions/core';
import { validateReason } from './lifecycle.ts';
import { normalizeVersion, validateName } from './names.ts';

export interface VersionTarget {
  name: string;
  version: string;
}

/** `<name>@<version>` (the form GTO and the release tags use), or name and version given apart. */
export function versionTargetFrom(text: {
  target?: string | undefined;
  name?: string | undefined;
  version?: string | undefined;
}): VersionTarget {
  if (text.target !== undefined) {
    if (text.name !== undefined || text.version !== undefined) {
      throw new UserError('name the version once: `<name>@<version>`, or `name` and `version`, not both');
    }
    const at = text.target.lastIndexOf('@');
    if (at <= 0 || at === text.target.length - 1) {
      throw new UserError(
        `${JSON.stringify(text.target)} is not <name>@<version>: write it as iris@1.2.0 (the model, @, the version)`,
      );
    }
    return {
      name: validateName(text.target.slice(0, at)),
      version: normalizeVersion(text.target.slice(at + 1)),
    };
  }
  if (text.name === undefined || text.version === undefined) {
    throw new UserError('say which version: `<name>@<version>` (e.g. iris@1.2.0), or `name` and `version`');
  }
  return { name: validateName(text.name), version: normalizeVersion(text.version) };
}

export interface DeprecateSettingsText {
  target?: string | undefined;
  name?: string | undefined;
  version?: string | undefined;
  reason?: string | undefined;
  undo?: boolean | undefined;
}

export interface DeprecateRequest extends VersionTarget {
  /** Absent when lifting a deprecation. */
  reason?: string;
  undo: boolean;
}

/** The deprecation's request: a reason to deprecate, none to lift one (`undo`). */
export function deprecateRequestFrom(text: DeprecateSettingsText): DeprecateRequest {
  const target = versionTargetFrom(text);
  if (text.undo) {
    if (text.reason !== undefined)
      throw new UserError('`undo` lifts a deprecation: give no `reason` with it');
    return { ...target, undo: true };
  }
  return { ...target, reason: validateReason(text.reason), undo: false };
}

export interface CleanupSettingsText {
  /** The model whose versions `keep` thins out. */
  name?: string | undefined;
  /** How many of the newest versions to keep (a whole number, 1 or more); empty: delete no version. */
  keep?: string | undefined;
  /** Whether to collect the content no version references. */
  gc?: boolean | undefined;
  dryRun?: boolean | undefined;
}

export interface CleanupRequest {
  retain?: { name: string; keep: number };
  gc: boolean;
  dryRun: boolean;
}

/** The clean-up's request: a retention (`name` and `keep`) and/or a garbage collection. */
export function cleanupRequestFrom(text: CleanupSettingsText): CleanupRequest {
  const keepText = text.keep?.trim();
  let retain: CleanupRequest['retain'];
  if (keepText !== undefined && keepText !== '') {
    const keep = Number(keepText);
    if (!/^\d+$/.test(keepText) || !Number.isSafeInteger(keep) || keep < 1) {
      throw new UserError(
        `\`keep\` must be a whole number of versions, 1 or more; got ${JSON.stringify(keepText)}`,
      );
    }
    if (text.name === undefined) throw new UserError('`keep` thins out one model: give `name` too');
    retain = { name: validateName(text.name), keep };
  } else if (text.name !== undefined) {
    throw new UserError('`name` is for `keep`: say how many of its newest versions to keep');
  }
  const gc = text.gc === true;
  if (!retain && !gc) {
    throw new UserError('nothing to clean up: give `keep` (with `name`) to delete old versions, and/or `gc`');
  }
  return { ...(retain ? { retain } : {}), gc, dryRun: text.dryRun === true };
}
