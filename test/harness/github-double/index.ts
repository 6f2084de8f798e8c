export {
  GitHubDouble,
  type GitHubDoubleOptions,
  type RecordedRequest,
  startGitHubDouble,
} from './double.ts';
export type { Fault, FaultKind, RequestMatch } from './faults.ts';
export { type GitHubOpenApi, loadGitHubOpenApi } from './openapi.ts';
export type { RepoTarget, SeedComments, SeedIssue, SeedPullRequest, SeedRelease } from './seed.ts';
export { DoubleState } from './state.ts';
export { ACTIONS_BOT, fakeSha, OCTOCAT } from './store.ts';
export {
  describeViolation,
  GitHubDoubleViolationError,
  type Violation,
  type ViolationKind,
  type ViolationMatch,
} from './violations.ts';
