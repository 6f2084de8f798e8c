import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GitHubDouble, startGitHubDouble } from '../../../test/harness/index.ts';
import { type AssetsTarget, assetName, checkAssets, pushAssets } from '../src/assets-branch.ts';
import { createClient, type GitHubClient } from '../src/client.ts';

let double: GitHubDouble;
let client: GitHubClient;
const OWNER = 'octocat';
const REPO = 'model-repo';
const target = (pullRequest: number, keep = 2): AssetsTarget => ({
  owner: OWNER,
  repo: REPO,
  branch: 'mlactions-assets',
  pullRequest,
  keep,
  serverUrl: 'https://github.com',
});
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
    const pushed = await pushAssets(client, target(3), [png('a')]);
    expect([...files()!.keys()]).toEqual(['pr-3/confusion_matrix.png']);
    expect(files()!.get('pr-3/confusion_matrix.png')!.toString()).toBe('\x89PNGa');
    expect(pushed.images).toEqual([
      {
        name: 'confusion matrix.png',
        url: `https://github.com/${OWNER}/${REPO}/blob/${pushed.commit}/pr-3/confusion_matrix.png?raw=true`,
      },
    ]);
    expect(double.violations).toEqual([]);
  });

  it("replaces the pull request's folder and prunes the oldest folders beyond keep", async () => {
    await pushAssets(client, target(1), [png('1')]);
    await pushAssets(client, target(2), [png('2')]);
    await pushAssets(client, target(2), [{ name: 'roc.png', bytes: Buffer.from('x') }]);
    expect([...files()!.keys()].sort()).toEqual(['pr-1/confusion_matrix.png', 'pr-2/roc.png']);
    await pushAssets(client, target(5), [png('5')]);
    expect([...files()!.keys()].sort()).toEqual(['pr-2/roc.png', 'pr-5/confusion_matrix.png']);
    expect(double.violations).toEqual([]);
  });
});

describe('checkAssets and assetName', () => {
  const limits = { maxFileBytes: 10, maxTotalBytes: 15, maxFiles: 2 };
  it('refuses what is not an image, too big, or too many, naming it', () => {
    expect(() => checkAssets([{ name: 'x.svg', bytes: Buffer.from('<svg/>') }], limits)).toThrow(
      /x\.svg: not an image/,
    );
    expect(() => checkAssets([{ name: 'a.png', bytes: Buffer.alloc(11) }], limits)).toThrow(
      /a\.png: 11 bytes, over the 10/,
    );
    expect(() =>
      checkAssets(
        [
          { name: 'a.png', bytes: Buffer.alloc(8) },
          { name: 'b.png', bytes: Buffer.alloc(8) },
        ],
        limits,
      ),
    ).toThrow(/16 bytes, over the 15/);
    expect(() =>
      checkAssets(
        [1, 2, 3].map((i) => ({ name: `${i}.png`, bytes: Buffer.alloc(1) })),
        limits,
      ),
    ).toThrow(/3 images given/);
  });

  it('keeps a name to one safe path segment', () => {
    expect(assetName('../../.github/workflows/x.png')).toBe('x.png');
    expect(assetName('..png')).toBe('_png');
    expect(assetName('a b<c>.png')).toBe('a_b_c_.png');
  });
});
