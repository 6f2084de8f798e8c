// Runs a workflow's jobs the way GitHub's runner would, on this machine: jobs in `needs` order with
// their outputs, `${{ }}` evaluated with GitHub's expression evaluator (@actions/expressions), our
// actions run from their bundles through runAction, `run:` steps in bash, and small local stand-ins
// for the third-party actions (checkout copies a source folder, upload/download-artifact keep the
// files between jobs, setup-python and configure-aws-credentials set what later steps see).
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { parse } from 'yaml';
import {
  DEFAULT_BRANCH,
  DEFAULT_BRANCH_SHA,
  DEFAULT_REPOSITORY,
  type GitHubEvent,
  workflowRunEvent,
} from './events.ts';
import { parseKeyValueFile, runAction } from './run-action.ts';
import { parseWorkflowFile, type RawWorkflow } from './workflow-chain.ts';

export interface WorkflowRunOptions {
  /** The workflow file's name and text. */
  name: string;
  text: string;
  event: GitHubEvent<object>;
  /** What actions/checkout puts in the workspace. */
  source: string;
  githubApiUrl: string;
  /** More environment for every step (e.g. the local S3 server's). */
  env?: Record<string, string>;
  /** What configure-aws-credentials exports once it has assumed the role (the local S3 server's keys). */
  awsEnv?: Record<string, string>;
  /**
   * Mints the job's GITHUB_TOKEN from its `permissions:` (the workflow's where the job sets none),
   * e.g. the GitHub double's jobToken; a token with every permission otherwise.
   */
  jobToken?: (permissions: Record<string, string>) => string;
  /** The environment of a self-hosted runner (a job whose runs-on is not a hosted image), e.g. its GPUs. */
  selfHostedEnv?: Record<string, string>;
}

const HOSTED = /^(ubuntu|windows|macos)-/;

export interface JobRun {
  conclusion: 'success' | 'failure' | 'skipped';
  runsOn: unknown;
  outputs: Record<string, string>;
  /** Each step's name (or uses/run) and what it printed, for failure messages. */
  log: string[];
}

const STATUS_FUNCTIONS = ['success', 'failure', 'cancelled', 'always'];

/** JSON into the evaluator's data. */
const toData = (value: unknown): data.ExpressionData =>
  JSON.parse(JSON.stringify(value ?? null), data.reviver);

/** Evaluates one expression against the contexts; status functions answer for a job that has not failed. */
function evaluate(
  expression: string,
  contexts: Record<string, unknown>,
  failed: boolean,
): data.ExpressionData {
  const functions = STATUS_FUNCTIONS.map((name) => ({ name, description: '', minArgs: 0, maxArgs: 0 }));
  const tree = new Parser(new Lexer(expression).lex().tokens, Object.keys(contexts), functions).parse();
  const status = new Map(
    STATUS_FUNCTIONS.map((name) => [
      name,
      {
        name,
        description: '',
        minArgs: 0,
        maxArgs: 0,
        call: () =>
          new data.BooleanData(
            name === 'always' || (name === 'success' && !failed) || (name === 'failure' && failed),
          ),
      },
    ]),
  );
  return new Evaluator(tree, toData(contexts) as data.Dictionary, status).evaluate();
}

/** A value with its `${{ }}` replaced, as the runner does for `with:`, `env:` and `run:`. */
function interpolate(text: string, contexts: Record<string, unknown>): string {
  return text.replace(/\$\{\{(.*?)\}\}/gs, (_all, inner: string) =>
    evaluate(inner, contexts, false).coerceString(),
  );
}

/** An `if:`, with or without `${{ }}`; a step's defaults to success(). */
function condition(text: string | undefined, contexts: Record<string, unknown>, failed: boolean): boolean {
  if (text === undefined) return !failed;
  const inner = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(text)?.[1] ?? text;
  const explicitStatus = /\b(always|failure|cancelled|success)\(\)/.test(inner);
  const result = evaluate(inner, contexts, failed);
  const truthy = !(
    result.kind === data.Kind.Null ||
    result.coerceString() === '' ||
    result.coerceString() === 'false' ||
    (result.kind === data.Kind.Number && result.number() === 0)
  );
  return explicitStatus ? truthy : truthy && !failed;
}

