import type { HandlerTable } from '../handler.ts';
import { checkHandlers } from './checks.ts';
import { commentHandlers } from './comments.ts';
import { deploymentHandlers } from './deployments.ts';
import { dispatchHandlers } from './dispatches.ts';
import { gitDataHandlers } from './git-data.ts';
import { issueHandlers } from './issues.ts';
import { releaseHandlers } from './releases.ts';
import { repositoryHandlers } from './repository.ts';
import { runnerHandlers } from './runners.ts';
import { userHandlers } from './users.ts';

/** Every operation the double implements, by operationId; the rest answer 501. */
export const handlers: HandlerTable = {
  ...repositoryHandlers,
  ...issueHandlers,
  ...commentHandlers,
  ...checkHandlers,
  ...deploymentHandlers,
  ...releaseHandlers,
  ...dispatchHandlers,
  ...gitDataHandlers,
  ...runnerHandlers,
  ...userHandlers,
};
