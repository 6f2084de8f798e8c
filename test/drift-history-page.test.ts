// The drift issue's history charts, as the drift action writes them into the issue (against the
// GitHub API double), drawn by mermaid in a real browser (Debian's Chromium, headless, no network).
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvText } from '../packages/data/test/helpers/data.ts';
import { normals } from '../packages/drift/test/helpers/prng.ts';
import { renderHtmlPage } from '../packages/render/src/index.ts';
import {
  type GitHubDouble,
  REPO_ROOT,
  runAction,
  scheduleEvent,
  startGitHubDouble,
} from './harness/index.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let double: GitHubDouble;
let work: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `This test needs Chromium at ${CHROMIUM}: install Debian's package with \`apt-get install -y chromium\`.`,
    );
  }
  double = await startGitHubDouble();
  work = await mkdtemp(join(tmpdir(), 'drift-history-page-'));
});

afterAll(async () => {
  await double?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the drift issue’s history', () => {
  it('is drawn by mermaid: each drifted column’s value over the last checks, with its threshold', async () => {
    await writeFile(
      join(work, 'reference.csv'),
      csvText({ age: normals(300, 1, 40, 10), income: normals(300, 2, 50, 5) }),
    );
    // Three checks, the drift growing: the chart's line must have three points.
    for (const shift of [4, 6, 8]) {
      await writeFile(
        join(work, 'current.csv'),
        csvText({ age: normals(300, 3 + shift, 40 + shift, 10), income: normals(300, 4, 50 + shift, 5) }),
      );
      const run = await runAction({
        action: 'actions/drift',
        inputs: { reference: 'reference.csv', current: 'current.csv', 'output-dir': 'out' },
        event: scheduleEvent(),
        githubApiUrl: double.url,
        cwd: work,
      });
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    }
    const [issue] = double.state.issues('octocat', 'model-repo');
    const body = issue!.body ?? '';
    const history = body.slice(body.indexOf('#### History'));
    expect(history).toContain('title "age: ks p-value over 3 checks"');

    const fromCli = createRequire(join(REPO_ROOT, 'packages/cli/package.json'));
    const mermaidScript = await readFile(fromCli.resolve('mermaid/dist/mermaid.min.js'), 'utf8');
    const file = join(work, 'issue.html');
    await writeFile(file, renderHtmlPage({ title: 'drift issue', markdown: history, mermaidScript }));
    const context = await chromium.launchPersistentContext(join(work, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
    const outside: string[] = [];
    const errors: string[] = [];
    try {
      await context.route('**/*', (route) => {
        if (route.request().url().startsWith('file:')) return route.continue();
        outside.push(route.request().url());
        return route.abort();
      });
      const page = context.pages()[0] ?? (await context.newPage());
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-charts]', { timeout: 30_000 });
      expect(await page.getAttribute('body', 'data-charts')).toBe('done');
      const charts = await page.$$eval('pre.mermaid', (nodes) =>
        nodes.map((node) => ({
          text: node.querySelector('svg')?.textContent ?? '',
          // Lines of the chart: the value and the threshold.
          lines: [...node.querySelectorAll('svg path')].filter((path) =>
            (path.getAttribute('d') ?? '').includes('L'),
          ).length,
        })),
      );
      expect(charts.length).toBe(history.match(/^```mermaid$/gm)!.length);
      expect(charts.length).toBeGreaterThanOrEqual(2);
      const age = charts.find((chart) => chart.text.includes('age: ks p-value over 3 checks'))!;
      expect(age.text).not.toContain('Syntax error');
      expect(age.lines).toBeGreaterThanOrEqual(2);
      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
