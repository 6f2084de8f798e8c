import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { writeTemplates } from '../init/write-templates.ts';
import { collect } from '../options.ts';
import type { Io } from '../program.ts';

/** The templates travel with the CLI: the repository's templates/, three folders above the bundle. */
const TEMPLATES = fileURLToPath(new URL('../../../templates', import.meta.url));

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
    .option('--only <template>', 'write only this template (repeatable)', collect, [])
    .option(
      '--forks',
      "also write the fork companions (report-forks, gate-forks), which post for forks' pull requests",
      false,
    )
    .option('--force', 'overwrite workflows that exist', false)
    .action(async (opts) => {
      const written = await writeTemplates({
        dir: opts.dir,
        templatesDir: TEMPLATES,
        force: opts.force,
        forks: opts.forks,
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
      for (const path of written) io.stdout(`wrote ${path}\n`);
      io.stdout('Next: read each workflow’s comments, commit them, and push.\n');
    });
}
