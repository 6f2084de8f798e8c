// The assets branch's rules (folders, pruning, limits, names, links) through the local adapter, against
// the real `git` command in a temporary bare repository; the GitHub adapter's test is in @mlactions/github.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AssetFile,
  type AssetsTarget,
  assetName,
  checkAssets,
  type GitObjects,
  pushAssets,
} from '../src/assets-branch.ts';
import { GitNotFoundError, initBareRepository, localGitObjects } from '../src/local-git.ts';

const BRANCH = 'mlactions-assets';
let work: string;
let repo: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'mlactions-assets-'));
  repo = await initBareRepository(join(work, 'assets.git'), BRANCH);
});

afterEach(() => rm(work, { recursive: true, force: true }));

/** The real git, asked directly: the branch's files (path → bytes) at its head. */
function branchFiles(branch = BRANCH): Map<string, Buffer> {
  const env = { ...process.env, GIT_DIR: repo };
  const listing = execFileSync('git', ['ls-tree', '-r', '-z', '--name-only', `refs/heads/${branch}`], {
    env,
  });
  const paths = listing.toString('utf8').split('\0').filter(Boolean);
  return new Map(
    paths.map((path) => [
      path,
      execFileSync('git', ['cat-file', 'blob', `refs/heads/${branch}:${path}`], { env }),
    ]),
  );
}

const target = (pullRequest: number, keep = 2): AssetsTarget => ({
  branch: BRANCH,
  pullRequest,
  keep,
  link: (commit, path) => `https://example.test/${commit}/${path}`,
  limits: { maxFileBytes: 1000, maxTotalBytes: 1500, maxFiles: 10 },
});
const png = (name: string, text: string): AssetFile => ({ name, bytes: Buffer.from(`\x89PNG${text}`) });

