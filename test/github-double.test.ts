import { get } from 'node:http';
import { createClient, type GitHubClient } from '@mlactions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type GitHubDouble,
  GitHubDoubleViolationError,
  loadGitHubOpenApi,
  startGitHubDouble,
} from './harness/github-double/index.ts';

/** The error Octokit throws for a non-2xx answer. */
interface OctokitError {
  status: number;
  response: { data: Record<string, unknown>; headers: Record<string, string> };
}

const failure = (promise: Promise<unknown>): Promise<OctokitError> =>
  promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (error: OctokitError) => error,
  );

/** The status of a GET sent with exactly these headers (fetch would add a User-Agent). */
function statusOf(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

/** Link header → { rel: page number }. */
function linkPages(link: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of (link ?? '').matchAll(/<([^>]+)>; rel="(\w+)"/g)) {
    out[m[2]!] = Number(new URL(m[1]!).searchParams.get('page'));
  }
  return out;
}

let double: GitHubDouble;
let octokit: GitHubClient;
let owner: string;
let repo: string;

beforeEach(async () => {
  double = await startGitHubDouble();
  ({ owner, repo } = double);
  // No write pacing: the double has no secondary limits to keep clear of (its faults stand in for them).
  octokit = createClient({ token: 'ghs_test', baseUrl: double.url, pacing: 'none' });
});

// close() throws while a violation is unacknowledged: that is what fails a test that sent one.
afterEach(() => double.close());

describe('request checking against the OpenAPI description', () => {
  it('answers 422 to a commit status with state "ok" and records the violation', async () => {
    const sha = 'a'.repeat(40);
    const error = await failure(
      octokit.rest.repos.createCommitStatus({ owner, repo, sha, state: 'ok' as 'success' }),
    );
    expect(error.status).toBe(422);
    expect(error.response.data).toMatchObject({
      message: 'Validation Failed',
      errors: [{ field: 'state', code: 'invalid' }],
      documentation_url: expect.stringContaining('docs.github.com'),
    });
    const violation = double.expectViolation({
      kind: 'invalid-request',
      operationId: 'repos/create-commit-status',
    });
    expect(violation.message).toContain('"success"');
    expect(double.state.statuses(owner, repo)).toEqual([]);
  });

  it('answers 404 to a path (or a method) the API does not have, and records it', async () => {
    const missing = await failure(
      octokit.request('GET /repos/{owner}/{repo}/no-such-thing', { owner, repo }),
    );
    expect(missing.status).toBe(404);
    expect(missing.response.data).toMatchObject({
      message: 'Not Found',
      documentation_url: expect.any(String),
    });
    double.expectViolation({ kind: 'unknown-route', url: '/no-such-thing' });

    const wrongMethod = await failure(
      octokit.request('PUT /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner,
        repo,
        issue_number: 1,
      }),
    );
    expect(wrongMethod.status).toBe(404);
    expect(double.expectViolation({ kind: 'unknown-route' }).message).toContain('GET, POST');
  });

  it('checks query parameter types', async () => {
    double.seedIssue();
    const error = await failure(
      octokit.request('GET /repos/{owner}/{repo}/issues', {
        owner,
        repo,
        per_page: 'many' as unknown as number,
      }),
    );
    expect(error.status).toBe(422);
    double.expectViolation({ kind: 'invalid-request', message: 'query.per_page must be integer' });
  });

  it('fails close() while a violation is unacknowledged', async () => {
    const other = await startGitHubDouble();
    const client = createClient({ token: 't', baseUrl: other.url, pacing: 'none' });
    await failure(client.request('GET /nowhere'));
    expect(other.violations).toHaveLength(1);
    expect(() => other.expectViolation({ kind: 'invalid-request' })).toThrow(/No violation matching/);
    await expect(other.close()).rejects.toThrow(GitHubDoubleViolationError);
  });

  it('requires a token (401) and a User-Agent, as GitHub does', async () => {
    const anonymous = await fetch(`${double.url}/repos/${owner}/${repo}`, {
      headers: { 'user-agent': 'test' },
    });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ message: 'Requires authentication' });
    double.expectViolation({ kind: 'unauthenticated' });
    const noAgent = await statusOf(`${double.url}/repos/${owner}/${repo}`, { authorization: 'token t' });
    expect(noAgent).toBe(403);
    double.expectViolation({ kind: 'invalid-request', message: 'User-Agent' });
  });

  it('answers 400 to a body that is not JSON', async () => {
    const pr = double.seedPullRequest();
    const answer = await fetch(`${double.url}/repos/${owner}/${repo}/issues/${pr.number}/comments`, {
      method: 'POST',
      headers: { authorization: 'token t', 'content-type': 'application/json' },
      body: '{"body": ',
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ message: 'Problems parsing JSON' });
    double.expectViolation({ kind: 'invalid-request', status: 400 });
  });

  it('answers 501 to a real endpoint it does not implement, and records it', async () => {
    // 501 is an answer plugin-retry retries; one attempt is enough here.
    const error = await failure(octokit.rest.repos.listBranches({ owner, repo, request: { retries: 0 } }));
    expect(error.status).toBe(501);
    double.expectViolation({ kind: 'unimplemented', operationId: 'repos/list-branches' });
  });
});

