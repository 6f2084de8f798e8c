import { createClient } from '@mlactions/github';
import { type ArtifactStore, openStoreWithAccess } from '@mlactions/store';
import { type Command, Option } from 'commander';
import type { Io } from './program.ts';

/** The flags addStoreOptions adds, as commander parses them. */
export interface StoreFlags {
  store: string;
  endpoint?: string;
  token?: string;
}

/** Adds --store, --endpoint and --token, which every verb that reads or writes a store takes. */
export function addStoreOptions(command: Command): Command {
  return command
    .requiredOption(
      '--store <uri>',
      'the store: file://<dir>, s3://<bucket>/<prefix> or github-release://<owner>/<repo>',
    )
    .option('--endpoint <url>', 'an S3-compatible server for s3:// stores (MinIO, R2, a local one)')
    .option('--token <token>', 'a GitHub token for github-release:// stores (default: $GITHUB_TOKEN)');
}

/**
 * Opens the store the flags name. A github-release:// store takes its token from --token, else
 * GITHUB_TOKEN; GitHub's retry notices and the store's warnings go to stderr, and the run's
 * interrupt stops the store's work.
 */
export function openStoreFromOptions(
  flags: StoreFlags,
  io: Io,
  env: Record<string, string | undefined> = process.env,
): ArtifactStore {
  const log = (message: string) => io.stderr(`mlactions: ${message}\n`);
  return openStoreWithAccess(
    flags.store,
    {
      ...(flags.endpoint ? { endpoint: flags.endpoint } : {}),
      ...(flags.token || env.GITHUB_TOKEN ? { token: flags.token || env.GITHUB_TOKEN } : {}),
      githubClient: (token) => createClient({ token, log }),
      tokenSources: 'pass --token <token> or set GITHUB_TOKEN',
    },
    { warn: (message) => log(`warning: ${message}`), ...(io.signal ? { signal: io.signal } : {}) },
  );
}

/** --format text|json of the store verbs: people's lines, or one JSON document on stdout. */
export function formatOption(): Option {
  return new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');
}
