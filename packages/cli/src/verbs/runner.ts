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
  token?: string;
  appId?: string;
  privateKey?: string;
  installationId?: number;
  /** Always set: the option has a default. */
  apiUrl: string;
  start?: string;
  format: 'text' | 'json';
}

/** App credentials when any App flag is given (then all three are needed), else a token. */
function authFrom(flags: JitFlags, env: NodeJS.ProcessEnv): RunnerAuth {
  const app = [flags.appId, flags.privateKey, flags.installationId];
  if (app.some((v) => v !== undefined)) {
    if (app.some((v) => v === undefined))
      throw new UserError('GitHub App auth needs all of --app-id, --private-key and --installation-id');
    return {
      appId: flags.appId!,
      privateKey: readPrivateKey(flags.privateKey!),
      installationId: flags.installationId!,
    };
  }
  const token = flags.token ?? env.GITHUB_TOKEN;
  if (!token)
    throw new UserError(
      `no credentials: pass --token, set GITHUB_TOKEN, or use --app-id. ${JIT_PERMISSIONS}`,
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
    .option('--token <token>', 'an App installation token or admin PAT (default: $GITHUB_TOKEN)')
    .option('--app-id <id>', 'GitHub App id, to mint an installation token')
    .option('--private-key <pem|file>', "the App's private key (PEM text or a file)")
    .option('--installation-id <id>', "the App's installation id", numberOption)
    .option(
      '--api-url <url>',
      'REST API root (GitHub Enterprise Server)',
      env.GITHUB_API_URL ?? 'https://api.github.com',
    )
    .option(
      '--start <run.sh>',
      "start this runner script with the configuration (the runner's run.sh) and exit with its code",
    )
    .addOption(
      new Option('--format <format>', 'output without --start').choices(['text', 'json']).default('text'),
    )
    .action(async (flags: JitFlags) => {
      const scope = runnerScope(flags.repo, flags.org);
      const octokit = await runnerClient(authFrom(flags, env), flags.apiUrl);
      const config = await generateJitConfig(octokit, {
        scope,
        labels: flags.labels.flatMap((l) => l.split(',')),
        ...(flags.name ? { name: flags.name } : {}),
        ...(flags.runnerGroupId !== undefined ? { runnerGroupId: flags.runnerGroupId } : {}),
        ...(flags.workFolder ? { workFolder: flags.workFolder } : {}),
      });
      if (!flags.start) {
        io.stdout(
          flags.format === 'json' ? `${JSON.stringify(config, null, 2)}\n` : `${config.encodedJitConfig}\n`,
        );
        return;
      }
      io.stderr(
        `mlactions: runner ${config.name} (id ${config.runnerId}) registered; starting ${flags.start}\n`,
      );
      const code = await startRunner(flags.start, config.encodedJitConfig);
      if (code !== 0)
        throw new CommanderError(code, 'mlactions.runner.exited', `the runner exited with ${code}`);
    });
}
