// Runs an action's bundle the way GitHub's runner runs a `node24` action: its own Node 24 process,
// inputs as INPUT_* variables, the event in a file, fresh GITHUB_OUTPUT / GITHUB_STEP_SUMMARY /
// GITHUB_STATE / GITHUB_ENV / GITHUB_PATH files for each step, and workflow commands read from its
// output. The parsing follows actions/runner (FileCommandManager, ActionCommand.TryParseV2).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_REPOSITORY, type GitHubEvent, pushEvent, runnerRefs } from './events.ts';
import { findNode24, REPO_ROOT } from './node24.ts';
import { endTracked } from './orphans.ts';

/** An API address nothing listens on, so a run that was given no GitHub double cannot reach github.com. */
export const UNREACHABLE_API_URL = 'http://127.0.0.1:9';

/** The job token a run gets as `${{ github.token }}` unless a test passes its own. */
export const DEFAULT_TOKEN = 'ghs_mlactionsHarnessToken0000000000000';

export interface RunActionOptions {
  /** `actions/<verb>` (relative to the repository root) or the path of a folder holding action.yml. */
  action: string;
  /** The step's `with:`; values become strings as in workflow YAML. Unknown names are an error. */
  inputs?: Record<string, string | number | boolean>;
  /** GITHUB_EVENT_NAME and the payload at GITHUB_EVENT_PATH; a push to main by default. */
  event?: GitHubEvent<object>;
  /** More environment (the step's `env:`), applied last. */
  env?: Record<string, string>;
  /** GITHUB_WORKSPACE and the working directory; a fresh empty folder (removed afterwards) by default. */
  cwd?: string;
  /** GITHUB_API_URL, e.g. a GitHub double's url; UNREACHABLE_API_URL by default. */
  githubApiUrl?: string;
  githubServerUrl?: string;
  /** `${{ github.token }}`. */
  token?: string;
  /** GITHUB_REPOSITORY; the payload's repository, else DEFAULT_REPOSITORY. */
  repository?: string;
  /** Override GITHUB_SHA / GITHUB_REF, which otherwise follow the event (see runnerRefs). */
  sha?: string;
  ref?: string;
  runId?: number;
  runAttempt?: number;
  /** RUNNER_DEBUG=1, which turns on core.debug output. */
  debug?: boolean;
  /** Per step (main, post): the process is killed after this long and the result says so. */
  timeoutMs?: number;
  /** The Node binary; findNode24() by default. */
  node?: string;
  /**
   * Processes the steps leave running are killed afterwards, as the runner does at the job's end; the
   * run fails unless this is set, since an action should stop what it started.
   */
  allowOrphans?: boolean;
  /**
   * How long processes still running after the steps get to end on their own before they are killed:
   * 10 s by default, so that one already exiting on a busy machine is not taken for left behind.
   */
  orphanGraceMs?: number;
}

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
  title?: string;
}

/** One `::name key=value,...::data` line from stdout or stderr, unescaped. */
export interface WorkflowCommand {
  name: string;
  properties: Record<string, string>;
  data: string;
}

/** What one step (main or post) did. */
export interface StepResult {
  /** The process's exit status; null when it was killed (see timedOut and signal). */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** From GITHUB_OUTPUT, `name=value` and `name<<delimiter` forms. */
  outputs: Record<string, string>;
  /** The text written to GITHUB_STEP_SUMMARY. */
  summary: string;
  /** ::error / ::warning / ::notice commands, plus the runner's own error for an oversized summary. */
  annotations: Annotation[];
  /** Every workflow command, in order (stdout first, then stderr). */
  commands: WorkflowCommand[];
  /** Titles of ::group:: blocks, in order. */
  groups: string[];
  /** Values passed to ::add-mask::. */
  masks: string[];
  /** ::debug:: messages. */
  debug: string[];
  /** From GITHUB_STATE; a post step sees them as STATE_<name>. */
  state: Record<string, string>;
  /** From GITHUB_ENV: variables this step exported to the steps after it. */
  env: Record<string, string>;
  /** From GITHUB_PATH: folders this step put in front of PATH for the steps after it. */
  path: string[];
}

/** The main step's result, with the post step's where action.yml declares one. */
export interface ActionRun extends StepResult {
  post?: StepResult;
  /** `pid command line` of each process still running after the steps, which the harness killed. */
  orphans: string[];
}

/** The runner's limit on one step's summary (1 MiB); a larger one is dropped with an error. */
export const STEP_SUMMARY_LIMIT = 1024 * 1024;

/** The INPUT_ variable the runner sets for an input: spaces become underscores, hyphens stay. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * Parses a GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STATE file as the runner does: `name=value` lines and
 * `name<<DELIMITER` blocks ending at a line equal to the delimiter; blank lines are skipped; anything
 * else is an error naming the line.
 */
