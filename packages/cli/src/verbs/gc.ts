import { gcLines } from '@mlactions/store';
import type { Command } from 'commander';
import type { Io } from '../program.ts';
import { addStoreOptions, formatOption, openStoreFromOptions } from '../store-options.ts';

export function registerGc(program: Command, io: Io): void {
  addStoreOptions(
    program
      .command('gc')
      .description(
        'remove stored files no version references (deleted versions, interrupted publishes) once an hour old, and print the bytes freed',
      ),
  )
    .option('--dry-run', 'print what would be removed, and remove nothing', false)
    .addOption(formatOption())
    .action(async (opts) => {
      const store = openStoreFromOptions(opts, io);
      const result = await store.gc({ dryRun: opts.dryRun });
      io.stdout(
        opts.format === 'json'
          ? `${JSON.stringify({ store: store.uri, dryRun: opts.dryRun, ...result }, null, 2)}\n`
          : `${gcLines(result, opts.dryRun).join('\n')}\n`,
      );
    });
}
