import { createHash } from 'node:crypto';
import type {
  AssetRecord,
  CheckRunRecord,
  CommitCommentRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  IssueCommentRecord,
  IssueRecord,
  LabelRecord,
  ReleaseRecord,
  RepoRecord,
  StatusRecord,
  UserRecord,
} from './records.ts';

/** Where the double answers: its API root, its uploads root and the web root used in html_url. */
export interface Hosts {
  api: string;
  uploads: string;
  web: string;
}

type Json = Record<string, unknown>;

/** A node id of GitHub's current form (`IC_kwDO…`): a type prefix and an opaque, unique tail. */
export const nodeId = (prefix: string, id: number): string =>
  `${prefix}_kwDO${Buffer.from(`${prefix}:${id}`).toString('base64url')}`;

/** The GitHub Actions app, the author of check runs made with a workflow's token. */
export function actionsApp(hosts: Hosts): Json {
  const owner: UserRecord = { login: 'github', id: 9919, type: 'Organization' };
  return {
    id: 15368,
    slug: 'github-actions',
    node_id: nodeId('A', 15368),
    owner: user(hosts, owner),
    name: 'GitHub Actions',
    description: 'Automate your workflow from idea to production',
    external_url: 'https://help.github.com/en/actions',
    html_url: `${hosts.web}/apps/github-actions`,
    created_at: '2018-07-30T09:30:17Z',
    updated_at: '2024-04-10T20:33:16Z',
    permissions: {
      checks: 'write',
      contents: 'write',
      deployments: 'write',
      issues: 'write',
      metadata: 'read',
    },
    events: ['check_run', 'check_suite', 'deployment', 'push'],
  };
}

export function user(hosts: Hosts, u: UserRecord): Json {
  const url = `${hosts.api}/users/${encodeURIComponent(u.login)}`;
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId(u.type === 'Bot' ? 'BOT' : u.type === 'Organization' ? 'O' : 'U', u.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
    gravatar_id: '',
    url,
    html_url:
      u.type === 'Bot' ? `${hosts.web}/apps/${u.login.replace(/\[bot\]$/, '')}` : `${hosts.web}/${u.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: u.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

export const repoApiUrl = (hosts: Hosts, repo: RepoRecord): string =>
  `${hosts.api}/repos/${repo.owner.login}/${repo.name}`;

const repoWebUrl = (hosts: Hosts, repo: RepoRecord): string =>
  `${hosts.web}/${repo.owner.login}/${repo.name}`;

/** The full repository shape; it also satisfies the smaller `repository` and `minimal-repository`. */
export function repository(hosts: Hosts, repo: RepoRecord): Json {
  const url = repoApiUrl(hosts, repo);
  const web = repoWebUrl(hosts, repo);
  const webHost = new URL(hosts.web).host;
  const openIssues = [...repo.issues.values()].filter((i) => i.state === 'open').length;
  return {
    id: repo.id,
    node_id: nodeId('R', repo.id),
    name: repo.name,
    full_name: `${repo.owner.login}/${repo.name}`,
    owner: user(hosts, repo.owner),
    private: repo.private,
    html_url: web,
    description: repo.description,
    fork: false,
    url,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_url: `git://${webHost}/${repo.owner.login}/${repo.name}.git`,
    hooks_url: `${url}/hooks`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    ssh_url: `git@${webHost}:${repo.owner.login}/${repo.name}.git`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
    clone_url: `${web}.git`,
    mirror_url: null,
    svn_url: web,
    homepage: null,
    language: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues: openIssues,
    open_issues_count: openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? 'private' : 'public',
    pushed_at: repo.updatedAt,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
    network_count: 0,
    subscribers_count: 0,
  };
}

