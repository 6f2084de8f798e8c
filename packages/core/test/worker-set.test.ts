import { describe, expect, it } from 'vitest';
import { UserError } from '../src/user-error.ts';
import { WorkerSet, workerSet } from '../src/worker-set.ts';

/**
 * A worker program as source text, answering as answerRequests does: `echo` returns its text,
 * `user` and `internal` fail (the first for the user), `exit` stops the thread mid-request.
 */
const PROGRAM = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (request) => {
  if (request.kind === 'exit') process.exit(3);
  if (request.kind === 'echo') parentPort.postMessage({ id: request.id, text: request.text });
  else parentPort.postMessage({ id: request.id, failed: { message: 'no ' + request.kind, user: request.kind === 'user' } });
});`;

describe('worker set', () => {
  it('answers each request, in order, from the thread it went to', async () => {
    const set = new WorkerSet(2, PROGRAM);
    set.start();
    set.start();
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        set.request<{ text: string }>(i % 2, { kind: 'echo', text: `t${i}` }),
      ),
    );
    expect(answers.map((answer) => answer.text)).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
  });

  it('turns a failure for the user into a UserError, any other into an Error', async () => {
    const set = new WorkerSet(1, PROGRAM);
    const user = await set.request(0, { kind: 'user' }).catch((error: unknown) => error);
    expect(user).toBeInstanceOf(UserError);
    expect((user as Error).message).toBe('no user');
    const internal = await set.request(0, { kind: 'internal' }).catch((error: unknown) => error);
    expect(internal).toBeInstanceOf(Error);
    expect(internal).not.toBeInstanceOf(UserError);
  });

  it('fails every request once a thread stops, and the process set is replaced after', async () => {
    const source = `${PROGRAM}\n// stopping set`;
    const set = workerSet(WorkerSet, 1, source);
    expect(workerSet(WorkerSet, 1, source)).toBe(set);
    const waiting = set.request(0, { kind: 'echo', text: 'late' });
    const stopped = set.request(0, { kind: 'exit' });
    await expect(stopped).rejects.toThrow('a worker thread stopped');
    await expect(waiting.then(() => 'answered')).resolves.toBe('answered');
    await expect(set.request(0, { kind: 'echo', text: 'x' })).rejects.toThrow('a worker thread stopped');
    const fresh = workerSet(WorkerSet, 1, source);
    expect(fresh).not.toBe(set);
    await expect(fresh.request<{ text: string }>(0, { kind: 'echo', text: 'y' })).resolves.toMatchObject({
      text: 'y',
    });
  });
});
