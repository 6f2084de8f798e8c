import { ApiError, messageBody, notFound, validationFailed } from '../errors.ts';
import {
  bodyOf,
  checkLength,
  type HandlerContext,
  type HandlerTable,
  intParam,
  json,
  pageReply,
  queryOf,
  repoOf,
} from '../handler.ts';
import type { IssueRecord, RepoRecord, UserRecord } from '../records.ts';
import { issue, issueLabels, label } from '../shapes.ts';
import { userNamed } from '../store.ts';

/** GitHub's limit on issue and comment bodies. */
export const MAX_BODY_CHARS = 65536;

/** Label names from a body's `labels`: strings or `{ name }` objects, as GitHub accepts both. */
function labelNames(labels: unknown): string[] {
  if (!Array.isArray(labels)) return [];
  return labels.map((l) => (typeof l === 'string' ? l : String((l as { name?: unknown }).name ?? '')));
}

/** Users named by login in a body's `assignees`. */
const users = (logins: unknown): UserRecord[] =>
  Array.isArray(logins) ? logins.map((l) => userNamed(String(l))) : [];

function findIssue(ctx: HandlerContext, repo: RepoRecord): IssueRecord {
  return ctx.store.issue(repo, intParam(ctx, 'issue_number'), ctx.operation.docsUrl);
}

function setState(ctx: HandlerContext, i: IssueRecord, state: unknown, reason: unknown): void {
  if (state === 'closed' && i.state === 'open') {
    i.state = 'closed';
    i.closedAt = ctx.store.now();
    i.stateReason = (reason as IssueRecord['stateReason']) ?? 'completed';
  } else if (state === 'open' && i.state === 'closed') {
    i.state = 'open';
    i.closedAt = null;
    i.stateReason = 'reopened';
  } else if (reason !== undefined) {
    i.stateReason = reason as IssueRecord['stateReason'];
  }
}

function labelsReply(ctx: HandlerContext, repo: RepoRecord, i: IssueRecord) {
  return json(
    200,
    issueLabels(repo, i).map((l) => label(ctx.hosts, repo, l)),
  );
}

