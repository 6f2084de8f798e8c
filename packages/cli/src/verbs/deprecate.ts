import { deprecateRequestFrom, deprecationNotice, provenanceFromEnv } from '@mlactions/store';
import type { Command } from 'commander';
import type { Io } from '../program.ts';
import { addStoreOptions, formatOption, openStoreFromOptions } from '../store-options.ts';

/** `deprecate <name>@<version> --reason …` (`--undo` lifts it) and `undeprecate <name>@<version>`. */
export function registerDeprecate(program: Command, io: Io): void {
  for (const verb of ['deprecate', 'undeprecate'] as const) {
    const command = addStoreOptions(
      program
        .command(verb)
        .argument('<name@version>', 'the version, e.g. iris@1.2.0')
        .description(
          verb === 'deprecate'
            ? 'mark a version deprecated, with a reason: fetch and deploy warn, promote refuses it without --force'
            : 'lift the deprecation of a version',
        ),
    );
    if (verb === 'deprecate') {
      command
        .option('--reason <text>', 'why (required; shown by fetch, deploy and promote)')
        .option('--undo', 'lift the deprecation instead (as `undeprecate`)', false);
    }
    command.addOption(formatOption()).action(async (target: string, opts) => {
      const request = deprecateRequestFrom({
        target,
        reason: opts.reason,
        undo: verb === 'undeprecate' || opts.undo,
      });
      const store = openStoreFromOptions(opts, io);
      const entry = await store.deprecate({ ...request, provenance: provenanceFromEnv(process.env) });
      if (opts.format === 'json') {
        io.stdout(`${JSON.stringify({ name: request.name, ...entry }, null, 2)}\n`);
        return;
      }
      io.stdout(
        entry.action === 'deprecate'
          ? `${deprecationNotice(request.name, entry)}\n`
          : `${request.name} ${entry.version} is no longer deprecated.\n`,
      );
    });
  }
}
