// Audits workflow files for the security rules every workflow we ship (or `mlactions init` writes)
// keeps, in the spirit of GitHub's "Security hardening for GitHub Actions" and zizmor's audits:
//
//   checkout-credentials  every actions/checkout sets persist-credentials: false (true only in a job
//                         that is granted `contents: write`, which must push)
//   top-permissions       `permissions: {}` at the top of the workflow
//   job-permissions       every job says which scopes it needs
//   pinned                third-party actions and reusable workflows pinned by a full commit sha
//                         with a `# vX.Y.Z` comment
//   own-actions           mlactions' own actions pinned by a release's commit sha (with its
//                         `# vX.Y.Z`) or by a full version tag
//   run-injection         no `${{ github.event.* }}`, `${{ inputs.* }}` or step/job outputs in `run:`
//                         (pass them through `env:`)
//   workflow-run-guard    a job started by `workflow_run` checks the run's event, head repository
//                         and conclusion
//   dangerous-trigger     no `pull_request_target`
//   self-hosted-fork      a job on self-hosted runners keeps forks' pull requests off (job `if:`)
//                         and its first step refuses one
//   status-no-pr-code     a pull-request job that may post statuses or checks runs no command and
//                         checks out only the base commit
//
//   node scripts/audit-workflows.mjs [--root <dir>]
//
// Prints one line per finding (`file:line: message [rule]`) and exits 1 if there is any.
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import { findWorkflowFiles } from './lint-workflows.mjs';

