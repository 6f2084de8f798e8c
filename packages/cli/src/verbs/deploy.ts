import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '@mlactions/core';
import { deployRequestFrom, runBash, runDeployFlow } from '@mlactions/deploy';
import { createClient } from '@mlactions/github';
import { provenanceFromEnv } from '@mlactions/store';
import { type Command, CommanderError, Option } from 'commander';
import { addDispatchOption, announcerFrom } from '../announce.ts';
import { collect } from '../options.ts';
import type { Io } from '../program.ts';
import { addStoreOptions, openStoreFromOptions } from '../store-options.ts';

/** The commit checked out in `cwd`, or undefined outside a git checkout. */
async function gitHead(cwd: string): Promise<string | undefined> {
  return promisify(execFile)('git', ['rev-parse', 'HEAD'], { cwd }).then(
    ({ stdout }) => stdout.trim(),
    () => undefined,
  );
}

/** owner/name of --repo (or GITHUB_REPOSITORY), for --github. */
function repoOf(text: string | undefined): { owner: string; repo: string } {
  const match = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(text ?? '');
  if (!match)
    throw new UserError(
      text === undefined
        ? '--github needs the repository: pass --repo <owner/name> or set GITHUB_REPOSITORY.'
        : `--repo "${text}" is not owner/name.`,
    );
  return { owner: match[1]!, repo: match[2]! };
}

export function registerDeploy(program: Command, io: Io, env: NodeJS.ProcessEnv = process.env): void {
  const command = addStoreOptions(
    program
      .command('deploy')
      .description(
        'roll a version out as the deploy action does: to an alias, a folder or S3 prefix, or a command; smoke-test it and restore everything when that fails',
      ),
  )
    .requiredOption('--name <model>', "the model's name")
    .option(
      '--version <version|alias>',
      'what to ship: a version (1.4.0) or an alias (staging); default: the version published from --sha',
    )
    .option('--alias <alias>', 'rollout target: a store alias to point at the version (e.g. production)')
    .option('--copy-to <dir|s3://bucket/prefix>', "rollout target: made to hold exactly the version's files")
    .option(
      '--command <script>',
      'rollout target: a bash script run with MLACTIONS_MODEL_DIR, MLACTIONS_MODEL_VERSION …',
    )
    .option(
      '--smoke-test <script>',
      'a bash script run after the rollout; when it fails, every target is restored',
    )
    .option('--environment <name>', 'the environment deployed to', 'production')
    .option('--sha <commit>', 'the commit being deployed (default: the checked-out commit)')
    .option('--github', 'record a GitHub deployment of the environment (needs a token and --repo)')
    .option(
      '--repo <owner/name>',
      'the repository for --github (default: $GITHUB_REPOSITORY)',
      env.GITHUB_REPOSITORY,
    )
    .option('--api-url <url>', 'REST API root for --github', env.GITHUB_API_URL || 'https://api.github.com')
    .option('--environment-url <url>', 'with --github: where the deployed model is served')
    .option(
      '--required-contexts <context>',
      'with --github: a status or check that must be green on the commit (repeat for several)',
      collect,
      [],
    );
  addDispatchOption(command)
    .addOption(
      new Option('--format <format>', 'output format').choices(['markdown', 'json']).default('markdown'),
    )
    .action(async (opts) => {
      const announce = announcerFrom(opts, io, env);
      const cwd = process.cwd();
      const sha = opts.sha ?? (await gitHead(cwd));
      if (sha === undefined && opts.version === undefined)
        throw new UserError(
          '--version is needed outside a git checkout: a version (1.2.0) or an alias (staging).',
        );
      if (sha === undefined && opts.github)
        throw new UserError('--github needs the commit being deployed: run in a git checkout or pass --sha.');
      const token = opts.token || env.GITHUB_TOKEN;
      if (opts.github && !token)
        throw new UserError(
          '--github needs a token with deployments: write: pass --token or set GITHUB_TOKEN.',
        );
      const github = opts.github
        ? {
            client: createClient({
              token,
              baseUrl: opts.apiUrl,
              log: (message) => io.stderr(`mlactions: ${message}\n`),
            }),
            repo: repoOf(opts.repo),
          }
        : undefined;
      // The fetched model stays where --format json says it is (the flow empties the folder first).
      const workDir = join(cwd, '.mlactions', 'deploy');
      const provenance = { ...provenanceFromEnv(env), ...(sha ? { gitSha: sha } : {}) };
      const result = await runDeployFlow(deployRequestFrom(opts, { sha: sha ?? '', workDir, cwd }), {
        ...(github ? { github } : {}),
        store: openStoreFromOptions(opts, io, env),
        // A deploy from a workflow run is that run's; one from a terminal is a run of its own.
        run: {
          id: Number(env.GITHUB_RUN_ID) || Date.now(),
          ...(provenance.runUrl ? { url: provenance.runUrl } : {}),
        },
        provenance,
        runCommand: runBash,
        env,
        log: (line) => io.stderr(`${line}\n`),
        ...(announce ? { announce } : {}),
      });
      const { summary, ...rest } = result;
      io.stdout(opts.format === 'json' ? `${JSON.stringify(rest, null, 2)}\n` : summary);
      if (result.outcome === 'failed') {
        io.stderr(`mlactions: ${result.reason ?? 'the deploy failed'}\n`);
        throw new CommanderError(1, 'mlactions.deploy.failed', 'the deploy failed');
      }
    });
}
