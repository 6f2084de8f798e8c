import { buildReport } from '@mlactions/render';
import { type Command, Option } from 'commander';
import { collect, numberOption } from '../options.ts';
import type { Io } from '../program.ts';

export function registerReport(program: Command, io: Io): void {
  program
    .command('report')
    .description('compare metrics with a baseline: what improved, what regressed, what is noise')
    .requiredOption('--head <file|dir>', "the candidate's metrics (repeat for several runs)", collect, [])
    .option('--base <file|dir>', 'the baseline metrics (repeat for several runs), or git:<ref>', collect, [])
    .option('--rules <file>', 'YAML rules: which way is better per metric, tolerances')
    .option('--absolute-tolerance <x>', 'a change of at most this much is unchanged', numberOption)
    .option('--relative-tolerance <x>', 'a change of at most this fraction is unchanged', numberOption)
    .option('--alpha <p>', 'significance level for metrics with several values', numberOption)
    .option('--title <text>', 'heading of the report')
    .addOption(
      new Option('--format <format>', 'output format').choices(['markdown', 'json']).default('markdown'),
    )
    .action(async (opts) => {
      const built = await buildReport({
        head: opts.head,
        base: opts.base,
        cwd: process.cwd(),
        ...(opts.rules ? { rulesFile: opts.rules } : {}),
        ...(opts.absoluteTolerance !== undefined ? { absolute: opts.absoluteTolerance } : {}),
        ...(opts.relativeTolerance !== undefined ? { relative: opts.relativeTolerance } : {}),
        ...(opts.alpha !== undefined ? { alpha: opts.alpha } : {}),
        ...(opts.title ? { title: opts.title } : {}),
      });
      if (opts.format === 'json') {
        io.stdout(`${JSON.stringify(built.json, null, 2)}\n`);
        return;
      }
      if (built.noBaseline)
        io.stderr(`mlactions: no baseline (${built.noBaseline}); listing the metrics as they are\n`);
      io.stdout(`${built.summary}\n`);
    });
}
