import { notFound } from '../errors.ts';
import {
  type HandlerContext,
  type HandlerTable,
  json,
  newestFirst,
  pageReply,
  queryOf,
  repoOf,
} from '../handler.ts';
import type { IssueRecord } from '../records.ts';
import { pullRequest, repository } from '../shapes.ts';

const pulls = (ctx: HandlerContext): IssueRecord[] => [...repoOf(ctx).issues.values()].filter((i) => i.pull);

/** Repositories and pull requests (pull requests are seeded; the double does not open them). */
export const repositoryHandlers: HandlerTable = {
  'repos/get': (ctx) => json(200, repository(ctx.hosts, repoOf(ctx))),

  'pulls/get': (ctx) => {
    const repo = repoOf(ctx);
    const issue = repo.issues.get(Number(ctx.params.pull_number));
    if (!issue?.pull) throw notFound(ctx.operation.docsUrl);
    return json(200, pullRequest(ctx.hosts, repo, issue));
  },

  'pulls/list': (ctx) => {
    const repo = repoOf(ctx);
    const state = queryOf(ctx, 'state') ?? 'open';
    const head = queryOf(ctx, 'head');
    const base = queryOf(ctx, 'base');
    const sort = queryOf(ctx, 'sort') ?? 'created';
    const selected = pulls(ctx).filter(
      (i) =>
        (state === 'all' || i.state === state) &&
        (!head ||
          `${i.pull!.head.repo.owner.login}:${i.pull!.head.ref}`.toLowerCase() === head.toLowerCase()) &&
        (!base || i.pull!.base.ref === base),
    );
    const key = (i: IssueRecord): string => (sort === 'updated' ? i.updatedAt : i.createdAt);
    const ordered = [...newestFirst(selected)].sort((a, b) => key(b).localeCompare(key(a)));
    if ((queryOf(ctx, 'direction') ?? 'desc') === 'asc') ordered.reverse();
    return pageReply(ctx, ordered, (i) => pullRequest(ctx.hosts, repo, i));
  },

  /** Pull requests whose head is the commit, or that were merged as it. */
  'repos/list-pull-requests-associated-with-commit': (ctx) => {
    const repo = repoOf(ctx);
    const sha = ctx.store.resolveRef(repo, ctx.params.commit_sha!) ?? ctx.params.commit_sha!;
    const found = pulls(ctx).filter((i) => i.pull!.head.sha === sha || i.pull!.mergeCommitSha === sha);
    return pageReply(ctx, newestFirst(found), (i) => pullRequest(ctx.hosts, repo, i));
  },
};
