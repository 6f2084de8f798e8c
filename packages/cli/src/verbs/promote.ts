import { promoteRequestFrom, provenanceFromEnv } from '@mlactions/store';
import type { Command } from 'commander';
import type { Io } from '../program.ts';
import { addStoreOptions, formatOption, openStoreFromOptions } from '../store-options.ts';

export function registerPromote(program: Command, io: Io): void {
  addStoreOptions(program.command('promote').description('point an alias (e.g. production) at a version'))
    .requiredOption('--name <model>', "the model's name")
    .requiredOption('--version <semver>', 'the version the alias should point to')
    .requiredOption('--alias <alias>', 'the alias to move')
    .option(
      '--expect <version>',
      'move only if the alias points to this version now (`none`: only if it is unset)',
    )
    .addOption(formatOption())
    .action(async (opts) => {
      const store = openStoreFromOptions(opts, io);
      const entry = await store.promote(
        promoteRequestFrom(opts, { provenance: provenanceFromEnv(process.env) }),
      );
      if (opts.format === 'json') {
        io.stdout(`${JSON.stringify(entry, null, 2)}\n`);
        return;
      }
      io.stdout(
        `${entry.alias} of ${opts.name} now points to ${entry.version} (was ${entry.previous ?? 'unset'}).\n`,
      );
    });
}
