import type { Command } from 'commander';
import type { Io } from '../program.ts';
import { addStoreOptions, formatOption, openStoreFromOptions } from '../store-options.ts';

export function registerList(program: Command, io: Io): void {
  addStoreOptions(program.command('list').description("a model's versions, lowest first, and its aliases"))
    .requiredOption('--name <model>', "the model's name")
    .addOption(formatOption())
    .action(async (opts) => {
      const store = openStoreFromOptions(opts, io);
      const versions = await store.listVersions(opts.name);
      const aliases = await store.listAliases(opts.name);
      if (opts.format === 'json') {
        const byAlias = Object.fromEntries(aliases.map((a) => [a.alias, a.version]));
        io.stdout(`${JSON.stringify({ name: opts.name, versions, aliases: byAlias }, null, 2)}\n`);
        return;
      }
      if (versions.length === 0) {
        io.stderr(`mlactions: ${store.uri} has no versions of ${opts.name}\n`);
        return;
      }
      for (const version of versions) {
        const here = aliases.filter((a) => a.version === version).map((a) => a.alias);
        io.stdout(here.length > 0 ? `${version}  (${here.join(', ')})\n` : `${version}\n`);
      }
    });
}
