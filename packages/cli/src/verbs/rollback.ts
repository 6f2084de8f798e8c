import { provenanceFromEnv } from '@mlactions/store';
import type { Command } from 'commander';
import type { Io } from '../program.ts';
import { addStoreOptions, formatOption, openStoreFromOptions } from '../store-options.ts';

export function registerRollback(program: Command, io: Io): void {
  addStoreOptions(
    program
      .command('rollback')
      .description(
        'move an alias back to the version it pointed to before, as its history records (again: further back)',
      ),
  )
    .requiredOption('--name <model>', "the model's name")
    .requiredOption('--alias <alias>', 'the alias to move back (e.g. production)')
    .option('--expect <version>', 'roll back only if the alias points to this version now')
    .addOption(formatOption())
    .action(async (opts) => {
      const store = openStoreFromOptions(opts, io);
      const entry = await store.rollback({
        name: opts.name,
        alias: opts.alias,
        ...(opts.expect !== undefined ? { expectedVersion: opts.expect } : {}),
        provenance: provenanceFromEnv(process.env),
      });
      if (opts.format === 'json') {
        io.stdout(`${JSON.stringify(entry, null, 2)}\n`);
        return;
      }
      io.stdout(`${entry.alias} of ${opts.name} rolled back to ${entry.version} (was ${entry.previous}).\n`);
    });
}
