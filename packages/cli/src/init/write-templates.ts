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
  /** Also the scheduled store clean-up (retention and garbage collection). */
  cleanup?: boolean;
  /** Asks the user for a setting the workflows need and no flag gave (in a terminal only). */
  ask?: (setting: RequiredSetting) => Promise<string>;
}

/** What init cannot guess: the workflows that use one of these are useless without it. */
export const REQUIRED = {
  'train-command': {
    key: 'trainCommand',
    what: 'the command that trains, writing model.onnx and $MLACTIONS_METRICS_FILE, e.g. "python train.py"',
  },
  'aws-role-arn': { key: 'awsRoleArn', what: 'the IAM role the jobs that touch the s3:// store assume' },
  'aws-region': { key: 'awsRegion', what: "the s3:// store's AWS region, e.g. eu-west-1" },
} as const;
export type RequiredSetting = keyof typeof REQUIRED;

/**
 * Workflows written only when asked (by their option, or by name): the fork companions act for forks'
 * pull requests with a write token, which a repository that takes none is better off without; the
 * clean-up deletes versions, which nobody should find running unasked.
 */
const ON_REQUEST: Record<string, 'forks' | 'cleanup'> = {
  'gate-forks': 'forks',
  'report-forks': 'forks',
  cleanup: 'cleanup',
};

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
    available
      .map((f) => f.slice(0, -4))
      .filter((name) => !Object.hasOwn(ON_REQUEST, name) || options[ON_REQUEST[name]!] === true);
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
  const settings: InitSettings = {
    ...options,
    requirements: await exists(join(options.dir, 'requirements.txt')),
  };
  const templates = await Promise.all(
    targets.map(async ({ source, target }) => ({ target, template: await readFile(source, 'utf8') })),
  );
  const used = new Set<string>();
  for (const { template } of templates) fillTemplate(template, settings, used);
  const missing = (Object.keys(REQUIRED) as RequiredSetting[]).filter(
    (setting) => used.has(setting) && settings[REQUIRED[setting].key] === undefined,
  );
  if (missing.length > 0 && options.ask === undefined) {
    throw new UserError(
      `the workflows need ${missing.map((s) => `--${s} (${REQUIRED[s].what})`).join(', ')}; nothing was written.`,
    );
  }
  for (const setting of missing) settings[REQUIRED[setting].key] = await options.ask!(setting);
  // Fill every template before writing any, so a bad template leaves the repository untouched.
  const filled = templates.map(({ target, template }) => ({
    target,
    text: fillTemplate(template, settings),
  }));
  await mkdir(workflows, { recursive: true });
  for (const { target, text } of filled) await writeFile(target, text);
  return filled.map((f) => f.target);
}
