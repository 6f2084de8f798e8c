import { type AssetFile, type AssetsTarget, DEFAULT_ASSET_LIMITS, pushAssets } from '@mlactions/report';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GitHubDouble, startGitHubDouble } from '../../../test/harness/index.ts';
import { gitHubFileLink, gitHubObjects } from '../src/assets-branch.ts';
import { createClient, type GitHubClient } from '../src/client.ts';

let double: GitHubDouble;
let client: GitHubClient;
const OWNER = 'octocat';
const REPO = 'model-repo';
const target = (pullRequest: number, keep = 2): AssetsTarget => ({
  branch: 'mlactions-assets',
  pullRequest,
  keep,
  link: gitHubFileLink('https://github.com', { owner: OWNER, repo: REPO }),
  limits: DEFAULT_ASSET_LIMITS,
});
const push = (to: AssetsTarget, images: AssetFile[]) =>
  pushAssets(gitHubObjects(client, { owner: OWNER, repo: REPO }), to, images);
const png = (text: string) => ({ name: 'confusion matrix.png', bytes: Buffer.from(`\x89PNG${text}`) });
const files = () => double.state.branchFiles(OWNER, REPO, 'mlactions-assets');

beforeEach(async () => {
  double = await startGitHubDouble();
  client = createClient({ token: 'ghs_test', baseUrl: double.url, pacing: 'none' });
});

afterEach(async () => {
  await double.close();
});

describe('pushAssets (git data API)', () => {
  it('makes the branch, writes the folder of the pull request and links each image by commit', async () => {
    const pushed = await push(target(3), [png('a')]);
    expect([...files()!.keys()]).toEqual(['pr-3/confusion_matrix.png']);
    expect(files()!.get('pr-3/confusion_matrix.png')!.toString()).toBe('\x89PNGa');
    expect(pushed.images).toEqual([
      {
        name: 'confusion matrix.png',
        path: 'pr-3/confusion_matrix.png',
        url: `https://github.com/${OWNER}/${REPO}/blob/${pushed.commit}/pr-3/confusion_matrix.png?raw=true`,
      },
    ]);
    expect(double.violations).toEqual([]);
  });

  it("replaces the pull request's folder and prunes the oldest folders beyond keep", async () => {
    await push(target(1), [png('1')]);
    await push(target(2), [png('2')]);
    await push(target(2), [{ name: 'roc.png', bytes: Buffer.from('x') }]);
    expect([...files()!.keys()].sort()).toEqual(['pr-1/confusion_matrix.png', 'pr-2/roc.png']);
    await push(target(5), [png('5')]);
    expect([...files()!.keys()].sort()).toEqual(['pr-2/roc.png', 'pr-5/confusion_matrix.png']);
    expect(double.violations).toEqual([]);
  });
});
