// Starting a just-in-time runner so that its jobs never hold what registered it. The process that
// minted the configuration keeps the GitHub App key or admin token; the runner gets an allow-listed
// environment, optionally another user, and its configuration through a 0600 file that a tiny
// launcher reads into ACTIONS_RUNNER_INPUT_JITCONFIG (the runner reads any `--<arg>` from
// ACTIONS_RUNNER_INPUT_<ARG> and removes the variable before it starts a job) and deletes before the
// runner starts. Nothing secret is on any argv: /proc/<pid>/cmdline is readable by every user.
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, chownSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '@mlactions/core';
import { signalExitCode } from './process-group.ts';

/** Host variables a runner needs, or that choose its GPUs; everything else stays with us. */
const RUNNER_ENV = new Set([
  'PATH',
  'HOME',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TERM',
  'USER',
  'LOGNAME',
  'SHELL',
  'TMPDIR',
  'CUDA_VISIBLE_DEVICES',
  'NVIDIA_VISIBLE_DEVICES',
  'NVIDIA_DRIVER_CAPABILITIES',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
]);
/** The runner's own settings (RUNNER_ALLOW_RUNASROOT, ACTIONS_RUNNER_HOOK_JOB_STARTED…) and locale. */
const RUNNER_ENV_PREFIX = /^(?:LC_|RUNNER_|ACTIONS_RUNNER_)/;
/** Never passed on, whatever the prefix: the runner's own secret inputs and anything named like a secret. */
const SECRET_NAME = /^ACTIONS_RUNNER_INPUT_|TOKEN|SECRET|PASSWORD|PRIVATE|KEY|CREDENTIAL/i;

/** A host account the runner runs as. */
export interface RunnerUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** The runner's environment: the host's allow-listed variables, with the user's HOME when it runs as one. */
export function runnerEnv(host: NodeJS.ProcessEnv, user?: RunnerUser): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(host)) {
    if (value === undefined || SECRET_NAME.test(name)) continue;
    if (RUNNER_ENV.has(name) || RUNNER_ENV_PREFIX.test(name)) env[name] = value;
  }
  return user ? { ...env, HOME: user.home, USER: user.name, LOGNAME: user.name } : env;
}

/** The account named by --run-as (a name or a uid), as the host's user database knows it. */
export function lookupUser(name: string): RunnerUser {
  let line: string;
  try {
    line = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim();
  } catch {
    throw new UserError(
      `--run-as ${name}: no such user on this host (create it, e.g. useradd --system ${name})`,
    );
  }
  const [login, , uid, gid, , home] = line.split(':');
  return { name: login!, uid: Number(uid), gid: Number(gid), home: home || '/' };
}

/**
 * Reads the configuration file into the runner's input variable, deletes the file, and becomes the
 * runner: `sh -c LAUNCHER mlactions-runner <file> <run.sh>`. Only the file's path is on argv.
 */
const LAUNCHER =
  'IFS= read -r ACTIONS_RUNNER_INPUT_JITCONFIG < "$1" || exit 1; rm -f -- "$1"; ' +
  'export ACTIONS_RUNNER_INPUT_JITCONFIG; exec "$2"';

export interface StartRunnerOptions {
  /** The host environment the allow-list is taken from. */
  env: NodeJS.ProcessEnv;
  /** Run the runner (and so every job) as this user; needs root. */
  runAs?: string;
  /** Where the configuration file's private folder is made (default: the system's temp folder). */
  tmpDir?: string;
}

function checkRunSh(runSh: string): void {
  try {
    accessSync(runSh, constants.X_OK);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UserError(
      `--start ${runSh}: ${missing ? 'no such file' : 'not executable'}; give the path of the runner's run.sh`,
    );
  }
}

function runnerUser(runAs: string | undefined): RunnerUser | undefined {
  if (runAs === undefined) return undefined;
  if (process.getuid?.() !== 0)
    throw new UserError(
      `--run-as ${runAs} needs root: start mlactions as root (the systemd unit does) or leave --run-as out`,
    );
  const user = lookupUser(runAs);
  if (user.uid === 0) throw new UserError(`--run-as ${runAs} is root; name an unprivileged user`);
  return user;
}

/**
 * Writes the configuration into a new private folder (0700) as a 0600 file, both owned by the user
 * the runner runs as. The caller removes the folder.
 */
export function writeConfigFile(
  encodedJitConfig: string,
  tmpDir: string,
  user?: RunnerUser,
): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpDir, 'mlactions-jit-'));
  const file = join(dir, 'jitconfig');
  try {
    writeFileSync(file, `${encodedJitConfig}\n`, { mode: 0o600, flag: 'wx' });
    if (user) {
      chownSync(dir, user.uid, user.gid);
      chownSync(file, user.uid, user.gid);
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, file };
}

/**
 * Starts the runner with its one-job configuration in the foreground, its output passed through;
 * resolves to its exit code. The configuration file is gone before the runner starts, and its folder
 * when the runner exits, whatever happened.
 */
export function startRunner(
  runSh: string,
  encodedJitConfig: string,
  options: StartRunnerOptions,
): Promise<number> {
  checkRunSh(runSh);
  const user = runnerUser(options.runAs);
  const { dir, file } = writeConfigFile(encodedJitConfig, options.tmpDir ?? tmpdir(), user);
  return new Promise<number>((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', LAUNCHER, 'mlactions-runner', file, runSh], {
      stdio: 'inherit',
      env: runnerEnv(options.env, user),
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? signalExitCode(signal) : 1)));
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}
