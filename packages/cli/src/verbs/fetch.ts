import { resolve } from 'node:path';
import { runFetchFlow, versionRef } from '@mlactions/store';
import type { Command } from 'commander';
import type { Io } from '../program.ts';
import { addStoreOptions, formatOption, openStoreFromOptions } from '../store-options.ts';

export function registerFetch(program: Command, io: Io): void {
  addStoreOptions(
    program
      .command('fetch')
      .description("download a version (or an alias's version) into a folder, verifying sizes and sha256"),
  )
    .requiredOption('--name <model>', "the model's name")
    .option('--version <semver>', 'the version to fetch')
    .option('--alias <alias>', 'fetch the version this alias points to')
    .requiredOption('--out <dir>', 'the folder to write the files into (files of the same name are replaced)')
    .addOption(formatOption())
    .action(async (opts) => {
      const store = openStoreFromOptions(opts, io);
      const out = resolve(opts.out);
      const result = await runFetchFlow(
        { name: opts.name, ...versionRef(opts), out },
        { store, log: (line) => io.stderr(`${line}\n`) },
      );
      if (opts.format !== 'json') {
        io.stdout(`${result.line}\n`);
        return;
      }
      const json = {
        name: result.manifest.name,
        version: result.manifest.version,
        store: store.uri,
        out,
        files: result.written,
        bytes: result.bytes,
      };
      io.stdout(`${JSON.stringify(json, null, 2)}\n`);
    });
}
