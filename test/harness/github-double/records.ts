/** The double's state as plain records; shapes.ts renders them as GitHub's JSON. */

export interface UserRecord {
  login: string;
  id: number;
  type: 'User' | 'Bot' | 'Organization';
}

export interface RepoRecord {
  id: number;
  owner: UserRecord;
  name: string;
  private: boolean;
  description: string | null;
  defaultBranch: string;
  createdAt: string;
  updatedAt: string;
  /** Branch name → head commit sha. */
  branches: Map<string, string>;
  /** Issues and pull requests share one sequence of numbers, as on GitHub. */
  nextNumber: number;
  issues: Map<number, IssueRecord>;
  labels: LabelRecord[];
  issueComments: IssueCommentRecord[];
  commitComments: CommitCommentRecord[];
  statuses: StatusRecord[];
  checkRuns: CheckRunRecord[];
  deployments: DeploymentRecord[];
  releases: ReleaseRecord[];
  workflowDispatches: WorkflowDispatchRecord[];
  repositoryDispatches: RepositoryDispatchRecord[];
}

export interface IssueRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'reopened' | 'not_planned' | 'duplicate' | null;
  user: UserRecord;
  /** Label names as stored on the repository's labels (matched case-insensitively). */
  labels: string[];
  assignees: UserRecord[];
  locked: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Present when the issue is a pull request. */
  pull?: PullRecord;
}

export interface PullRecord {
  id: number;
  head: { ref: string; sha: string; repo: RepoRecord };
  base: { ref: string; sha: string };
  draft: boolean;
  mergedAt: string | null;
  mergeCommitSha: string | null;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface IssueCommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  user: UserRecord;
  createdAt: string;
  updatedAt: string;
}

export interface CommitCommentRecord {
  id: number;
  sha: string;
  body: string;
  path: string | null;
  position: number | null;
  line: number | null;
  user: UserRecord;
  createdAt: string;
  updatedAt: string;
}

export interface StatusRecord {
  id: number;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  targetUrl: string | null;
  description: string | null;
  context: string;
  creator: UserRecord;
  createdAt: string;
  updatedAt: string;
}

export interface CheckRunOutput {
  title: string | null;
  summary: string | null;
  text: string | null;
  annotationsCount: number;
}

export interface CheckRunRecord {
  id: number;
  headSha: string;
  name: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  output: CheckRunOutput;
  suiteId: number;
}

export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: Record<string, unknown> | string;
  environment: string;
  originalEnvironment: string;
  description: string | null;
  creator: UserRecord;
  transient: boolean;
  production: boolean;
  createdAt: string;
  updatedAt: string;
  /** Oldest first. */
  statuses: DeploymentStatusRecord[];
}

export interface DeploymentStatusRecord {
  id: number;
  state: 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';
  creator: UserRecord;
  description: string;
  environment: string;
  targetUrl: string;
  logUrl: string;
  environmentUrl: string;
  createdAt: string;
  updatedAt: string;
}

export interface ReleaseRecord {
  id: number;
  tagName: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  author: UserRecord;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  assets: AssetRecord[];
}

export interface AssetRecord {
  id: number;
  releaseId: number;
  name: string;
  label: string | null;
  contentType: string;
  data: Buffer;
  uploader: UserRecord;
  downloadCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface WorkflowDispatchRecord {
  workflowId: string;
  ref: string;
  inputs: Record<string, unknown>;
  createdAt: string;
}

export interface RepositoryDispatchRecord {
  eventType: string;
  clientPayload: Record<string, unknown>;
  createdAt: string;
}
