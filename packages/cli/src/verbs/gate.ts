import { UserError } from '@mlactions/core';
import {
  type BaselineSource,
  failureLines,
  type GateCandidate,
  gateJson,
  renderGate,
  runGate,
} from '@mlactions/validate';
import { type Command, CommanderError, Option } from 'commander';
import { collect, numberOption } from '../options.ts';
import type { Io } from '../program.ts';
import { addStoreOptions, openStoreFromOptions } from '../store-options.ts';
import { addModelOptions, type ModelFlags, validateOptionsFrom } from './validate.ts';

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

function candidateFrom(flags: GateFlags): GateCandidate {
  if (flags.metrics) {
    if (flags.model || flags.data)
      throw new UserError('give --metrics, or --model with --data and --label; not both');
    return { kind: 'metrics', path: flags.metrics };
  }
  const { model, data, label } = flags;
  if (!model || !data || !label) {
    throw new UserError(
      'say what to gate: --metrics <file>, or --model <m.onnx> --data <file> --label <column>',
    );
  }
  return { kind: 'model', validate: validateOptionsFrom({ ...flags, model, data, label }) };
}

function baselineFrom(flags: GateFlags, io: Io): BaselineSource | undefined {
  if (flags.baseline && flags.store) throw new UserError('give --baseline <file> or --store, not both');
  if (flags.baseline) return { kind: 'file', path: flags.baseline };
  if (!flags.store) return undefined;
  if (!flags.name) throw new UserError('a store baseline needs the model: pass --name <model>');
  const store = openStoreFromOptions({ ...flags, store: flags.store }, io);
  const version = flags.baselineVersion;
  return {
    kind: 'store',
    store,
    name: flags.name,
    ...(version ? { version } : { alias: flags.baselineAlias ?? 'production' }),
  };
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
    const candidate = candidateFrom(flags);
    const baseline = baselineFrom(flags, io);
    const outcome = await runGate({
      rules: flags.rule,
      candidate,
      ...(baseline ? { baseline } : {}),
      ...(flags.baselineModel ? { baselineModel: flags.baselineModel } : {}),
      bootstrap: {
        metrics: flags.bootstrapMetric,
        ...(flags.margin === undefined ? {} : { margin: flags.margin }),
        ...(flags.confidence === undefined ? {} : { confidence: flags.confidence }),
        ...(flags.resamples === undefined ? {} : { resamples: flags.resamples }),
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      },
      missingBaseline: flags.missingBaseline,
    });
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
