import type { GitHubClient } from './client.ts';
import { withPermission } from './permission-error.ts';

/** The deployment task name that marks deployments made by mlactions. */
export const DEPLOY_TASK = 'deploy:model';

export interface DeploymentTarget {
  owner: string;
  repo: string;
  /** The commit being deployed (the deployment's ref). */
  sha: string;
  environment: string;
  /** Model name and version: with the sha, what makes a deployment "the same" on a rerun. */
  model: string;
  version: string;
}

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

export interface ExistingDeployment {
  id: number;
  /** The newest status of the deployment, if any. */
  state: string | undefined;
}

/** The deployment of this model version to this environment at this commit, made by an earlier run. */
export async function findDeployment(
  client: GitHubClient,
  target: DeploymentTarget,
): Promise<ExistingDeployment | undefined> {
  const deployments = await client.paginate(client.rest.repos.listDeployments, {
    owner: target.owner,
    repo: target.repo,
    sha: target.sha,
    environment: target.environment,
    task: DEPLOY_TASK,
    per_page: 100,
  });
  const same = deployments.find((d) => {
    const payload = (typeof d.payload === 'string' ? safeJson(d.payload) : d.payload) as Record<
      string,
      unknown
    >;
    return payload?.model === target.model && payload?.version === target.version;
  });
  if (!same) return undefined;
  const { data: statuses } = await client.rest.repos.listDeploymentStatuses({
    owner: target.owner,
    repo: target.repo,
    deployment_id: same.id,
    per_page: 1,
  });
  return { id: same.id, state: statuses[0]?.state };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Records a deployment of a model version. Required contexts are emptied on purpose: the gate has
 * already passed (or the environment's reviewers decided), and GitHub would otherwise refuse the
 * deployment while any unrelated status on the commit is pending.
 */
export async function createDeployment(
  client: GitHubClient,
  target: DeploymentTarget,
  payload: Record<string, unknown>,
  description: string,
): Promise<number> {
  const { data } = await withPermission('create a deployment', 'deployments: write', () =>
    client.rest.repos.createDeployment({
      owner: target.owner,
      repo: target.repo,
      ref: target.sha,
      environment: target.environment,
      task: DEPLOY_TASK,
      auto_merge: false,
      required_contexts: [],
      payload: { ...payload, model: target.model, version: target.version },
      description: description.slice(0, 140),
      production_environment: /^prod/i.test(target.environment),
    }),
  );
  if (!('id' in data))
    throw new Error(`GitHub did not create the deployment: ${data.message ?? 'no reason given'}`);
  return data.id;
}

/**
 * Moves a deployment's status. With auto_inactive (GitHub's default for success), earlier
 * successful deployments of the same environment are marked inactive by GitHub.
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
      description: status.description.slice(0, 140),
      auto_inactive: true,
      ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
      ...(status.logUrl ? { log_url: status.logUrl } : {}),
    }),
  );
}
