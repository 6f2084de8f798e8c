import { s3DataReader } from '@mlactions/store';
import { failureLines, gateJson, gateRequestFrom, renderGate, runGate } from '@mlactions/validate';
import { type Command, CommanderError, Option } from 'commander';
import { collect, numberOption } from '../options.ts';
import type { Io } from '../program.ts';
import { addStoreOptions, openStoreFromOptions } from '../store-options.ts';
import { addModelOptions, type ModelFlags } from './validate.ts';

interface GateFlags extends ModelFlags {
  rule: string[];
  metrics?: string;
  baseline?: string;
  store?: string;
  endpoint?: string;
  token?: string;
  name?: string;
  baselineAlias?: string;
  baselineVersion?: string;
  baselineModel?: string;
  bootstrapMetric: string[];
  margin?: number;
  confidence?: number;
  resamples?: number;
  seed?: number;
  missingBaseline: 'skip' | 'error';
  format: 'markdown' | 'json';
}

export function registerGate(program: Command, io: Io): void {
  const command = program
    .command('gate')
    .description(
      'apply merge rules to metrics (or to a model validated now), against a baseline; exits 1 when a rule fails',
    )
    .option(
      '--rule <expr>',
      'a rule, e.g. "accuracy >= 0.9" or "f1_macro >= baseline - 0.01" (repeat)',
      collect,
      [],
    )
    .option('--metrics <file>', 'the metrics to gate (a validate report or any metrics file)');
  addModelOptions(command, false)
    .option('--baseline <file>', "the baseline's metrics (a validate report or any metrics file)")
    .option('--name <model>', 'the model in --store whose version is the baseline')
    .option('--baseline-alias <alias>', 'the store alias whose version is the baseline (default: production)')
    .option('--baseline-version <version>', 'a store version to use as the baseline instead of an alias')
    .option('--baseline-model <m.onnx>', 'a baseline model evaluated on the same data: paired bootstrap')
    .option(
      '--bootstrap-metric <name>',
      'a metric the paired bootstrap compares (repeat; default accuracy or rmse)',
      collect,
      [],
    )
    .option('--margin <x>', 'how much worse than the baseline model is tolerated', numberOption)
    .option('--confidence <p>', "the bootstrap interval's confidence (default 0.95)", numberOption)
    .option('--resamples <n>', 'bootstrap resamples (default 1000)', numberOption)
    .option('--seed <n>', 'bootstrap seed (default 0)', numberOption)
    .addOption(
      new Option('--missing-baseline <policy>', 'with no baseline, skip the rules that need one, or fail')
        .choices(['skip', 'error'])
        .default('skip'),
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['markdown', 'json']).default('markdown'),
    );
  // The store is one place a baseline may come from, so here it is optional.
  addStoreOptions(command);
  command.options.find((option) => option.long === '--store')?.makeOptionMandatory(false);

  command.action(async (flags: GateFlags) => {
    const request = gateRequestFrom(
      {
        ...flags,
        rules: flags.rule,
        bootstrapMetrics: flags.bootstrapMetric,
      },
      {
        cwd: process.cwd(),
        openStore: (store) => openStoreFromOptions({ ...flags, store }, io),
        remote: s3DataReader(flags.endpoint ? { endpoint: flags.endpoint } : {}),
      },
    );
    const outcome = await runGate(request);
    if (flags.format === 'json') io.stdout(`${JSON.stringify(gateJson(outcome), null, 2)}\n`);
    else io.stdout(renderGate(outcome).markdown);
    if (!outcome.passed) {
      const failures = failureLines(outcome);
      io.stderr(`mlactions: the gate failed:\n${failures.map((line) => `  ${line}`).join('\n')}\n`);
      // Exit 1 without commander's usage text: run() maps a CommanderError to its exit code.
      throw new CommanderError(1, 'mlactions.gate.failed', 'the gate failed');
    }
  });
}