function run(
  command: string,
  options: { cwd: string; env: Record<string, string> },
): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(
      'bash',
      ['-e', '-c', command],
      { ...options, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

/** Runs a workflow for one event; artifacts live in `artifacts` across the workflow's jobs. */
export async function runWorkflow(options: WorkflowRunOptions): Promise<Record<string, JobRun>> {
  const template = await parseWorkflowFile(options.name, options.text);
  const raw = parse(options.text) as RawWorkflow;
  const artifacts = new Map<string, string>();
  const jobs: Record<string, JobRun> = {};
  const github = {
    event_name: options.event.name,
    event: options.event.payload,
    repository:
      (options.event.payload as { repository?: { full_name?: string } }).repository?.full_name ??
      DEFAULT_REPOSITORY,
    // A scheduled, dispatched or workflow_run run is on the default branch's last commit.
    sha:
      (options.event.payload as { after?: string; pull_request?: { head: { sha: string } } }).after ??
      (options.event.payload as { pull_request?: { head: { sha: string } } }).pull_request?.head.sha ??
      DEFAULT_BRANCH_SHA,
    ref: (options.event.payload as { ref?: string }).ref ?? `refs/heads/${DEFAULT_BRANCH}`,
    token: 'ghs_mlactionsHarnessToken0000000000000',
  };
  for (const parsed of template.jobs) {
    const id = parsed.id.value;
    const job = raw.jobs[id]!;
    const needs = (parsed.needs ?? []).map((n) => n.value);
    const needsContext = Object.fromEntries(
      needs.map((n) => [n, { result: jobs[n]?.conclusion, outputs: jobs[n]?.outputs ?? {} }]),
    );
    const log: string[] = [];
    const permissions = job.permissions ?? raw.permissions;
    const token = permissions && options.jobToken ? options.jobToken(permissions) : github.token;
    const workspace = await mkdtemp(join(tmpdir(), `workflow-${id}-`));
    const runnerTemp = await mkdtemp(join(tmpdir(), `workflow-${id}-temp-`));
    const contexts = (steps: Record<string, { outputs: Record<string, string> }>) => ({
      github: { ...github, workspace, token },
      needs: needsContext,
      steps,
      runner: { temp: runnerTemp, os: 'Linux' },
      inputs: {},
      env: {},
      vars: {},
      secrets: {},
      matrix: {},
      strategy: {},
      job: {},
      jobs: {},
    });
    const upstreamFailed = needs.some((n) => jobs[n]?.conclusion !== 'success');
    if (!condition(job.if, contexts({}), upstreamFailed)) {
      jobs[id] = { conclusion: 'skipped', runsOn: job['runs-on'], outputs: {}, log };
      continue;
    }
    const steps: Record<string, { outputs: Record<string, string> }> = {};
    const selfHosted = ![job['runs-on']].flat().every((label) => HOSTED.test(String(label)));
    let env: Record<string, string> = { ...options.env, ...(selfHosted ? options.selfHostedEnv : {}) };
    let failed = false;
    for (const [index, step] of job.steps.entries()) {
      const stepId = parsed.type === 'job' ? parsed.steps[index]!.id : String(index);
      const what = step.name ?? step.uses ?? step.run ?? stepId;
      if (!condition(step.if, contexts(steps), failed)) continue;
      const stepEnv = Object.fromEntries(
        Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), contexts(steps))]),
      );
      const inputs = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), contexts(steps))]),
      );
      let outputs: Record<string, string> = {};
      let ok = true;
      const uses = step.uses?.replace(/@.*$/, '');
      if (uses?.startsWith('mlactions/mlactions/actions/')) {
        const result = await runAction({
          action: `actions/${uses.split('/').pop()}`,
          inputs,
          event: options.event,
          cwd: workspace,
          githubApiUrl: options.githubApiUrl,
          token,
          env: { ...env, ...stepEnv, RUNNER_TEMP: runnerTemp },
        });
        outputs = result.outputs;
        env = { ...env, ...result.env };
        ok = result.exitCode === 0;
        log.push(`${what}: ${result.stdout}${result.stderr}`);
      } else if (uses === 'actions/checkout') {
        await cp(options.source, workspace, { recursive: true });
      } else if (uses === 'actions/upload-artifact') {
        const store = await mkdtemp(join(tmpdir(), 'artifact-'));
        for (const path of String(inputs.path)
          .split('\n')
          .map((p) => p.trim())
          .filter(Boolean)) {
          await cp(resolve(workspace, path), join(store, path), { recursive: true }).catch(() => undefined);
        }
        artifacts.set(inputs.name!, store);
      } else if (uses === 'actions/download-artifact') {
        const store = artifacts.get(inputs.name!);
        if (store === undefined) {
          ok = false;
          log.push(`${what}: no artifact named ${inputs.name} was uploaded by an earlier job`);
        } else await cp(store, resolve(workspace, inputs.path ?? '.'), { recursive: true });
      } else if (uses === 'actions/setup-python') {
        // The runner's own Python stands in for the version asked for.
      } else if (uses === 'aws-actions/configure-aws-credentials') {
        env = { ...env, ...options.awsEnv, AWS_REGION: inputs['aws-region'] ?? '' };
      } else if (step.run !== undefined) {
        const files = await mkdtemp(join(runnerTemp, 'step-'));
        const outputFile = join(files, 'output');
        await writeFile(outputFile, '');
        const result = await run(interpolate(step.run, contexts(steps)), {
          cwd: workspace,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? '',
            ...env,
            ...stepEnv,
            GITHUB_OUTPUT: outputFile,
            GITHUB_EVENT_NAME: options.event.name,
            GITHUB_REPOSITORY: github.repository,
            RUNNER_TEMP: runnerTemp,
          },
        });
        outputs = parseKeyValueFile(await readFile(outputFile, 'utf8'));
        ok = result.code === 0;
        log.push(`${what}: ${result.output}`);
      } else {
        throw new Error(`${options.name}: job ${id}: no stand-in for ${step.uses}`);
      }
      steps[stepId] = { outputs };
      if (!ok) {
        failed = true;
        log.push(`${what}: failed`);
      }
    }
    const outputs = Object.fromEntries(
      Object.entries(job.outputs ?? {}).map(([k, v]) => [k, interpolate(v, contexts(steps))]),
    );
    jobs[id] = { conclusion: failed ? 'failure' : 'success', runsOn: job['runs-on'], outputs, log };
    await mkdir(workspace, { recursive: true });
  }
  return jobs;
}

