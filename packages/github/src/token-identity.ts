import { UserError } from '@mlactions/core';
import type { GitHubClient } from './client.ts';
import { isPermissionDenied } from './permission-error.ts';

/** The login a workflow's GITHUB_TOKEN writes as. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

/** A GitHub login: a user's, or an app's `<slug>[bot]`. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

/**
 * The login the token writes comments and issues as: only those are ever matched by their marker, so
 * an outsider who copies a marker into their own comment or issue never gets it rewritten. `given`
 * (the `comment-author` input) wins: a GitHub App's installation token writes as `<app-slug>[bot]`,
 * which no endpoint tells an installation token. Otherwise GET /user names a user's token; an
 * installation token is refused that call (403), and the job's GITHUB_TOKEN writes as
 * github-actions[bot].
 */
export async function tokenIdentity(client: GitHubClient, given?: string): Promise<string> {
  if (given !== undefined) return checkLogin(given);
  try {
    const { data } = await client.rest.users.getAuthenticated();
    return data.login;
  } catch (error) {
    if (isPermissionDenied(error)) return ACTIONS_BOT_LOGIN;
    throw error;
  }
}

/** The `comment-author` input, checked as a GitHub login (so a bad one fails before any work). */
export function checkLogin(given: string): string {
  if (!LOGIN.test(given))
    throw new UserError(
      `comment-author "${given}" is not a GitHub login (a user's, or an app's <slug>[bot])`,
    );
  return given;
}

/** Whether a comment or issue was written by `login` (GitHub logins are case-insensitive). */
export function writtenBy(item: { user?: { login: string } | null }, login: string): boolean {
  return item.user?.login.toLowerCase() === login.toLowerCase();
}
