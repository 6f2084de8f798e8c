import {
  checkDriftFiles,
  checkQuality,
  driftRequestFrom,
  qualityRulesFrom,
  renderDriftReport,
  renderQuality,
} from '@mlactions/drift';
import { type Command, CommanderError, Option } from 'commander';
import { collect, numberOption } from '../options.ts';
import type { Io } from '../program.ts';
import { addColumnOptions, type ColumnFlags, profileSettingsOf, remoteOf } from './profile.ts';

interface DriftFlags extends ColumnFlags {
  reference: string[];
  current: string[];
  stattest?: string;
  threshold?: number;
  column: string[];
  share?: number;
  keyFeature: string[];
  correction?: string;
  title?: string;
  format: 'markdown' | 'json';
  saveReferenceProfile?: string;
  failOnDrift?: boolean;
  qualityRule: string[];
  qualityRulesFile?: string;
}

export function registerDrift(program: Command, io: Io): void {
  const command = program
    .command('drift')
    .description('check current data against a reference for drift, column by column')
    .requiredOption(
      '--reference <path>',
      'the reference data (file, folder, glob or s3:// URI; repeat), or stored profiles (JSON, merged when several)',
      collect,
      [],
    )
    .requiredOption(
      '--current <path>',
      'the data to check (file, folder, glob or s3:// URI; repeat)',
      collect,
      [],
    )
    .option(
      '--stattest <name>',
      'the test for every column: ks, cramervonmises, anderson, wasserstein, psi, jensenshannon, chisquare, ztest',
    )
    .option(
      '--threshold <x>',
      'the threshold for every column (p-value or distance, per the test)',
      numberOption,
    )
    .option('--column <name=stattest:threshold>', 'a test and threshold for one column (repeat)', collect, [])
    .option('--share <x>', 'the share of tested columns that must drift (default 0.5)', numberOption)
    .option('--key-feature <name>', 'a column whose drift alone means drift (repeat)', collect, [])
    .addOption(
      new Option('--correction <method>', 'adjust p-values over the columns').choices([
        'none',
        'bonferroni',
        'benjamini-hochberg',
      ]),
    )
    .option('--title <text>', 'heading of the report')
    .addOption(
      new Option('--format <format>', 'output format').choices(['markdown', 'json']).default('markdown'),
    )
    .option(
      '--save-reference-profile <file>',
      "write the reference's profile, to use as --reference next time",
    )
    .option('--fail-on-drift', 'exit 1 when the data drifted (by default drift is a result, not an error)')
    .option(
      '--quality-rule <rule>',
      'a data-quality rule on the current data, e.g. "rows >= 1000", "missing(age) <= 0.05" (repeat); exit 1 when one fails',
      collect,
      [],
    )
    .option('--quality-rules-file <file>', 'data-quality rules, one per line');
  addColumnOptions(command).action(async (flags: DriftFlags) => {
    // Rules are read before the data, so a typo fails at once.
    const rules = await qualityRulesFrom(flags.qualityRule, flags.qualityRulesFile);
    const result = await checkDriftFiles(
      driftRequestFrom(
        {
          ...flags,
          ...profileSettingsOf(flags),
          columns: flags.column,
          shareThreshold: flags.share,
          keyFeatures: flags.keyFeature,
        },
        { cwd: process.cwd(), remote: remoteOf(flags), signal: io.signal },
      ),
    );
    const { report } = result;
    const quality = checkQuality(rules, result.current);
    if (flags.format === 'json')
      io.stdout(`${JSON.stringify(rules.length > 0 ? { ...report, quality } : report, null, 2)}\n`);
    else {
      const markdown = renderDriftReport(report, flags.title ? { title: flags.title } : {}).full;
      io.stdout(rules.length > 0 ? `${markdown}\n\n${renderQuality(quality)}\n` : markdown);
    }
    if (result.savedReferenceProfile) io.stderr(`mlactions: wrote ${result.savedReferenceProfile}\n`);
    if (!quality.passed) {
      const failed = quality.results.filter((r) => !r.passed).map((r) => `  ${r.rule}: ${r.found}`);
      io.stderr(`mlactions: data-quality rules failed:\n${failed.join('\n')}\n`);
      throw new CommanderError(1, 'mlactions.drift.quality', 'data-quality rules failed');
    }
    if (report.drifted && flags.failOnDrift) {
      io.stderr(
        `mlactions: drift detected in ${report.driftedCount} of ${report.testedCount} tested columns\n`,
      );
      // Exit 1 without commander's usage text: run() maps a CommanderError to its exit code.
      throw new CommanderError(1, 'mlactions.drift.detected', 'drift detected');
    }
  });
}
