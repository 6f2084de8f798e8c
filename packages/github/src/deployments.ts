import { UserError } from '@mlactions/core';
import type { GitHubClient } from './client.ts';
import { statusDescription } from './commit-status.ts';
import { withPermission } from './permission-error.ts';

/**
 * The deployment task that marks deployments made by mlactions. Other tools (and GitHub Actions
 * itself, for a job with `environment:`) deploy to the same environments under other tasks; only
 * deployments with this task and the same model are ever looked up or marked inactive here.
 */
export const DEPLOY_TASK = 'deploy:model';

/** A repository's environment, and the model whose deployments are meant. */
export interface ModelEnvironment {
  owner: string;
  repo: string;
  environment: string;
  model: string;
}

export interface DeploymentTarget extends ModelEnvironment {
  /** The commit being deployed (the deployment's ref). */
  sha: string;
  version: string;
  /**
   * The workflow run that deploys. A re-run of a job keeps its run id, so with sha, environment,
   * model and version it names "this deploy" across attempts: an attempt finds the deployment an
   * earlier one made instead of creating another.
   */
  runId: number;
}

/** The states GitHub knows for a deployment status. */
export type DeploymentState =
  | 'queued'
  | 'pending'
  | 'in_progress'
  | 'success'
  | 'failure'
  | 'error'
  | 'inactive';

/** What mlactions records in a deployment's payload (more fields may be present). */
export interface ModelPayload {
  model: string;
  version: string;
  runId?: number;
}

export interface ModelDeployment extends ModelPayload {
  id: number;
  sha: string;
  /** The newest status of the deployment; undefined when it has none yet. */
  state: DeploymentState | undefined;
}

/** The model, version and run recorded in a deployment's payload (an object, or JSON text from older clients). */
export function modelPayload(payload: unknown): ModelPayload | undefined {
  let value = payload;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { model, version, runId } = value as Record<string, unknown>;
  if (typeof model !== 'string' || typeof version !== 'string') return undefined;
  return { model, version, ...(typeof runId === 'number' ? { runId } : {}) };
}

/** The newest status of a deployment (GitHub lists statuses newest first). */
export async function deploymentState(
  client: GitHubClient,
  deployment: { owner: string; repo: string; id: number },
): Promise<DeploymentState | undefined> {
  const { data } = await client.rest.repos.listDeploymentStatuses({
    owner: deployment.owner,
    repo: deployment.repo,
    deployment_id: deployment.id,
    per_page: 1,
  });
  return data[0]?.state;
}

type ListedDeployment = Awaited<ReturnType<GitHubClient['rest']['repos']['listDeployments']>>['data'][number];

/**
 * This model's deployments to an environment, newest first (as GitHub lists them), optionally only
 * those of one commit. Pages are fetched as the caller iterates, so a caller that stops early reads
 * only what it needs.
 */
async function* modelDeployments(
  client: GitHubClient,
  where: ModelEnvironment & { sha?: string },
): AsyncGenerator<{ deployment: ListedDeployment; payload: ModelPayload }> {
  const pages = client.paginate.iterator(client.rest.repos.listDeployments, {
    owner: where.owner,
    repo: where.repo,
    environment: where.environment,
    task: DEPLOY_TASK,
    ...(where.sha ? { sha: where.sha } : {}),
    per_page: 100,
  });
  for await (const page of pages) {
    for (const deployment of page.data) {
      const payload = modelPayload(deployment.payload);
      if (payload?.model === where.model) yield { deployment, payload };
    }
  }
}

/** The deployment this run made of this version at this commit in an earlier attempt, if any. */
export async function findDeployment(
  client: GitHubClient,
  target: DeploymentTarget,
): Promise<ModelDeployment | undefined> {
  for await (const { deployment, payload } of modelDeployments(client, target)) {
    if (payload.version !== target.version || payload.runId !== target.runId) continue;
    const state = await deploymentState(client, {
      owner: target.owner,
      repo: target.repo,
      id: deployment.id,
    });
    return { id: deployment.id, sha: deployment.sha, ...payload, state };
  }
  return undefined;
}

/**
 * The deployment of the model that is live in the environment: the newest one whose latest status is
 * success. The search stops at the first inactive one, since a success marks every earlier one
 * inactive, so it reads only the deployments since the last success.
 */
