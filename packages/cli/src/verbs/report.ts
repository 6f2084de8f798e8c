import { buildReport, reportRequestFrom } from '@mlactions/report';
import { type Command, Option } from 'commander';
import { collect, numberOption } from '../options.ts';
import type { Io } from '../program.ts';
import { openStoreFromOptions } from '../store-options.ts';

export function registerReport(program: Command, io: Io): void {
  program
    .command('report')
    .description('compare metrics with a baseline: what improved, what regressed, what is noise')
    .requiredOption('--head <file|dir>', "the candidate's metrics (repeat for several runs)", collect, [])
    .option('--base <file|dir>', 'the baseline metrics (repeat for several runs), or git:<ref>', collect, [])
    .option(
      '--pair-by-name',
      'several files on a side are different things, matched by file name, not runs of one model',
    )
    .option('--base-store <uri>', 'read the baseline from a store version instead: its recorded metrics')
    .option('--base-model <name>', 'the model name in --base-store')
    .option('--base-version <ref>', 'the version or alias in --base-store (default: production)')
    .option(
      '--base-history <n>',
      'chart each metric across this many --base-store versions ending with the baseline (0 for none)',
      numberOption,
    )
    .option('--endpoint <url>', 'an S3-compatible server for s3:// stores')
    .option('--token <token>', 'a GitHub token for github-release:// stores (default: $GITHUB_TOKEN)')
    .option('--head-params <file>', "the candidate's parameters (YAML, JSON, TOML, DVC's params.yaml)")
    .option(
      '--base-params <file>',
      "the baseline's parameters, or git:<ref> (default: --head-params at --base's git:<ref>, or the --base-store version's)",
    )
    .option(
      '--plot <file>',
      'a curve file (CSV/TSV/JSON points) or dvc.yaml, drawn as a chart (repeat)',
      collect,
      [],
    )
    .option('--rules <file>', 'YAML rules: which way is better per metric, tolerances')
    .option('--absolute-tolerance <x>', 'a change of at most this much is unchanged', numberOption)
    .option('--relative-tolerance <x>', 'a change of at most this fraction is unchanged', numberOption)
    .option('--alpha <p>', 'significance level for metrics with several values', numberOption)
    .option('--title <text>', 'heading of the report')
    .addOption(
      new Option('--format <format>', 'output format').choices(['markdown', 'json']).default('markdown'),
    )
    .action(async (opts) => {
      const built = await buildReport(
        await reportRequestFrom(
          {
            ...opts,
            params: opts.headParams,
            plots: opts.plot,
            absolute: opts.absoluteTolerance,
            relative: opts.relativeTolerance,
          },
          {
            cwd: process.cwd(),
            openStore: (store) =>
              openStoreFromOptions({ store, endpoint: opts.endpoint, token: opts.token }, io),
          },
        ),
      );
      if (opts.format === 'json') {
        io.stdout(`${JSON.stringify(built.json, null, 2)}\n`);
        return;
      }
      if (built.noBaseline)
        io.stderr(`mlactions: no baseline (${built.noBaseline}); listing the metrics as they are\n`);
      io.stdout(`${built.summary}\n`);
    });
}
