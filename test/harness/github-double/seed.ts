import type { components } from '@octokit/openapi-types';
import type { AssetRecord, IssueRecord, ReleaseRecord, RepoRecord, UserRecord } from './records.ts';
import * as shapes from './shapes.ts';
import { fakeSha, OCTOCAT, type Store, userNamed } from './store.ts';

type Schemas = components['schemas'];

/** Names a repository; seeds default to the double's own. */
export interface RepoTarget {
  owner?: string;
  repo?: string;
}

export interface SeedPullRequest extends RepoTarget {
  /** Default: the next free number (issues and pull requests share numbers). */
  number?: number;
  title?: string;
  body?: string | null;
  /** The PR's branch. `repo: 'someone/fork'` makes it a pull request from a fork. */
  head?: { ref?: string; sha?: string; repo?: string };
  /** Default: the default branch and its head. */
  base?: { ref?: string; sha?: string };
  state?: 'open' | 'closed';
  merged?: boolean;
  draft?: boolean;
  /** Login of the author (default `octocat`). */
  user?: string;
  labels?: string[];
}

export interface SeedIssue extends RepoTarget {
  title?: string;
  body?: string | null;
  labels?: string[];
  state?: 'open' | 'closed';
  user?: string;
}

export interface SeedComments extends RepoTarget {
  /** The issue or pull request the comments are on. */
  issue: number;
  count: number;
  /** Body of the i-th comment (from 0); default `Comment i`. */
  body?: (index: number) => string;
  user?: string;
}

export interface SeedRelease extends RepoTarget {
  tag: string;
  name?: string | null;
  body?: string | null;
  draft?: boolean;
  prerelease?: boolean;
  targetCommitish?: string;
  assets?: { name: string; data: Buffer | string; contentType?: string; label?: string }[];
}

const seededUser = (login: string | undefined): UserRecord =>
  login === undefined ? OCTOCAT : userNamed(login);

/** State set up directly, without requests: what a test needs to exist before the code under test runs. */
export class Seeder {
  constructor(
    protected readonly store: Store,
    protected readonly defaultOwner: string,
    protected readonly defaultRepo: string,
  ) {}

  private target(t: RepoTarget): RepoRecord {
    const owner = t.owner ?? this.defaultOwner;
    const repo = t.repo ?? this.defaultRepo;
    const found = this.store.findRepo(owner, repo);
    if (!found) throw new Error(`The GitHub API double has no repository ${owner}/${repo}; seed it first`);
    return found;
  }

  seedRepository(input: {
    owner: string;
    repo: string;
    private?: boolean;
    description?: string;
    defaultBranch?: string;
    headSha?: string;
  }): Schemas['full-repository'] {
    const repo = this.store.addRepo({ ...input, name: input.repo });
    return shapes.repository(this.store.hosts, repo) as Schemas['full-repository'];
  }

  /** Adds or moves a branch; returns its head sha. */
  seedBranch(input: RepoTarget & { name: string; sha?: string }): string {
    const repo = this.target(input);
    const sha = input.sha ?? fakeSha(`refs/heads/${input.name}`);
    repo.branches.set(input.name, sha);
    return sha;
  }

