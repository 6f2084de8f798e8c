import type { InputReader } from '@mlactions/core';
import type { DeployInputs } from './deploy-flow.ts';
import { parseVersionSource } from './version-source.ts';

/** Where a deploy runs: what the runner (or the machine the CLI runs on) says. */
export interface DeployPlace {
  /** The commit being deployed, when the input `sha` does not name one. */
  sha: string;
  /** Fresh folder for the fetched model and what is kept to restore. */
  workDir: string;
  /** Where commands run and a relative `copy-to` is resolved. */
  cwd: string;
}

/**
 * The deploy action's inputs, or the CLI's flags of the same names, as the flow's request: one
 * reading of them for both fronts. The store is opened by each front, which knows its credentials.
 */
export function deployRequest(inputs: InputReader, place: DeployPlace): DeployInputs {
  const sha = inputs.string('sha') ?? place.sha;
  const endpoint = inputs.string('endpoint');
  const optional = (name: string, key: keyof DeployInputs) => {
    const value = inputs.string(name);
    return value === undefined ? {} : { [key]: value };
  };
  return {
    name: inputs.required('name'),
    source: parseVersionSource(inputs.string('version'), sha),
    environment: inputs.string('environment') ?? 'production',
    sha,
    ...optional('alias', 'alias'),
    ...optional('copy-to', 'copyTo'),
    ...optional('command', 'command'),
    ...optional('smoke-test', 'smokeTest'),
    ...optional('environment-url', 'environmentUrl'),
    requiredContexts: inputs.lines('required-contexts'),
    workDir: place.workDir,
    cwd: place.cwd,
    ...(endpoint ? { s3: { endpoint, forcePathStyle: true } } : {}),
  };
}