describe('pushAssets into a local repository (git plumbing)', () => {
  it("makes the branch, writes the pull request's folder, links each image by commit and reads it back", async () => {
    const git = localGitObjects(repo);
    const pushed = await pushAssets(git, target(3), [png('confusion matrix.png', 'a'), png('roc.png', 'b')]);
    expect([...branchFiles().keys()].sort()).toEqual(['pr-3/confusion_matrix.png', 'pr-3/roc.png']);
    expect(branchFiles().get('pr-3/confusion_matrix.png')!.toString()).toBe('\x89PNGa');
    expect(pushed.images).toEqual([
      {
        name: 'confusion matrix.png',
        path: 'pr-3/confusion_matrix.png',
        url: `https://example.test/${pushed.commit}/pr-3/confusion_matrix.png`,
      },
      { name: 'roc.png', path: 'pr-3/roc.png', url: `https://example.test/${pushed.commit}/pr-3/roc.png` },
    ]);
    const head = execFileSync('git', ['rev-parse', `refs/heads/${BRANCH}`], {
      env: { ...process.env, GIT_DIR: repo },
    });
    expect(head.toString().trim()).toBe(pushed.commit);
    expect((await git.readFile(pushed.commit, 'pr-3/roc.png')).toString()).toBe('\x89PNGb');
  });

  it("replaces the pull request's folder and prunes the oldest folders beyond keep, in history", async () => {
    const git = localGitObjects(repo);
    const first = await pushAssets(git, target(1), [png('confusion matrix.png', '1')]);
    await pushAssets(git, target(2), [png('confusion matrix.png', '2')]);
    await pushAssets(git, target(2), [png('roc.png', 'x')]);
    expect([...branchFiles().keys()].sort()).toEqual(['pr-1/confusion_matrix.png', 'pr-2/roc.png']);
    await pushAssets(git, target(10), [png('confusion matrix.png', '10')]);
    expect([...branchFiles().keys()].sort()).toEqual(['pr-10/confusion_matrix.png', 'pr-2/roc.png']);
    // Pruned from the tree, kept in history: the first link's commit still holds the file.
    expect((await git.readFile(first.commit, 'pr-1/confusion_matrix.png')).toString()).toBe('\x89PNG1');
    const log = execFileSync('git', ['rev-list', '--count', `refs/heads/${BRANCH}`], {
      env: { ...process.env, GIT_DIR: repo },
    });
    expect(log.toString().trim()).toBe('4');
  });

  it('refuses images over the limits before writing anything, naming the file', async () => {
    const git = localGitObjects(repo);
    await expect(
      pushAssets(git, target(1), [png('small.png', 'x'), { name: 'big.png', bytes: Buffer.alloc(1001) }]),
    ).rejects.toThrow('big.png: 1001 bytes, over the 1000 allowed per image. Make it smaller.');
    await expect(pushAssets(git, target(1), [png('a.svg', '<svg onload=alert(1)>')])).rejects.toThrow(
      /a\.svg: not an image/,
    );
    expect(await git.readBranch(BRANCH)).toBeUndefined();
    const objects = execFileSync('git', ['count-objects', '-v'], { env: { ...process.env, GIT_DIR: repo } });
    expect(objects.toString()).toMatch(/^count: 0$/m);
    expect(objects.toString()).toMatch(/^in-pack: 0$/m);
  });

  it('tries again from the new head when another writer moves the branch meanwhile', async () => {
    const git = localGitObjects(repo);
    await pushAssets(git, target(1), [png('a.png', '1')]);
    let raced = false;
    const racing: GitObjects = {
      ...git,
      async moveBranch(branch, to, from) {
        if (!raced) {
          raced = true;
          await pushAssets(git, target(2), [png('b.png', '2')]);
        }
        return git.moveBranch(branch, to, from);
      },
    };
    await pushAssets(racing, target(3, 3), [png('c.png', '3')]);
    expect([...branchFiles().keys()].sort()).toEqual(['pr-1/a.png', 'pr-2/b.png', 'pr-3/c.png']);
  });

  it('stores hostile names as one safe segment, so they never reach a path, markdown or a shell', async () => {
    const git = localGitObjects(repo);
    const names = [
      '../../.git/hooks/post-commit.png',
      '$(touch pwned).png',
      '`rm -rf ~`;|&.png',
      '-n --exec=x.png',
      'a]\n(javascript:alert(1)).png',
      '.git.png',
      `${'x'.repeat(300)}.png`,
    ];
    const pushed = await pushAssets(
      git,
      target(4),
      names.map((name, i) => png(name, String(i))),
    );
    const paths = [...branchFiles().keys()];
    expect(paths).toHaveLength(names.length);
    for (const path of paths) expect(path).toMatch(/^pr-4\/[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/);
    expect(paths).toContain('pr-4/post-commit.png');
    expect(paths).toContain('pr-4/_git.png');
    for (const image of pushed.images)
      expect(image.url).toMatch(/^https:\/\/example\.test\/[0-9a-f]{40}\/pr-4\/[\w.-]+$/);
    expect(existsSync(join(work, 'pwned'))).toBe(false);
    expect(existsSync(join(repo, 'hooks', 'post-commit.png'))).toBe(false);
  });

  it('refuses a path that would leave the tree or enter .git, and a branch name git does not allow', async () => {
    const git = localGitObjects(repo);
    const blob = await git.writeBlob(Buffer.from('x'));
    for (const path of ['../x.png', 'pr-1/../../x.png', 'pr-1/.git/x.png', 'pr-1//x.png', 'a\nb.png'])
      await expect(git.writeTree([{ path, sha: blob }]), path).rejects.toThrow(
        /not a file path a tree can hold/,
      );
    await expect(git.readFile('HEAD', 'x.png')).rejects.toThrow(/not a commit id/);
    for (const branch of ['-x', 'a..b', 'a b', 'x.lock', '--upload-pack=evil'])
      await expect(pushAssets(git, { ...target(1), branch }, [png('a.png', '1')]), branch).rejects.toThrow(
        /not a branch name git allows/,
      );
  });

  it('says clearly when git is not installed', async () => {
    const path = process.env.PATH;
    process.env.PATH = join(work, 'no-such-folder');
    try {
      const error = await localGitObjects(repo)
        .writeBlob(Buffer.from('x'))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitNotFoundError);
      expect((error as Error).message).toMatch(/The `git` command was not found on PATH: install git/);
    } finally {
      process.env.PATH = path;
    }
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

  it('refuses two files that one safe name would hold', () => {
    expect(() =>
      checkAssets(
        [
          { name: 'a b.png', bytes: Buffer.alloc(1) },
          { name: 'a_b.png', bytes: Buffer.alloc(1) },
        ],
        limits,
      ),
    ).toThrow('a b.png and a_b.png would both be stored as a_b.png: rename one of them.');
  });

  it('keeps a name to one safe path segment of at most 100 characters', () => {
    expect(assetName('../../.github/workflows/x.png')).toBe('x.png');
    expect(assetName('..png')).toBe('_png');
    expect(assetName('a b<c>.png')).toBe('a_b_c_.png');
    expect(assetName('dir\\')).toBe('_');
    const long = assetName(`${'y'.repeat(250)}.png`);
    expect(long).toHaveLength(100);
    expect(long.endsWith('yyy.png')).toBe(true);
  });
});
