import { ApiError, messageBody, unprocessable, validationFailed } from '../errors.ts';
import {
  bodyOf,
  byIdParam,
  charLength,
  type HandlerContext,
  type HandlerTable,
  json,
  newestFirst,
  queryOf,
  repoOf,
} from '../handler.ts';
import { paginate } from '../pagination.ts';
import type { CheckRunRecord, RepoRecord, StatusRecord } from '../records.ts';
import { checkRun, combinedStatus, type Hosts, status } from '../shapes.ts';

/** GitHub's limit on a commit status description. */
const MAX_STATUS_DESCRIPTION = 140;

/** The sha a `{ref}` read names, or GitHub's 404 for a ref that names no commit. */
function readRef(ctx: HandlerContext, repo: RepoRecord, ref: string): string {
  const sha = ctx.store.resolveRef(repo, ref);
  if (!sha)
    throw new ApiError(
      404,
      messageBody(404, `No commit found for SHA: ${ref}`, ctx.operation.docsUrl),
      false,
    );
  return sha;
}

/** The latest status of each context, most recently updated context first. */
export function latestStatuses(repo: RepoRecord, sha: string): StatusRecord[] {
  const latest = new Map<string, StatusRecord>();
  for (const s of newestFirst(repo.statuses.filter((x) => x.sha === sha))) {
    if (!latest.has(s.context)) latest.set(s.context, s);
  }
  return [...latest.values()];
}

/** The latest check run of each name for a commit. */
export function latestCheckRuns(repo: RepoRecord, sha: string): CheckRunRecord[] {
  const latest = new Map<string, CheckRunRecord>();
  for (const c of newestFirst(repo.checkRuns.filter((x) => x.headSha === sha))) {
    if (!latest.has(c.name)) latest.set(c.name, c);
  }
  return [...latest.values()];
}

const findRun = (ctx: HandlerContext, repo: RepoRecord): CheckRunRecord =>
  byIdParam(ctx, repo.checkRuns, 'check_run_id');

const pullsFor = (repo: RepoRecord, sha: string) =>
  [...repo.issues.values()].filter(
    (i) => i.pull && i.state === 'open' && i.pull.head.sha === sha && i.pull.head.repo === repo,
  );

/** A check run as GitHub shows it, with the open same-repository pull requests of its commit. */
export const checkRunJson = (hosts: Hosts, repo: RepoRecord, c: CheckRunRecord) =>
  checkRun(hosts, repo, c, pullsFor(repo, c.headSha));

const renderRun = (ctx: HandlerContext, repo: RepoRecord, c: CheckRunRecord) =>
  checkRunJson(ctx.hosts, repo, c);

/**
 * Applies the fields of a create or update body. As on GitHub, a conclusion or a completed_at
 * completes the run, and a completed run needs a conclusion.
 */
function applyRunFields(ctx: HandlerContext, run: CheckRunRecord, body: Record<string, unknown>): void {
  if (body.name !== undefined) run.name = String(body.name);
  if (body.details_url !== undefined) run.detailsUrl = String(body.details_url);
  if (body.external_id !== undefined) run.externalId = String(body.external_id);
  if (body.started_at !== undefined) run.startedAt = String(body.started_at);
  if (body.status !== undefined) run.status = body.status as CheckRunRecord['status'];
  if (body.conclusion !== undefined) {
    run.conclusion = String(body.conclusion);
    run.status = 'completed';
  }
  if (body.completed_at !== undefined) {
    run.completedAt = String(body.completed_at);
    run.status = 'completed';
  }
  if (run.status === 'completed' && run.conclusion === null) {
    throw validationFailed(ctx.operation.docsUrl, [
      {
        resource: 'CheckRun',
        code: 'custom',
        field: 'conclusion',
        message: 'conclusion is required when status is completed',
      },
    ]);
  }
  if (run.status === 'completed' && run.completedAt === null) run.completedAt = ctx.store.now();
  const output = body.output as Record<string, unknown> | undefined;
  if (output) {
    const annotations = Array.isArray(output.annotations) ? output.annotations.length : 0;
    run.output = {
      title: (output.title as string | undefined) ?? run.output.title,
      summary: (output.summary as string | undefined) ?? run.output.summary,
      text: (output.text as string | undefined) ?? run.output.text,
      annotationsCount: run.output.annotationsCount + annotations,
    };
  }
}

