import { UserError } from '@mlactions/core';
import { createClient, dispatchRepository } from '@mlactions/github';
import { PROMOTION_EVENT, type Promotion, promotionEvent } from '@mlactions/store';
import type { Command } from 'commander';
import type { Io } from './program.ts';

/** Adds --dispatch, which the verbs that move an alias (promote, publish, deploy) take. */
export function addDispatchOption(command: Command): Command {
  return command.option(
    '--dispatch <owner/repo>',
    `when the alias moves, send a ${PROMOTION_EVENT} repository_dispatch to this repository (token: --token or $GITHUB_TOKEN, contents: write)`,
  );
}

/**
 * The sender of `model-promoted` events that --dispatch asks for (undefined without it). Its token is
 * --token's or GITHUB_TOKEN; the API root --api-url's where the verb has one, else GITHUB_API_URL's.
 */
export function announcerFrom(
  flags: { dispatch?: string; token?: string; apiUrl?: string },
  io: Io,
  env: NodeJS.ProcessEnv = process.env,
): ((promotion: Promotion) => Promise<void>) | undefined {
  if (flags.dispatch === undefined) return undefined;
  const match = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(flags.dispatch);
  if (!match)
    throw new UserError(`--dispatch "${flags.dispatch}" is not owner/repo (e.g. acme/churn-model).`);
  const token = flags.token || env.GITHUB_TOKEN;
  if (!token) {
    throw new UserError(
      '--dispatch needs a token with contents: write on that repository: pass --token or set GITHUB_TOKEN.',
    );
  }
  const client = createClient({
    token,
    ...(flags.apiUrl ? { baseUrl: flags.apiUrl } : {}),
    log: (message) => io.stderr(`mlactions: ${message}\n`),
  });
  return (promotion) =>
    dispatchRepository(client, { owner: match[1]!, repo: match[2]!, ...promotionEvent(promotion) });
}