/** Issues (which, as on GitHub, include pull requests in reads and lists) and labels. */
export const issueHandlers: HandlerTable = {
  'issues/create': (ctx) => {
    const repo = repoOf(ctx);
    const body = bodyOf(ctx);
    checkLength(ctx, 'Issue', 'body', body.body, MAX_BODY_CHARS);
    const created = ctx.store.addIssue(repo, {
      title: String(body.title),
      body: (body.body as string | undefined) ?? null,
      labels: labelNames(body.labels),
      assignees: users(body.assignees ?? (body.assignee ? [body.assignee] : [])),
    });
    const rendered = issue(ctx.hosts, repo, created);
    return json(201, rendered, { location: String(rendered.url) });
  },

  'issues/get': (ctx) => {
    const repo = repoOf(ctx);
    return json(200, issue(ctx.hosts, repo, findIssue(ctx, repo)));
  },

  'issues/update': (ctx) => {
    const repo = repoOf(ctx);
    const i = findIssue(ctx, repo);
    const body = bodyOf(ctx);
    checkLength(ctx, 'Issue', 'body', body.body, MAX_BODY_CHARS);
    if (body.title !== undefined && body.title !== null) i.title = String(body.title);
    if (body.body !== undefined) i.body = body.body as string | null;
    if (body.labels !== undefined) i.labels = ctx.store.ensureLabels(repo, labelNames(body.labels));
    if (body.assignees !== undefined) i.assignees = users(body.assignees);
    setState(ctx, i, body.state, body.state_reason ?? undefined);
    i.updatedAt = ctx.store.now();
    return json(200, issue(ctx.hosts, repo, i));
  },

  'issues/list-for-repo': (ctx) => {
    const repo = repoOf(ctx);
    const state = queryOf(ctx, 'state') ?? 'open';
    const wanted = (queryOf(ctx, 'labels') ?? '')
      .split(',')
      .filter(Boolean)
      .map((l) => l.toLowerCase());
    const creator = queryOf(ctx, 'creator')?.toLowerCase();
    const since = queryOf(ctx, 'since');
    const sort = queryOf(ctx, 'sort') ?? 'created';
    const selected = [...repo.issues.values()].filter(
      (i) =>
        (state === 'all' || i.state === state) &&
        wanted.every((w) => i.labels.some((l) => l.toLowerCase() === w)) &&
        (!creator || i.user.login.toLowerCase() === creator) &&
        (!since || i.updatedAt >= since),
    );
    const comments = (i: IssueRecord): number =>
      repo.issueComments.filter((c) => c.issueNumber === i.number).length;
    const key = (i: IssueRecord): string | number =>
      sort === 'updated' ? i.updatedAt : sort === 'comments' ? comments(i) : i.createdAt;
    const ordered = selected.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      return ka === kb ? b.number - a.number : ka < kb ? 1 : -1;
    });
    if ((queryOf(ctx, 'direction') ?? 'desc') === 'asc') ordered.reverse();
    return pageReply(ctx, ordered, (i) => issue(ctx.hosts, repo, i));
  },

  'issues/create-label': (ctx) => {
    const repo = repoOf(ctx);
    const body = bodyOf(ctx);
    const name = String(body.name);
    const color = (body.color as string | undefined)?.replace(/^#/, '') ?? 'ededed';
    if (ctx.store.findLabel(repo, name)) {
      throw validationFailed(ctx.operation.docsUrl, [
        { resource: 'Label', code: 'already_exists', field: 'name' },
      ]);
    }
    if (!/^[0-9a-fA-F]{6}$/.test(color)) {
      throw validationFailed(ctx.operation.docsUrl, [{ resource: 'Label', code: 'invalid', field: 'color' }]);
    }
    const created = ctx.store.addLabel(
      repo,
      name,
      color.toLowerCase(),
      (body.description as string | undefined) ?? null,
    );
    return json(201, label(ctx.hosts, repo, created));
  },

  'issues/get-label': (ctx) => {
    const repo = repoOf(ctx);
    const found = ctx.store.findLabel(repo, ctx.params.name!);
    if (!found) throw notFound(ctx.operation.docsUrl);
    return json(200, label(ctx.hosts, repo, found));
  },

  'issues/list-labels-for-repo': (ctx) => {
    const repo = repoOf(ctx);
    return pageReply(ctx, repo.labels, (l) => label(ctx.hosts, repo, l));
  },

  'issues/delete-label': (ctx) => {
    const repo = repoOf(ctx);
    const found = ctx.store.findLabel(repo, ctx.params.name!);
    if (!found) throw notFound(ctx.operation.docsUrl);
    repo.labels.splice(repo.labels.indexOf(found), 1);
    for (const i of repo.issues.values())
      i.labels = i.labels.filter((l) => l.toLowerCase() !== found.name.toLowerCase());
    return json(204);
  },

  'issues/list-labels-on-issue': (ctx) => {
    const repo = repoOf(ctx);
    return pageReply(ctx, issueLabels(repo, findIssue(ctx, repo)), (l) => label(ctx.hosts, repo, l));
  },

  'issues/add-labels': (ctx) => {
    const repo = repoOf(ctx);
    const i = findIssue(ctx, repo);
    i.labels = ctx.store.ensureLabels(repo, [...i.labels, ...labelNames(bodyOf(ctx).labels)]);
    return labelsReply(ctx, repo, i);
  },

  'issues/set-labels': (ctx) => {
    const repo = repoOf(ctx);
    const i = findIssue(ctx, repo);
    i.labels = ctx.store.ensureLabels(repo, labelNames(bodyOf(ctx).labels));
    return labelsReply(ctx, repo, i);
  },

  'issues/remove-label': (ctx) => {
    const repo = repoOf(ctx);
    const i = findIssue(ctx, repo);
    const name = ctx.params.name!.toLowerCase();
    if (!i.labels.some((l) => l.toLowerCase() === name)) {
      throw new ApiError(404, messageBody(404, 'Label does not exist', ctx.operation.docsUrl), false);
    }
    i.labels = i.labels.filter((l) => l.toLowerCase() !== name);
    return labelsReply(ctx, repo, i);
  },

  'issues/remove-all-labels': (ctx) => {
    const repo = repoOf(ctx);
    findIssue(ctx, repo).labels = [];
    return json(204);
  },
};
