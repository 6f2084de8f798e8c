import { promoteRequestFrom, promotionOf, provenanceFromEnv } from '@mlactions/store';
import type { Command } from 'commander';
import { addDispatchOption, announcerFrom } from '../announce.ts';
import type { Io } from '../program.ts';
import { addStoreOptions, formatOption, openStoreFromOptions } from '../store-options.ts';

export function registerPromote(program: Command, io: Io): void {
  const command = addStoreOptions(
    program.command('promote').description('point an alias (e.g. production) at a version'),
  )
    .requiredOption('--name <model>', "the model's name")
    .requiredOption('--version <semver>', 'the version the alias should point to')
    .requiredOption('--alias <alias>', 'the alias to move')
    .option(
      '--expect <version>',
      'move only if the alias points to this version now (`none`: only if it is unset)',
    )
    .option('--force', 'move it even to a deprecated version', false);
  addDispatchOption(command)
    .addOption(formatOption())
    .action(async (opts) => {
      const announce = announcerFrom(opts, io);
      const store = openStoreFromOptions(opts, io);
      const entry = await store.promote(
        promoteRequestFrom(opts, { provenance: provenanceFromEnv(process.env) }),
      );
      await announce?.(promotionOf(opts.name, entry));
      if (opts.format === 'json') {
        io.stdout(`${JSON.stringify(entry, null, 2)}\n`);
        return;
      }
      io.stdout(
        `${entry.alias} of ${opts.name} now points to ${entry.version} (was ${entry.previous ?? 'unset'}).\n`,
      );
    });
}
