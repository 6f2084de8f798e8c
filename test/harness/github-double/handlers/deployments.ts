import { ApiError, unprocessable, validationFailed } from '../errors.ts';
import {
  bodyOf,
  byIdParam,
  charLength,
  type HandlerContext,
  type HandlerTable,
  json,
  newestFirst,
  pageReply,
  queryOf,
  repoOf,
} from '../handler.ts';
import type { DeploymentRecord, DeploymentStatusRecord, RepoRecord } from '../records.ts';
import { deployment, deploymentStatus } from '../shapes.ts';
import { latestCheckRuns, latestStatuses } from './checks.ts';

/** GitHub's limit on a deployment status description. */
const MAX_DESCRIPTION = 140;

const findDeployment = (ctx: HandlerContext, repo: RepoRecord): DeploymentRecord =>
  byIdParam(ctx, repo.deployments, 'deployment_id');

const latestState = (d: DeploymentRecord): DeploymentStatusRecord['state'] | undefined =>
  d.statuses.at(-1)?.state;

/**
 * The commit's contexts that are not green, GitHub's reason to refuse a deployment: all contexts when
 * `required_contexts` is absent, the named ones (a missing one counts as not green) otherwise.
 */
function failingContexts(
  repo: RepoRecord,
  sha: string,
  required: string[] | undefined,
): { context: string; state: string }[] {
  const states = new Map<string, string>();
  for (const s of latestStatuses(repo, sha)) states.set(s.context, s.state);
  for (const c of latestCheckRuns(repo, sha)) {
    const green = c.status === 'completed' && ['success', 'neutral', 'skipped'].includes(c.conclusion ?? '');
    states.set(c.name, green ? 'success' : (c.conclusion ?? 'pending'));
  }
  const contexts = required ?? [...states.keys()];
  return contexts
    .map((context) => ({ context, state: states.get(context) ?? 'missing' }))
    .filter((c) => c.state !== 'success');
}

/**
 * A success status on a deployment makes the earlier successful deployments of the same environment
 * inactive unless `auto_inactive: false` is sent — what GitHub's environment page shows as one active
 * deployment per environment.
 */
function markEarlierInactive(ctx: HandlerContext, repo: RepoRecord, current: DeploymentRecord): void {
  for (const d of repo.deployments) {
    if (d.id >= current.id || d.environment !== current.environment || latestState(d) !== 'success') continue;
    const previous = d.statuses.at(-1)!;
    const now = ctx.store.now();
    d.statuses.push({
      ...previous,
      id: ctx.store.nextId(),
      state: 'inactive',
      description: '',
      creator: ctx.store.actor,
      createdAt: now,
      updatedAt: now,
    });
    d.updatedAt = now;
  }
}

/** Deployments and their statuses. */
export const deploymentHandlers: HandlerTable = {
  'repos/create-deployment': (ctx) => {
    const repo = repoOf(ctx);
    const body = bodyOf(ctx);
    const ref = String(body.ref);
    const sha = ctx.store.resolveRef(repo, ref);
    if (!sha) throw unprocessable(ctx.operation.docsUrl, `No ref found for: ${ref}`);
    const failing = failingContexts(repo, sha, body.required_contexts as string[] | undefined);
    if (failing.length > 0) {
      throw new ApiError(
        409,
        {
          message: `Conflict: Commit status checks failed for ${ref}.`,
          errors: [
            { contexts: failing, resource: 'Deployment', field: 'required_contexts', code: 'invalid' },
          ],
          documentation_url: ctx.operation.docsUrl,
          status: '409',
        },
        false,
      );
    }
    const environment = (body.environment as string | undefined) ?? 'production';
    const now = ctx.store.now();
    const created: DeploymentRecord = {
      id: ctx.store.nextId(),
      sha,
      ref,
      task: (body.task as string | undefined) ?? 'deploy',
      payload: (body.payload as DeploymentRecord['payload'] | undefined) ?? {},
      environment,
      originalEnvironment: environment,
      description: (body.description as string | null | undefined) ?? '',
      creator: ctx.store.actor,
      transient: body.transient_environment === true,
      production: (body.production_environment as boolean | undefined) ?? environment === 'production',
      createdAt: now,
      updatedAt: now,
      statuses: [],
    };
    repo.deployments.push(created);
    return json(201, deployment(ctx.hosts, repo, created));
  },

  'repos/list-deployments': (ctx) => {
    const repo = repoOf(ctx);
    const filters: [string, (d: DeploymentRecord) => string][] = [
      ['sha', (d) => d.sha],
      ['ref', (d) => d.ref],
      ['task', (d) => d.task],
      ['environment', (d) => d.environment],
    ];
    const selected = repo.deployments.filter((d) =>
      filters.every(([name, field]) => {
        const wanted = queryOf(ctx, name);
        return wanted === undefined || field(d) === wanted;
      }),
    );
    return pageReply(ctx, newestFirst(selected), (d) => deployment(ctx.hosts, repo, d));
  },

  'repos/get-deployment': (ctx) => {
    const repo = repoOf(ctx);
    return json(200, deployment(ctx.hosts, repo, findDeployment(ctx, repo)));
  },

  'repos/delete-deployment': (ctx) => {
    const repo = repoOf(ctx);
    const d = findDeployment(ctx, repo);
    const sameEnvironment = repo.deployments.filter((x) => x.environment === d.environment);
    if (latestState(d) !== 'inactive' && sameEnvironment.length > 1) {
      throw unprocessable(
        ctx.operation.docsUrl,
        'We cannot delete an active deployment unless it is the only deployment in a given environment.',
      );
    }
    repo.deployments.splice(repo.deployments.indexOf(d), 1);
    return json(204);
  },

  'repos/create-deployment-status': (ctx) => {
    const repo = repoOf(ctx);
    const d = findDeployment(ctx, repo);
    const body = bodyOf(ctx);
    const description = (body.description as string | undefined) ?? '';
    if (charLength(description) > MAX_DESCRIPTION) {
      throw validationFailed(ctx.operation.docsUrl, [
        {
          resource: 'DeploymentStatus',
          code: 'custom',
          field: 'description',
          message: `description is too long (maximum is ${MAX_DESCRIPTION} characters)`,
        },
      ]);
    }
    if (body.environment !== undefined) d.environment = String(body.environment);
    const logUrl = (body.log_url as string | undefined) ?? (body.target_url as string | undefined) ?? '';
    const now = ctx.store.now();
    const created: DeploymentStatusRecord = {
      id: ctx.store.nextId(),
      state: body.state as DeploymentStatusRecord['state'],
      creator: ctx.store.actor,
      description,
      environment: d.environment,
      targetUrl: logUrl,
      logUrl,
      environmentUrl: (body.environment_url as string | undefined) ?? '',
      createdAt: now,
      updatedAt: now,
    };
    d.statuses.push(created);
    d.updatedAt = now;
    if (created.state === 'success' && body.auto_inactive !== false) markEarlierInactive(ctx, repo, d);
    return json(201, deploymentStatus(ctx.hosts, repo, d, created));
  },

  'repos/list-deployment-statuses': (ctx) => {
    const repo = repoOf(ctx);
    const d = findDeployment(ctx, repo);
    return pageReply(ctx, newestFirst(d.statuses), (s) => deploymentStatus(ctx.hosts, repo, d, s));
  },

  'repos/get-deployment-status': (ctx) => {
    const repo = repoOf(ctx);
    const d = findDeployment(ctx, repo);
    return json(200, deploymentStatus(ctx.hosts, repo, d, byIdParam(ctx, d.statuses, 'status_id')));
  },
};
