import { ApiError, messageBody } from '../errors.ts';
import { type HandlerTable, json } from '../handler.ts';
import { user } from '../shapes.ts';

/** Who the token belongs to. */
export const userHandlers: HandlerTable = {
  // An installation token (a workflow's GITHUB_TOKEN, a GitHub App's) is not a user: GitHub answers
  // GET /user for it with 403 "Resource not accessible by integration".
  'users/get-authenticated': (ctx) => {
    const actor = ctx.store.actor;
    if (actor.type === 'Bot') {
      throw new ApiError(
        403,
        messageBody(403, 'Resource not accessible by integration', ctx.operation.docsUrl),
        false,
      );
    }
    const created = '2011-01-25T18:44:36Z';
    return json(200, {
      ...user(ctx.hosts, actor),
      name: null,
      company: null,
      blog: '',
      location: null,
      email: null,
      hireable: null,
      bio: null,
      public_repos: 0,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: created,
      updated_at: created,
    });
  },
};
