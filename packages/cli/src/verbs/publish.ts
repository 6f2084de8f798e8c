import { provenanceFromEnv, publishRequestFrom, runPublishFlow } from '@mlactions/store';
import type { Command } from 'commander';
import { addDispatchOption, announcerFrom } from '../announce.ts';
import { collect } from '../options.ts';
import type { Io } from '../program.ts';
import { addStoreOptions, formatOption, openStoreFromOptions } from '../store-options.ts';

export function registerPublish(program: Command, io: Io): void {
  const command = addStoreOptions(
    program
      .command('publish')
      .description('publish a model version (files, metrics, provenance) to a store; versions are immutable'),
  )
    .requiredOption('--name <model>', "the model's name")
    .option('--version <semver>', 'the version to publish (or --bump)')
    .option('--bump <part>', 'publish the next major, minor or patch version after the latest')
    .option('--file <path>', 'a file, folder or glob pattern to publish (repeat for more)', collect, [])
    .option('--metrics <file>', 'a metrics file or folder to record in the manifest')
    .option('--params <file>', 'a JSON or YAML file of parameters to record in the manifest')
    .option('--data <path>', 'a data file or folder to fingerprint into the manifest (repeat)', collect, [])
    .option('--alias <alias>', 'point this alias at the new version once it is published');
  addDispatchOption(command)
    .addOption(formatOption())
    .action(async (opts) => {
      const announce = announcerFrom(opts, io);
      const request = publishRequestFrom(
        { ...opts, files: opts.file, metricsFile: opts.metrics, paramsFile: opts.params },
        { cwd: process.cwd() },
      );
      const store = openStoreFromOptions(opts, io);
      const result = await runPublishFlow(request, {
        store,
        log: (line) => io.stderr(`${line}\n`),
        provenance: provenanceFromEnv(process.env),
        ...(announce ? { announce } : {}),
        ...(process.env.GITHUB_SERVER_URL ? { serverUrl: process.env.GITHUB_SERVER_URL } : {}),
      });
      if (opts.format !== 'json') {
        io.stdout(`${result.line}\n`);
        return;
      }
      const { manifest } = result;
      const json = {
        name: manifest.name,
        version: manifest.version,
        store: store.uri,
        manifest: result.manifestLocation,
        uploadedBytes: result.uploadedBytes,
        skippedBytes: result.skippedBytes,
        uploadedFiles: result.uploadedFiles,
        skippedFiles: result.skippedFiles,
        files: manifest.files.map(({ path, size, sha256 }) => ({ path, size, sha256 })),
        alias: result.promoted ?? null,
      };
      io.stdout(`${JSON.stringify(json, null, 2)}\n`);
    });
}
