import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '@mlactions/core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { GateRequest } from '../src/gate/gate.ts';
import { type GateCheckRun, type GateFlowDeps, type GateStatus, runGateFlow } from '../src/gate/gate-flow.ts';
import { fixture } from './gate-fixtures.ts';

const HEAD = 'a'.repeat(40);
const MERGE = 'b'.repeat(40);
const RUN_URL = 'https://github.com/o/r/actions/runs/1';

/** What the flow sent to GitHub, recorded by the functions it is given. */
interface Sent {
  statuses: GateStatus[];
  checkRuns: GateCheckRun[];
  warnings: string[];
  summary: string;
}

let sent: Sent;
let outputDir: string;

function deps(
  options: { checkRun?: 'ok' | 'refused'; status?: 'ok' | 'refused'; fork?: boolean } = {},
): GateFlowDeps {
  return {
    event: { sha: MERGE, runUrl: RUN_URL, pullRequest: { headSha: HEAD, fromFork: options.fork ?? false } },
    postStatus: async (status) => {
      if (options.status === 'refused') throw new UserError('GitHub refused to post a commit status.');
      sent.statuses.push(status);
    },
    postCheckRun: async (run) => {
      if (options.checkRun === 'refused')
        return { posted: false, reason: 'the token may not create check runs' };
      sent.checkRuns.push(run);
      return { posted: true, url: 'https://github.com/o/r/runs/5' };
    },
    writeSummary: async (markdown) => {
      sent.summary += markdown;
    },
    warn: (message) => sent.warnings.push(message),
  };
}

const request = (rules: string[], model = fixture('multiclass.onnx')): GateRequest => ({
  rules,
  candidate: {
    kind: 'model',
    validate: { model, data: fixture('multiclass.csv'), label: 'species', exclude: ['region'] },
  },
});

beforeEach(async () => {
  sent = { statuses: [], checkRuns: [], warnings: [], summary: '' };
  outputDir = await mkdtemp(join(tmpdir(), 'gate-flow-'));
});

describe('runGateFlow', () => {
  it('posts the check run and a success status on the pull request head, and writes its files', async () => {
    const result = await runGateFlow(
      { request: request(['accuracy >= 0.75']), context: 'ci/gate', checkRun: true, outputDir },
      deps(),
    );
    expect(result.outcome.passed).toBe(true);
    expect(sent.checkRuns).toEqual([
      expect.objectContaining({ headSha: HEAD, name: 'ci/gate', conclusion: 'success', detailsUrl: RUN_URL }),
    ]);
    expect(sent.statuses).toEqual([
      {
        sha: HEAD,
        state: 'success',
        context: 'ci/gate',
        description: '1 check passed',
        targetUrl: 'https://github.com/o/r/runs/5',
      },
    ]);
    expect(sent.summary).toContain('accuracy &gt;= 0.75');
    const metrics = JSON.parse(await readFile(result.metricsPath, 'utf8'));
    expect(metrics).toMatchObject({ task: 'classification', rows: 60 });
    expect(JSON.parse(await readFile(result.reportPath, 'utf8')).passed).toBe(true);
  });

  it('names the failed rule in the status, and still posts it when no check run may be created', async () => {
    const result = await runGateFlow(
      {
        request: request(['accuracy >= 0.9', 'rows == 60']),
        context: 'mlactions/gate',
        checkRun: true,
        outputDir,
      },
      deps({ checkRun: 'refused' }),
    );
    expect(result.failures).toEqual(['accuracy = 0.8 >= 0.9: failed']);
    expect(sent.statuses).toEqual([
      expect.objectContaining({
        sha: HEAD,
        state: 'failure',
        description: '1 of 2 checks failed: accuracy >= 0.9',
        targetUrl: RUN_URL,
      }),
    ]);
    expect(sent.warnings).toEqual([expect.stringMatching(/^No check run .*may not create check runs/)]);
  });

  it('posts an error status, then rethrows, when the gate cannot run', async () => {
    await expect(
      runGateFlow(
        {
          request: request(['accuracy >= 0.9'], fixture('binary.onnx')),
          context: 'g',
          checkRun: true,
          outputDir,
        },
        deps(),
      ),
    ).rejects.toThrow(/does not fit data file/);
    expect(sent.statuses).toEqual([
      expect.objectContaining({
        sha: HEAD,
        state: 'error',
        description: expect.stringMatching(/^The gate could not run: model .*binary\.onnx does not fit/),
      }),
    ]);
    expect(sent.checkRuns).toEqual([]);
  });

  it('on a fork pull request, warns rather than fails when the status is refused', async () => {
    const result = await runGateFlow(
      { request: request(['accuracy >= 0.5']), context: 'g', checkRun: false, outputDir },
      deps({ status: 'refused', fork: true }),
    );
    expect(result.statusPosted).toBe(false);
    expect(sent.warnings).toEqual([
      expect.stringMatching(/^No commit status on this pull request from a fork/),
    ]);
    await expect(
      runGateFlow(
        { request: request(['accuracy >= 0.5']), context: 'g', checkRun: false, outputDir },
        deps({ status: 'refused' }),
      ),
    ).rejects.toThrow(/refused/);
  });
});
