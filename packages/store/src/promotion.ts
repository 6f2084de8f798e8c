import { UserError } from '@mlactions/core';
import type { AliasEntry } from './alias.ts';
import { normalizeVersion, validateAlias, validateName } from './names.ts';

/** The `repository_dispatch` event type sent when an alias moves (opt-in on every front). */
export const PROMOTION_EVENT = 'model-promoted';

/** The event's client_payload: which alias of which model moved, to what, from what. */
export interface Promotion {
  name: string;
  version: string;
  alias: string;
  /** The version the alias pointed to before (null: it was unset). */
  previous: string | null;
}

export function promotionOf(name: string, entry: AliasEntry): Promotion {
  return { name, version: entry.version, alias: entry.alias, previous: entry.previous };
}

/** The repository_dispatch that announces a promotion: its event type and client_payload. */
export function promotionEvent(promotion: Promotion): {
  eventType: string;
  payload: Record<string, unknown>;
} {
  return { eventType: PROMOTION_EVENT, payload: { ...promotion } };
}

/**
 * A `model-promoted` payload as a workflow receives it. Anyone with write access to the repository
 * can send any payload, so every field is checked against the store's own rules (a name and an alias
 * are plain identifiers, versions strict semver) before it is used; nothing else in it is read.
 */
export function parsePromotion(payload: unknown): Promotion {
  const value = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  const field = (key: string) => {
    if (typeof value[key] !== 'string') {
      throw new UserError(
        `The ${PROMOTION_EVENT} event's client_payload has no text \`${key}\`; it is not one mlactions sent.`,
      );
    }
    return value[key] as string;
  };
  const previous =
    value.previous === null || value.previous === undefined ? null : normalizeVersion(field('previous'));
  return {
    name: validateName(field('name')),
    version: normalizeVersion(field('version')),
    alias: validateAlias(field('alias')),
    previous,
  };
}

/**
 * The version a deploy started by a `model-promoted` event ships: the payload's, checked, and only
 * for the model the deploy is for. Undefined for any other event.
 */
export function promotedVersion(
  event: { name: string; action?: unknown; payload?: unknown },
  model: string,
): string | undefined {
  if (event.name !== 'repository_dispatch' || event.action !== PROMOTION_EVENT) return undefined;
  const promotion = parsePromotion(event.payload);
  if (promotion.name !== model) {
    throw new UserError(
      `The ${PROMOTION_EVENT} event is for model ${promotion.name}, not ${model}; nothing was deployed. ` +
        "Guard the job with `if: github.event.client_payload.name == '<model>'`.",
    );
  }
  return promotion.version;
}