export function label(hosts: Hosts, repo: RepoRecord, l: LabelRecord): Json {
  return {
    id: l.id,
    node_id: nodeId('LA', l.id),
    url: `${repoApiUrl(hosts, repo)}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    color: l.color,
    default: false,
    description: l.description,
  };
}

const authorAssociation = (repo: RepoRecord, u: UserRecord): string =>
  u.login.toLowerCase() === repo.owner.login.toLowerCase()
    ? 'OWNER'
    : u.type === 'Bot'
      ? 'NONE'
      : 'CONTRIBUTOR';

const reactions = (url: string): Json => ({
  url: `${url}/reactions`,
  total_count: 0,
  '+1': 0,
  '-1': 0,
  laugh: 0,
  hooray: 0,
  confused: 0,
  heart: 0,
  rocket: 0,
  eyes: 0,
});

/** Labels of an issue as records, in the order they were added. */
export function issueLabels(repo: RepoRecord, issue: IssueRecord): LabelRecord[] {
  return issue.labels.flatMap((name) =>
    repo.labels.filter((l) => l.name.toLowerCase() === name.toLowerCase()),
  );
}

export function issue(hosts: Hosts, repo: RepoRecord, i: IssueRecord): Json {
  const url = `${repoApiUrl(hosts, repo)}/issues/${i.number}`;
  const web = `${repoWebUrl(hosts, repo)}/${i.pull ? 'pull' : 'issues'}/${i.number}`;
  const pullUrl = `${repoApiUrl(hosts, repo)}/pulls/${i.number}`;
  return {
    id: i.id,
    node_id: nodeId('I', i.id),
    url,
    repository_url: repoApiUrl(hosts, repo),
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: web,
    number: i.number,
    state: i.state,
    state_reason: i.stateReason,
    title: i.title,
    body: i.body,
    user: user(hosts, i.user),
    labels: issueLabels(repo, i).map((l) => label(hosts, repo, l)),
    assignee: i.assignees[0] ? user(hosts, i.assignees[0]) : null,
    assignees: i.assignees.map((a) => user(hosts, a)),
    milestone: null,
    locked: i.locked,
    active_lock_reason: null,
    comments: repo.issueComments.filter((c) => c.issueNumber === i.number).length,
    ...(i.pull
      ? {
          pull_request: {
            url: pullUrl,
            html_url: web,
            diff_url: `${web}.diff`,
            patch_url: `${web}.patch`,
            merged_at: i.pull.mergedAt,
          },
          draft: i.pull.draft,
        }
      : {}),
    closed_at: i.closedAt,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_by: null,
    author_association: authorAssociation(repo, i.user),
    performed_via_github_app: null,
    timeline_url: `${url}/timeline`,
    reactions: reactions(url),
  };
}

export function pullRequest(hosts: Hosts, repo: RepoRecord, i: IssueRecord): Json {
  const p = i.pull!;
  const api = repoApiUrl(hosts, repo);
  const url = `${api}/pulls/${i.number}`;
  const web = `${repoWebUrl(hosts, repo)}/pull/${i.number}`;
  const issueUrl = `${api}/issues/${i.number}`;
  const statusesUrl = `${api}/statuses/${p.head.sha}`;
  const side = (ref: string, sha: string, r: RepoRecord): Json => ({
    label: `${r.owner.login}:${ref}`,
    ref,
    sha,
    user: user(hosts, r.owner),
    repo: repository(hosts, r),
  });
  return {
    url,
    id: p.id,
    node_id: nodeId('PR', p.id),
    html_url: web,
    diff_url: `${web}.diff`,
    patch_url: `${web}.patch`,
    issue_url: issueUrl,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${issueUrl}/comments`,
    statuses_url: statusesUrl,
    number: i.number,
    state: i.state,
    locked: i.locked,
    title: i.title,
    user: user(hosts, i.user),
    body: i.body,
    labels: issueLabels(repo, i).map((l) => label(hosts, repo, l)),
    milestone: null,
    active_lock_reason: null,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    merged_at: p.mergedAt,
    merge_commit_sha: p.mergeCommitSha,
    assignee: i.assignees[0] ? user(hosts, i.assignees[0]) : null,
    assignees: i.assignees.map((a) => user(hosts, a)),
    requested_reviewers: [],
    requested_teams: [],
    head: side(p.head.ref, p.head.sha, p.head.repo),
    base: side(p.base.ref, p.base.sha, repo),
    _links: {
      self: { href: url },
      html: { href: web },
      issue: { href: issueUrl },
      comments: { href: `${issueUrl}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: statusesUrl },
    },
    author_association: authorAssociation(repo, i.user),
    auto_merge: null,
    draft: p.draft,
    merged: p.mergedAt !== null,
    mergeable: p.mergedAt === null && i.state === 'open' ? true : null,
    rebaseable: p.mergedAt === null && i.state === 'open' ? true : null,
    mergeable_state: 'clean',
    merged_by: null,
    comments: repo.issueComments.filter((c) => c.issueNumber === i.number).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 0,
    deletions: 0,
    changed_files: 0,
  };
}

export function issueComment(hosts: Hosts, repo: RepoRecord, c: IssueCommentRecord): Json {
  const api = repoApiUrl(hosts, repo);
  const isPull = repo.issues.get(c.issueNumber)?.pull !== undefined;
  const url = `${api}/issues/comments/${c.id}`;
  return {
    id: c.id,
    node_id: nodeId('IC', c.id),
    url,
    html_url: `${repoWebUrl(hosts, repo)}/${isPull ? 'pull' : 'issues'}/${c.issueNumber}#issuecomment-${c.id}`,
    body: c.body,
    user: user(hosts, c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    issue_url: `${api}/issues/${c.issueNumber}`,
    author_association: authorAssociation(repo, c.user),
    performed_via_github_app: null,
    reactions: reactions(url),
  };
}

export function commitComment(hosts: Hosts, repo: RepoRecord, c: CommitCommentRecord): Json {
  const url = `${repoApiUrl(hosts, repo)}/comments/${c.id}`;
  return {
    html_url: `${repoWebUrl(hosts, repo)}/commit/${c.sha}#commitcomment-${c.id}`,
    url,
    id: c.id,
    node_id: nodeId('CC', c.id),
    body: c.body,
    path: c.path,
    position: c.position,
    line: c.line,
    commit_id: c.sha,
    user: user(hosts, c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: authorAssociation(repo, c.user),
    reactions: reactions(url),
  };
}

export function status(hosts: Hosts, repo: RepoRecord, s: StatusRecord): Json {
  return {
    url: `${repoApiUrl(hosts, repo)}/statuses/${s.sha}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${s.creator.id}?v=4`,
    id: s.id,
    node_id: nodeId('SC', s.id),
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    creator: user(hosts, s.creator),
  };
}

/**
 * GitHub's combined status: the latest status per context; failure if any is error or failure,
 * pending if any is pending or there are none, success otherwise.
 */
export function combinedStatus(hosts: Hosts, repo: RepoRecord, sha: string, latest: StatusRecord[]): Json {
  const states = latest.map((s) => s.state);
  const state = states.some((s) => s === 'error' || s === 'failure')
    ? 'failure'
    : states.length === 0 || states.includes('pending')
      ? 'pending'
      : 'success';
  const api = repoApiUrl(hosts, repo);
  return {
    state,
    statuses: latest.map((s) => {
      const { creator: _creator, ...simple } = status(hosts, repo, s);
      return { ...simple, required: false };
    }),
    sha,
    total_count: latest.length,
    repository: repository(hosts, repo),
    commit_url: `${api}/commits/${sha}`,
    url: `${api}/commits/${sha}/status`,
  };
}

export function checkRun(hosts: Hosts, repo: RepoRecord, c: CheckRunRecord, pulls: IssueRecord[]): Json {
  const api = repoApiUrl(hosts, repo);
  const url = `${api}/check-runs/${c.id}`;
  return {
    id: c.id,
    head_sha: c.headSha,
    node_id: nodeId('CR', c.id),
    external_id: c.externalId ?? '',
    url,
    html_url: `${repoWebUrl(hosts, repo)}/runs/${c.id}`,
    details_url: c.detailsUrl ?? `${repoWebUrl(hosts, repo)}/runs/${c.id}`,
    status: c.status,
    conclusion: c.conclusion,
    started_at: c.startedAt,
    completed_at: c.completedAt,
    output: {
      title: c.output.title,
      summary: c.output.summary,
      text: c.output.text,
      annotations_count: c.output.annotationsCount,
      annotations_url: `${url}/annotations`,
    },
    name: c.name,
    check_suite: { id: c.suiteId },
    app: actionsApp(hosts),
    pull_requests: pulls.map((i) => ({
      url: `${api}/pulls/${i.number}`,
      id: i.pull!.id,
      number: i.number,
      head: {
        ref: i.pull!.head.ref,
        sha: i.pull!.head.sha,
        repo: { id: repo.id, url: api, name: repo.name },
      },
      base: {
        ref: i.pull!.base.ref,
        sha: i.pull!.base.sha,
        repo: { id: repo.id, url: api, name: repo.name },
      },
    })),
  };
}

export function deployment(hosts: Hosts, repo: RepoRecord, d: DeploymentRecord): Json {
  const api = repoApiUrl(hosts, repo);
  const url = `${api}/deployments/${d.id}`;
  return {
    url,
    id: d.id,
    node_id: nodeId('DE', d.id),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.originalEnvironment,
    environment: d.environment,
    description: d.description,
    creator: user(hosts, d.creator),
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    statuses_url: `${url}/statuses`,
    repository_url: api,
    transient_environment: d.transient,
    production_environment: d.production,
    performed_via_github_app: null,
  };
}

export function deploymentStatus(
  hosts: Hosts,
  repo: RepoRecord,
  d: DeploymentRecord,
  s: DeploymentStatusRecord,
): Json {
  const api = repoApiUrl(hosts, repo);
  const deploymentUrl = `${api}/deployments/${d.id}`;
  return {
    url: `${deploymentUrl}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId('DES', s.id),
    state: s.state,
    creator: user(hosts, s.creator),
    description: s.description,
    environment: s.environment,
    target_url: s.targetUrl,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    deployment_url: deploymentUrl,
    repository_url: api,
    environment_url: s.environmentUrl,
    log_url: s.logUrl,
    performed_via_github_app: null,
  };
}

/** The hypermedia upload URL GitHub hands out, with its RFC 6570 query template. */
export const uploadUrl = (hosts: Hosts, repo: RepoRecord, releaseId: number): string =>
  `${hosts.uploads}/repos/${repo.owner.login}/${repo.name}/releases/${releaseId}/assets{?name,label}`;

export function release(hosts: Hosts, repo: RepoRecord, r: ReleaseRecord): Json {
  const api = repoApiUrl(hosts, repo);
  const url = `${api}/releases/${r.id}`;
  const web = repoWebUrl(hosts, repo);
  return {
    url,
    assets_url: `${url}/assets`,
    upload_url: uploadUrl(hosts, repo, r.id),
    html_url: r.draft
      ? `${web}/releases/tag/untagged-${r.id}`
      : `${web}/releases/tag/${encodeURIComponent(r.tagName)}`,
    id: r.id,
    author: user(hosts, r.author),
    node_id: nodeId('RE', r.id),
    tag_name: r.tagName,
    target_commitish: r.targetCommitish,
    name: r.name,
    draft: r.draft,
    immutable: false,
    prerelease: r.prerelease,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    published_at: r.publishedAt,
    assets: r.assets.map((a) => asset(hosts, repo, r, a)),
    tarball_url: `${api}/tarball/${encodeURIComponent(r.tagName)}`,
    zipball_url: `${api}/zipball/${encodeURIComponent(r.tagName)}`,
    body: r.body,
    reactions: reactions(url),
  };
}

export function asset(hosts: Hosts, repo: RepoRecord, r: ReleaseRecord, a: AssetRecord): Json {
  const tag = r.draft ? `untagged-${r.id}` : encodeURIComponent(r.tagName);
  return {
    url: `${repoApiUrl(hosts, repo)}/releases/assets/${a.id}`,
    id: a.id,
    node_id: nodeId('RA', a.id),
    name: a.name,
    label: a.label,
    uploader: user(hosts, a.uploader),
    content_type: a.contentType,
    state: 'uploaded',
    size: a.data.length,
    digest: `sha256:${createHash('sha256').update(a.data).digest('hex')}`,
    download_count: a.downloadCount,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    browser_download_url: `${repoWebUrl(hosts, repo)}/releases/download/${tag}/${encodeURIComponent(a.name)}`,
  };
}
