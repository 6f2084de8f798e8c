// Reads a workflow the way GitHub does (its own parser, @actions/workflow-parser, and its expression
// parser, @actions/expressions) and checks the links between its parts that only break on GitHub:
// an output read from a step or a job that does not declare it, a step or job read before it runs,
// and one of our actions in a job without the token scopes it needs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lexer, Parser } from '@actions/expressions';
import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow,
  type WorkflowTemplate,
} from '@actions/workflow-parser';
import { parse } from 'yaml';
import { REPO_ROOT } from './node24.ts';

/**
 * The write scopes each of our actions needs in the job that runs it (their READMEs say so). Where
 * publish or deploy write to a github-release:// store, `contents: write` too.
 */
const ACTION_SCOPES: Record<string, string[]> = {
  publish: [],
  deploy: ['deployments'],
  report: ['pull-requests'], // on a pull request; elsewhere it writes the job summary only
  gate: ['statuses', 'checks'],
  drift: ['issues'],
};
const WRITES_STORE = ['publish', 'deploy'];

const CONTEXTS = [
  'github',
  'env',
  'vars',
  'job',
  'jobs',
  'steps',
  'runner',
  'secrets',
  'strategy',
  'matrix',
  'needs',
  'inputs',
];
const STATUS_FUNCTIONS = ['success', 'failure', 'cancelled', 'always'].map((name) => ({
  name,
  description: '',
  minArgs: 0,
  maxArgs: 0,
}));

/** Parses a workflow with GitHub's parser; throws with GitHub's own messages when it is not valid. */
export async function parseWorkflowFile(name: string, content: string): Promise<WorkflowTemplate> {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = result.context.errors.getErrors();
  if (errors.length > 0 || !result.value) {
    throw new Error(`${name}: ${errors.map((e) => e.message).join('; ')}`);
  }
  const template = await convertWorkflowTemplate(result.context, result.value);
  if (template.errors?.length)
    throw new Error(`${name}: ${template.errors.map((e) => e.Message).join('; ')}`);
  return template;
}

/** An `if:`'s expression: GitHub reads it as one with or without `${{ }}`. */
const conditionOf = (value: string | undefined) =>
  value === undefined || value.includes('${{') ? expressionsOf(value) : expressionsOf(`${'$'}{{ ${value} }}`);

/** Every `${{ }}` in a value of the workflow, parsed with GitHub's expression parser (bad syntax throws). */
function expressionsOf(value: unknown): string[] {
  const texts =
    typeof value === 'string'
      ? [value]
      : typeof value === 'object' && value !== null
        ? Object.values(value).flatMap((v) =>
            typeof v === 'string' ? [v] : typeof v === 'object' ? [JSON.stringify(v)] : [],
          )
        : [];
  return texts.flatMap((text) =>
    [...text.matchAll(/\$\{\{(.*?)\}\}/gs)].map(([, inner]) => {
      new Parser(new Lexer(inner!).lex().tokens, CONTEXTS, STATUS_FUNCTIONS).parse();
      return inner!;
    }),
  );
}

const STEP_OUTPUT = /\bsteps\.([\w-]+)\.outputs\.([\w-]+)/g;
const NEEDS_OUTPUT = /\bneeds\.([\w-]+)\.outputs\.([\w-]+)/g;
const OWN_ACTION = /^mlactions\/mlactions\/actions\/([a-z-]+)@/;

/** An action's declared outputs: ours from action.yml; a third-party action declares none we read. */
function outputsOf(uses: string): string[] | undefined {
  const own = OWN_ACTION.exec(uses);
  if (!own) return undefined;
  const meta = parse(readFileSync(join(REPO_ROOT, 'actions', own[1]!, 'action.yml'), 'utf8'));
  return Object.keys(meta.outputs ?? {});
}

/** A workflow as YAML reads it: what GitHub's model of it leaves out (`with:`, permissions). */
export interface RawStep {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
export interface RawJob {
  if?: string;
  'runs-on'?: unknown;
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: RawStep[];
}
export interface RawWorkflow {
  permissions?: Record<string, string>;
  jobs: Record<string, RawJob>;
}

/** The broken links of one workflow, one message each, naming the file, job and step. */
export async function checkWorkflowChain(name: string, content: string): Promise<string[]> {
  const template = await parseWorkflowFile(name, content);
  const raw = parse(content) as RawWorkflow;
  const problems: string[] = [];
  const onPullRequest = 'pull_request' in template.events;
  const jobOutputs = new Map<string, string[]>();
  for (const job of template.jobs) {
    if (job.type !== 'job') continue;
    const id = job.id.value;
    const rawJob = raw.jobs[id]!;
    const where = `${name}: job ${id}`;
    const needs = (job.needs ?? []).map((n) => n.value);
    const readsNeeds = (expression: string, what: string) => {
      for (const [, other, output] of expression.matchAll(NEEDS_OUTPUT)) {
        if (!needs.includes(other!))
          problems.push(`${where}: ${what} reads needs.${other}, which it does not need`);
        else if (!jobOutputs.get(other!)?.includes(output!))
          problems.push(
            `${where}: ${what} reads needs.${other}.outputs.${output}, which job ${other} does not declare`,
          );
      }
    };
    const steps = new Map<string, string>();
    const readsSteps = (expression: string, what: string) => {
      for (const [, step, output] of expression.matchAll(STEP_OUTPUT)) {
        const uses = steps.get(step!);
        if (uses === undefined) {
          problems.push(`${where}: ${what} reads steps.${step}, which no earlier step of the job is`);
          continue;
        }
        const declared = outputsOf(uses);
        if (declared && !declared.includes(output!))
          problems.push(
            `${where}: ${what} reads steps.${step}.outputs.${output}, which ${uses} does not declare`,
          );
      }
    };
    for (const expression of conditionOf(rawJob.if)) readsNeeds(expression, '`if:`');
    const permissions = rawJob.permissions ?? {};
    for (const [index, step] of (rawJob.steps ?? []).entries()) {
      const what = `step ${step.name ?? step.id ?? step.uses ?? index + 1}`;
      for (const expression of [
        ...conditionOf(step.if),
        ...[step.with, step.env, step.run].flatMap(expressionsOf),
      ]) {
        readsSteps(expression, what);
        readsNeeds(expression, what);
      }
      const own = step.uses ? OWN_ACTION.exec(step.uses) : null;
      const releases = String(step.with?.store ?? '').startsWith('github-release://');
      const scopes =
        own && (own[1] !== 'report' || onPullRequest)
          ? [
              ...(ACTION_SCOPES[own[1]!] ?? []),
              ...(releases && WRITES_STORE.includes(own[1]!) ? ['contents'] : []),
            ]
          : [];
      for (const scope of scopes) {
        if (permissions[scope] !== 'write')
          problems.push(`${where}: ${what} (${own![1]}) needs \`${scope}: write\` in the job's permissions`);
      }
      // The parser's ids: the step's own, or the one GitHub makes up, which no expression can name.
      steps.set(job.steps[index]!.id, step.uses ?? '');
    }
    const outputs = Object.entries(rawJob.outputs ?? {});
    for (const [output, value] of outputs) {
      for (const expression of expressionsOf(value)) readsSteps(expression, `output ${output}`);
    }
    jobOutputs.set(
      id,
      outputs.map(([output]) => output),
    );
  }
  return problems;
}
