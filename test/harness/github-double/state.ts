import type { components } from '@octokit/openapi-types';
import { checkRunJson, latestStatuses } from './handlers/checks.ts';
import { branchFiles } from './handlers/git-data.ts';
import type { RepoRecord } from './records.ts';
import * as shapes from './shapes.ts';
import type { Store } from './store.ts';

type Schemas = components['schemas'];

/**
 * What the double holds, read for assertions in the shapes the API answers with. Lists are in
 * creation order (oldest first), whatever order the API lists them in.
 */
export class DoubleState {
  constructor(private readonly store: Store) {}

  private repo(owner: string, repo: string): RepoRecord {
    const found = this.store.findRepo(owner, repo);
    if (!found) throw new Error(`The GitHub API double has no repository ${owner}/${repo}; seed it first`);
    return found;
  }

  repository(owner: string, repo: string): Schemas['full-repository'] {
    return shapes.repository(this.store.hosts, this.repo(owner, repo)) as Schemas['full-repository'];
  }

  /** Issues and pull requests (as issues), by number. */
  /** A branch's files (path → bytes) as the git data API wrote them; undefined for no such branch. */
  branchFiles(owner: string, repo: string, branch: string): Map<string, Buffer> | undefined {
    return branchFiles(this.repo(owner, repo), branch);
  }

  issues(owner: string, repo: string): Schemas['issue'][] {
    const r = this.repo(owner, repo);
    return [...r.issues.values()]
      .sort((a, b) => a.number - b.number)
      .map((i) => shapes.issue(this.store.hosts, r, i) as Schemas['issue']);
  }

  issue(owner: string, repo: string, number: number): Schemas['issue'] | undefined {
    const r = this.repo(owner, repo);
    const found = r.issues.get(number);
    return found && (shapes.issue(this.store.hosts, r, found) as Schemas['issue']);
  }

  pullRequests(owner: string, repo: string): Schemas['pull-request'][] {
    const r = this.repo(owner, repo);
    return [...r.issues.values()]
      .filter((i) => i.pull)
      .sort((a, b) => a.number - b.number)
      .map((i) => shapes.pullRequest(this.store.hosts, r, i) as Schemas['pull-request']);
  }

  /** Conversation comments of one issue or pull request, or of the whole repository. */
  issueComments(owner: string, repo: string, issueNumber?: number): Schemas['issue-comment'][] {
    const r = this.repo(owner, repo);
    return r.issueComments
      .filter((c) => issueNumber === undefined || c.issueNumber === issueNumber)
      .map((c) => shapes.issueComment(this.store.hosts, r, c) as Schemas['issue-comment']);
  }

  commitComments(owner: string, repo: string, sha?: string): Schemas['commit-comment'][] {
    const r = this.repo(owner, repo);
    return r.commitComments
      .filter((c) => sha === undefined || c.sha === sha)
      .map((c) => shapes.commitComment(this.store.hosts, r, c) as Schemas['commit-comment']);
  }

  labels(owner: string, repo: string): Schemas['label'][] {
    const r = this.repo(owner, repo);
    return r.labels.map((l) => shapes.label(this.store.hosts, r, l) as Schemas['label']);
  }

  statuses(owner: string, repo: string, sha?: string): Schemas['status'][] {
    const r = this.repo(owner, repo);
    return r.statuses
      .filter((s) => sha === undefined || s.sha === sha)
      .map((s) => shapes.status(this.store.hosts, r, s) as Schemas['status']);
  }

  combinedStatus(owner: string, repo: string, sha: string): Schemas['combined-commit-status'] {
    const r = this.repo(owner, repo);
    return shapes.combinedStatus(
      this.store.hosts,
      r,
      sha,
      latestStatuses(r, sha),
    ) as Schemas['combined-commit-status'];
  }

  checkRuns(owner: string, repo: string, headSha?: string): Schemas['check-run'][] {
    const r = this.repo(owner, repo);
    return r.checkRuns
      .filter((c) => headSha === undefined || c.headSha === headSha)
      .map((c) => checkRunJson(this.store.hosts, r, c) as Schemas['check-run']);
  }

  deployments(owner: string, repo: string, environment?: string): Schemas['deployment'][] {
    const r = this.repo(owner, repo);
    return r.deployments
      .filter((d) => environment === undefined || d.environment === environment)
      .map((d) => shapes.deployment(this.store.hosts, r, d) as Schemas['deployment']);
  }

  deploymentStatuses(owner: string, repo: string, deploymentId: number): Schemas['deployment-status'][] {
    const r = this.repo(owner, repo);
    const d = r.deployments.find((x) => x.id === deploymentId);
    if (!d) return [];
    return d.statuses.map(
      (s) => shapes.deploymentStatus(this.store.hosts, r, d, s) as Schemas['deployment-status'],
    );
  }

  releases(owner: string, repo: string): Schemas['release'][] {
    const r = this.repo(owner, repo);
    return r.releases.map((x) => shapes.release(this.store.hosts, r, x) as Schemas['release']);
  }

  /** The bytes of an uploaded release asset. */
  assetContent(owner: string, repo: string, assetId: number): Buffer | undefined {
    for (const release of this.repo(owner, repo).releases) {
      const found = release.assets.find((a) => a.id === assetId);
      if (found) return found.data;
    }
    return undefined;
  }

  workflowDispatches(
    owner: string,
    repo: string,
  ): { workflow_id: string; ref: string; inputs: Record<string, unknown> }[] {
    return this.repo(owner, repo).workflowDispatches.map((d) => ({
      workflow_id: d.workflowId,
      ref: d.ref,
      inputs: d.inputs,
    }));
  }

  repositoryDispatches(
    owner: string,
    repo: string,
  ): { event_type: string; client_payload: Record<string, unknown> }[] {
    return this.repo(owner, repo).repositoryDispatches.map((d) => ({
      event_type: d.eventType,
      client_payload: d.clientPayload,
    }));
  }
}
