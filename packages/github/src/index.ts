// An adapter to GitHub: one Octokit client, action inputs, comments, images on an assets branch, statuses and check runs, issues, deployments, dispatches.
export {
  appendSummary,
  booleanInput,
  choiceInput,
  type EventInfo,
  eventInfo,
  linesInput,
  listInput,
  numberInput,
  onlyWith,
  requiredInput,
  requiredLines,
  runMain,
  storeAccessInputs,
  stringInput,
} from './action-io.ts';
export { gitHubFileLink, gitHubObjects } from './assets-branch.ts';
export { createClient, type GitHubClient } from './client.ts';
export { commentOnCommit } from './commit-comment.ts';
export { postCheckRun, postCommitStatus } from './commit-status.ts';
export {
  createDeployment,
  type DeploymentTarget,
  deactivateEarlier,
  findActiveDeployment,
  findDeployment,
  setDeploymentStatus,
} from './deployments.ts';
export { dispatchRepository, dispatchWorkflow } from './dispatch.ts';
export { upsertIssue } from './issue-upsert.ts';
export { pullRequestHead } from './pull-request.ts';
export { upsertStickyComment } from './sticky-comment.ts';
export { checkLogin, tokenIdentity } from './token-identity.ts';
