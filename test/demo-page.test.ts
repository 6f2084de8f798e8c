// The demo's report.html opened in a real browser (Debian's Chromium, headless, no network): mermaid
// must draw every chart, and the page must not come out blank.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlPage, renderVersionChart } from '../packages/render/src/index.ts';
import { REPO_ROOT } from './harness/node24.ts';

// Debian's Chromium by default; GitHub's runners have Chrome instead (CHROMIUM_PATH in ci.yml).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const cli = fileURLToPath(new URL('../packages/cli/dist/mlactions.js', import.meta.url));

let work: string;
let context: BrowserContext;
let page: Page;
let markdown: string;
const consoleErrors: string[] = [];
const outsideRequests: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `This test needs Chromium at ${CHROMIUM} to open the demo's report.html: install Debian's package with ` +
        '`apt-get install -y chromium` (.ci/run installs it on CI).',
    );
  }
  work = await mkdtemp(join(tmpdir(), 'mlactions-demo-page-'));
  // A time limit, since spawnSync blocks this test's own timers.
  const demo = spawnSync(process.execPath, [cli, 'demo', '--dir', join(work, 'demo')], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(demo.stderr).toBe('');
  expect(demo.status).toBe(0);
  markdown = await readFile(join(work, 'demo', 'report.md'), 'utf8');
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1100, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // The page is a file and must fetch nothing: anything else is recorded and refused.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    outsideRequests.push(url);
    return route.abort();
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(pathToFileURL(join(work, 'demo', 'report.html')).href);
  await page.waitForSelector('body[data-charts]', { timeout: 30_000 });
});

