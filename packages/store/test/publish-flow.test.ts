import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUserError } from '@mlactions/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFetchFlow } from '../src/fetch-flow.ts';
import type { Manifest } from '../src/manifest.ts';
import { manifestLocation } from '../src/manifest-location.ts';
import { MAX_TABLE_ROWS, manifestMarkdown, metricCell } from '../src/manifest-markdown.ts';
import { openStore } from '../src/open-store.ts';
import { expandFiles, runPublishFlow } from '../src/publish-flow.ts';

const HEX = 'a'.repeat(64);

function manifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    manifestVersion: 1,
    name: 'iris',
    version: '1.2.0',
    createdAt: '2025-01-01T00:00:00.000Z',
    files: [{ path: 'model.onnx', size: 2048, sha256: HEX }],
    ...overrides,
  };
}

describe('manifestLocation', () => {
  it('is a path for a folder, an s3:// URI for S3 and the asset URL for a release', () => {
    const at = (uri: string, serverUrl?: string) =>
      manifestLocation(uri, 'iris', '1.2.0', { cwd: '/work', ...(serverUrl ? { serverUrl } : {}) });
    expect(at('file://models')).toBe('/work/models/models/iris/versions/1.2.0.json');
    expect(at('s3://bucket/team/ml')).toBe('s3://bucket/team/ml/models/iris/versions/1.2.0.json');
    expect(at('s3://bucket')).toBe('s3://bucket/models/iris/versions/1.2.0.json');
    expect(at('github-release://octo/models')).toBe(
      'https://github.com/octo/models/releases/download/iris%40v1.2.0/mlactions.manifest.json',
    );
    expect(at('github-release://octo/models', 'https://ghe.example.com/')).toMatch(
      /^https:\/\/ghe\.example\.com\/octo\/models\/releases\//,
    );
  });
});

describe('manifestMarkdown', () => {
  it('lists files with sizes and sha256, metrics, data and what was sent', () => {
    const text = manifestMarkdown(
      manifest({
        metrics: { 'metrics.json': { accuracy: 0.93456789, seeds: [0.9, 0.91], note: 'ok' } },
        data: [{ path: 'data/train.csv', size: 10, files: 1, sha256: HEX }],
        parent: '1.1.0',
        gitSha: 'abc',
        gitRef: 'refs/heads/main',
      }),
      {
        verb: 'Published',
        location: '/store/models/iris/versions/1.2.0.json',
        transfer: { uploadedBytes: 2048, skippedBytes: 0, uploadedFiles: 1, skippedFiles: 0 },
      },
    );
    expect(text).toContain('### Published iris 1.2.0');
    expect(text).toContain('- Parent version: 1.1.0');
    expect(text).toContain('- Uploaded 2.0 KiB in 1 file(s); 0 B in 0 file(s) were already stored.');
    expect(text).toContain(`| model.onnx | 2.0 KiB | \`${HEX}\` |`);
    expect(text).toContain('| metrics.json | accuracy | 0.93457 |');
    expect(text).toContain('| metrics.json | seeds | 0.9, 0.91 |');
    expect(text).toContain(`| data/train.csv | 1 | 10 | ${HEX} |`);
  });

  it('escapes names from users and the store, and caps long tables', () => {
    const files = Array.from({ length: MAX_TABLE_ROWS + 5 }, (_, i) => ({
      path: `f${i}|<b>`,
      size: 1,
      sha256: HEX,
    }));
    const text = manifestMarkdown(
      manifest({
        files,
        metrics: { 'm.json': { '@team <script>': 1 } },
        data: [{ path: '<x>', size: '|' as unknown as number, files: 1, sha256: '`' }],
      }),
      { verb: 'Fetched' },
    );
    expect(text).not.toMatch(/<b>|<script>|<x>/);
    expect(text).toContain('@\u200Dteam');
    expect(text).toContain('…and 5 more files; the manifest lists them all.');
    const rows = text.split('\n').filter((line) => line.startsWith('| f'));
    expect(rows).toHaveLength(MAX_TABLE_ROWS);
    for (const row of rows) expect(row.split('|')).toHaveLength(5);
  });

  it('shows any metric value a stored manifest holds as text', () => {
    expect(metricCell(Number.NaN)).toBe('NaN');
    expect(metricCell({ nested: true })).toBe('\\[object Object\\]');
  });
});

