import { createHash } from 'node:crypto';
import { notFound } from './errors.ts';
import type { IssueRecord, LabelRecord, RepoRecord, UserRecord } from './records.ts';
import type { Hosts } from './shapes.ts';

/** The identity behind a workflow's GITHUB_TOKEN, the author of what the double is asked to create. */
export const ACTIONS_BOT: UserRecord = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
/** The author of seeded pull requests, issues and comments unless a seed names another. */
export const OCTOCAT: UserRecord = { login: 'octocat', id: 583231, type: 'User' };

/** A user by login: the double keeps no user directory, so every login exists, with a stable id. */
export function userNamed(login: string): UserRecord {
  if (login.toLowerCase() === OCTOCAT.login) return OCTOCAT;
  let hash = 7;
  for (const c of login.toLowerCase()) hash = (hash * 31 + c.charCodeAt(0)) % 100_000_000;
  return { login, id: 10_000_000 + hash, type: login.endsWith('[bot]') ? 'Bot' : 'User' };
}

/** Label colour GitHub gives labels it creates on the fly (when an issue names a new label). */
const DEFAULT_LABEL_COLOR = 'ededed';

/**
 * A stable, made-up 40-hex sha: the same label always gives the same sha. The double labels a
 * branch's head with its ref (`refs/heads/main`) and a pull request's head `pull/<n>/head`, so event
 * payloads built with the same labels agree with the double's state.
 */
export const fakeSha = (seed: string): string => createHash('sha1').update(seed).digest('hex');

/** GitHub's timestamp form: ISO 8601 in UTC, to the second. */
export const isoSeconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * All repositories the double knows and the ids it hands out. Handlers and seeds both work on these
 * records; shapes.ts renders them.
 */
export class Store {
  private readonly repos = new Map<string, RepoRecord>();
  private lastId = 1000;

  constructor(
    readonly hosts: Hosts,
    readonly actor: UserRecord,
    private readonly clock: () => Date,
  ) {}

  now(): string {
    return isoSeconds(this.clock());
  }

  /** One sequence for every kind of object: ids are unique across the double, as tests like them. */
  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  /** Owner and repository names are case-insensitive on GitHub. */
  findRepo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  repo(owner: string, name: string, docsUrl?: string): RepoRecord {
    const repo = this.findRepo(owner, name);
    if (!repo) throw notFound(docsUrl);
    return repo;
  }

  allRepos(): RepoRecord[] {
    return [...this.repos.values()];
  }

  addRepo(input: {
    owner: string;
    name: string;
    ownerType?: UserRecord['type'];
    private?: boolean;
    description?: string | null;
    defaultBranch?: string;
    headSha?: string;
  }): RepoRecord {
    const existing = this.findRepo(input.owner, input.name);
    if (existing) return existing;
    const defaultBranch = input.defaultBranch ?? 'main';
    const now = this.now();
    const repo: RepoRecord = {
      id: this.nextId(),
      owner: { login: input.owner, id: this.nextId(), type: input.ownerType ?? 'Organization' },
      name: input.name,
      private: input.private ?? false,
      description: input.description ?? null,
      defaultBranch,
      createdAt: now,
      updatedAt: now,
      branches: new Map([[defaultBranch, input.headSha ?? fakeSha(`refs/heads/${defaultBranch}`)]]),
      nextNumber: 1,
      issues: new Map(),
      labels: [],
      issueComments: [],
      commitComments: [],
      statuses: [],
      checkRuns: [],
      deployments: [],
      releases: [],
      workflowDispatches: [],
      repositoryDispatches: [],
    };
    this.repos.set(`${input.owner}/${input.name}`.toLowerCase(), repo);
    return repo;
  }

  /**
   * A commit-ish as GitHub reads it in `/commits/{ref}/…`: a branch name (also `refs/heads/x`), a tag
   * of a release, or a sha. Any 40-hex sha counts as a commit of the repository.
   */
  resolveRef(repo: RepoRecord, ref: string): string | undefined {
    const direct = branchOrSha(repo, ref);
    if (direct) return direct;
    const tag = ref.replace(/^refs\/tags\//, '');
    const release = repo.releases.find((r) => r.tagName === tag && !r.draft);
    return release ? (branchOrSha(repo, release.targetCommitish) ?? fakeSha(`refs/tags/${tag}`)) : undefined;
  }

  findLabel(repo: RepoRecord, name: string): LabelRecord | undefined {
    return repo.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
  }

  addLabel(
    repo: RepoRecord,
    name: string,
    color = DEFAULT_LABEL_COLOR,
    description: string | null = null,
  ): LabelRecord {
    const label = { id: this.nextId(), name, color, description };
    repo.labels.push(label);
    return label;
  }

  /** Labels by name, creating the missing ones as GitHub does for writers that name new labels. */
  ensureLabels(repo: RepoRecord, names: string[]): string[] {
    const out: string[] = [];
    for (const name of names) {
      const label = this.findLabel(repo, name) ?? this.addLabel(repo, name);
      if (!out.some((n) => n.toLowerCase() === label.name.toLowerCase())) out.push(label.name);
    }
    return out;
  }

  addIssue(
    repo: RepoRecord,
    input: {
      title: string;
      body?: string | null;
      labels?: string[];
      user?: UserRecord;
      assignees?: UserRecord[];
    },
  ): IssueRecord {
    const now = this.now();
    const issue: IssueRecord = {
      id: this.nextId(),
      number: repo.nextNumber++,
      title: input.title,
      body: input.body ?? null,
      state: 'open',
      stateReason: null,
      user: input.user ?? this.actor,
      labels: this.ensureLabels(repo, input.labels ?? []),
      assignees: input.assignees ?? [],
      locked: false,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
    };
    repo.issues.set(issue.number, issue);
    return issue;
  }

  issue(repo: RepoRecord, number: number, docsUrl?: string): IssueRecord {
    const issue = repo.issues.get(number);
    if (!issue) throw notFound(docsUrl);
    return issue;
  }
}

function branchOrSha(repo: RepoRecord, ref: string): string | undefined {
  const head = repo.branches.get(ref.replace(/^refs\/heads\//, ''));
  if (head) return head;
  return /^[0-9a-f]{40}$/i.test(ref) ? ref.toLowerCase() : undefined;
}
