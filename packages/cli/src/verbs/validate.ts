import {
  classifierCurves,
  renderValidation,
  type ValidateOptions,
  validate,
  writeCurveFiles,
} from '@mlactions/validate';
import { type Command, Option } from 'commander';
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
        'the validation set: a .csv, .tsv, .jsonl or .parquet file (optionally .gz or .zst), a folder or a glob pattern',
      ),
    )
    .addOption(option('--label <column>', 'the column holding the true class or value'))
    .addOption(
      new Option('--task <task>', 'by default inferred from the model output').choices([
        'classification',
        'regression',
      ]),
    )
    .option(
      '--features <a,b>',
      "the feature columns in the model's order (default: every other column)",
      commaList,
    )
    .option('--exclude <a,b>', 'columns that are neither features nor the label (ids, timestamps)', commaList)
    .option('--slice <column>', 'also compute the metrics per value of this column');
}

/** The flags addModelOptions adds, as commander parses them. */
export interface ModelFlags {
  model?: string;
  data?: string;
  label?: string;
  task?: 'classification' | 'regression';
  features?: string[];
  exclude?: string[];
  slice?: string;
}

/** What to validate, from the flags (model, data and label given). */
export function validateOptionsFrom(
  flags: ModelFlags & { model: string; data: string; label: string },
): ValidateOptions {
  return {
    model: flags.model,
    data: flags.data,
    label: flags.label,
    ...(flags.task ? { task: flags.task } : {}),
    ...(flags.features ? { features: flags.features } : {}),
    ...(flags.exclude ? { exclude: flags.exclude } : {}),
    ...(flags.slice ? { slice: flags.slice } : {}),
  };
}

export function registerValidate(program: Command, io: Io): void {
  addModelOptions(
    program
      .command('validate')
      .description(
        'evaluate an ONNX model on a validation set: classification or regression metrics, per slice',
      ),
    true,
  )
    .addOption(
      new Option('--format <format>', 'output format').choices(['markdown', 'json']).default('markdown'),
    )
    .option(
      '--curves <dir>',
      "a classifier's roc.csv, precision_recall.csv and calibration.csv into this folder (for report --plot)",
    )
    .action(async (opts) => {
      const { report, rows } = await validate(validateOptionsFrom(opts));
      if (opts.curves && rows.task === 'classification')
        await writeCurveFiles(classifierCurves(rows), opts.curves);
      if (opts.format === 'json') {
        io.stdout(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      io.stdout(`${renderValidation(report)}\n`);
    });
}