describe('pagination', () => {
  it('serves 250 seeded comments to octokit.paginate in order, with GitHub’s Link headers', async () => {
    const pr = double.seedPullRequest();
    double.seedComments({ issue: pr.number, count: 250, body: (i) => `comment ${i}` });

    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: pr.number,
      per_page: 100,
    });
    expect(all.map((c) => c.body)).toEqual(Array.from({ length: 250 }, (_, i) => `comment ${i}`));
    expect(double.requestsFor('issues/list-comments').map((r) => r.query.page ?? '1')).toEqual([
      '1',
      '2',
      '3',
    ]);

    const first = await octokit.rest.issues.listComments({
      owner,
      repo,
      issue_number: pr.number,
      per_page: 100,
    });
    expect(linkPages(first.headers.link)).toEqual({ next: 2, last: 3 });
    const middle = await octokit.rest.issues.listComments({
      owner,
      repo,
      issue_number: pr.number,
      per_page: 100,
      page: 2,
    });
    expect(middle.headers.link).toMatch(/rel="prev".*rel="next".*rel="last".*rel="first"/);
    expect(linkPages(middle.headers.link)).toEqual({ prev: 1, next: 3, last: 3, first: 1 });
    const last = await octokit.rest.issues.listComments({
      owner,
      repo,
      issue_number: pr.number,
      per_page: 100,
      page: 3,
    });
    expect(last.data).toHaveLength(50);
    expect(linkPages(last.headers.link)).toEqual({ prev: 2, first: 1 });
    const defaultPage = await octokit.rest.issues.listComments({ owner, repo, issue_number: pr.number });
    expect(defaultPage.data).toHaveLength(30);
    expect(linkPages(defaultPage.headers.link)).toEqual({ next: 2, last: 9 });
  });
});

describe('faults', () => {
  it('answers a secondary rate limit that createClient’s throttling retries through', async () => {
    const sha = double.seedBranch({ name: 'main' });
    double.failNext({
      kind: 'secondary-rate-limit',
      retryAfter: 1,
      match: { operationId: 'repos/create-commit-status' },
    });
    const created = await octokit.rest.repos.createCommitStatus({ owner, repo, sha, state: 'success' });
    expect(created.status).toBe(201);
    const [limited, retried] = double.requestsFor('repos/create-commit-status');
    expect([limited?.status, retried?.status]).toEqual([403, 201]);
    expect(retried?.body).toEqual(limited?.body);
    expect(double.state.statuses(owner, repo, sha)).toHaveLength(1);
  });

  it('answers a primary rate limit with x-ratelimit headers, retried after the reset', async () => {
    double.failNext({
      kind: 'rate-limit',
      status: 429,
      resetInSeconds: 0,
      match: { operationId: 'repos/get' },
    });
    const got = await octokit.rest.repos.get({ owner, repo });
    expect(got.data.full_name).toBe(`${owner}/${repo}`);
    expect(double.requestsFor('repos/get').map((r) => r.status)).toEqual([429, 200]);
  });

  it('answers a 5xx that plugin-retry retries', async () => {
    double.failNext({
      kind: 'server-error',
      status: 502,
      match: { method: 'GET', path: `/repos/${owner}/${repo}` },
    });
    await octokit.rest.repos.get({ owner, repo });
    expect(double.requestsFor('repos/get').map((r) => r.status)).toEqual([502, 200]);
  });

  it('rejects writes of a read-only token with GitHub’s message, and still serves reads', async () => {
    const pr = double.seedPullRequest();
    double.readOnly = true;
    const error = await failure(
      octokit.rest.issues.createComment({ owner, repo, issue_number: pr.number, body: 'x' }),
    );
    expect(error.status).toBe(403);
    expect(error.response.data.message).toBe('Resource not accessible by integration');
    expect((await octokit.rest.pulls.get({ owner, repo, pull_number: pr.number })).data.number).toBe(
      pr.number,
    );
    expect(double.state.issueComments(owner, repo)).toEqual([]);
  });

  it('fails close() when a fault was never used', async () => {
    const other = await startGitHubDouble();
    other.failNext({ kind: 'server-error' });
    await expect(other.close()).rejects.toThrow(/faults that no request used/);
  });
});

