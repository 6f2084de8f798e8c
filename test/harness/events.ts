// Event payloads shaped like the ones GitHub writes to GITHUB_EVENT_PATH, built from the samples in
// test/fixtures/events/ (GitHub's own webhook examples, see its README) with the repository, numbers,
// refs and shas a test asks for.
import { readFileSync } from 'node:fs';
import { fakeSha } from './github-double/index.ts';

/** The repository every sample names; builders rename it. */
export const DEFAULT_REPOSITORY = 'octocat/model-repo';
export const DEFAULT_BRANCH = 'main';

// The GitHub double's stable made-up sha (the same label always gives the same sha); the builders use
// a ref as the label of its last commit: `fakeSha('refs/heads/main')`.
export { fakeSha };

/** The last commit on the default branch, which scheduled, dispatched and workflow_run runs check out. */
export const DEFAULT_BRANCH_SHA = fakeSha(`refs/heads/${DEFAULT_BRANCH}`);

export interface GitHubEvent<P extends object = EventPayload> {
  /** GITHUB_EVENT_NAME: pull_request, push, schedule, workflow_dispatch, workflow_run, ... */
  name: string;
  payload: P;
}

export type EventPayload = { [key: string]: unknown };

export interface UserPayload {
  login: string;
  id: number;
  type: string;
  [key: string]: unknown;
}

export interface RepositoryPayload {
  id: number;
  name: string;
  full_name: string;
  owner: UserPayload;
  private: boolean;
  fork: boolean;
  default_branch: string;
  html_url: string;
  url: string;
  [key: string]: unknown;
}

export interface BranchPayload {
  label: string;
  ref: string;
  sha: string;
  user: UserPayload;
  repo: RepositoryPayload;
  [key: string]: unknown;
}

export interface PullRequestPayload {
  action: string;
  number: number;
  pull_request: {
    number: number;
    url: string;
    html_url: string;
    state: string;
    title: string;
    body: string | null;
    draft: boolean;
    merged: boolean;
    merge_commit_sha: string | null;
    user: UserPayload;
    labels: { name: string; [key: string]: unknown }[];
    head: BranchPayload;
    base: BranchPayload;
    author_association: string;
    [key: string]: unknown;
  };
  /** synchronize only: the head before and after the push. */
  before?: string;
  after?: string;
  repository: RepositoryPayload;
  sender: UserPayload;
  [key: string]: unknown;
}

export interface PushPayload {
  ref: string;
  before: string;
  after: string;
  created: boolean;
  deleted: boolean;
  forced: boolean;
  base_ref: string | null;
  compare: string;
  commits: { id: string; message: string; [key: string]: unknown }[];
  head_commit: { id: string; message: string; [key: string]: unknown } | null;
  repository: RepositoryPayload;
  sender: UserPayload;
  [key: string]: unknown;
}

export interface SchedulePayload {
  schedule: string;
}

export interface WorkflowDispatchPayload {
  inputs: Record<string, string>;
  ref: string;
  workflow: string;
  repository: RepositoryPayload;
  sender: UserPayload;
  [key: string]: unknown;
}

export interface WorkflowRunPullRequest {
  url: string;
  id: number;
  number: number;
  head: { ref: string; sha: string; repo: { id: number; url: string; name: string } };
  base: { ref: string; sha: string; repo: { id: number; url: string; name: string } };
}

export interface WorkflowRunPayload {
  action: string;
  workflow_run: {
    id: number;
    name: string;
    path: string;
    event: string;
    status: string;
    conclusion: string | null;
    head_branch: string;
    head_sha: string;
    run_number: number;
    run_attempt: number;
    html_url: string;
    pull_requests: WorkflowRunPullRequest[];
    [key: string]: unknown;
  };
  workflow: { id: number; name: string; path: string; [key: string]: unknown };
  repository: RepositoryPayload;
  sender: UserPayload;
  [key: string]: unknown;
}