/** A repository's workflows (file name → text) and what every run of them is given. */
export interface WorkflowRepository extends Omit<WorkflowRunOptions, 'name' | 'text' | 'event'> {
  files: Record<string, string>;
}

/** One workflow run that an event started. */
export interface WorkflowRun {
  file: string;
  /** The workflow's `name:`, which workflow_run triggers name. */
  name: string;
  event: GitHubEvent<object>;
  /** skipped: every job was (a deploy whose `if:` turned the training run away). */
  conclusion: 'success' | 'failure' | 'skipped';
  jobs: Record<string, JobRun>;
}

/** A branch filter's pattern as GitHub reads it: `*` within a path segment, `**` across them. */
const branchPattern = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split(/(\*\*|\*)/)
      .map((part) =>
        part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('')}$`,
  );
const onBranches = (filter: { branches?: string[] } | undefined, branch: string) =>
  filter?.branches === undefined || filter.branches.some((p) => branchPattern(p).test(branch));

const PULL_REQUEST_TYPES = ['opened', 'synchronize', 'reopened'];

/** Whether the event starts the workflow, by its `on:` (GitHub's parser's reading of it). */
function triggers(events: Record<string, unknown>, event: GitHubEvent<object>, file: string): boolean {
  const filter = events[event.name] as
    | { branches?: string[]; types?: string[]; workflows?: string[] }
    | undefined;
  if (filter === undefined) return false;
  const payload = event.payload as {
    ref?: string;
    action?: string;
    workflow?: string;
    pull_request?: { base: { ref: string } };
    workflow_run?: { name: string; head_branch: string };
  };
  switch (event.name) {
    case 'push':
      return onBranches(filter, String(payload.ref).replace(/^refs\/heads\//, ''));
    case 'pull_request':
      return (
        (filter.types ?? PULL_REQUEST_TYPES).includes(String(payload.action)) &&
        onBranches(filter, payload.pull_request!.base.ref)
      );
    case 'workflow_run':
      return (
        (filter.workflows ?? []).includes(payload.workflow_run!.name) &&
        (filter.types ?? ['completed', 'requested']).includes(String(payload.action)) &&
        onBranches(filter, payload.workflow_run!.head_branch)
      );
    case 'workflow_dispatch':
      return payload.workflow === `.github/workflows/${file}`;
    default:
      return true;
  }
}

/**
 * Delivers an event as GitHub does: every workflow it triggers runs, and each run that completes
 * sends `workflow_run` on to the workflows that follow it (deploy after training). Runs come back
 * in the order they ran.
 */
export async function deliver(
  repository: WorkflowRepository,
  event: GitHubEvent<object>,
): Promise<WorkflowRun[]> {
  const { files, ...shared } = repository;
  const runs: WorkflowRun[] = [];
  for (const [file, text] of Object.entries(files).sort()) {
    const template = await parseWorkflowFile(file, text);
    if (!triggers(template.events as Record<string, unknown>, event, file)) continue;
    const jobs = await runWorkflow({ ...shared, name: file, text, event });
    const name = (parse(text) as { name?: string }).name ?? `.github/workflows/${file}`;
    const conclusions = Object.values(jobs).map((job) => job.conclusion);
    const conclusion = conclusions.includes('failure')
      ? 'failure'
      : conclusions.every((c) => c === 'skipped')
        ? 'skipped'
        : 'success';
    const run: WorkflowRun = { file, name, event, conclusion, jobs };
    runs.push(run, ...(await deliver(repository, completed(run))));
  }
  return runs;
}

/** The workflow_run event a finished run sends. */
function completed(run: WorkflowRun): GitHubEvent<object> {
  const payload = run.event.payload as {
    ref?: string;
    after?: string;
    pull_request?: { number: number; head: { ref: string; sha: string } };
  };
  const pr = payload.pull_request;
  return workflowRunEvent({
    event: run.event.name,
    conclusion: run.conclusion,
    workflowName: run.name,
    workflowPath: `.github/workflows/${run.file}`,
    headBranch: pr?.head.ref ?? payload.ref?.replace(/^refs\/heads\//, '') ?? DEFAULT_BRANCH,
    headSha: pr?.head.sha ?? payload.after ?? DEFAULT_BRANCH_SHA,
    pullRequests: pr ? [{ number: pr.number, headRef: pr.head.ref, headSha: pr.head.sha }] : [],
  });
}