describe('round trips', () => {
  it('repositories and pull requests', async () => {
    const pr = double.seedPullRequest({ title: 'Retrain', head: { ref: 'retrain' } });
    double.seedPullRequest({ state: 'closed' });
    expect((await octokit.rest.repos.get({ owner, repo })).data).toMatchObject({
      full_name: `${owner}/${repo}`,
      default_branch: 'main',
    });
    const got = await octokit.rest.pulls.get({ owner, repo, pull_number: pr.number });
    expect(got.data).toMatchObject({
      title: 'Retrain',
      head: { ref: 'retrain', sha: pr.head.sha },
      base: { ref: 'main' },
    });
    expect((await octokit.rest.pulls.list({ owner, repo })).data.map((p) => p.number)).toEqual([pr.number]);
    const associated = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: pr.head.sha,
    });
    expect(associated.data.map((p) => p.number)).toEqual([pr.number]);
    expect((await failure(octokit.rest.pulls.get({ owner, repo, pull_number: 99 }))).status).toBe(404);
  });

  it('issue comments: create, get, update, list, delete', async () => {
    const pr = double.seedPullRequest();
    const created = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: pr.number,
      body: 'v1',
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ body: 'v1', user: { login: 'github-actions[bot]', type: 'Bot' } });
    expect(created.data.html_url).toContain(`/pull/${pr.number}#issuecomment-${created.data.id}`);
    const comment_id = created.data.id;
    expect((await octokit.rest.issues.getComment({ owner, repo, comment_id })).data.body).toBe('v1');
    expect((await octokit.rest.issues.updateComment({ owner, repo, comment_id, body: 'v2' })).data.body).toBe(
      'v2',
    );
    const listed = await octokit.rest.issues.listComments({ owner, repo, issue_number: pr.number });
    expect(listed.data.map((c) => c.body)).toEqual(['v2']);
    expect((await octokit.rest.issues.deleteComment({ owner, repo, comment_id })).status).toBe(204);
    expect(double.state.issueComments(owner, repo, pr.number)).toEqual([]);
  });

  it('refuses a comment over GitHub’s 65,536-character limit', async () => {
    const pr = double.seedPullRequest();
    const error = await failure(
      octokit.rest.issues.createComment({ owner, repo, issue_number: pr.number, body: 'x'.repeat(65537) }),
    );
    expect(error.status).toBe(422);
    expect(error.response.data.errors).toEqual([
      expect.objectContaining({ resource: 'IssueComment', field: 'body', code: 'custom' }),
    ]);
    double.expectViolation({ kind: 'rejected', message: 'too long' });
  });

  it('commit comments: create and list', async () => {
    const sha = double.seedBranch({ name: 'main' });
    const created = await octokit.rest.repos.createCommitComment({
      owner,
      repo,
      commit_sha: sha,
      body: 'trained here',
    });
    expect(created.data).toMatchObject({ commit_id: sha, body: 'trained here', path: null });
    const listed = await octokit.rest.repos.listCommentsForCommit({ owner, repo, commit_sha: sha });
    expect(listed.data.map((c) => c.id)).toEqual([created.data.id]);
  });

  it('issues and labels: labels made on the fly, state, filters, pull requests in the list', async () => {
    const pr = double.seedPullRequest();
    const created = await octokit.rest.issues.create({
      owner,
      repo,
      title: 'Drift',
      body: 'b',
      labels: ['drift'],
    });
    expect(created.data.labels).toEqual([expect.objectContaining({ name: 'drift', color: 'ededed' })]);
    const issue_number = created.data.number;
    expect(issue_number).toBe(pr.number + 1);
    expect((await octokit.rest.issues.get({ owner, repo, issue_number })).data.title).toBe('Drift');

    const label = await octokit.rest.issues.createLabel({ owner, repo, name: 'model', color: '00ff00' });
    expect(label.status).toBe(201);
    const duplicate = await failure(
      octokit.rest.issues.createLabel({ owner, repo, name: 'Model', color: '00ff00' }),
    );
    expect(duplicate.response.data.errors).toEqual([
      { resource: 'Label', code: 'already_exists', field: 'name' },
    ]);
    double.expectViolation({ kind: 'rejected', operationId: 'issues/create-label' });
    expect((await octokit.rest.issues.getLabel({ owner, repo, name: 'model' })).data.color).toBe('00ff00');
    const added = await octokit.rest.issues.addLabels({
      owner,
      repo,
      issue_number,
      labels: ['model', 'new'],
    });
    expect(added.data.map((l) => l.name)).toEqual(['drift', 'model', 'new']);
    expect((await octokit.rest.issues.listLabelsForRepo({ owner, repo })).data.map((l) => l.name)).toEqual([
      'drift',
      'model',
      'new',
    ]);

    const open = await octokit.rest.issues.listForRepo({ owner, repo });
    expect(open.data.map((i) => [i.number, i.pull_request !== undefined])).toEqual([
      [issue_number, false],
      [pr.number, true],
    ]);
    const closed = await octokit.rest.issues.update({ owner, repo, issue_number, state: 'closed' });
    expect(closed.data).toMatchObject({
      state: 'closed',
      state_reason: 'completed',
      closed_at: expect.any(String),
    });
    const byLabel = await octokit.rest.issues.listForRepo({
      owner,
      repo,
      state: 'closed',
      labels: 'drift,model',
    });
    expect(byLabel.data.map((i) => i.number)).toEqual([issue_number]);
    expect((await octokit.rest.issues.listForRepo({ owner, repo, labels: 'drift' })).data).toEqual([]);
  });

  it('commit statuses: create, list for a ref, combined status, deployments refused while red', async () => {
    const sha = double.seedBranch({ name: 'main' });
    await octokit.rest.repos.createCommitStatus({
      owner,
      repo,
      sha,
      state: 'pending',
      context: 'mlactions/gate',
    });
    await octokit.rest.repos.createCommitStatus({
      owner,
      repo,
      sha,
      state: 'success',
      context: 'mlactions/gate',
    });
    await octokit.rest.repos.createCommitStatus({ owner, repo, sha, state: 'failure', context: 'ci/test' });
    const listed = await octokit.rest.repos.listCommitStatusesForRef({ owner, repo, ref: 'main' });
    expect(listed.data.map((s) => s.state)).toEqual(['failure', 'success', 'pending']);
    const combined = await octokit.rest.repos.getCombinedStatusForRef({ owner, repo, ref: sha });
    expect(combined.data).toMatchObject({ state: 'failure', total_count: 2, sha });

    // A deployment needs every context green unless required_contexts says otherwise. plugin-retry
    // retries a 409 (three times, 14 s); one attempt shows the answer.
    const refused = await failure(
      octokit.rest.repos.createDeployment({ owner, repo, ref: 'main', request: { retries: 0 } }),
    );
    expect(refused.status).toBe(409);
    expect(refused.response.data.message).toBe('Conflict: Commit status checks failed for main.');

    const branch = await failure(
      octokit.rest.repos.createCommitStatus({ owner, repo, sha: 'main', state: 'success' }),
    );
    expect(branch.response.data.message).toBe('No commit found for SHA: main');
    double.expectViolation({ kind: 'rejected', operationId: 'repos/create-commit-status' });
  });

  it('check runs: create, update, get, list for a ref', async () => {
    const pr = double.seedPullRequest();
    const head_sha = pr.head.sha;
    const created = await octokit.rest.checks.create({
      owner,
      repo,
      name: 'gate',
      head_sha,
      status: 'in_progress',
    });
    expect(created.data).toMatchObject({
      status: 'in_progress',
      conclusion: null,
      app: { slug: 'github-actions' },
    });
    expect(created.data.pull_requests.map((p) => p.number)).toEqual([pr.number]);
    const check_run_id = created.data.id;
    const updated = await octokit.rest.checks.update({
      owner,
      repo,
      check_run_id,
      conclusion: 'success',
      output: { title: 'Gate passed', summary: 'All rules hold' },
    });
    expect(updated.data).toMatchObject({
      status: 'completed',
      conclusion: 'success',
      output: { title: 'Gate passed' },
    });
    expect((await octokit.rest.checks.get({ owner, repo, check_run_id })).data.completed_at).not.toBeNull();
    const listed = await octokit.rest.checks.listForRef({ owner, repo, ref: head_sha, check_name: 'gate' });
    expect(listed.data.total_count).toBe(1);
    expect(listed.data.check_runs[0]!.id).toBe(check_run_id);
  });

  it('deployments: create, statuses, auto_inactive, filters', async () => {
    const first = await octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref: 'main',
      environment: 'staging',
    });
    expect(first.status).toBe(201);
    const firstId = (first.data as { id: number }).id;
    await octokit.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: firstId,
      state: 'success',
    });
    const second = await octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref: 'main',
      environment: 'staging',
      required_contexts: [],
      payload: { version: '1.2.0' },
    });
    const secondId = (second.data as { id: number }).id;
    const status = await octokit.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: secondId,
      state: 'success',
      environment_url: 'https://models.example/staging',
    });
    expect(status.data).toMatchObject({ state: 'success', environment: 'staging' });
    expect(double.state.deploymentStatuses(owner, repo, firstId).map((s) => s.state)).toEqual([
      'success',
      'inactive',
    ]);

    const listed = await octokit.rest.repos.listDeployments({ owner, repo, environment: 'staging' });
    expect(listed.data.map((d) => d.id)).toEqual([secondId, firstId]);
    expect(
      (await octokit.rest.repos.listDeployments({ owner, repo, environment: 'production' })).data,
    ).toEqual([]);
    expect(
      (await octokit.rest.repos.getDeployment({ owner, repo, deployment_id: secondId })).data.payload,
    ).toEqual({
      version: '1.2.0',
    });
    const statuses = await octokit.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: firstId });
    expect(statuses.data.map((s) => s.state)).toEqual(['inactive', 'success']);
  });

  it('releases and assets: create, upload on the uploads host, download, duplicate name, update, delete', async () => {
    const created = await octokit.rest.repos.createRelease({
      owner,
      repo,
      tag_name: 'model-v1.0.0',
      name: 'v1',
    });
    expect(created.data.upload_url).toBe(
      `${double.uploadsUrl}/repos/${owner}/${repo}/releases/${created.data.id}/assets{?name,label}`,
    );
    const release_id = created.data.id;
    expect((await octokit.rest.repos.getReleaseByTag({ owner, repo, tag: 'model-v1.0.0' })).data.id).toBe(
      release_id,
    );

    const bytes = Buffer.from([0, 1, 2, 250, 251, 252]);
    const upload = {
      owner,
      repo,
      release_id,
      url: created.data.upload_url,
      name: 'model.onnx',
      data: bytes as unknown as string,
      headers: { 'content-type': 'application/octet-stream' },
    };
    const uploaded = await octokit.rest.repos.uploadReleaseAsset(upload);
    expect(uploaded.status).toBe(201);
    expect(uploaded.data).toMatchObject({ name: 'model.onnx', size: 6, state: 'uploaded' });
    const downloaded = await octokit.rest.repos.getReleaseAsset({
      owner,
      repo,
      asset_id: uploaded.data.id,
      headers: { accept: 'application/octet-stream' },
    });
    expect(Buffer.from(downloaded.data as unknown as ArrayBuffer)).toEqual(bytes);
    expect(double.state.assetContent(owner, repo, uploaded.data.id)).toEqual(bytes);

    const duplicate = await failure(octokit.rest.repos.uploadReleaseAsset(upload));
    expect(duplicate.response.data.errors).toEqual([
      { resource: 'ReleaseAsset', code: 'already_exists', field: 'name' },
    ]);
    double.expectViolation({ kind: 'rejected', operationId: 'repos/upload-release-asset' });

    const updated = await octokit.rest.repos.updateRelease({ owner, repo, release_id, body: 'notes' });
    expect(updated.data).toMatchObject({
      body: 'notes',
      assets: [expect.objectContaining({ name: 'model.onnx' })],
    });
    expect((await octokit.rest.repos.listReleases({ owner, repo })).data.map((r) => r.id)).toEqual([
      release_id,
    ]);
    expect((await octokit.rest.repos.deleteRelease({ owner, repo, release_id })).status).toBe(204);
    expect((await failure(octokit.rest.repos.getRelease({ owner, repo, release_id }))).status).toBe(404);
  });

  it('refuses an upload sent to the API host instead of the upload_url', async () => {
    const release = double.seedRelease({ tag: 'v1' });
    const error = await failure(
      octokit.request('POST /repos/{owner}/{repo}/releases/{release_id}/assets{?name}', {
        owner,
        repo,
        release_id: release.id,
        name: 'a.bin',
        baseUrl: double.url,
        data: Buffer.from('x') as unknown as string,
        headers: { 'content-type': 'application/octet-stream' },
      }),
    );
    expect(error.status).toBe(404);
    double.expectViolation({ kind: 'unknown-route', operationId: 'repos/upload-release-asset' });
  });

  it('workflow and repository dispatches are recorded', async () => {
    const workflow = await octokit.rest.actions.createWorkflowDispatch({
      owner,
      repo,
      workflow_id: 'train.yml',
      ref: 'main',
      inputs: { reason: 'drift' },
    });
    expect(workflow.status).toBe(204);
    const dispatch = await octokit.rest.repos.createDispatchEvent({
      owner,
      repo,
      event_type: 'retrain',
      client_payload: { model: 'iris' },
    });
    expect(dispatch.status).toBe(204);
    expect(double.state.workflowDispatches(owner, repo)).toEqual([
      { workflow_id: 'train.yml', ref: 'main', inputs: { reason: 'drift' } },
    ]);
    expect(double.state.repositoryDispatches(owner, repo)).toEqual([
      { event_type: 'retrain', client_payload: { model: 'iris' } },
    ]);
  });
});