function sample<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/events/${file}`, import.meta.url), 'utf8')) as T;
}

function splitRepository(fullName: string): { owner: string; name: string } {
  const [owner, name, ...rest] = fullName.split('/');
  if (!owner || !name || rest.length > 0)
    throw new Error(`repository must be "owner/name", got "${fullName}"`);
  return { owner, name };
}

/**
 * A deep copy of a sample with its repository renamed from DEFAULT_REPOSITORY to `fullName`: the
 * full name anywhere in a string (URLs), the owner's login and the repository's name where they stand
 * alone, and the owner in user URLs.
 */
export function renameRepository<T>(value: T, fullName: string): T {
  const from = splitRepository(DEFAULT_REPOSITORY);
  const to = splitRepository(fullName);
  const ownerInUrl = new RegExp(`/${from.owner}(?=/|$)`, 'g');
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (v === from.owner) return to.owner;
      if (v === from.name) return to.name;
      const renamed = v.split(DEFAULT_REPOSITORY).join(fullName);
      return /^https?:/.test(renamed) ? renamed.replace(ownerInUrl, `/${to.owner}`) : renamed;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, walk(inner)]));
    return v;
  };
  return walk(value) as T;
}

function repository(fullName: string): RepositoryPayload {
  const repo = renameRepository(sample<PullRequestPayload>('pull_request.opened.json').repository, fullName);
  return { ...repo, default_branch: DEFAULT_BRANCH };
}

function user(login: string, id: number): UserPayload {
  return {
    login,
    id,
    node_id: Buffer.from(`04:User${id}`).toString('base64'),
    url: `https://api.github.com/users/${login}`,
    html_url: `https://github.com/${login}`,
    type: 'User',
    site_admin: false,
  };
}

export interface PullRequestEventOptions {
  /** closed: the pull request was merged (GitHub sends `closed` with `merged: true`). */
  action?: 'opened' | 'synchronize' | 'closed';
  /** "owner/name" of the base repository. */
  repository?: string;
  number?: number;
  title?: string;
  body?: string | null;
  draft?: boolean;
  labels?: string[];
  headRef?: string;
  headSha?: string;
  baseRef?: string;
  baseSha?: string;
  /** The test merge commit GitHub makes (GITHUB_SHA of a pull_request run). */
  mergeCommitSha?: string;
  /** synchronize: the head before the push. */
  before?: string;
  /** The owner of the fork the pull request comes from; the head repository is then `<fork>/<name>`. */
  fork?: string;
}

/** A pull_request event (opened or synchronize), from a branch of the repository or from a fork. */
export function pullRequestEvent(options: PullRequestEventOptions = {}): GitHubEvent<PullRequestPayload> {
  const action = options.action ?? 'opened';
  const fullName = options.repository ?? DEFAULT_REPOSITORY;
  const { owner, name } = splitRepository(fullName);
  const number = options.number ?? 7;
  const headRef = options.headRef ?? 'retrain-with-new-features';
  const baseRef = options.baseRef ?? DEFAULT_BRANCH;
  const headSha = options.headSha ?? fakeSha(`pull/${number}/head`);
  const baseSha = options.baseSha ?? DEFAULT_BRANCH_SHA;
  // GitHub's examples hold no merged pull request: a merge is the opened sample, closed and merged.
  const payload = renameRepository(
    sample<PullRequestPayload>(`pull_request.${action === 'closed' ? 'opened' : action}.json`),
    fullName,
  );
  payload.action = action;
  const base = repository(fullName);
  const author = options.fork ? user(options.fork, 1_000_001) : payload.pull_request.user;
  const headRepo = options.fork
    ? { ...repository(`${options.fork}/${name}`), id: base.id + 1, owner: author, fork: true }
    : base;
  const pr = payload.pull_request;
  Object.assign(pr, {
    number,
    url: `https://api.github.com/repos/${fullName}/pulls/${number}`,
    html_url: `https://github.com/${fullName}/pull/${number}`,
    state: action === 'closed' ? 'closed' : 'open',
    title: options.title ?? 'Retrain with the new features',
    body: options.body === undefined ? 'Adds two features and retrains the model.' : options.body,
    draft: options.draft ?? false,
    merged: action === 'closed',
    merge_commit_sha: options.mergeCommitSha ?? fakeSha(`pull/${number}/merge`),
    ...(action === 'closed' ? { closed_at: pr.updated_at, merged_at: pr.updated_at } : {}),
    user: author,
    labels: (options.labels ?? []).map((label, i) => ({
      id: 1000 + i,
      name: label,
      url: `https://api.github.com/repos/${fullName}/labels/${encodeURIComponent(label)}`,
      color: 'ededed',
      default: false,
    })),
    author_association: options.fork ? 'CONTRIBUTOR' : 'OWNER',
    head: {
      ...pr.head,
      label: `${headRepo.owner.login}:${headRef}`,
      ref: headRef,
      sha: headSha,
      user: author,
      repo: headRepo,
    },
    base: { ...pr.base, label: `${owner}:${baseRef}`, ref: baseRef, sha: baseSha, repo: base },
  });
  payload.number = number;
  payload.repository = base;
  payload.sender = author;
  if (action === 'synchronize') {
    payload.before = options.before ?? fakeSha(`pull/${number}/previous-head`);
    payload.after = headSha;
  }
  return { name: 'pull_request', payload };
}

