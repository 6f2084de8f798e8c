import { unprocessable } from '../errors.ts';
import {
  bodyOf,
  byIdParam,
  checkLength,
  type HandlerContext,
  type HandlerTable,
  intParam,
  json,
  pageReply,
  queryOf,
  repoOf,
} from '../handler.ts';
import type { CommitCommentRecord, IssueCommentRecord, RepoRecord } from '../records.ts';
import { commitComment, issueComment } from '../shapes.ts';
import { MAX_BODY_CHARS } from './issues.ts';

const findComment = (ctx: HandlerContext, repo: RepoRecord): IssueCommentRecord =>
  byIdParam(ctx, repo.issueComments, 'comment_id');

const findCommitComment = (ctx: HandlerContext, repo: RepoRecord): CommitCommentRecord =>
  byIdParam(ctx, repo.commitComments, 'comment_id');

/** Comments in creation order, optionally only those updated at or after `since`. */
function since<T extends { updatedAt: string }>(ctx: HandlerContext, items: T[]): T[] {
  const from = queryOf(ctx, 'since');
  return from ? items.filter((c) => c.updatedAt >= from) : items;
}

/** Issue and pull-request conversation comments, and commit comments. */
export const commentHandlers: HandlerTable = {
  'issues/list-comments': (ctx) => {
    const repo = repoOf(ctx);
    const number = ctx.store.issue(repo, intParam(ctx, 'issue_number'), ctx.operation.docsUrl).number;
    const comments = since(
      ctx,
      repo.issueComments.filter((c) => c.issueNumber === number),
    );
    return pageReply(ctx, comments, (c) => issueComment(ctx.hosts, repo, c));
  },

  'issues/list-comments-for-repo': (ctx) => {
    const repo = repoOf(ctx);
    const ordered = since(ctx, [...repo.issueComments]);
    if (queryOf(ctx, 'direction') === 'desc') ordered.reverse();
    return pageReply(ctx, ordered, (c) => issueComment(ctx.hosts, repo, c));
  },

  'issues/create-comment': (ctx) => {
    const repo = repoOf(ctx);
    const issueNumber = ctx.store.issue(repo, intParam(ctx, 'issue_number'), ctx.operation.docsUrl).number;
    const body = String(bodyOf(ctx).body);
    checkLength(ctx, 'IssueComment', 'body', body, MAX_BODY_CHARS);
    const now = ctx.store.now();
    const comment = {
      id: ctx.store.nextId(),
      issueNumber,
      body,
      user: ctx.store.actor,
      createdAt: now,
      updatedAt: now,
    };
    repo.issueComments.push(comment);
    const rendered = issueComment(ctx.hosts, repo, comment);
    return json(201, rendered, { location: String(rendered.url) });
  },

  'issues/get-comment': (ctx) => {
    const repo = repoOf(ctx);
    return json(200, issueComment(ctx.hosts, repo, findComment(ctx, repo)));
  },

  'issues/update-comment': (ctx) => {
    const repo = repoOf(ctx);
    const comment = findComment(ctx, repo);
    const body = String(bodyOf(ctx).body);
    checkLength(ctx, 'IssueComment', 'body', body, MAX_BODY_CHARS);
    comment.body = body;
    comment.updatedAt = ctx.store.now();
    return json(200, issueComment(ctx.hosts, repo, comment));
  },

  'issues/delete-comment': (ctx) => {
    const repo = repoOf(ctx);
    repo.issueComments.splice(repo.issueComments.indexOf(findComment(ctx, repo)), 1);
    return json(204);
  },

  'repos/create-commit-comment': (ctx) => {
    const repo = repoOf(ctx);
    const sha = ctx.store.resolveRef(repo, ctx.params.commit_sha!);
    if (!sha) throw unprocessable(ctx.operation.docsUrl, `No commit found for SHA: ${ctx.params.commit_sha}`);
    const body = bodyOf(ctx);
    checkLength(ctx, 'CommitComment', 'body', body.body, MAX_BODY_CHARS);
    const now = ctx.store.now();
    const comment: CommitCommentRecord = {
      id: ctx.store.nextId(),
      sha,
      body: String(body.body),
      path: (body.path as string | undefined) ?? null,
      position: (body.position as number | undefined) ?? null,
      line: (body.line as number | undefined) ?? null,
      user: ctx.store.actor,
      createdAt: now,
      updatedAt: now,
    };
    repo.commitComments.push(comment);
    const rendered = commitComment(ctx.hosts, repo, comment);
    return json(201, rendered, { location: String(rendered.url) });
  },

  'repos/list-comments-for-commit': (ctx) => {
    const repo = repoOf(ctx);
    const sha = ctx.store.resolveRef(repo, ctx.params.commit_sha!);
    const comments = repo.commitComments.filter((c) => c.sha === sha);
    return pageReply(ctx, comments, (c) => commitComment(ctx.hosts, repo, c));
  },

  'repos/list-commit-comments-for-repo': (ctx) => {
    const repo = repoOf(ctx);
    return pageReply(ctx, repo.commitComments, (c) => commitComment(ctx.hosts, repo, c));
  },

  'repos/get-commit-comment': (ctx) => {
    const repo = repoOf(ctx);
    return json(200, commitComment(ctx.hosts, repo, findCommitComment(ctx, repo)));
  },

  'repos/update-commit-comment': (ctx) => {
    const repo = repoOf(ctx);
    const comment = findCommitComment(ctx, repo);
    const body = String(bodyOf(ctx).body);
    checkLength(ctx, 'CommitComment', 'body', body, MAX_BODY_CHARS);
    comment.body = body;
    comment.updatedAt = ctx.store.now();
    return json(200, commitComment(ctx.hosts, repo, comment));
  },

  'repos/delete-commit-comment': (ctx) => {
    const repo = repoOf(ctx);
    repo.commitComments.splice(repo.commitComments.indexOf(findCommitComment(ctx, repo)), 1);
    return json(204);
  },
};