export function parseKeyValueFile(text: string, file = 'file command'): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  // A final newline leaves one empty string, which is not a line.
  if (lines.at(-1) === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (heredoc >= 0 && (equals < 0 || heredoc < equals)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (!name) throw new Error(`${file}: invalid line '${line}': name must not be empty`);
      if (!delimiter) throw new Error(`${file}: invalid line '${line}': delimiter must not be empty`);
      const end = lines.indexOf(delimiter, i + 1);
      if (end < 0) throw new Error(`${file}: matching delimiter not found '${delimiter}'`);
      out[name] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else {
      if (equals <= 0) throw new Error(`${file}: invalid line '${line}'`);
      out[line.slice(0, equals)] = line.slice(equals + 1);
    }
  }
  return out;
}

const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) =>
  s
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');

/** Parses one output line as a workflow command (`::name k=v,k=v::data`), or returns undefined. */
export function parseWorkflowCommand(line: string): WorkflowCommand | undefined {
  const message = line.trimStart();
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!name) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .trim()
      .split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0 && eq < pair.length - 1)
        properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
  }
  return { name, properties, data: unescapeData(message.slice(end + 2)) };
}

/**
 * The workflow commands in a step's output, honouring `::stop-commands::TOKEN` (nothing is a command
 * until a `::TOKEN::` line), which is how a step prints untrusted text safely.
 */
export function parseWorkflowCommands(output: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  let stopToken: string | undefined;
  for (const line of output.split(/\r?\n/)) {
    if (stopToken !== undefined) {
      if (line.trim() === `::${stopToken}::`) stopToken = undefined;
      continue;
    }
    const command = parseWorkflowCommand(line);
    if (!command) continue;
    if (command.name === 'stop-commands') stopToken = command.data;
    commands.push(command);
  }
  return commands;
}

const ANNOTATION_LEVELS: readonly string[] = ['error', 'warning', 'notice'];

/** The annotation an ::error / ::warning / ::notice command makes. */
export function toAnnotation(command: WorkflowCommand): Annotation | undefined {
  if (!ANNOTATION_LEVELS.includes(command.name)) return undefined;
  const p = command.properties;
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const annotation: Annotation = { level: command.name as AnnotationLevel, message: command.data };
  const fields = {
    file: p.file,
    line: num(p.line),
    endLine: num(p.endLine),
    col: num(p.col),
    endColumn: num(p.endColumn),
    title: p.title,
  };
  for (const [key, value] of Object.entries(fields))
    if (value !== undefined) Object.assign(annotation, { [key]: value });
  return annotation;
}

interface ActionMetadata {
  dir: string;
  name: string;
  inputs: Record<string, { default?: unknown }>;
  runs: { using: string; main: string; pre?: string; post?: string; 'post-if'?: string };
}

/** Reads an action's action.yml (or action.yaml). */
export function readActionMetadata(action: string): ActionMetadata {
  const dir = isAbsolute(action) ? action : resolve(REPO_ROOT, action);
  const file = ['action.yml', 'action.yaml'].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!file) throw new Error(`${dir} has no action.yml`);
  const doc = parseYaml(readFileSync(file, 'utf8')) as Partial<ActionMetadata> | null;
  const runs = doc?.runs;
  if (runs?.using !== 'node24' || typeof runs.main !== 'string')
    throw new Error(
      `${file}: runs.using must be node24 with a runs.main (got using: ${String(runs?.using)})`,
    );
  if (runs.pre) throw new Error(`${file}: runs.pre is not supported by the harness`);
  return { dir, name: basename(dir), inputs: doc?.inputs ?? {}, runs };
}

/** The github and runner context values an input default may use. */
type ExpressionContext = Record<string, string>;

/**
 * Evaluates an input's default as the runner does for the expressions action.yml files use: literal
 * text with `${{ github.<name> }}` / `${{ runner.<name> }}` substituted. Anything else is an error
 * rather than a silently wrong value.
 */
export function evaluateDefault(value: unknown, context: ExpressionContext): string {
  const text = typeof value === 'string' ? value : String(value);
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (expr, inner: string) => {
    const found = context[inner];
    if (found === undefined) throw new Error(`input default ${expr} is not supported by the harness`);
    return found;
  });
}

/** Evaluates a post-if condition; the runner's default is always(). */
function condition(expr: string | undefined, mainSucceeded: boolean): boolean {
  const e = (expr ?? 'always()').trim();
  if (e === 'always()') return true;
  if (e === 'success()') return mainSucceeded;
  if (e === 'failure()') return !mainSucceeded;
  throw new Error(`condition '${e}' is not supported by the harness`);
}