describe('the description itself', () => {
  it('holds answers to the response schemas (the double checks its own replies with this)', () => {
    const api = loadGitHubOpenApi();
    const match = api.match('GET', `/repos/${owner}/${repo}/issues/comments/1`);
    if (match.kind !== 'operation') throw new Error('expected an operation');
    expect(match.operation.operationId).toBe('issues/get-comment');
    expect(api.checkResponse(match.operation, 200, { id: 'one' })).toEqual(
      expect.arrayContaining([expect.stringContaining('/id must be integer')]),
    );
    const comment = double.seedComments({ issue: double.seedIssue().number, count: 1 })[0];
    expect(api.checkResponse(match.operation, 200, comment)).toEqual([]);
    expect(api.checkResponse(match.operation, 201, comment)).toEqual([
      'status 201 is not documented for issues/get-comment',
    ]);
  });

  it('routes literal segments before parameters and names parameters per template', () => {
    const api = loadGitHubOpenApi();
    const latest = api.match('GET', '/repos/o/r/releases/latest');
    const byTag = api.match('GET', '/repos/o/r/releases/tags/v1%2F2');
    const pulls = api.match('GET', '/repos/o/r/commits/abc/pulls');
    const statuses = api.match('GET', '/repos/o/r/commits/refs%2Fheads%2Fmain/statuses');
    expect(latest).toMatchObject({ operation: { operationId: 'repos/get-latest-release' } });
    expect(byTag).toMatchObject({ pathParams: { tag: 'v1/2' } });
    expect(pulls).toMatchObject({ pathParams: { commit_sha: 'abc' } });
    expect(statuses).toMatchObject({ pathParams: { ref: 'refs/heads/main' } });
    expect(api.match('GET', '/repos/o/r/nothing')).toEqual({ kind: 'no-path' });
  });
});
