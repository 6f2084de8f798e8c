import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CacheService, runTrainFlow, trainFailure, trainRequestFrom } from '@mlactions/train';
import { type Command, CommanderError, Option } from 'commander';
import { collect, numberOption } from '../options.ts';
import type { Io } from '../program.ts';

/** A machine of one's own has no runner cache: data and checkpoints stay where the command left them. */
const NO_CACHE: CacheService = {
  unavailable: () => 'a local run has no runner cache',
  restore: async () => undefined,
  save: async () => false,
};

export function registerTrain(program: Command, io: Io): void {
  program
    .command('train')
    .description(
      'run a training command as the train action does: GPU discovery, telemetry, timeout with a grace period to checkpoint, a summary',
    )
    .requiredOption('--command <command>', 'the training command, run by --shell')
    .option('--shell <shell>', 'bash, sh, pwsh, python, or a command line with {0} for the script file')
    .option('--working-directory <dir>', 'the folder the command runs in')
    .option('--env <NAME=value>', 'an environment variable for the command (repeat for several)', collect, [])
    .option('--require-gpu', 'fail before the command runs when no NVIDIA GPU is visible')
    .option('--timeout-minutes <n>', 'stop the command after this long (0: never)', numberOption)
    .option(
      '--grace-seconds <n>',
      'after SIGTERM, how long the command has to checkpoint before SIGKILL (30)',
      numberOption,
    )
    .option('--metrics-file <file>', 'the metrics file the command writes (MLACTIONS_METRICS_FILE)')
    .option('--model-files <glob>', 'model files the command writes (repeat for several)', collect, [])
    .option('--params <yaml|json>', 'hyperparameters: written to params.json and MLACTIONS_PARAMS')
    .option(
      '--checkpoint-dir <dir>',
      'the checkpoint folder (MLACTIONS_CHECKPOINT_DIR), .mlactions/checkpoints',
    )
    .option('--telemetry-interval-seconds <n>', 'GPU sample interval (0: off; 5)', numberOption)
    .option('--output-dir <dir>', 'where gpu.json, gpu-metrics.csv and params.json go')
    .addOption(
      new Option('--format <format>', 'output format').choices(['markdown', 'json']).default('markdown'),
    )
    .action(async (opts) => {
      const workspace = process.cwd();
      // The runner's cache has no local counterpart.
      const request = trainRequestFrom(
        { ...opts, env: opts.env.join('\n'), cache: false },
        {
          workspace,
          tempDir: tmpdir(),
          outputBase: join(workspace, '.mlactions'),
          runId: 'local',
          runAttempt: '1',
        },
      );
      // Ctrl-C or a kill stops the command as a timeout does: SIGTERM, then the grace period, which
      // the run is given to unwind (and a few seconds more to write the summary).
      io.allowUnwind?.(request.graceMs + 5_000);
      const summary: string[] = [];
      const result = await runTrainFlow(request, {
        env: process.env,
        cache: NO_CACHE,
        log: {
          info: (message) => io.stderr(`${message}\n`),
          warning: (message) => io.stderr(`warning: ${message}\n`),
          startGroup: (title) => io.stderr(`── ${title}\n`),
          endGroup: () => {},
        },
        writeSummary: async (markdown) => {
          summary.push(markdown);
        },
        // Only an action has a post step to hand a pending checkpoint to.
        saveState: () => {},
        ...(io.signal ? { signal: io.signal } : {}),
        commandStdout: 'stderr',
      });

      const failure = trainFailure(result, request, { again: 'Run it again', cancelled: 'Interrupted' });
      io.stdout(opts.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : summary.join('\n'));
      for (const problem of result.problems) io.stderr(`mlactions: ${problem}\n`);
      if (failure) io.stderr(`mlactions: ${failure}\n`);
      // The exit status carries the command's own code, as the action's step does.
      const code = result.exitCode !== 0 ? result.exitCode : failure || result.problems.length > 0 ? 1 : 0;
      if (code !== 0) throw new CommanderError(code, 'mlactions.train.failed', failure ?? 'training failed');
    });
}
