import { manifestMarkdown, versionRef } from '@mlactions/store';
import { type Command, Option } from 'commander';
import type { Io } from '../program.ts';
import { addStoreOptions, openStoreFromOptions } from '../store-options.ts';

export function registerShow(program: Command, io: Io): void {
  addStoreOptions(
    program
      .command('show')
      .description("a version's manifest: files with sha256, metrics, params, provenance"),
  )
    .requiredOption('--name <model>', "the model's name")
    .option('--version <semver>', 'the version to show')
    .option('--alias <alias>', 'show the version this alias points to')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'markdown']).default('json'))
    .action(async (opts) => {
      const store = openStoreFromOptions(opts, io);
      const manifest = await store.manifestOf(opts.name, versionRef(opts));
      io.stdout(
        opts.format === 'markdown'
          ? manifestMarkdown(manifest, { verb: 'Model' })
          : `${JSON.stringify(manifest, null, 2)}\n`,
      );
    });
}
