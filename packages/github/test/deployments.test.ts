import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeSha, type GitHubDouble, startGitHubDouble } from '../../../test/harness/index.ts';
import { createClient, type GitHubClient } from '../src/client.ts';
import {
  createDeployment,
  type DeploymentTarget,
  deactivateEarlier,
  findActiveDeployment,
  findDeployment,
  modelPayload,
  setDeploymentStatus,
} from '../src/deployments.ts';

let double: GitHubDouble;
let client: GitHubClient;
const repo = { owner: 'octocat', repo: 'model-repo' };

function target(version: string, runId: number, model = 'iris'): DeploymentTarget {
  return { ...repo, environment: 'production', model, version, runId, sha: fakeSha('refs/heads/main') };
}

async function deployed(t: DeploymentTarget, state: 'success' | 'failure'): Promise<number> {
  const id = await createDeployment(client, t, { description: `${t.model} ${t.version}` });
  await setDeploymentStatus(client, { ...repo, id }, { state, description: state });
  return id;
}

const states = (id: number) => double.state.deploymentStatuses(repo.owner, repo.repo, id).map((s) => s.state);

beforeEach(async () => {
  double = await startGitHubDouble();
  client = createClient({ token: 'ghs_test', baseUrl: double.url, pacing: 'none' });
});

afterEach(async () => {
  await double.close();
});

describe('modelPayload', () => {
  it('reads an object or JSON text, and nothing else', () => {
    expect(modelPayload({ model: 'iris', version: '1.0.0', runId: 3, extra: 1 })).toEqual({
      model: 'iris',
      version: '1.0.0',
      runId: 3,
    });
    expect(modelPayload('{"model":"iris","version":"1.0.0"}')).toEqual({ model: 'iris', version: '1.0.0' });
    expect(modelPayload('not json')).toBeUndefined();
    expect(modelPayload({ model: 'iris' })).toBeUndefined();
    expect(modelPayload(null)).toBeUndefined();
  });
});

describe('model deployments', () => {
  it('finds this run’s deployment of a version, and no other run’s', async () => {
    const id = await deployed(target('1.0.0', 1), 'failure');
    expect(await findDeployment(client, target('1.0.0', 1))).toMatchObject({
      id,
      state: 'failure',
      runId: 1,
    });
    expect(await findDeployment(client, target('1.0.0', 2))).toBeUndefined();
    expect(await findDeployment(client, target('1.1.0', 1))).toBeUndefined();
  });

  it('knows the live deployment of a model, past failed ones and other models', async () => {
    expect(await findActiveDeployment(client, target('1.0.0', 1))).toBeUndefined();
    const live = await deployed(target('1.0.0', 1), 'success');
    await deployed(target('1.1.0', 2), 'failure');
    await deployed(target('5.0.0', 3, 'other-model'), 'success');
    expect(await findActiveDeployment(client, target('x', 0))).toMatchObject({ id: live, version: '1.0.0' });
  });

  it('marks earlier successful deployments of the model inactive, stopping at the first inactive one', async () => {
    const a = await deployed(target('1.0.0', 1), 'success');
    const b = await deployed(target('1.1.0', 2), 'success');
    const failed = await deployed(target('1.2.0', 3), 'failure');
    const c = await deployed(target('1.3.0', 4), 'success');
    const otherModel = await deployed(target('9.0.0', 5, 'other-model'), 'success');
    expect(await deactivateEarlier(client, target('1.3.0', 4), c)).toEqual([b, a]);
    expect(states(a)).toEqual(['success', 'inactive']);
    expect(states(failed)).toEqual(['failure']);
    expect(states(c)).toEqual(['success']);
    expect(states(otherModel)).toEqual(['success']);

    const d = await deployed(target('1.4.0', 6), 'success');
    const listsBefore = double.requestsFor('repos/list-deployment-statuses').length;
    expect(await deactivateEarlier(client, target('1.4.0', 6), d)).toEqual([c]);
    // c, then the failed one, then b, which is inactive: the search ends there.
    expect(double.requestsFor('repos/list-deployment-statuses').length - listsBefore).toBe(3);
  });

  it('says which required checks are not green when GitHub refuses a deployment', async () => {
    await client.rest.repos.createCommitStatus({
      ...repo,
      sha: fakeSha('refs/heads/main'),
      state: 'pending',
      context: 'mlactions/gate',
    });
    await expect(
      createDeployment(client, target('1.0.0', 1), {
        description: 'x',
        requiredContexts: ['mlactions/gate'],
      }),
    ).rejects.toThrow(/not green on it: mlactions\/gate \(pending\)/);
    expect(double.state.deployments(repo.owner, repo.repo)).toHaveLength(0);
  });
});