/** Commit statuses and check runs. */
export const checkHandlers: HandlerTable = {
  'repos/create-commit-status': (ctx) => {
    const repo = repoOf(ctx);
    const sha = ctx.params.sha!;
    if (!/^[0-9a-f]{40}$/i.test(sha))
      throw unprocessable(ctx.operation.docsUrl, `No commit found for SHA: ${sha}`);
    const body = bodyOf(ctx);
    const description = (body.description as string | null | undefined) ?? null;
    if (description !== null && charLength(description) > MAX_STATUS_DESCRIPTION) {
      throw validationFailed(ctx.operation.docsUrl, [
        {
          resource: 'Status',
          code: 'custom',
          field: 'description',
          message: `description is too long (maximum is ${MAX_STATUS_DESCRIPTION} characters)`,
        },
      ]);
    }
    const now = ctx.store.now();
    const created: StatusRecord = {
      id: ctx.store.nextId(),
      sha: sha.toLowerCase(),
      state: body.state as StatusRecord['state'],
      targetUrl: (body.target_url as string | null | undefined) ?? null,
      description,
      context: (body.context as string | undefined) ?? 'default',
      creator: ctx.store.actor,
      createdAt: now,
      updatedAt: now,
    };
    repo.statuses.push(created);
    const rendered = status(ctx.hosts, repo, created);
    return json(201, rendered, { location: String(rendered.url) });
  },

  'repos/list-commit-statuses-for-ref': (ctx) => {
    const repo = repoOf(ctx);
    const sha = readRef(ctx, repo, ctx.params.ref!);
    const page = paginate(newestFirst(repo.statuses.filter((s) => s.sha === sha)), ctx.url);
    return json(
      200,
      page.items.map((s) => status(ctx.hosts, repo, s)),
      page.link ? { link: page.link } : undefined,
    );
  },

  'repos/get-combined-status-for-ref': (ctx) => {
    const repo = repoOf(ctx);
    const sha = readRef(ctx, repo, ctx.params.ref!);
    const page = paginate(latestStatuses(repo, sha), ctx.url);
    return json(
      200,
      combinedStatus(ctx.hosts, repo, sha, page.items),
      page.link ? { link: page.link } : undefined,
    );
  },

  'checks/create': (ctx) => {
    const repo = repoOf(ctx);
    const body = bodyOf(ctx);
    const headSha = String(body.head_sha);
    if (!/^[0-9a-f]{40}$/i.test(headSha))
      throw unprocessable(ctx.operation.docsUrl, `No commit found for SHA: ${headSha}`);
    const sameCommit = repo.checkRuns.find((c) => c.headSha === headSha.toLowerCase());
    const run: CheckRunRecord = {
      id: ctx.store.nextId(),
      headSha: headSha.toLowerCase(),
      name: String(body.name),
      status: 'queued',
      conclusion: null,
      startedAt: ctx.store.now(),
      completedAt: null,
      externalId: null,
      detailsUrl: null,
      output: { title: null, summary: null, text: null, annotationsCount: 0 },
      suiteId: sameCommit?.suiteId ?? ctx.store.nextId(),
    };
    applyRunFields(ctx, run, body);
    repo.checkRuns.push(run);
    return json(201, renderRun(ctx, repo, run));
  },

  'checks/update': (ctx) => {
    const repo = repoOf(ctx);
    const run = findRun(ctx, repo);
    const draft = { ...run, output: { ...run.output } };
    applyRunFields(ctx, draft, bodyOf(ctx));
    Object.assign(run, draft);
    return json(200, renderRun(ctx, repo, run));
  },

  'checks/get': (ctx) => {
    const repo = repoOf(ctx);
    return json(200, renderRun(ctx, repo, findRun(ctx, repo)));
  },

  'checks/list-for-ref': (ctx) => {
    const repo = repoOf(ctx);
    const sha = readRef(ctx, repo, ctx.params.ref!);
    const name = queryOf(ctx, 'check_name');
    const wanted = queryOf(ctx, 'status');
    const runs = (
      queryOf(ctx, 'filter') === 'all'
        ? newestFirst(repo.checkRuns.filter((c) => c.headSha === sha))
        : latestCheckRuns(repo, sha)
    ).filter((c) => (!name || c.name === name) && (!wanted || c.status === wanted));
    const page = paginate(runs, ctx.url);
    return json(
      200,
      { total_count: runs.length, check_runs: page.items.map((c) => renderRun(ctx, repo, c)) },
      page.link ? { link: page.link } : undefined,
    );
  },
};