afterAll(async () => {
  await context?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Pixels of a PNG that are not (near) white, and those with a clear colour (not a grey). */
function inkOf(png: Buffer): { share: number; coloured: number } {
  const image = PNG.sync.read(png);
  let ink = 0;
  let coloured = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    const [r, g, b] = [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
    if (Math.min(r, g, b) < 235) ink++;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
  }
  return { share: ink / (image.width * image.height), coloured };
}

describe('the demo report page', () => {
  it('draws every chart with mermaid, fetching nothing and logging no error', async () => {
    expect(await page.getAttribute('body', 'data-charts')).toBe('done');
    const expected = markdown.match(/^```mermaid$/gm)?.length ?? 0;
    expect(expected).toBeGreaterThanOrEqual(5);
    const charts: { svgs: number; paths: number; error: boolean }[] = await page.$$eval(
      'pre.mermaid',
      (nodes) =>
        nodes.map((node) => ({
          svgs: node.querySelectorAll('svg').length,
          paths: [...node.querySelectorAll('svg path')].filter(
            (path) => (path.getAttribute('d') ?? '').length > 10,
          ).length,
          error: node.textContent?.includes('Syntax error') ?? false,
        })),
    );
    expect(charts).toHaveLength(expected);
    for (const chart of charts) expect(chart).toMatchObject({ svgs: 1, error: false });
    for (const chart of charts) expect(chart.paths).toBeGreaterThan(0);
    expect(outsideRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('renders the tables and headings of the markdown', async () => {
    const headings = await page.$$eval('h2', (nodes) => nodes.map((node) => node.textContent));
    expect(headings).toEqual([
      '1.1.0 against 1.0.0',
      'Gate: 1.1.0 on the held-out rows',
      'Drift: live data against the training data',
    ]);
    expect(await page.locator('table').count()).toBeGreaterThanOrEqual(4);
  });

  it('is not blank, and its charts are drawn in colour', async () => {
    const whole = inkOf(await page.screenshot({ fullPage: true }));
    expect(whole.share).toBeGreaterThan(0.02);
    // The head's line is blue, even in a chart of its own.
    const chart = inkOf(await page.locator('pre.mermaid', { hasText: 'head' }).first().screenshot());
    expect(chart.share).toBeGreaterThan(0.01);
    expect(chart.coloured).toBeGreaterThan(200);
  });
});

describe("the demo page's image from the assets branch", () => {
  it("shows the candidate's confusion matrix, loaded from the bytes read back from the branch", async () => {
    expect(markdown).toContain('![confusion-matrix.png](images/pr-1/confusion-matrix.png)');
    const image = page.locator('main img[alt="confusion-matrix.png"]');
    expect(await image.count()).toBe(1);
    await image.scrollIntoViewIfNeeded();
    // The element's own account: decoded, with the picture's size (no DOM types in this project's lib).
    type Img = { decode(): Promise<void>; naturalWidth: number; naturalHeight: number; complete: boolean };
    const loaded = await image.evaluate(async (node) => {
      const img = node as unknown as Img;
      await img.decode();
      return { width: img.naturalWidth, height: img.naturalHeight, complete: img.complete };
    });
    expect(loaded).toEqual({ width: 236, height: 236, complete: true });
    const bytes = execFileSync(
      'git',
      ['cat-file', 'blob', 'refs/heads/mlactions-assets:pr-1/confusion-matrix.png'],
      {
        env: { ...process.env, GIT_DIR: join(work, 'demo', 'assets.git') },
      },
    );
    expect(await image.getAttribute('src')).toBe(`data:image/png;base64,${bytes.toString('base64')}`);
    // Drawn on the page, in its blues.
    expect(inkOf(await image.screenshot()).coloured).toBeGreaterThan(1000);
    expect(outsideRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});

describe("the demo page's marks and charts", () => {
  it('draws its status marks as SVG, so that they read without an emoji font', async () => {
    // No emoji font on this machine: an emoji would be drawn as an empty box.
    const text = await page.$eval('main', (main) =>
      [...main.children]
        .filter((node) => node.tagName !== 'PRE')
        .map((node) => node.textContent)
        .join(''),
    );
    expect(text).not.toMatch(/[🔴🟢🔵⚪🆕🗑✅❌⚠🛑]/u);
    const marks = page.locator('main table svg.mark');
    expect(await marks.count()).toBeGreaterThanOrEqual(18);
    const names = await marks.evaluateAll((nodes) => [
      ...new Set(nodes.map((n) => n.getAttribute('aria-label'))),
    ]);
    expect(names).toEqual(expect.arrayContaining(['green', 'red', 'white']));
    const box = (await marks.first().boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(10);
    expect(inkOf(await marks.first().screenshot()).coloured).toBeGreaterThan(50);
  });

  it('draws each training curve over the steps it has, with no point padded in', () => {
    const charts = markdown
      .split('```mermaid')
      .slice(1)
      .filter((chart) => chart.includes('x-axis "step"'));
    expect(charts.length).toBeGreaterThanOrEqual(4);
    const ranges = charts.map((chart) => {
      const axis = /x-axis "step" (\S+) --> (\S+)/.exec(chart)!;
      const caption = chart.slice(chart.indexOf('<sub>'), chart.indexOf('</sub>'));
      const sides = [...caption.matchAll(/(base|head) \(steps (\S+)–(\S+)\)/g)];
      for (const [, , from, to] of sides) expect([from, to]).toEqual([axis[1], axis[2]]);
      return `${sides.map(([, side]) => side).join('+')} ${axis[1]}–${axis[2]}`;
    });
    // The demo trains 1.0.0 for 15 epochs and 1.1.0 for 40: a chart each.
    expect(ranges).toContain('base 1–15');
    expect(ranges).toContain('head 1–40');
  });

  it('labels the axes of its charts with rounded numbers', async () => {
    const labels: string[] = await page.$$eval('pre.mermaid svg text', (nodes) =>
      nodes.map((node) => node.textContent ?? ''),
    );
    const numbers = labels.flatMap((label) => label.match(/-?\d+(?:\.\d+)?/g) ?? []);
    expect(numbers.length).toBeGreaterThan(50);
    const significant = (n: string) => n.replace(/^-?0*\.?0*/, '').replace('.', '').length;
    expect(numbers.filter((n) => significant(n) > 4)).toEqual([]);
  });
});

describe('a chart of a metric across versions', () => {
  it('is drawn by mermaid with one category per version', async () => {
    const chart = renderVersionChart({
      title: 'accuracy <b>"',
      points: [
        { label: '1.0.0', value: 0.9 },
        { label: '1.1.0-rc.1', value: 0.912 },
        { label: 'this change', value: 0.93 },
      ],
    });
    const fromCli = createRequire(join(REPO_ROOT, 'packages/cli/package.json'));
    const mermaidScript = await readFile(fromCli.resolve('mermaid/dist/mermaid.min.js'), 'utf8');
    const file = join(work, 'versions.html');
    await writeFile(file, renderHtmlPage({ title: 'versions', markdown: chart!, mermaidScript }));
    const versions = await context.newPage();
    try {
      await versions.goto(pathToFileURL(file).href);
      await versions.waitForSelector('body[data-charts]', { timeout: 30_000 });
      expect(await versions.getAttribute('body', 'data-charts')).toBe('done');
      const svg = versions.locator('pre.mermaid svg');
      expect(await svg.count()).toBe(1);
      const text = await svg.textContent();
      for (const label of ['1.0.0', '1.1.0-rc.1', 'this change']) expect(text).toContain(label);
      expect(text).not.toContain('Syntax error');
    } finally {
      await versions.close();
    }
  });
});