const SHA = /^[0-9a-f]{40}$/;
const VERSION_COMMENT = /^\s*v\d+\.\d+\.\d+\s*$/;
const OWN_ACTION = /^mlactions\/mlactions\/actions\/[a-z-]+@(.+)$/;
const GITHUB_HOSTED = /^(ubuntu|windows|macos)-/;
/** Expressions whose text an outsider can choose, or that a step computed from such text. */
const UNTRUSTED_EXPRESSION =
  /\$\{\{[^}]*\b(github\.event\.|github\.head_ref|inputs\.|steps\.[\w-]+\.outputs|needs\.[\w-]+\.outputs)/;
const FORK_CHECK = 'github.event.pull_request.head.repo.full_name';
const WORKFLOW_RUN_CHECKS = [
  'github.event.workflow_run.event',
  'github.event.workflow_run.head_repository.full_name',
  "github.event.workflow_run.conclusion == 'success'",
];

const isMap = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The workflow's trigger names, whichever of the three forms `on:` takes. */
function triggers(on) {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on;
  return isMap(on) ? Object.keys(on) : [];
}

/** `runs-on` labels, in any of its forms. */
function labels(runsOn) {
  if (typeof runsOn === 'string') return [runsOn];
  if (Array.isArray(runsOn)) return runsOn.map(String);
  if (isMap(runsOn)) return labels(runsOn.labels ?? []);
  return [];
}

const selfHosted = (job) => {
  const names = labels(job['runs-on']);
  return names.length > 0 && !names.every((l) => GITHUB_HOSTED.test(l) || l.includes('${{'));
};

/** Whether a job's token may write a scope: its own permissions, or the workflow's it inherits. */
const grants = (permissions, scope) =>
  permissions === 'write-all' || (isMap(permissions) && permissions[scope] === 'write');

/**
 * Audits one workflow's text; returns `[{ line, rule, message }]`. `ownRef`, when given, is the
 * exact ref (a sha or a tag) every `mlactions/mlactions/actions/*` must use.
 */
export function auditWorkflow(text, { ownRef } = {}) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const workflow = doc.toJS() ?? {};
  const findings = [];
  const lineOf = (path) => {
    const node = doc.getIn(path, true);
    return node?.range ? lineCounter.linePos(node.range[0]).line : 1;
  };
  const report = (path, rule, message) => findings.push({ line: lineOf(path), rule, message });

  /** A `uses:` (a step's action or a job's reusable workflow) is pinned as its owner's rule asks. */
  const auditPin = (uses, path) => {
    if (uses.startsWith('./') || uses.startsWith('docker://')) return;
    const comment = doc.getIn(path, true)?.comment ?? '';
    const own = OWN_ACTION.exec(uses);
    if (own) {
      const ref = own[1];
      const ok =
        ownRef !== undefined
          ? ref === ownRef && (!SHA.test(ref) || VERSION_COMMENT.test(comment))
          : (SHA.test(ref) && VERSION_COMMENT.test(comment)) || /^v\d+\.\d+\.\d+$/.test(ref);
      if (!ok)
        report(
          path,
          'own-actions',
          `${uses}: pin mlactions' actions by the release's commit sha with a # vX.Y.Z comment${ownRef ? ` (${ownRef})` : ', or by a full version tag'}`,
        );
      return;
    }
    const ref = uses.split('@')[1] ?? '';
    if (!SHA.test(ref) || !VERSION_COMMENT.test(comment))
      report(path, 'pinned', `${uses}: pin third-party actions by a full commit sha with a # vX.Y.Z comment`);
  };

  const on = triggers(workflow.on);
  if (on.includes('pull_request_target'))
    report(
      ['on'],
      'dangerous-trigger',
      'pull_request_target runs with a write token beside the PR; use pull_request, or workflow_run for what needs writing',
    );
  const top = workflow.permissions;
  if (!(isMap(top) && Object.keys(top).length === 0))
    report(
      ['permissions'],
      'top-permissions',
      'the workflow must start from `permissions: {}`; grant scopes per job',
    );

  for (const [id, job] of Object.entries(workflow.jobs ?? {})) {
    if (!isMap(job)) continue;
    const at = ['jobs', id];
    const condition = String(job.if ?? '');
    if (job.permissions === undefined)
      report(at, 'job-permissions', `job ${id} must say which permissions it needs (\`permissions:\`)`);
    if (on.includes('workflow_run')) {
      const missing = WORKFLOW_RUN_CHECKS.filter((check) => !condition.includes(check));
      if (missing.length > 0)
        report(
          at,
          'workflow-run-guard',
          `job ${id} runs on workflow_run without checking ${missing.join(', ')} in its \`if:\``,
        );
    }
    if (typeof job.uses === 'string') auditPin(job.uses, [...at, 'uses']);
    const steps = Array.isArray(job.steps) ? job.steps : [];
    if (selfHosted(job)) {
      const first = steps[0];
      const refuses =
        first &&
        typeof first.run === 'string' &&
        Object.values(first.env ?? {}).some((v) => String(v).includes(FORK_CHECK));
      if (!condition.includes(FORK_CHECK) || !refuses)
        report(
          at,
          'self-hosted-fork',
          `job ${id} runs on self-hosted runners: its \`if:\` must keep forks' pull requests off (${FORK_CHECK} == github.repository) and its first step must refuse one`,
        );
    }
    const permissions = job.permissions ?? top;
    const postsResults = grants(permissions, 'statuses') || grants(permissions, 'checks');
    steps.forEach((step, i) => {
      if (!isMap(step)) return;
      const where = [...at, 'steps', i];
      const uses = typeof step.uses === 'string' ? step.uses : undefined;
      if (typeof step.run === 'string' && UNTRUSTED_EXPRESSION.test(step.run))
        report(
          [...where, 'run'],
          'run-injection',
          `job ${id}, step ${i + 1}: an event, input or output expression inside \`run:\`; pass it through \`env:\``,
        );
      if (postsResults && on.includes('pull_request')) {
        if (typeof step.run === 'string')
          report(
            [...where, 'run'],
            'status-no-pr-code',
            `job ${id} may post statuses or checks, so it must run no command of the pull request's tree; build in a read-only job`,
          );
        if (uses?.startsWith('actions/checkout@') && !String(step.with?.ref ?? '').includes('base.sha'))
          report(
            where,
            'status-no-pr-code',
            `job ${id} may post statuses or checks, so it checks out the base commit only (ref: \${{ github.event.pull_request.base.sha }})`,
          );
      }
      if (uses === undefined) return;
      if (uses.startsWith('actions/checkout@')) {
        const persist = step.with?.['persist-credentials'];
        const mayPush = persist === true && grants(job.permissions, 'contents');
        if (persist !== false && !mayPush)
          report(
            where,
            'checkout-credentials',
            `job ${id}: actions/checkout must set persist-credentials: false (true only in a job granted contents: write that pushes)`,
          );
      }
      auditPin(uses, [...where, 'uses']);
    });
  }
  return findings;
}

/** Audits every workflow under root (templates, examples, the project's own). */
export function auditWorkflows({ root = resolve(fileURLToPath(import.meta.url), '../..') } = {}) {
  const files = findWorkflowFiles(root);
  const findings = files.flatMap((file) =>
    auditWorkflow(readFileSync(file, 'utf8')).map((f) => ({ file: relative(root, file), ...f })),
  );
  return { files: files.map((f) => relative(root, f)), findings };
}

export function formatFinding(f) {
  return `${f.file}:${f.line}: ${f.message} [${f.rule}]`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rootFlag = process.argv.indexOf('--root');
  const root = rootFlag > 0 ? resolve(process.argv[rootFlag + 1] ?? '.') : undefined;
  const { files, findings } = auditWorkflows(root ? { root } : {});
  for (const f of findings) console.error(formatFinding(f));
  if (findings.length > 0) {
    console.error(`workflow audit: ${findings.length} finding(s) in ${files.length} workflow file(s)`);
    process.exit(1);
  }
  console.log(`workflow audit: ${files.length} workflow file(s) clean`);
}
