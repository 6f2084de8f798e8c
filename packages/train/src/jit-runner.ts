// Just-in-time self-hosted runners: a GPU host asks GitHub for a one-job runner configuration,
// starts the runner with it (runner-launch.ts), takes exactly one job and leaves. No registration
// token is stored on the host and no runner outlives its job.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { UserError } from '@mlactions/core';
import { App, Octokit, RequestError } from 'octokit';

export { startRunner } from './runner-launch.ts';

/** Who may register a JIT runner, and how; repeated in --help and in every permission error. */
export const JIT_PERMISSIONS =
  'Registering a runner needs a GitHub App installation token (repository permission "Administration: write", ' +
  'or organization permission "Self-hosted runners: write" for --org) or an admin\'s personal access token ' +
  "(classic: the `repo` scope, `admin:org` for --org). A workflow's GITHUB_TOKEN cannot register runners.";

/** Where the runner registers: one repository or a whole organization. */
export type RunnerScope = { kind: 'repo'; owner: string; repo: string } | { kind: 'org'; org: string };

/** The scope named by --repo owner/name or --org name (exactly one of them). */
export function runnerScope(repo: string | undefined, org: string | undefined): RunnerScope {
  if ((repo === undefined) === (org === undefined))
    throw new UserError('say where the runner registers: --repo <owner/name> or --org <org> (one of them)');
  if (org !== undefined) {
    if (!/^[A-Za-z0-9-]+$/.test(org)) throw new UserError(`--org "${org}" is not an organization name`);
    return { kind: 'org', org };
  }
  const match = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(repo ?? '');
  if (!match) throw new UserError(`--repo "${repo}" is not owner/name`);
  return { kind: 'repo', owner: match[1]!, repo: match[2]! };
}

/** Credentials: a token, or a GitHub App that mints an installation token. */
export type RunnerAuth = { token: string } | { appId: string; privateKey: string; installationId: number };

/**
 * The App's PEM private key, from a file (`--private-key-file`, PRIVATE_KEY_FILE) or as text
 * (PRIVATE_KEY; newlines may come escaped, as environment variables often carry them).
 */
export function readPrivateKey(source: { file: string } | { text: string }): string {
  let text: string;
  if ('file' in source) {
    try {
      text = readFileSync(source.file, 'utf8');
    } catch (error) {
      throw new UserError(
        `private key file ${source.file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      );
    }
  } else text = source.text;
  if (!text.includes('PRIVATE KEY-----'))
    throw new UserError(
      `${'file' in source ? source.file : 'PRIVATE_KEY'} does not hold a PEM private key (download one from the App's settings page)`,
    );
  return text.replace(/\\n/g, '\n');
}

/** An Octokit (retries, rate-limit throttling) authenticated as the credentials say. */
export async function runnerClient(auth: RunnerAuth, baseUrl: string): Promise<Octokit> {
  // A conflict (a taken name) or a refusal will not change on a retry; octokit's defaults would retry
  // a 409 for ~14 s before the user hears of it.
  const ApiOctokit = Octokit.defaults({
    baseUrl,
    retry: { doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451, 501] },
  });
  if ('token' in auth) return new ApiOctokit({ auth: auth.token });
  const app = new App({ appId: auth.appId, privateKey: auth.privateKey, Octokit: ApiOctokit });
  try {
    return await app.getInstallationOctokit(auth.installationId);
  } catch (error) {
    throw explain(error, `GitHub App ${auth.appId}, installation ${auth.installationId}`);
  }
}

export interface JitRequest {
  scope: RunnerScope;
  /** Unique among the scope's runners; default `<host>-<random>`. */
  name?: string;
  /** Custom labels that jobs select with `runs-on` (self-hosted, OS and architecture are added by GitHub). */
  labels: string[];
  /** The runner group (1 is the default group). */
  runnerGroupId?: number;
  /** The runner's work folder, relative to its install folder. */
  workFolder?: string;
}

export interface JitConfig {
  runnerId: number;
  name: string;
  labels: string[];
  /** What `run.sh --jitconfig` takes. */
  encodedJitConfig: string;
}

/** A default runner name: the host's and a random suffix, so two runners on one host differ. */
export function defaultRunnerName(host = hostname()): string {
  const base = host.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 50) || 'runner';
  return `${base}-${randomBytes(3).toString('hex')}`;
}

/** A GitHub error as the one thing the user has to do about it. */
function explain(error: unknown, target: string): unknown {
  if (!(error instanceof RequestError)) return error;
  const said = (error.response?.data as { message?: string } | undefined)?.message ?? error.message;
  switch (error.status) {
    case 401:
      return new UserError(`GitHub refused the credentials for ${target} (401: ${said}). ${JIT_PERMISSIONS}`);
    case 403:
    case 404:
      return new UserError(
        `${target}: not found or not allowed (${error.status}: ${said}). ${JIT_PERMISSIONS}`,
      );
    case 409:
      return new UserError(`${target}: ${said} Choose another --name.`);
    case 422:
      return new UserError(`${target}: GitHub refused the request (422: ${said}).`);
    default:
      return error;
  }
}

/**
 * Asks GitHub for a just-in-time runner configuration
 * (`POST /repos/{owner}/{repo}/actions/runners/generate-jitconfig`, or the organization's).
 */
export async function generateJitConfig(octokit: Octokit, request: JitRequest): Promise<JitConfig> {
  const labels = [...new Set(request.labels.map((l) => l.trim()).filter((l) => l !== ''))];
  if (labels.length === 0)
    throw new UserError(
      'give the runner at least one label with --labels (e.g. gpu), for `runs-on` to select it',
    );
  if (labels.some((l) => l.includes(','))) throw new UserError('a runner label cannot hold a comma');
  const body = {
    name: request.name ?? defaultRunnerName(),
    labels,
    runner_group_id: request.runnerGroupId ?? 1,
    work_folder: request.workFolder ?? '_work',
  };
  const { scope } = request;
  const target =
    scope.kind === 'repo' ? `repository ${scope.owner}/${scope.repo}` : `organization ${scope.org}`;
  try {
    const { data } =
      scope.kind === 'repo'
        ? await octokit.rest.actions.generateRunnerJitconfigForRepo({
            owner: scope.owner,
            repo: scope.repo,
            ...body,
          })
        : await octokit.rest.actions.generateRunnerJitconfigForOrg({ org: scope.org, ...body });
    return {
      runnerId: data.runner.id,
      name: data.runner.name,
      labels: data.runner.labels.map((l) => l.name),
      encodedJitConfig: data.encoded_jit_config,
    };
  } catch (error) {
    throw explain(error, target);
  }
}
