import { cleanupRequestFrom, provenanceFromEnv, retentionLines, versionTargetFrom } from '@mlactions/store';
import type { Command } from 'commander';
import type { Io } from '../program.ts';
import { addStoreOptions, formatOption, openStoreFromOptions } from '../store-options.ts';

/**
 * `delete <name>@<version>` deletes one version; `delete <name> --keep N` all but the N newest. Either
 * way a version an alias points to, or that a rollback would return to, stays (unless --force for one).
 */
export function registerDelete(program: Command, io: Io): void {
  addStoreOptions(
    program
      .command('delete')
      .argument('<name@version|name>', 'the version to delete (iris@1.2.0), or with --keep the model (iris)')
      .description(
        "delete a version, or with --keep N all but a model's N newest; never one an alias points to or would roll back to (unless --force); gc frees the files",
      ),
  )
    .option('--keep <n>', 'keep the n newest versions of the model and delete the rest')
    .option('--dry-run', 'with --keep: print what would be deleted, and delete nothing', false)
    .option('--force', 'delete the version even if an alias needs it', false)
    .addOption(formatOption())
    .action(async (target: string, opts) => {
      const provenance = provenanceFromEnv(process.env);
      if (opts.keep === undefined) {
        const version = versionTargetFrom({ target });
        const store = openStoreFromOptions(opts, io);
        const result = await store.deleteVersion({ ...version, force: opts.force, provenance });
        io.stdout(
          opts.format === 'json'
            ? `${JSON.stringify({ name: version.name, ...result }, null, 2)}\n`
            : `Deleted ${version.name} ${result.version} from ${store.uri}; \`mlactions gc\` frees files no version references.\n`,
        );
        return;
      }
      const { retain, dryRun } = cleanupRequestFrom({ name: target, keep: opts.keep, dryRun: opts.dryRun });
      const store = openStoreFromOptions(opts, io);
      const result = await store.retain({ ...retain!, dryRun, provenance });
      io.stdout(
        opts.format === 'json'
          ? `${JSON.stringify({ name: retain!.name, dryRun, ...result }, null, 2)}\n`
          : `${retentionLines(retain!.name, result, dryRun).join('\n')}\n`,
      );
    });
}
