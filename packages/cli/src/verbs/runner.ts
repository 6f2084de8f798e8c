import { readFileSync } from 'node:fs';
import { UserError } from '@mlactions/core';
import {
  generateJitConfig,
  JIT_PERMISSIONS,
  type RunnerAuth,
  readPrivateKey,
  runnerClient,
  runnerScope,
  startRunner,
} from '@mlactions/train/jit';
import { type Command, CommanderError, Option } from 'commander';
import { collect, numberOption } from '../options.ts';
import type { Io } from '../program.ts';

interface JitFlags {
  repo?: string;
  org?: string;
  labels: string[];
  name?: string;
  runnerGroupId?: number;
  workFolder?: string;
  tokenFile?: string;
  appId?: string;
  privateKeyFile?: string;
  installationId?: number;
  /** Always set: the option has a default. */
  apiUrl: string;
  start?: string;
  runAs?: string;
  format: 'text' | 'json';
  /** Refused: secrets on argv (kept so that the refusal names the replacement). */
  token?: string;
  privateKey?: string;
}

/** Refuses secrets on the command line, which every user of the host can read (ps, /proc/<pid>/cmdline). */
function checkFlags(flags: JitFlags): void {
  if (flags.token !== undefined)
    throw new UserError(
      '--token puts the token on the command line, where every user of this host can read it: set GITHUB_TOKEN or pass --token-file <file>',
    );
  if (flags.runAs !== undefined && flags.start === undefined)
    throw new UserError('--run-as goes with --start (it is the user the started runner runs as)');
  if (flags.privateKey !== undefined)
    throw new UserError(
      "--private-key puts the App's key on the command line: pass --private-key-file <file>, or set PRIVATE_KEY_FILE (or PRIVATE_KEY, the PEM text)",
    );
}

function readSecretFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new UserError(`${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
}

/** App credentials when any App setting is given (then all three are needed), else a token; flags win over the environment. */
function authFrom(flags: JitFlags, env: NodeJS.ProcessEnv): RunnerAuth {
  const appId = flags.appId ?? env.APP_ID;
  const installationId =
    flags.installationId ?? (env.INSTALLATION_ID ? Number(env.INSTALLATION_ID) : undefined);
  const keyFile = flags.privateKeyFile ?? env.PRIVATE_KEY_FILE;
  const key = keyFile ? { file: keyFile } : env.PRIVATE_KEY ? { text: env.PRIVATE_KEY } : undefined;
  if ([appId, installationId, key].some((v) => v !== undefined)) {
    if (!appId || installationId === undefined || !Number.isInteger(installationId) || !key)
      throw new UserError(
        'GitHub App auth needs all of --app-id (APP_ID), --installation-id (INSTALLATION_ID) and --private-key-file (PRIVATE_KEY_FILE)',
      );
    return { appId, privateKey: readPrivateKey(key), installationId };
  }
  const token = flags.tokenFile ? readSecretFile('--token-file', flags.tokenFile) : env.GITHUB_TOKEN;
  if (!token)
    throw new UserError(
      `no credentials: set GITHUB_TOKEN, pass --token-file, or use a GitHub App (--app-id). ${JIT_PERMISSIONS}`,
    );
  return { token };
}

export function registerRunner(program: Command, io: Io, env: NodeJS.ProcessEnv = process.env): void {
  const runner = program.command('runner').description('self-hosted runners for training jobs (GPU hosts)');
  runner
    .command('jit')
    .description(
      `register a just-in-time runner that takes exactly one job and leaves: prints its encoded configuration, or starts the runner with it (--start ./run.sh). ${JIT_PERMISSIONS}`,
    )
    .option('--repo <owner/name>', 'register with this repository')
    .option('--org <org>', 'register with this organization')
    .option(
      '--labels <labels>',
      'custom labels, comma-separated or repeated (e.g. gpu,h100)',
      (value: string, previous: string[]) => collect(value, previous),
      [],
    )
    .option('--name <name>', 'the runner name (default: host name and a random suffix)')
    .option('--runner-group-id <id>', 'runner group (default 1, the default group)', numberOption)
    .option('--work-folder <dir>', "the runner's work folder, relative to its install folder (default _work)")
    .option(
      '--token-file <file>',
      'a file holding an App installation token or admin PAT (default: $GITHUB_TOKEN)',
    )
    .option('--app-id <id>', 'GitHub App id, to mint an installation token (default: $APP_ID)')
    .option('--private-key-file <file>', "the App's private key, a PEM file (default: $PRIVATE_KEY_FILE)")
    .option('--installation-id <id>', "the App's installation id (default: $INSTALLATION_ID)", numberOption)
    .addOption(new Option('--token <token>').hideHelp())
    .addOption(new Option('--private-key <pem>').hideHelp())
    .option(
      '--api-url <url>',
      'REST API root (GitHub Enterprise Server)',
      env.GITHUB_API_URL ?? 'https://api.github.com',
    )
    .option(
      '--start <run.sh>',
      "start this runner script with the configuration (the runner's run.sh) and exit with its code; the runner gets an allow-listed environment (no credentials) and its configuration through a 0600 file",
    )
    .option('--run-as <user>', 'with --start, as root: run the runner, and so every job, as this user')
    .addOption(
      new Option('--format <format>', 'output without --start').choices(['text', 'json']).default('text'),
    )
    .action(async (flags: JitFlags) => {
      checkFlags(flags);
      const scope = runnerScope(flags.repo, flags.org);
      const octokit = await runnerClient(authFrom(flags, env), flags.apiUrl);
      const config = await generateJitConfig(octokit, {
        scope,
        labels: flags.labels.flatMap((l) => l.split(',')),
        ...(flags.name ? { name: flags.name } : {}),
        ...(flags.runnerGroupId !== undefined ? { runnerGroupId: flags.runnerGroupId } : {}),
        ...(flags.workFolder ? { workFolder: flags.workFolder } : {}),
      });
      // Inside a workflow the configuration must never show in the log. The runner reads workflow
      // commands on stderr too, which keeps stdout to the configuration even when it is captured.
      if (env.GITHUB_ACTIONS === 'true') io.stderr(`::add-mask::${config.encodedJitConfig}\n`);
      if (!flags.start) {
        io.stdout(
          flags.format === 'json' ? `${JSON.stringify(config, null, 2)}\n` : `${config.encodedJitConfig}\n`,
        );
        return;
      }
      io.stderr(
        `mlactions: runner ${config.name} (id ${config.runnerId}) registered; starting ${flags.start}\n`,
      );
      const code = await startRunner(flags.start, config.encodedJitConfig, {
        env,
        ...(flags.runAs ? { runAs: flags.runAs } : {}),
      });
      if (code !== 0)
        throw new CommanderError(code, 'mlactions.runner.exited', `the runner exited with ${code}`);
    });
}
