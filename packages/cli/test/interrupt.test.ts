// Interrupts as an operator sends them: SIGINT / SIGTERM / SIGKILL to the pid of the installed
// command (the launcher `pnpm mlactions` runs, node_modules/.bin/mlactions), while the command is in
// the middle of its work. The S3 server is reached through a proxy that holds chosen requests, so
// "in the middle" is an event the test waits on, not a moment it guesses.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type S3Server, s3ClientConfig, s3Env, startS3Server } from '../../../test/harness/s3-server.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The installed command: what `pnpm mlactions` runs (pnpm puts node_modules/.bin first on PATH). */
const LAUNCHER = join(ROOT, 'node_modules', '.bin', 'mlactions');

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-interrupt-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  /** Resolves once the process has exited, with its status and what it wrote. */
  exited: Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts the installed command in `dir`, as a user's shell would, without AWS or GitHub settings. */
function start(args: string[], env: Record<string, string> = {}): Running {
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('GITHUB_') && !key.startsWith('AWS_')) base[key] = value;
  }
  const child = spawn(LAUNCHER, args, {
    cwd: dir,
    env: { ...base, PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  child.stdout!.resume();
  const exited = once(child, 'exit').then(([status, signal]) => ({
    status: status as number | null,
    signal: signal as NodeJS.Signals | null,
    stderr,
  }));
  return { child, exited };
}

/** Resolves when `check` holds, looking again each time the folder changes or a step passes. */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setImmediate(resolve));
}

/** A file of `size` zero bytes that takes no disk space. */
async function sparseFile(path: string, size: number): Promise<void> {
  await writeFile(path, '');
  await truncate(path, size);
}

const exists = async (path: string, prefix: string) =>
  (await readdir(path).catch(() => [] as string[])).some((name) => name.startsWith(prefix));

