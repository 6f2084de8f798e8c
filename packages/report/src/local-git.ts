/**
 * The assets branch's git objects in a local repository, written and read with the `git` command's
 * plumbing (hash-object, mktree, commit-tree, update-ref; rev-parse, ls-tree, cat-file): the local side
 * of the GitObjects port, for the demo and for anyone without GitHub. git runs through execFile with an
 * argument array (never a shell), in a repository named by GIT_DIR alone.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { UserError } from '@mlactions/core';
import type { GitObjects, TreeFile } from './assets-branch.ts';

/** The `git` command is not on PATH (its message names the fix). */
export class GitNotFoundError extends UserError {}

/** Who the commits are by, unless told otherwise. */
const AUTHOR = { name: 'mlactions', email: 'mlactions@localhost' };

/** The most a git command may print (an image is 5 MB by default, 25 MB in all). */
const MAX_OUTPUT = 256 * 1024 * 1024;

/** Runs git with these arguments (and `input` on stdin) in the repository; resolves with its stdout. */
function git(gitDir: string, args: readonly string[], input?: Uint8Array | string): Promise<Buffer> {
  // The inherited GIT_* variables (a hook's GIT_INDEX_FILE, GIT_WORK_TREE, …) would redirect git.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_')));
  return new Promise((done, fail) => {
    const child = execFile(
      'git',
      args,
      {
        encoding: 'buffer',
        maxBuffer: MAX_OUTPUT,
        env: {
          ...env,
          GIT_DIR: gitDir,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_TERMINAL_PROMPT: '0',
          GIT_AUTHOR_NAME: AUTHOR.name,
          GIT_AUTHOR_EMAIL: AUTHOR.email,
          GIT_COMMITTER_NAME: AUTHOR.name,
          GIT_COMMITTER_EMAIL: AUTHOR.email,
        },
      },
      (error, stdout, stderr) => {
        if (!error) return done(stdout);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          return fail(
            new GitNotFoundError(
              'The `git` command was not found on PATH: install git (https://git-scm.com/downloads) to write images to a local branch.',
            ),
          );
        const said = stderr.toString('utf8').trim() || error.message;
        fail(Object.assign(new Error(`git ${args[0]}: ${said}`), { exitCode: error.code }));
      },
    );
    child.stdin?.on('error', () => {}); // git may exit before reading all of it; its exit status tells.
    child.stdin?.end(input ?? '');
  });
}

const text = (output: Buffer) => output.toString('utf8').trim();

/** Makes an empty bare repository at `dir` whose HEAD names `branch`; returns its git folder. */
export async function initBareRepository(dir: string, branch: string): Promise<string> {
  const gitDir = resolve(dir);
  await git(gitDir, ['init', '--quiet', '--bare', `--initial-branch=${branch}`, gitDir]);
  return gitDir;
}

/** A path segment git stores as it is, refused otherwise (never a way out of the tree or into .git). */
function checkedSegment(segment: string, path: string): string {
  if (
    segment === '' ||
    segment === '.' ||
    segment === '..' ||
    /[\0\n]/.test(segment) ||
    /^\.git$/i.test(segment)
  )
    throw new UserError(`${JSON.stringify(path)}: not a file path a tree can hold.`);
  return segment;
}

interface Folder {
  files: Map<string, string>;
  folders: Map<string, Folder>;
}

/** The repository's git objects, and its files read back. */
export interface LocalGitObjects extends GitObjects {
  /** The bytes of the file at `path` in `commit`. */
  readFile(commit: string, path: string): Promise<Buffer>;
}

/** The git objects of the repository whose git folder is `gitDir` (a bare repository, or a `.git`). */
export function localGitObjects(gitDir: string): LocalGitObjects {
  const dir = resolve(gitDir);
  const run = (args: readonly string[], input?: Uint8Array | string) => git(dir, args, input);
  const checked = new Set<string>();
  const ref = async (branch: string) => {
    const name = `refs/heads/${branch}`;
    if (!checked.has(name)) {
      // git refuses a branch named with a leading `-` (it would read as an option), and check-ref-format the rest.
      const valid =
        !branch.startsWith('-') &&
        (await run(['check-ref-format', name]).then(
          () => true,
          () => false,
        ));
      if (!valid) throw new UserError(`${JSON.stringify(branch)}: not a branch name git allows.`);
      checked.add(name);
    }
    return name;
  };
  const head = async (branch: string) => {
    const name = await ref(branch);
    const sha = text(
      await run(['rev-parse', '--verify', '--quiet', `${name}^{commit}`]).catch(() => Buffer.of()),
    );
    return sha === '' ? undefined : sha;
  };
  const mktree = async (folder: Folder): Promise<string> => {
    const lines: string[] = [];
    for (const [name, sha] of folder.files) lines.push(`100644 blob ${sha}\t${name}\0`);
    for (const [name, sub] of folder.folders) lines.push(`040000 tree ${await mktree(sub)}\t${name}\0`);
    return text(await run(['mktree', '-z'], lines.join('')));
  };

  return {
    async readBranch(branch) {
      const commit = await head(branch);
      if (commit === undefined) return undefined;
      const listing = (await run(['ls-tree', '-r', '-z', '--full-tree', commit])).toString('utf8');
      const files = listing
        .split('\0')
        .filter((entry) => entry !== '')
        .flatMap((entry) => {
          const [meta, path] = [entry.slice(0, entry.indexOf('\t')), entry.slice(entry.indexOf('\t') + 1)];
          const [, type, sha] = meta.split(' ');
          return type === 'blob' && sha ? [{ path, sha }] : [];
        });
      return { head: commit, files };
    },

    async writeBlob(bytes) {
      return text(await run(['hash-object', '-w', '--no-filters', '--stdin'], bytes));
    },

    async writeTree(files: readonly TreeFile[]) {
      const root: Folder = { files: new Map(), folders: new Map() };
      for (const { path, sha } of files) {
        if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new UserError(`${JSON.stringify(sha)}: not a blob id.`);
        const segments = path.split('/').map((segment) => checkedSegment(segment, path));
        let folder = root;
        for (const segment of segments.slice(0, -1)) {
          if (folder.files.has(segment))
            throw new UserError(`${JSON.stringify(path)}: a file is in its way.`);
          const sub = folder.folders.get(segment) ?? { files: new Map(), folders: new Map() };
          folder.folders.set(segment, sub);
          folder = sub;
        }
        const name = segments.at(-1)!;
        if (folder.files.has(name) || folder.folders.has(name))
          throw new UserError(`${JSON.stringify(path)}: given twice.`);
        folder.files.set(name, sha);
      }
      return mktree(root);
    },

    async writeCommit({ message, tree, parents }) {
      const args = ['commit-tree', tree, ...parents.flatMap((parent) => ['-p', parent]), '-F', '-'];
      return text(await run(args, `${message}\n`));
    },

    async moveBranch(branch, to, from) {
      const name = await ref(branch);
      try {
        // An empty old value: the ref must not exist yet.
        await run(['update-ref', '-m', 'mlactions: images', name, to, from ?? '']);
        return true;
      } catch (error) {
        if ((await head(branch)) !== from) return false;
        throw error;
      }
    },

    async readFile(commit, path) {
      if (!/^[0-9a-f]{40,64}$/.test(commit))
        throw new UserError(`${JSON.stringify(commit)}: not a commit id.`);
      for (const segment of path.split('/')) checkedSegment(segment, path);
      return run(['cat-file', 'blob', `${commit}:${path}`]);
    },
  };
}