export async function findActiveDeployment(
  client: GitHubClient,
  where: ModelEnvironment,
): Promise<ModelDeployment | undefined> {
  for await (const { deployment, payload } of modelDeployments(client, where)) {
    const state = await deploymentState(client, { owner: where.owner, repo: where.repo, id: deployment.id });
    if (state === 'success') return { id: deployment.id, sha: deployment.sha, ...payload, state };
    if (state === 'inactive') return undefined;
  }
  return undefined;
}

/** GitHub's 409 answer when required contexts are not green: which contexts, in which state. */
function failingContexts(error: unknown): { context: string; state: string }[] | undefined {
  const e = error as { status?: number; response?: { data?: { errors?: { contexts?: unknown }[] } } };
  if (e?.status !== 409) return undefined;
  const contexts = e.response?.data?.errors?.flatMap((x) => (Array.isArray(x.contexts) ? x.contexts : []));
  return contexts?.length ? (contexts as { context: string; state: string }[]) : undefined;
}

/**
 * Records a deployment of a model version. `requiredContexts` are the commit statuses or check runs
 * that must be green on the commit, which GitHub itself checks (the gate's context, say); none by
 * default, since GitHub would otherwise require every context on the commit, unrelated ones included.
 */
export async function createDeployment(
  client: GitHubClient,
  target: DeploymentTarget,
  options: { payload?: Record<string, unknown>; description: string; requiredContexts?: string[] },
): Promise<number> {
  const required = options.requiredContexts ?? [];
  let data: Awaited<ReturnType<GitHubClient['rest']['repos']['createDeployment']>>['data'];
  try {
    ({ data } = await withPermission('create a deployment', 'deployments: write', () =>
      client.rest.repos.createDeployment({
        owner: target.owner,
        repo: target.repo,
        ref: target.sha,
        environment: target.environment,
        task: DEPLOY_TASK,
        auto_merge: false,
        required_contexts: required,
        payload: { ...options.payload, model: target.model, version: target.version, runId: target.runId },
        description: statusDescription(options.description),
        production_environment: /^prod/i.test(target.environment),
      }),
    ));
  } catch (error) {
    const failing = failingContexts(error);
    if (!failing) throw error;
    const list = failing.map((c) => `${c.context} (${c.state})`).join(', ');
    throw new UserError(
      `GitHub refused to deploy ${target.sha}: the required checks are not green on it: ${list}. ` +
        'Deploy a commit that passed them, or change `required-contexts`.',
    );
  }
  if (!('id' in data))
    throw new Error(`GitHub did not create the deployment: ${data.message ?? 'no reason given'}`);
  return data.id;
}

/**
 * Moves a deployment's status. GitHub's auto_inactive is turned off: it would mark other tools'
 * deployments to the environment inactive too, and it skips production environments; this model's
 * earlier deployments are marked by deactivateEarlier instead.
 */
export async function setDeploymentStatus(
  client: GitHubClient,
  deployment: { owner: string; repo: string; id: number },
  status: { state: DeploymentState; description: string; environmentUrl?: string; logUrl?: string },
): Promise<void> {
  await withPermission('update the deployment status', 'deployments: write', () =>
    client.rest.repos.createDeploymentStatus({
      owner: deployment.owner,
      repo: deployment.repo,
      deployment_id: deployment.id,
      state: status.state,
      description: statusDescription(status.description),
      auto_inactive: false,
      ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
      ...(status.logUrl ? { log_url: status.logUrl } : {}),
    }),
  );
}

/**
 * Marks this model's earlier successful deployments to the environment inactive, so the environment
 * shows one live deployment: the current one. Stops at the first one already inactive (everything
 * before it was marked then). Returns the ids it marked.
 */
export async function deactivateEarlier(
  client: GitHubClient,
  where: ModelEnvironment,
  currentId: number,
): Promise<number[]> {
  const marked: number[] = [];
  for await (const { deployment } of modelDeployments(client, where)) {
    // Newer ones belong to deploys that started after this one; they speak for themselves.
    if (deployment.id >= currentId) continue;
    const ref = { owner: where.owner, repo: where.repo, id: deployment.id };
    const state = await deploymentState(client, ref);
    if (state === 'inactive') break;
    if (state !== 'success') continue;
    await setDeploymentStatus(client, ref, {
      state: 'inactive',
      description: `Superseded by deployment ${currentId}.`,
    });
    marked.push(deployment.id);
  }
  return marked;
}
