import { UserError } from '@mlactions/core';
import { s3DataReader } from '@mlactions/store';
import {
  classifierCurves,
  PREDICTIONS_TASKS,
  renderValidation,
  scorePredictions,
  scoreRequestFrom,
  validate,
  writeCurveFiles,
} from '@mlactions/validate';
import { type Command, Option } from 'commander';
import { collect } from '../options.ts';
import type { Io } from '../program.ts';

/** A comma-separated list (`--features a,b,c`), blanks dropped. */
function commaList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The options that say what to validate; `mlactions gate` takes them too, to validate then gate. */
export function addModelOptions(command: Command, required: boolean): Command {
  const option = (flags: string, description: string) => {
    const made = new Option(flags, description);
    return required ? made.makeOptionMandatory() : made;
  };
  return command
    .addOption(option('--model <m.onnx>', 'the ONNX model to evaluate'))
    .addOption(
      option(
        '--data <path>',
        'the validation set: a .csv, .tsv, .jsonl or .parquet file (optionally .gz or .zst), a folder, a glob pattern or an s3:// URI',
      ),
    )
    .addOption(option('--label <column>', 'the column holding the true class or value'))
    .addOption(
      new Option(
        '--task <task>',
        'by default inferred from the model output (or the predictions); multilabel and ranking are for --predictions',
      ).choices(PREDICTIONS_TASKS),
    )
    .option(
      '--features <a,b>',
      "the feature columns in the model's order (default: every other column)",
      commaList,
    )
    .option('--exclude <a,b>', 'columns that are neither features nor the label (ids, timestamps)', commaList)
    .option('--slice <column>', 'also compute the metrics per value of this column')
    .option(
      '--predictions <file>',
      "instead of a model: any framework's predictions, a `prediction` column or per-class probability columns beside the label",
    )
    .option(
      '--prediction-column <column>',
      "the predictions file's predicted class, value, label set or score (default prediction)",
    )
    .option(
      '--probability-prefix <prefix>',
      'per-class probability columns are this prefix and the class (default proba_)',
    )
    .option('--query <column>', 'ranking: the column grouping documents into queries')
    .option('--k <n>', 'ranking: a cutoff of NDCG@k and MAP@k (repeat; default 10)', collect, []);
}

/** The flags addModelOptions adds, as commander parses them. */
export interface ModelFlags {
  model?: string;
  data?: string;
  label?: string;
  task?: (typeof PREDICTIONS_TASKS)[number];
  features?: string[];
  exclude?: string[];
  slice?: string;
  predictions?: string;
  predictionColumn?: string;
  probabilityPrefix?: string;
  query?: string;
  k?: string[];
  /** An S3-compatible server for s3:// data (and, for the gate, stores). */
  endpoint?: string;
}

/** A model run on the data, or a predictions file scored: one of the two, each with the label. */
function scoreFromFlags(flags: ModelFlags & { label: string }) {
  const request = scoreRequestFrom(flags, {
    cwd: process.cwd(),
    remote: s3DataReader(flags.endpoint ? { endpoint: flags.endpoint } : {}),
  });
  if (request === undefined)
    throw new UserError(
      "say what to validate: --model <m.onnx> with --data <path>, or --predictions <file> (any framework's predictions)",
    );
  return request.kind === 'predictions' ? scorePredictions(request.predictions) : validate(request.validate);
}

export function registerValidate(program: Command, io: Io): void {
  const command = addModelOptions(
    program
      .command('validate')
      .description(
        "evaluate an ONNX model on a validation set, or score any framework's predictions file: classification, regression, multilabel or ranking metrics, per slice",
      ),
    false,
  );
  command.options.find((option) => option.long === '--label')?.makeOptionMandatory();
  command
    .addOption(
      new Option('--format <format>', 'output format').choices(['markdown', 'json']).default('markdown'),
    )
    .option('--endpoint <url>', 'an S3-compatible server for s3:// data (MinIO, R2, a local one)')
    .option(
      '--curves <dir>',
      "a classifier's roc.csv, precision_recall.csv and calibration.csv into this folder (for report --plot)",
    )
    .action(async (opts: ModelFlags & { label: string; format: string; curves?: string }) => {
      const { report, rows } = await scoreFromFlags(opts);
      if (opts.curves && rows?.task === 'classification')
        await writeCurveFiles(classifierCurves(rows), opts.curves);
      if (opts.format === 'json') {
        io.stdout(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      io.stdout(`${renderValidation(report)}\n`);
    });
}