describe('expandFiles', () => {
  const glob = async (pattern: string) => (pattern === 'out/*.bin' ? ['/w/out/a.bin', '/w/out/b.bin'] : []);

  it('expands patterns and keeps paths as they are', async () => {
    expect(await expandFiles(['model.onnx', 'out/*.bin', 'tokenizer'], glob)).toEqual([
      'model.onnx',
      '/w/out/a.bin',
      '/w/out/b.bin',
      'tokenizer',
    ]);
  });

  it('refuses a pattern that matches nothing', async () => {
    await expect(expandFiles(['weights/*.pt'], glob)).rejects.toThrow(
      'The files pattern "weights/*.pt" matches no file; check the path.',
    );
  });
});

describe('the publish and fetch flows on a folder store', () => {
  let work: string;
  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'publish-flow-'));
    await writeFile(join(work, 'model.onnx'), 'weights');
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('publishes, promotes, writes the summary and fetches by alias', async () => {
    const store = openStore('file://store', { cwd: work });
    const summary: string[] = [];
    const deps = {
      store,
      log: () => {},
      writeSummary: async (markdown: string) => {
        summary.push(markdown);
      },
      provenance: { actor: 'octocat' },
    };
    const published = await runPublishFlow(
      { name: 'iris', version: '1.0.0', files: ['model.onnx'], alias: 'production', cwd: work },
      deps,
    );
    expect(published.manifestLocation).toBe(join(work, 'store/models/iris/versions/1.0.0.json'));
    expect(published.manifest.actor).toBe('octocat');
    expect(published.promoted).toMatchObject({ alias: 'production', version: '1.0.0', actor: 'octocat' });
    expect(published.line).toMatch(
      /^Published iris 1\.0\.0 to file:\/\/store: 1 file\(s\), 7 B uploaded, 0 B already stored\. production now points to 1\.0\.0 \(was unset\)\.$/,
    );
    expect(summary).toHaveLength(2);
    expect(summary[1]).toBe('\nAlias production now points to 1.0.0 (was unset).\n');

    const out = join(work, 'out');
    const fetched = await runFetchFlow({ name: 'iris', alias: 'production', out }, deps);
    expect(fetched.found && fetched.written).toEqual([join(out, 'model.onnx')]);
    expect(fetched.line).toBe(
      `Fetched iris 1.0.0 (alias production) from file://store into ${out}: 1 file(s), 7 B, sizes and sha256 verified.`,
    );
  });

  it('sends progress lines to the log', async () => {
    // An interval of 0 reports every chunk, so a 7-byte file gives a line per phase.
    const store = openStore('file://store', { cwd: work, progressIntervalMs: 0 });
    const lines: string[] = [];
    const deps = { store, log: (line: string) => lines.push(line) };
    await runPublishFlow({ name: 'iris', version: '1.0.0', files: ['model.onnx'], cwd: work }, deps);
    await runFetchFlow({ name: 'iris', version: '1.0.0', out: join(work, 'out') }, deps);
    expect(lines).toEqual([
      expect.stringMatching(/^hashing model\.onnx: 7 B of 7 B \(100\.0%\) at /),
      expect.stringMatching(/^uploading model\.onnx: 7 B of 7 B \(100\.0%\) at /),
      expect.stringMatching(/^downloading model\.onnx: 7 B of 7 B \(100\.0%\) at /),
    ]);
  });

  it('refuses a bad alias before anything is stored', async () => {
    const store = openStore('file://store', { cwd: work });
    const error = await runPublishFlow(
      { name: 'iris', version: '1.0.0', files: ['model.onnx'], alias: '../prod', cwd: work },
      { store, log: () => {} },
    ).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect(await readdir(work)).toEqual(['model.onnx']);
  });
});
