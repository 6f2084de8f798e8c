import * as core from '@actions/core';
import { context } from '@actions/github';
import { isUserError, UserError } from '@mlactions/core';

/** A string input; empty means absent, as the runner passes unset inputs as empty strings. */
export function stringInput(name: string): string | undefined {
  const value = core.getInput(name).trim();
  return value === '' ? undefined : value;
}

export function requiredInput(name: string): string {
  const value = stringInput(name);
  if (value === undefined)
    throw new UserError(`input \`${name}\` is required: set it under \`with:\` in the workflow step`);
  return value;
}

/** A list input: one item per line or comma-separated; blank items dropped. */
export function listInput(name: string): string[] {
  return (stringInput(name) ?? '')
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A list input where commas may belong to an item (rules, commands): one item per line. */
export function linesInput(name: string): string[] {
  return (stringInput(name) ?? '')
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function booleanInput(name: string, fallback: boolean): boolean {
  const value = stringInput(name);
  if (value === undefined) return fallback;
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  throw new UserError(`input \`${name}\` must be true or false, got "${value}"`);
}

export function numberInput(name: string, fallback: number): number {
  const value = stringInput(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UserError(`input \`${name}\` must be a number, got "${value}"`);
  return n;
}

/** The pull request the event is about, with the head sha to report on (not the merge commit). */
export interface PullRequestRef {
  number: number;
  headSha: string;
  baseSha: string | undefined;
  /** True when the head lives in another repository: the job's token is then read-only. */
  fromFork: boolean;
}

export interface EventInfo {
  eventName: string;
  owner: string;
  repo: string;
  sha: string;
  ref: string;
  pullRequest: PullRequestRef | undefined;
  runUrl: string;
}

/** What the actions need to know of the triggering event, read from the runner's environment. */
export function eventInfo(): EventInfo {
  const { owner, repo } = context.repo;
  const pr = context.payload.pull_request;
  const pullRequest = pr
    ? {
        number: pr.number,
        headSha: pr.head?.sha ?? context.sha,
        baseSha: pr.base?.sha,
        fromFork: Boolean(pr.head?.repo && pr.head.repo.full_name !== `${owner}/${repo}`),
      }
    : undefined;
  return {
    eventName: context.eventName,
    owner,
    repo,
    sha: context.sha,
    ref: context.ref,
    pullRequest,
    runUrl: `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`,
  };
}

/**
 * Runs an action's body: a user's mistake ends in its message alone and a failed step; anything
 * else also logs its stack, since that is a bug of ours worth reporting.
 */
export async function runMain(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (isUserError(error)) {
      core.setFailed(error.message);
    } else {
      core.debug(error instanceof Error ? (error.stack ?? error.message) : String(error));
      core.setFailed(error instanceof Error ? error.message : String(error));
    }
  }
}