  seedPullRequest(input: SeedPullRequest = {}): Schemas['pull-request'] {
    const repo = this.target(input);
    const number = input.number ?? repo.nextNumber;
    if (repo.issues.has(number))
      throw new Error(`#${number} already exists in ${repo.owner.login}/${repo.name}`);
    repo.nextNumber = Math.max(repo.nextNumber, number + 1);
    const headRef = input.head?.ref ?? `feature-${number}`;
    const [forkOwner, forkName] = (input.head?.repo ?? '').split('/');
    const headRepo =
      forkOwner && forkName
        ? this.store.addRepo({ owner: forkOwner, name: forkName, ownerType: 'User' })
        : repo;
    const headSha = input.head?.sha ?? fakeSha(`pull/${number}/head`);
    headRepo.branches.set(headRef, headSha);
    const baseRef = input.base?.ref ?? repo.defaultBranch;
    const baseSha = input.base?.sha ?? repo.branches.get(baseRef) ?? fakeSha(`refs/heads/${baseRef}`);
    const now = this.store.now();
    const closed = input.state === 'closed' || input.merged === true;
    const issue: IssueRecord = {
      id: this.store.nextId(),
      number,
      title: input.title ?? `Pull request ${number}`,
      body: input.body ?? null,
      state: closed ? 'closed' : 'open',
      stateReason: null,
      user: seededUser(input.user),
      labels: this.store.ensureLabels(repo, input.labels ?? []),
      assignees: [],
      locked: false,
      createdAt: now,
      updatedAt: now,
      closedAt: closed ? now : null,
      pull: {
        id: this.store.nextId(),
        head: { ref: headRef, sha: headSha, repo: headRepo },
        base: { ref: baseRef, sha: baseSha },
        draft: input.draft ?? false,
        mergedAt: input.merged ? now : null,
        mergeCommitSha: input.merged ? fakeSha(`pull/${number}/merge`) : null,
      },
    };
    repo.issues.set(number, issue);
    return shapes.pullRequest(this.store.hosts, repo, issue) as Schemas['pull-request'];
  }

  seedIssue(input: SeedIssue = {}): Schemas['issue'] {
    const repo = this.target(input);
    const issue = this.store.addIssue(repo, {
      title: input.title ?? `Issue ${repo.nextNumber}`,
      body: input.body ?? null,
      labels: input.labels ?? [],
      user: seededUser(input.user),
    });
    if (input.state === 'closed') {
      issue.state = 'closed';
      issue.stateReason = 'completed';
      issue.closedAt = issue.createdAt;
    }
    return shapes.issue(this.store.hosts, repo, issue) as Schemas['issue'];
  }

  /** Earlier conversation comments on an issue or pull request, cheaply (no requests). */
  seedComments(input: SeedComments): Schemas['issue-comment'][] {
    const repo = this.target(input);
    this.store.issue(repo, input.issue);
    const user = seededUser(input.user);
    const now = this.store.now();
    return Array.from({ length: input.count }, (_, index) => {
      const comment = {
        id: this.store.nextId(),
        issueNumber: input.issue,
        body: input.body ? input.body(index) : `Comment ${index}`,
        user,
        createdAt: now,
        updatedAt: now,
      };
      repo.issueComments.push(comment);
      return shapes.issueComment(this.store.hosts, repo, comment) as Schemas['issue-comment'];
    });
  }

  seedLabel(input: RepoTarget & { name: string; color?: string; description?: string }): Schemas['label'] {
    const repo = this.target(input);
    const label = this.store.addLabel(repo, input.name, input.color, input.description ?? null);
    return shapes.label(this.store.hosts, repo, label) as Schemas['label'];
  }

  seedRelease(input: SeedRelease): Schemas['release'] {
    const repo = this.target(input);
    const now = this.store.now();
    const release: ReleaseRecord = {
      id: this.store.nextId(),
      tagName: input.tag,
      targetCommitish: input.targetCommitish ?? repo.defaultBranch,
      name: input.name ?? input.tag,
      body: input.body ?? null,
      draft: input.draft ?? false,
      prerelease: input.prerelease ?? false,
      author: this.store.actor,
      createdAt: now,
      updatedAt: now,
      publishedAt: input.draft ? null : now,
      assets: [],
    };
    release.assets = (input.assets ?? []).map(
      (a): AssetRecord => ({
        id: this.store.nextId(),
        releaseId: release.id,
        name: a.name,
        label: a.label ?? null,
        contentType: a.contentType ?? 'application/octet-stream',
        data: Buffer.from(a.data),
        uploader: this.store.actor,
        downloadCount: 0,
        createdAt: now,
        updatedAt: now,
      }),
    );
    repo.releases.push(release);
    return shapes.release(this.store.hosts, repo, release) as Schemas['release'];
  }
}
