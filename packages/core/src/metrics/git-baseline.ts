import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../user-error.ts';

const run = promisify(execFile);

/** A ref as git names commits: refused when it could be read as an option or holds odd characters. */
function checkRef(ref: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/@^~-]*$/.test(ref)) {
    throw new UserError(`"${ref}" is not a git ref or sha. Give a commit sha, a branch or a tag.`);
  }
}

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
    return stdout;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
    throw new UserError(
      `git ${args[0]} failed in ${cwd}: ${stderr || (error as Error).message}. ` +
        'The baseline commit must be in the checkout: use actions/checkout with `fetch-depth: 0`.',
    );
  }
}

/**
 * Copies the metric files committed at `ref` under each of `paths` into a new temporary folder,
 * keeping their layout, and returns the copies' paths (one per given path), or undefined when the
 * commit held none of them (a first run). Reads git objects only: the work tree is untouched.
 */
export async function metricsAtRef(
  ref: string,
  paths: readonly string[],
  cwd: string,
): Promise<string[] | undefined> {
  checkRef(ref);
  const top = (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
  const out = await mkdtemp(join(tmpdir(), 'mlactions-base-'));
  const copies: string[] = [];
  let found = 0;
  for (const path of paths) {
    const rel = relative(top, resolve(cwd, path)).split(sep).join('/');
    const listed = await git(top, ['ls-tree', '-r', '-z', '--name-only', ref, '--', rel]);
    for (const file of listed.split('\0').filter(Boolean)) {
      const { stdout } = await run('git', ['cat-file', 'blob', `${ref}:${file}`], {
        cwd: top,
        encoding: 'buffer',
        maxBuffer: 256 * 1024 * 1024,
      });
      await mkdir(dirname(join(out, file)), { recursive: true });
      await writeFile(join(out, file), stdout);
      found++;
    }
    copies.push(join(out, rel));
  }
  return found === 0 ? undefined : copies;
}
