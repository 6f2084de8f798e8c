import * as core from '@actions/core';
import { context } from '@actions/github';
import { isUserError, UserError, unreachableFailure } from '@mlactions/core';
import { createClient, type GitHubClient } from './client.ts';
import { InputReader } from './input-reader.ts';

/** The step's `with:` inputs, read by the rules every front shares. */
const actionInputs = new InputReader({
  text: (name) => core.getInput(name),
  label: (name) => `input \`${name}\``,
  howToSet: 'set it under `with:` in the workflow step',
});

/** A string input; empty means absent, as the runner passes unset inputs as empty strings. */
export function stringInput(name: string): string | undefined {
  return actionInputs.string(name);
}

export function requiredInput(name: string): string {
  return actionInputs.required(name);
}

/** An input that takes one of a few words; the fallback when it is not set. */
export function choiceInput<T extends string>(name: string, choices: readonly T[]): T | undefined;
export function choiceInput<T extends string>(name: string, choices: readonly T[], fallback: T): T;
export function choiceInput<T extends string>(
  name: string,
  choices: readonly T[],
  fallback?: T,
): T | undefined {
  return fallback === undefined
    ? actionInputs.choice(name, choices)
    : actionInputs.choice(name, choices, fallback);
}

/**
 * Refuses inputs that only mean something beside another one (`baseline-alias` without `store`),
 * which would otherwise be ignored without a word.
 */
export function onlyWith(required: string, dependents: string[]): void {
  if (stringInput(required) !== undefined) return;
  const given = dependents.filter((name) => stringInput(name) !== undefined);
  if (given.length > 0)
    throw new UserError(
      `${given.map((n) => `\`${n}\``).join(', ')} ${given.length === 1 ? 'takes' : 'take'} effect only with ` +
        `\`${required}\`: set \`${required}\` under \`with:\`, or remove ${given.length === 1 ? 'it' : 'them'}`,
    );
}

/** A list input: one item per line or comma-separated; blank items dropped. */
export function listInput(name: string): string[] {
  return actionInputs.list(name);
}

/** A list input where commas may belong to an item (rules, commands): one item per line. */
export function linesInput(name: string): string[] {
  return actionInputs.lines(name);
}

/** A required list input, one item per line: the clear "input is required" error when it is empty. */
export function requiredLines(name: string): string[] {
  const lines = linesInput(name);
  if (lines.length === 0) requiredInput(name);
  return lines;
}

export function booleanInput(name: string, fallback: boolean): boolean {
  return actionInputs.boolean(name, fallback);
}

/** A number input; the fallback (or undefined) when it is not set. */
export function numberInput(name: string): number | undefined;
export function numberInput(name: string, fallback: number): number;
export function numberInput(name: string, fallback?: number): number | undefined {
  return fallback === undefined ? actionInputs.number(name) : actionInputs.number(name, fallback);
}

/**
 * How an action reaches a store, in the shape openStoreWithAccess (@mlactions/store) takes besides
 * the store's URI.
 */
export interface StoreAccessInputs {
  endpoint: string | undefined;
  token: string | undefined;
  githubClient: (token: string) => GitHubClient;
  tokenSources: string;
}

/**
 * The inputs every action that opens a store shares: `endpoint` for an S3-compatible server and
 * `token` for github-release:// stores, whose client logs its retries to the job log. `contents` is
 * the access the token needs there, named in the error when a github-release:// store has no token;
 * `client` is one the action already made from `token`, shared so that its requests are paced as one.
 */
export function storeAccessInputs(contents: 'read' | 'write', client?: GitHubClient): StoreAccessInputs {
  return {
    endpoint: stringInput('endpoint'),
    token: stringInput('token'),
    githubClient: (token) => client ?? createClient({ token, log: core.info }),
    tokenSources: `set the \`token\` input (by default the job token, which needs \`contents: ${contents}\`)`,
  };
}

/** Appends markdown to the job summary (the page of the workflow run). */
export async function appendSummary(markdown: string): Promise<void> {
  await core.summary.addRaw(markdown, true).write();
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
 * Runs an action's body, given the workspace (the runner's checkout, where the action's relative
 * paths are read from): a user's mistake ends in its message alone and a failed step; anything else
 * also logs its stack at debug level (ACTIONS_STEP_DEBUG), for a bug report.
 */
export async function runMain(body: (action: { workspace: string }) => Promise<void>): Promise<void> {
  try {
    await body({ workspace: process.env.GITHUB_WORKSPACE ?? process.cwd() });
  } catch (error) {
    const mistake = isUserError(error) ? error : unreachableFailure(error);
    if (mistake) {
      core.setFailed(mistake.message);
    } else {
      core.debug(error instanceof Error ? (error.stack ?? error.message) : String(error));
      core.setFailed(error instanceof Error ? error.message : String(error));
    }
  }
}
