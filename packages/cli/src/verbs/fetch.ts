import { fetchRequestFrom, runFetchFlow } from '@mlactions/store';
import { type Command, Option } from 'commander';
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
    .addOption(
      new Option(
        '--if-missing <what>',
        '`skip`: an --alias never set fetches nothing and exits 0 (a first run); other failures still fail',
      )
        .choices(['error', 'skip'])
        .default('error'),
    )
    .addOption(formatOption())
    .action(async (opts) => {
      const request = fetchRequestFrom({ ...opts, path: opts.out }, { cwd: process.cwd() });
      const store = openStoreFromOptions(opts, io);
      const result = await runFetchFlow(request, { store, log: (line) => io.stderr(`${line}\n`) });
      if (opts.format !== 'json') {
        io.stdout(`${result.line}\n`);
        return;
      }
      if (!result.found) {
        io.stdout(`${JSON.stringify({ name: opts.name, store: store.uri, found: false }, null, 2)}\n`);
        return;
      }
      const json = {
        name: result.manifest.name,
        version: result.manifest.version,
        store: store.uri,
        found: true,
        out: request.out,
        files: result.written,
        bytes: result.bytes,
      };
      io.stdout(`${JSON.stringify(json, null, 2)}\n`);
    });
}