export interface PushEventOptions {
  repository?: string;
  ref?: string;
  before?: string;
  after?: string;
  message?: string;
}

/** A push of one commit to a branch (or a tag, with `ref: 'refs/tags/v1.0.0'`). */
export function pushEvent(options: PushEventOptions = {}): GitHubEvent<PushPayload> {
  const fullName = options.repository ?? DEFAULT_REPOSITORY;
  const ref = options.ref ?? `refs/heads/${DEFAULT_BRANCH}`;
  const before = options.before ?? fakeSha(`${ref}~1`);
  const after = options.after ?? fakeSha(ref);
  const payload = renameRepository(sample<PushPayload>('push.json'), fullName);
  const commit = { ...payload.commits[0], id: after, message: options.message ?? 'Retrain the model' };
  Object.assign(payload, {
    ref,
    before,
    after,
    created: false,
    compare: `https://github.com/${fullName}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
    commits: [commit],
    head_commit: commit,
    repository: repository(fullName),
  });
  return { name: 'push', payload };
}

/** A scheduled run: the payload GitHub gives is only the cron line that fired. */
export function scheduleEvent(options: { cron?: string } = {}): GitHubEvent<SchedulePayload> {
  return {
    name: 'schedule',
    payload: {
      ...sample<SchedulePayload>('schedule.json'),
      ...(options.cron ? { schedule: options.cron } : {}),
    },
  };
}

export interface WorkflowDispatchEventOptions {
  repository?: string;
  ref?: string;
  /** The inputs as the payload carries them: strings, booleans as "true"/"false". */
  inputs?: Record<string, string>;
  workflow?: string;
}

/** A manual run (workflow_dispatch) with its inputs. */
export function workflowDispatchEvent(
  options: WorkflowDispatchEventOptions = {},
): GitHubEvent<WorkflowDispatchPayload> {
  const fullName = options.repository ?? DEFAULT_REPOSITORY;
  const payload = renameRepository(sample<WorkflowDispatchPayload>('workflow_dispatch.json'), fullName);
  Object.assign(payload, {
    inputs: { ...options.inputs },
    ref: options.ref ?? `refs/heads/${DEFAULT_BRANCH}`,
    workflow: options.workflow ?? '.github/workflows/train.yml',
    repository: repository(fullName),
  });
  return { name: 'workflow_dispatch', payload };
}

export interface WorkflowRunPullRequestOptions {
  number: number;
  headRef?: string;
  headSha?: string;
  baseRef?: string;
  baseSha?: string;
}

export interface WorkflowRunEventOptions {
  repository?: string;
  action?: 'completed' | 'requested' | 'in_progress';
  conclusion?: 'success' | 'failure' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | null;
  /** The event that started the upstream run. */
  event?: string;
  workflowName?: string;
  workflowPath?: string;
  runId?: number;
  headBranch?: string;
  headSha?: string;
  /** owner/name of the repository the upstream run built (a fork's, for a fork's pull request). */
  headRepository?: string;
  /** The pull requests of the upstream run; GitHub lists none for runs from forks. */
  pullRequests?: WorkflowRunPullRequestOptions[];
}

/** A workflow_run event: another workflow's run finished (by default a successful pull_request run). */
export function workflowRunEvent(options: WorkflowRunEventOptions = {}): GitHubEvent<WorkflowRunPayload> {
  const fullName = options.repository ?? DEFAULT_REPOSITORY;
  const base = repository(fullName);
  const payload = renameRepository(sample<WorkflowRunPayload>('workflow_run.completed.json'), fullName);
  const pulls = options.pullRequests ?? [{ number: 7 }];
  const firstHead = pulls[0];
  const headBranch = options.headBranch ?? firstHead?.headRef ?? 'retrain-with-new-features';
  const headSha = options.headSha ?? firstHead?.headSha ?? fakeSha(`pull/${firstHead?.number ?? 0}/head`);
  const runId = options.runId ?? 289782451;
  const workflowName = options.workflowName ?? 'ci';
  const workflowPath = options.workflowPath ?? '.github/workflows/ci.yml';
  const repoRef = { id: base.id, url: `https://api.github.com/repos/${fullName}`, name: base.name };
  const action = options.action ?? 'completed';
  Object.assign(payload.workflow_run, {
    id: runId,
    name: workflowName,
    path: workflowPath,
    event: options.event ?? 'pull_request',
    status: action === 'completed' ? 'completed' : action === 'requested' ? 'queued' : 'in_progress',
    conclusion:
      action === 'completed' ? (options.conclusion === undefined ? 'success' : options.conclusion) : null,
    head_branch: headBranch,
    head_sha: headSha,
    html_url: `https://github.com/${fullName}/actions/runs/${runId}`,
    url: `https://api.github.com/repos/${fullName}/actions/runs/${runId}`,
    pull_requests: pulls.map((p) => ({
      url: `https://api.github.com/repos/${fullName}/pulls/${p.number}`,
      id: 279147437 + p.number,
      number: p.number,
      head: {
        ref: p.headRef ?? headBranch,
        sha: p.headSha ?? fakeSha(`pull/${p.number}/head`),
        repo: repoRef,
      },
      base: { ref: p.baseRef ?? DEFAULT_BRANCH, sha: p.baseSha ?? DEFAULT_BRANCH_SHA, repo: repoRef },
    })),
    head_repository: options.headRepository ? repository(options.headRepository) : base,
    repository: base,
  });
  Object.assign(payload.workflow, { name: workflowName, path: workflowPath });
  payload.action = action;
  payload.repository = base;
  return { name: 'workflow_run', payload };
}

/** The refs the runner sets for an event: GITHUB_SHA, GITHUB_REF, GITHUB_HEAD_REF, GITHUB_BASE_REF. */
export interface RunnerRefs {
  sha: string;
  ref: string;
  headRef: string;
  baseRef: string;
}

/**
 * GITHUB_SHA and GITHUB_REF as GitHub sets them per event ("Events that trigger workflows"): the test
 * merge commit and refs/pull/N/merge for pull_request, the pushed ref and commit for push, the base
 * branch for pull_request_target, the chosen ref for workflow_dispatch, and the default branch's last
 * commit otherwise (schedule, workflow_run, ...); a ref's last commit is `fakeSha(ref)`. HEAD_REF and
 * BASE_REF are set for pull requests only.
 */
export function runnerRefs(event: GitHubEvent<object>): RunnerRefs {
  const p = event.payload as Partial<PullRequestPayload & PushPayload & WorkflowDispatchPayload>;
  const defaultBranch = `refs/heads/${p.repository?.default_branch ?? DEFAULT_BRANCH}`;
  const pr = p.pull_request;
  switch (event.name) {
    case 'pull_request':
      if (!pr) break;
      return {
        sha: pr.merge_commit_sha ?? pr.head.sha,
        ref: `refs/pull/${pr.number}/merge`,
        headRef: pr.head.ref,
        baseRef: pr.base.ref,
      };
    case 'pull_request_target':
      if (!pr) break;
      return {
        sha: pr.base.sha,
        ref: `refs/heads/${pr.base.ref}`,
        headRef: pr.head.ref,
        baseRef: pr.base.ref,
      };
    case 'push':
      if (p.ref && p.after) return { sha: p.after, ref: p.ref, headRef: '', baseRef: '' };
      break;
    case 'workflow_dispatch': {
      const ref = p.ref ?? defaultBranch;
      return { sha: fakeSha(ref), ref, headRef: '', baseRef: '' };
    }
  }
  return { sha: fakeSha(defaultBranch), ref: defaultBranch, headRef: '', baseRef: '' };
}
