import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { UserError } from '@mlactions/core';
import type { Command } from 'commander';
import { REQUIRED, type RequiredSetting, writeTemplates } from '../init/write-templates.ts';
import { collect } from '../options.ts';
import type { Io } from '../program.ts';

/** The templates travel with the CLI: the repository's templates/, copied beside the bundle. */
const TEMPLATES = fileURLToPath(new URL('./templates', import.meta.url));

/**
 * The commit of the release this CLI was built from, recorded at build time (MLACTIONS_RELEASE_SHA,
 * see scripts/build.mjs); absent in a development build, which pins our actions by tag.
 */
const RELEASE_SHA = /^[0-9a-f]{40}$/.test(process.env.MLACTIONS_RELEASE_SHA ?? '')
  ? process.env.MLACTIONS_RELEASE_SHA
  : undefined;

export function registerInit(program: Command, io: Io): void {
  program
    .command('init')
    .description(
      'write the workflow templates into a repository, filled in (refuses to overwrite unless --force)',
    )
    .option('--dir <repo>', 'the repository to write into', '.')
    .option(
      '--store <uri>',
      'the artifact store: file://<dir>, s3://<bucket>/<prefix> or github-release://<owner>/<repo>',
    )
    .option('--name <model>', 'the model name used in the store')
    .option(
      '--gpu-labels <labels>',
      'comma-separated runner labels of your GPU runners (e.g. self-hosted,linux,gpu)',
    )
    .option('--environment <name>', 'the GitHub environment deploys go through', undefined)
    .option(
      '--train-command <command>',
      'the one command that trains, in every workflow: it writes model.onnx and $MLACTIONS_METRICS_FILE',
    )
    .option(
      '--python <version>',
      'set up this Python (actions/setup-python) and pip install -r requirements.txt where the repository has one',
    )
    .option('--aws-role-arn <arn>', 'for an s3:// store: the IAM role the jobs assume through OIDC')
    .option('--aws-region <region>', "for an s3:// store: the bucket's AWS region")
    .option(
      '--baseline <source>',
      "the pull-request report's baseline: production (the metrics recorded with the store's production version) or git (metrics.json as committed on the base branch)",
      'production',
    )
    .option('--only <template>', 'write only this template (repeatable)', collect, [])
    .option(
      '--forks',
      "also write the fork companions (report-forks, gate-forks), which post for forks' pull requests",
      false,
    )
    .option(
      '--cleanup',
      'also write the scheduled store clean-up (cleanup.yml: keeps the newest versions, frees what no version references)',
      false,
    )
    .option('--force', 'overwrite workflows that exist', false)
    .action(async (opts) => {
      if (opts.baseline !== 'production' && opts.baseline !== 'git') {
        throw new UserError(`--baseline is production or git, not "${opts.baseline}".`);
      }
      const prompt = process.stdin.isTTY ? terminalPrompt() : undefined;
      let written: string[];
      try {
        written = await writeTemplates({
          dir: opts.dir,
          templatesDir: TEMPLATES,
          force: opts.force,
          forks: opts.forks,
          cleanup: opts.cleanup,
          baseline: opts.baseline,
          ...(prompt ? { ask: prompt.ask } : {}),
          ...(opts.trainCommand ? { trainCommand: opts.trainCommand } : {}),
          ...(opts.python ? { python: opts.python } : {}),
          ...(opts.awsRoleArn ? { awsRoleArn: opts.awsRoleArn } : {}),
          ...(opts.awsRegion ? { awsRegion: opts.awsRegion } : {}),
          ...(RELEASE_SHA ? { releaseSha: RELEASE_SHA } : {}),
          ...(opts.only.length > 0 ? { only: opts.only } : {}),
          ...(opts.store ? { store: opts.store } : {}),
          ...(opts.name ? { name: opts.name } : {}),
          ...(opts.environment ? { environment: opts.environment } : {}),
          ...(opts.gpuLabels
            ? {
                gpuLabels: String(opts.gpuLabels)
                  .split(',')
                  .map((s: string) => s.trim())
                  .filter(Boolean),
              }
            : {}),
        });
      } finally {
        prompt?.close();
      }
      for (const path of written) io.stdout(`wrote ${path}\n`);
      io.stdout('Next: read each workflow’s comments, commit them, and push.\n');
    });
}

/**
 * Questions in the terminal for the settings no flag gave. One reader serves them all, so answers
 * typed or pasted ahead of their question are kept for it; an empty answer writes nothing.
 */
function terminalPrompt(): { ask: (setting: RequiredSetting) => Promise<string>; close: () => void } {
  let prompt: Interface | undefined;
  let lines: AsyncIterator<string> | undefined;
  return {
    async ask(setting) {
      prompt ??= createInterface({ input: process.stdin, output: process.stderr });
      lines ??= prompt[Symbol.asyncIterator]();
      prompt.setPrompt(`--${setting}: ${REQUIRED[setting].what}? `);
      prompt.prompt();
      const line = await lines.next();
      const answer = line.done ? '' : line.value.trim();
      if (answer === '') throw new UserError(`--${setting} is needed; nothing was written.`);
      return answer;
    },
    close: () => prompt?.close(),
  };
}
