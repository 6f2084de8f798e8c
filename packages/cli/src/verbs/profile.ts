import { UserError } from '@mlactions/core';
import {
  type DatasetProfile,
  mergeProfileFiles,
  type ProfileSettingsText,
  profileFiles,
  profileOptionsFrom,
  writeProfileFile,
} from '@mlactions/drift';
import { s3DataReader } from '@mlactions/store';
import type { Command } from 'commander';
import { collect } from '../options.ts';
import type { Io } from '../program.ts';

/** The column flags that profiling from data takes (drift takes them for its reference). */
export interface ColumnFlags {
  type: string[];
  include: string[];
  exclude: string[];
  delimiter?: string;
  endpoint?: string;
}

/** Adds --type, --include, --exclude, --delimiter and --endpoint. */
export function addColumnOptions(command: Command): Command {
  return command
    .option(
      '--type <column=type>',
      'a column type instead of the inferred one: numeric, categorical, boolean, id, timestamp (repeat)',
      collect,
      [],
    )
    .option('--include <column>', 'test an id or timestamp column anyway (repeat)', collect, [])
    .option('--exclude <column>', 'leave a column out of the tests (repeat)', collect, [])
    .option('--delimiter <char>', 'the CSV field separator, `tab` for a tab (default , or a tab for .tsv)')
    .option('--endpoint <url>', 'an S3-compatible server for s3:// data (MinIO, R2, a local one)');
}

/** The column flags as profiling's settings (the same names as the drift action's inputs). */
export function profileSettingsOf(flags: ColumnFlags): ProfileSettingsText {
  return {
    columnTypes: flags.type,
    includeColumns: flags.include,
    excludeColumns: flags.exclude,
    delimiter: flags.delimiter,
  };
}

/** The s3:// reader for the column flags' --endpoint. */
export function remoteOf(flags: ColumnFlags) {
  return s3DataReader(flags.endpoint ? { endpoint: flags.endpoint } : {});
}

interface ProfileFlags extends ColumnFlags {
  data: string[];
  merge?: string[];
  out: string;
}

function describe(profile: DatasetProfile, out: string): string {
  const types = profile.columns.map((column) => `${column.name} (${column.type})`).join(', ');
  return `mlactions: wrote ${out}: ${profile.rows.toLocaleString('en-US')} rows; columns ${types || 'none'}\n`;
}

export function registerProfile(program: Command, io: Io): void {
  const command = program
    .command('profile')
    .description(
      'profile data for drift checks (a reference to store, or one shard of it), or merge the profiles of shards',
    )
    .option(
      '--data <path>',
      'a data file, folder, glob pattern or s3:// URI (repeat; read as one dataset)',
      collect,
      [],
    )
    .option('--merge <profile.json...>', 'merge these profiles (of shards of one dataset) into one')
    .requiredOption('--out <file>', 'where to write the profile (JSON)');
  addColumnOptions(command).action(async (flags: ProfileFlags) => {
    const merging = flags.merge !== undefined;
    if (merging === flags.data.length > 0)
      throw new UserError('give --data <path>... or --merge <profile.json>..., not both');
    if (
      merging &&
      (flags.type.length > 0 ||
        flags.include.length > 0 ||
        flags.exclude.length > 0 ||
        flags.delimiter ||
        flags.endpoint)
    ) {
      throw new UserError(
        '--type, --include, --exclude, --delimiter and --endpoint apply to --data; the merged profiles keep their own',
      );
    }
    const profile = merging
      ? await mergeProfileFiles(flags.merge!)
      : await profileFiles(
          flags.data,
          profileOptionsFrom(profileSettingsOf(flags), { remote: remoteOf(flags), signal: io.signal }),
        );
    await writeProfileFile(flags.out, profile);
    io.stderr(describe(profile, flags.out));
  });
}
