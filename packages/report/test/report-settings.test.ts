import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUserError } from '@mlactions/core';
import { openStore } from '@mlactions/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReportSettingsText, reportRequestFrom } from '../src/report-settings.ts';

let root: string;
const opened: string[] = [];
const context = () => ({
  cwd: root,
  openStore: (uri: string) => {
    opened.push(uri);
    return openStore(uri);
  },
});

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mlactions-report-settings-'));
  await writeFile(join(root, 'metrics.json'), '{"accuracy": 0.9}');
  const store = openStore(`file://${join(root, 'store')}`);
  await store.publish({
    name: 'iris',
    version: '1.0.0',
    files: [join(root, 'metrics.json')],
    metricsFile: join(root, 'metrics.json'),
  });
  await store.promote({ name: 'iris', alias: 'production', version: '1.0.0' });
});

afterAll(() => rm(root, { recursive: true, force: true }));

async function messageOf(text: Partial<ReportSettingsText>): Promise<string> {
  try {
    await reportRequestFrom({ head: ['metrics.json'], ...text }, context());
  } catch (error) {
    if (isUserError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('reportRequestFrom', () => {
  it('reads a store baseline at production by default, and leaves unset tolerances to the comparison', async () => {
    const request = await reportRequestFrom(
      {
        head: ['metrics.json'],
        baseStore: `file://${join(root, 'store')}`,
        baseModel: 'iris',
        title: 'Metrics',
      },
      context(),
    );
    expect(request).toMatchObject({ head: ['metrics.json'], base: [], cwd: root, title: 'Metrics' });
    expect(request.baseline).toMatchObject({ metrics: [expect.objectContaining({ name: 'accuracy' })] });
    expect(request).not.toHaveProperty('absolute');
    expect(request).not.toHaveProperty('alpha');
  });

  it('refuses settings that cannot name one baseline, before any store is opened', async () => {
    opened.length = 0;
    expect(await messageOf({ head: [] })).toBe(
      "`head` is required: the candidate's metrics files or folders",
    );
    expect(await messageOf({ baseModel: 'iris' })).toBe(
      '`base-model` names a store baseline: give `base-store` too',
    );
    expect(await messageOf({ baseStore: 'file://s' })).toBe(
      '`base-store` needs `base-model`: the model name in the store',
    );
    expect(await messageOf({ base: ['old.json'], baseStore: 'file://s', baseModel: 'iris' })).toBe(
      'give the baseline as `base` or from `base-store`, not both',
    );
    expect(opened).toEqual([]);
  });
});
