import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '@mlactions/core';
import { fillTemplate, type InitSettings } from './fill-template.ts';

export interface InitOptions extends InitSettings {
  /** The repository to write into. */
  dir: string;
  /** Where the templates are (the repository's templates/ folder). */
  templatesDir: string;
  /** Overwrite workflows that exist. */
  force: boolean;
  /** Only these templates (file names without .yml); all but the fork companions by default. */
  only?: string[];
  /** Also the fork companions (workflow_run workflows that post for forks' pull requests). */
  forks?: boolean;
}

/**
 * Workflows that act for forks' pull requests with a write token: written only when asked (`forks`,
 * or by name), as a repository that takes no fork pull requests is better off without them.
 */
const FORK_COMPANIONS = ['gate-forks', 'report-forks'];

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Writes the workflow templates into `<dir>/.github/workflows/`, filled in. Refuses, writing
 * nothing, when any of them exists already, unless forced.
 */
export async function writeTemplates(options: InitOptions): Promise<string[]> {
  const available = (await readdir(options.templatesDir)).filter((f) => f.endsWith('.yml')).sort();
  const wanted =
    options.only ??
    available.map((f) => f.slice(0, -4)).filter((name) => options.forks || !FORK_COMPANIONS.includes(name));
  const unknown = wanted.filter((name) => !available.includes(`${name}.yml`));
  if (unknown.length > 0) {
    throw new UserError(
      `no template named ${unknown.join(', ')}. Templates: ${available.map((f) => f.slice(0, -4)).join(', ')}.`,
    );
  }
  const workflows = join(options.dir, '.github', 'workflows');
  const targets = wanted.map((name) => ({
    source: join(options.templatesDir, `${name}.yml`),
    target: join(workflows, `${name}.yml`),
  }));
  if (!options.force) {
    const taken = [];
    for (const { target } of targets) if (await exists(target)) taken.push(target);
    if (taken.length > 0) {
      throw new UserError(
        `${taken.join(', ')} already exist; nothing was written. Pass --force to overwrite them.`,
      );
    }
  }
  // Fill every template before writing any, so a bad template leaves the repository untouched.
  const filled = await Promise.all(
    targets.map(async ({ source, target }) => ({
      target,
      text: fillTemplate(await readFile(source, 'utf8'), options),
    })),
  );
  await mkdir(workflows, { recursive: true });
  for (const { target, text } of filled) await writeFile(target, text);
  return filled.map((f) => f.target);
}
