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
  type PullRequestRef,
  requiredInput,
  requiredLines,
  runMain,
  type StoreAccessInputs,
  storeAccessInputs,
  stringInput,
} from './action-io.ts';
export { type ClientOptions, createClient, type GitHubClient } from './client.ts';
export { type CheckRunResult, postCheckRun, postCommitStatus, type StatusState } from './commit-status.ts';
export {
  createDeployment,
  DEPLOY_TASK,
  type DeploymentState,
  type DeploymentTarget,
  deactivateEarlier,
  deploymentState,
  findActiveDeployment,
  findDeployment,
  type ModelDeployment,
  type ModelEnvironment,
  type ModelPayload,
  modelPayload,
  setDeploymentStatus,
} from './deployments.ts';
export { dispatchRepository, dispatchWorkflow } from './dispatch.ts';
export {
  type DriftFlowDeps,
  type DriftFlowInputs,
  type DriftFlowResult,
  type RetrainDispatch,
  retrainReason,
  runDriftFlow,
} from './drift-flow.ts';
export { type IssueOutcome, type TrackedIssue, upsertIssue } from './issue-upsert.ts';
export { withPermission } from './permission-error.ts';
export { type Delivery, deliverReport, type WithoutPullRequest } from './report-delivery.ts';
export {
  type ReportFlowInputs,
  type ReportFlowResult,
  runReportFlow,
  type TriggeringRun,
} from './report-flow.ts';
export { type StickyResult, type StickyTarget, upsertStickyComment } from './sticky-comment.ts';
