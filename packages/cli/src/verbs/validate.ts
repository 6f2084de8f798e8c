import { s3DataReader } from '@mlactions/store';
import { renderValidation, type ValidateOptions, validate } from '@mlactions/validate';
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
        'the validation set: a .csv, .tsv, .jsonl or .parquet file (optionally .gz or .zst), a folder, a glob pattern or an s3:// URI',
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
  /** An S3-compatible server for s3:// data (and, for the gate, stores). */
  endpoint?: string;
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
    remote: s3DataReader(flags.endpoint ? { endpoint: flags.endpoint } : {}),
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
    .option('--endpoint <url>', 'an S3-compatible server for s3:// data (MinIO, R2, a local one)')
    .action(async (opts) => {
      const { report } = await validate(validateOptionsFrom(opts));
      if (opts.format === 'json') {
        io.stdout(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      io.stdout(`${renderValidation(report)}\n`);
    });
}