interface StepFiles {
  GITHUB_OUTPUT: string;
  GITHUB_STEP_SUMMARY: string;
  GITHUB_STATE: string;
  GITHUB_ENV: string;
  GITHUB_PATH: string;
}

async function stepFiles(dir: string): Promise<StepFiles> {
  await mkdir(dir, { recursive: true });
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'step_summary'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_PATH: join(dir, 'path'),
  };
  for (const file of Object.values(files)) await writeFile(file, '');
  return files;
}

interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/** Runs `node script` in its own process group, so a timeout kills whatever it started too. */
function runNode(
  node: string,
  script: string,
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(node, [script], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolvePromise({
        exitCode,
        signal,
        timedOut,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

async function collectStep(proc: ProcessResult, files: StepFiles): Promise<StepResult> {
  const read = (file: string) => readFile(file, 'utf8');
  const commands = [...parseWorkflowCommands(proc.stdout), ...parseWorkflowCommands(proc.stderr)];
  const annotations = commands.map(toAnnotation).filter((a): a is Annotation => a !== undefined);
  let summary = await read(files.GITHUB_STEP_SUMMARY);
  const summaryBytes = Buffer.byteLength(summary);
  if (summaryBytes > STEP_SUMMARY_LIMIT) {
    annotations.push({
      level: 'error',
      message: `$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of 1024k, got ${Math.ceil(summaryBytes / 1024)}k.`,
    });
    summary = '';
  }
  return {
    ...proc,
    outputs: parseKeyValueFile(await read(files.GITHUB_OUTPUT), 'GITHUB_OUTPUT'),
    summary,
    annotations,
    commands,
    groups: commands.filter((c) => c.name === 'group').map((c) => c.data),
    masks: commands.filter((c) => c.name === 'add-mask').map((c) => c.data),
    debug: commands.filter((c) => c.name === 'debug').map((c) => c.data),
    state: parseKeyValueFile(await read(files.GITHUB_STATE), 'GITHUB_STATE'),
    env: parseKeyValueFile(await read(files.GITHUB_ENV), 'GITHUB_ENV'),
    path: (await read(files.GITHUB_PATH)).split(/\r?\n/).filter((l) => l !== ''),
  };
}

function eventRepository(event: GitHubEvent<object>): string | undefined {
  const repo = (event.payload as { repository?: { full_name?: unknown } }).repository;
  return typeof repo?.full_name === 'string' ? repo.full_name : undefined;
}

function eventActor(event: GitHubEvent<object>): string | undefined {
  const sender = (event.payload as { sender?: { login?: unknown } }).sender;
  return typeof sender?.login === 'string' ? sender.login : undefined;
}

/**
 * Runs an action's bundle (its action.yml's runs.main, built by `node scripts/build.mjs`) under Node 24
 * as GitHub's runner would, with the post step where declared, and returns what it did.
 * The environment is built from scratch (only PATH and HOME come from this process), so nothing of the
 * developer's shell reaches the action.
 */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const meta = readActionMetadata(options.action);
  const bundle = (script: string) => {
    const path = resolve(meta.dir, script);
    if (!existsSync(path))
      throw new Error(
        `${path} does not exist: build the actions first (node scripts/build.mjs; pnpm test does)`,
      );
    return path;
  };
  const scripts = { main: bundle(meta.runs.main), post: meta.runs.post ? bundle(meta.runs.post) : undefined };
  const node = options.node ?? findNode24();
  const event = options.event ?? pushEvent();
  const repository = options.repository ?? eventRepository(event) ?? DEFAULT_REPOSITORY;
  const [owner = ''] = repository.split('/');
  const refs = runnerRefs(event);
  const sha = options.sha ?? refs.sha;
  const ref = options.ref ?? refs.ref;
  const apiUrl = (options.githubApiUrl ?? UNREACHABLE_API_URL).replace(/\/+$/, '');
  const serverUrl = options.githubServerUrl ?? 'https://github.com';
  const token = options.token ?? DEFAULT_TOKEN;
  const runId = String(options.runId ?? 1658821493);
  const actor = eventActor(event) ?? owner;

  const trackingId = `github_${randomUUID()}`;
  const runDir = await mkdtemp(join(tmpdir(), 'mlactions-run-'));
  let orphans: string[] = [];
  let run: Omit<ActionRun, 'orphans'>;
  try {
    const workspace = options.cwd ?? join(runDir, 'workspace');
    const temp = join(runDir, 'runner-temp');
    await mkdir(workspace, { recursive: true });
    await mkdir(temp, { recursive: true });
    const eventPath = join(runDir, 'event.json');
    await writeFile(eventPath, JSON.stringify(event.payload, null, 2));

    const base: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? runDir,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTION: `__mlactions_${meta.name}`,
      GITHUB_ACTOR: actor,
      GITHUB_TRIGGERING_ACTOR: actor,
      GITHUB_API_URL: apiUrl,
      GITHUB_GRAPHQL_URL: `${apiUrl}/graphql`,
      GITHUB_SERVER_URL: serverUrl,
      GITHUB_EVENT_NAME: event.name,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: repository,
      GITHUB_REPOSITORY_OWNER: owner,
      GITHUB_SHA: sha,
      GITHUB_REF: ref,
      GITHUB_REF_NAME: ref.replace(/^refs\/(heads|tags)\//, '').replace(/^refs\/pull\//, ''),
      GITHUB_REF_TYPE: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      GITHUB_HEAD_REF: refs.headRef,
      GITHUB_BASE_REF: refs.baseRef,
      GITHUB_WORKSPACE: workspace,
      GITHUB_WORKFLOW: 'ci',
      GITHUB_WORKFLOW_REF: `${repository}/.github/workflows/ci.yml@${ref}`,
      GITHUB_JOB: 'test',
      GITHUB_RUN_ID: runId,
      GITHUB_RUN_NUMBER: '42',
      GITHUB_RUN_ATTEMPT: String(options.runAttempt ?? 1),
      GITHUB_RETENTION_DAYS: '90',
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_NAME: 'GitHub Actions 1',
      RUNNER_ENVIRONMENT: 'github-hosted',
      RUNNER_TEMP: temp,
      RUNNER_TOOL_CACHE: join(runDir, 'toolcache'),
      RUNNER_TRACKING_ID: trackingId,
      ...(options.debug ? { RUNNER_DEBUG: '1' } : {}),
    };

    const expressions: ExpressionContext = {
      'github.token': token,
      'github.repository': repository,
      'github.repository_owner': owner,
      'github.sha': sha,
      'github.ref': ref,
      'github.event_name': event.name,
      'github.workspace': workspace,
      'github.server_url': serverUrl,
      'github.api_url': apiUrl,
      'github.run_id': runId,
      'runner.temp': temp,
      'runner.os': 'Linux',
    };
    const given = options.inputs ?? {};
    const declared = Object.keys(meta.inputs);
    const unknown = Object.keys(given).filter(
      (k) => !declared.some((d) => d.toUpperCase() === k.toUpperCase()),
    );
    if (unknown.length > 0)
      throw new Error(
        `${options.action}: unexpected input(s) ${unknown.join(', ')}; valid inputs are ${declared.join(', ')}`,
      );
    const inputEnv: Record<string, string> = {};
    for (const [name, spec] of Object.entries(meta.inputs)) {
      if (spec?.default !== undefined && spec.default !== null)
        inputEnv[inputEnvName(name)] = evaluateDefault(spec.default, expressions);
    }
    for (const [name, value] of Object.entries(given)) inputEnv[inputEnvName(name)] = String(value);

    // GITHUB_ENV and GITHUB_PATH from one step apply to the steps after it; GITHUB_STATE reaches post.
    let carriedEnv: Record<string, string> = {};
    let carriedPath: string[] = [];
    let state: Record<string, string> = {};
    const timeoutMs = options.timeoutMs ?? 30_000;
    const step = async (phase: string, script: string): Promise<StepResult> => {
      const files = await stepFiles(join(runDir, phase));
      const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
      const env: Record<string, string> = {
        ...base,
        ...carriedEnv,
        ...inputEnv,
        ...stateEnv,
        ...files,
        ...options.env,
      };
      if (carriedPath.length > 0) env.PATH = [...carriedPath, env.PATH ?? ''].join(':');
      const result = await collectStep(await runNode(node, script, workspace, env, timeoutMs), files);
      carriedEnv = { ...carriedEnv, ...result.env };
      carriedPath = [...[...result.path].reverse(), ...carriedPath];
      state = { ...state, ...result.state };
      return result;
    };

    const main = await step('main', scripts.main);
    const succeeded = main.exitCode === 0;
    const post =
      scripts.post && condition(meta.runs['post-if'], succeeded)
        ? await step('post', scripts.post)
        : undefined;
    run = post ? { ...main, post } : main;
  } finally {
    orphans = await endTracked('RUNNER_TRACKING_ID', trackingId, options.orphanGraceMs);
    await rm(runDir, { recursive: true, force: true });
  }
  if (orphans.length > 0 && !options.allowOrphans)
    throw new Error(
      `${options.action} left ${orphans.length} process(es) running after its steps, killed now as the ` +
        `runner would at the job's end: ${orphans.join('; ')}`,
    );
  return { ...run, orphans };
}
