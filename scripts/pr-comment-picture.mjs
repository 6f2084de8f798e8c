// Draws docs/pr-comment.png, the README's picture of the comment the report action posts: runs the
// built CLI's demo, opens its report.html in headless Chromium (playwright-core) and keeps the
// "Metrics report" section, which is the comment's markdown, up to the end of its table.
//
//   pnpm build && node scripts/pr-comment-picture.mjs [--out docs/pr-comment.png]
//
// Chromium: Debian's at /usr/bin/chromium, or CHROMIUM_PATH.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: { out: { type: 'string', default: join(root, 'docs/pr-comment.png') } },
});

const work = await mkdtemp(join(tmpdir(), 'pr-comment-picture-'));
try {
  const demo = spawnSync(
    process.execPath,
    [join(root, 'packages/cli/dist/mlactions.js'), 'demo', '--dir', join(work, 'demo')],
    {
      encoding: 'utf8',
    },
  );
  if (demo.status !== 0) throw new Error(`mlactions demo failed:\n${demo.stderr}`);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 820, height: 900 } });
    await page.goto(pathToFileURL(join(work, 'demo', 'report.html')).href);
    await page.waitForSelector('body[data-charts="done"]', { timeout: 60_000 });
    await page.$eval('main', (main) => {
      // The comment: from its "Metrics report" heading to the end of its table.
      const nodes = [...main.children];
      const start = nodes.findIndex((node) => node.tagName === 'H3' && node.textContent === 'Metrics report');
      const end = nodes.findIndex((node, i) => i > start && node.tagName === 'TABLE');
      if (start < 0 || end < 0) throw new Error('the demo report has no metrics report with a table');
      nodes.forEach((node, i) => {
        if (i < start || i > end) node.remove();
      });
      main.style.cssText = 'border: 1px solid #d1d9e0; border-radius: 6px; padding: 0 1.5rem 0.5rem';
      document.body.style.margin = '1rem';
    });
    await page.locator('main').screenshot({ path: values.out });
    console.log(`wrote ${values.out}`);
  } finally {
    await browser.close();
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