/** Every entry under a folder, relative, sorted (files and folders, hidden ones too). */
async function tree(path: string): Promise<string[]> {
  const entries = await readdir(path, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.map((e) => join(e.parentPath, e.name).slice(path.length + 1)).sort();
}

interface HeldRequest {
  method: string;
  url: string;
  /** Resolves when the client's connection closes (it gave up, or its process died). */
  closed: Promise<void>;
}

/**
 * An HTTP proxy to the S3 server that holds the requests `hold` picks (`true`: never answered;
 * `'body'`: answered with the headers and the first chunk of the body, then nothing more) and
 * forwards the rest, recording each forwarded request with its answer's status.
 */
async function startHoldingProxy(
  target: S3Server,
  hold: (method: string, url: string, headers: IncomingMessage['headers']) => boolean | 'body',
) {
  const forwarded: { method: string; url: string; status: number }[] = [];
  const held: HeldRequest[] = [];
  const waiters: (() => void)[] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const holding = hold(method, url, req.headers);
    const holdHere = () => {
      open.add(res);
      held.push({ method, url, closed: once(res, 'close').then(() => {}) });
      for (const wake of waiters.splice(0)) wake();
    };
    if (holding === true) {
      holdHere();
      req.resume();
      return;
    }
    const upstream = httpRequest(
      { host: '127.0.0.1', port: target.port, method, path: url, headers: req.headers },
      (answer) => {
        forwarded.push({ method, url, status: answer.statusCode ?? 0 });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (holding !== 'body') {
          answer.pipe(res);
          return;
        }
        answer.once('data', (chunk: Buffer) => {
          answer.pause();
          res.write(chunk);
          holdHere();
        });
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwarded,
    /** Resolves with the first held request. */
    async firstHeld(): Promise<HeldRequest> {
      while (held.length === 0) await new Promise<void>((wake) => waiters.push(wake));
      return held[0]!;
    },
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      server.close();
    },
  };
}

/** A folder store's publish of version 1.0.0 of `m`, before the file. */
const FOLDER_STORE = ['--store', 'file://store', '--name', 'm', '--version', '1.0.0', '--file'];

/** The S3 store, reached at `endpoint` (the server, or the proxy in front of it). */
const s3Store = (endpoint: string) => ['--store', 's3://models/team', '--endpoint', endpoint];

/** `publish` of version 1.0.0 of `m` with these files to the S3 store at `endpoint`. */
const publishTo = (endpoint: string, ...files: string[]) => [
  'publish',
  ...s3Store(endpoint),
  ...['--name', 'm', '--version', '1.0.0'],
  ...files.flatMap((file) => ['--file', file]),
];

async function keysIn(s3: S3Server, bucket: string): Promise<string[]> {
  const client = new S3Client(s3ClientConfig(s3.endpoint));
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  client.destroy();
  return (listed.Contents ?? []).map((object) => object.Key!).sort();
}

describe('an interrupted publish to a folder store', () => {
  it('stops on SIGTERM, exits 143 and leaves no temporary blob and no version', async () => {
    // Big enough that the copy into the store is still running when its temporary file appears.
    await sparseFile(join(dir, 'weights.bin'), 512 * 1024 * 1024);
    const blobs = join(dir, 'store', 'blobs', 'sha256');
    const run = start(['publish', ...FOLDER_STORE, 'weights.bin']);
    await until(() => exists(blobs, '.tmp-'));
    run.child.kill('SIGTERM');
    const { status, stderr } = await run.exited;
    expect(status, stderr).toBe(143);
    expect(stderr).toContain('mlactions: stopped by SIGTERM; what this run had started was removed.');
    expect(await tree(join(dir, 'store'))).toEqual(['blobs', 'blobs/sha256']);
  });

  it('removes the temporary files a killed run left over an hour ago, and keeps younger ones', async () => {
    const blobs = join(dir, 'store', 'blobs', 'sha256');
    await mkdir(blobs, { recursive: true });
    await writeFile(join(blobs, '.tmp-killed-yesterday'), 'half a blob');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(join(blobs, '.tmp-killed-yesterday'), twoHoursAgo, twoHoursAgo);
    await writeFile(join(blobs, '.tmp-still-running'), 'another publish, now');
    await writeFile(join(dir, 'model.onnx'), 'the model');
    const run = start(['publish', ...FOLDER_STORE, 'model.onnx']);
    const { status, stderr } = await run.exited;
    expect(status, stderr).toBe(0);
    expect((await readdir(blobs)).filter((name) => name.startsWith('.'))).toEqual(['.tmp-still-running']);
  });
});

describe('interrupts against S3', () => {
  let s3: S3Server;
  beforeEach(async () => {
    s3 = await startS3Server({ buckets: ['models'] });
  });
  afterEach(async () => {
    await s3.stop();
  });

  it('SIGKILL to the command pid stops the work itself: the upload stops and no version appears', async () => {
    const proxy = await startHoldingProxy(s3, (method, url) => method === 'PUT' && url.includes('/blobs/'));
    try {
      await writeFile(join(dir, 'model.onnx'), 'the model');
      const run = start(publishTo(proxy.endpoint, 'model.onnx'), s3Env(s3));
      const upload = await proxy.firstHeld();
      run.child.kill('SIGKILL');
      expect((await run.exited).signal).toBe('SIGKILL');
      // The connection closes only when the process that holds it is gone: the pid was the worker's.
      await upload.closed;
      expect(await keysIn(s3, 'models')).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('SIGTERM during a multipart upload aborts the upload on the server and exits 143', async () => {
    // Parts after the first are held: the upload is open on the server when the signal comes.
    const proxy = await startHoldingProxy(
      s3,
      (method, url) => method === 'PUT' && url.includes('partNumber=') && !url.includes('partNumber=1&'),
    );
    try {
      await sparseFile(join(dir, 'weights.bin'), 20 * 1024 * 1024);
      const run = start(publishTo(proxy.endpoint, 'weights.bin'), s3Env(s3));
      await proxy.firstHeld();
      run.child.kill('SIGTERM');
      const { status, stderr } = await run.exited;
      expect(status, stderr).toBe(143);
      // AbortMultipartUpload, sent before the process left (s3rver answers it 405: it keeps no parts).
      expect(proxy.forwarded.filter((r) => r.method === 'DELETE').map((r) => r.url)).toEqual([
        expect.stringMatching(
          /^\/models\/team\/blobs\/sha256\/[0-9a-f]{64}\?uploadId=\w+&x-id=AbortMultipartUpload$/,
        ),
      ]);
      expect(await keysIn(s3, 'models')).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('SIGINT during a fetch exits 130 and leaves the target as it was, with nothing staged beside it', async () => {
    await writeFile(join(dir, 'a.bin'), 'first file');
    await writeFile(join(dir, 'b.bin'), 'second file');
    const published = start(publishTo(s3.endpoint, 'a.bin', 'b.bin'), s3Env(s3));
    expect((await published.exited).status).toBe(0);
    await mkdir(join(dir, 'out'));
    await writeFile(join(dir, 'out', 'a.bin'), 'kept');
    // The blob fetched second is held, so the first one is already staged when the signal comes.
    let blobGets = 0;
    const proxy = await startHoldingProxy(s3, (method, url) => {
      if (method !== 'GET' || !url.includes('/blobs/')) return false;
      blobGets += 1;
      return blobGets === 2;
    });
    try {
      const run = start(
        ['fetch', ...s3Store(proxy.endpoint), '--name', 'm', '--version', '1.0.0', '--out', 'out'],
        s3Env(s3),
      );
      await proxy.firstHeld();
      run.child.kill('SIGINT');
      const { status, stderr } = await run.exited;
      expect(status, stderr).toBe(130);
      expect(await tree(dir)).toEqual(['a.bin', 'b.bin', 'out', 'out/a.bin']);
      expect(await readFile(join(dir, 'out', 'a.bin'), 'utf8')).toBe('kept');
    } finally {
      await proxy.close();
    }
  });

  it('SIGTERM while drift spools gzipped Parquet removes the spool and exits 143', async () => {
    // What the spool holds does not matter here: the stop comes while it is being written.
    const client = new S3Client(s3ClientConfig(s3.endpoint));
    await client.send(
      new PutObjectCommand({
        Bucket: 'models',
        Key: 'live/current.parquet.gz',
        Body: gzipSync(randomBytes(4 << 20)),
      }),
    );
    client.destroy();
    await writeFile(join(dir, 'reference.csv'), 'x\n1\n2\n3\n');
    const scratch = join(dir, 'tmp');
    await mkdir(scratch);
    const proxy = await startHoldingProxy(s3, (method, url, headers) =>
      method === 'GET' && url.includes('current.parquet.gz') && headers.range === undefined ? 'body' : false,
    );
    try {
      const run = start(
        [
          'drift',
          '--reference',
          'reference.csv',
          '--current',
          's3://models/live/current.parquet.gz',
          '--endpoint',
          proxy.endpoint,
        ],
        { ...s3Env(s3), TMPDIR: scratch },
      );
      await proxy.firstHeld();
      await until(() => exists(scratch, 'mlactions-drift-'));
      run.child.kill('SIGTERM');
      const { status, stderr } = await run.exited;
      expect(status, stderr).toBe(143);
      expect(await readdir(scratch)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});
