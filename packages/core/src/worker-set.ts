/**
 * Worker threads that run one program given as source text (`new Worker(code, { eval: true })`): a
 * bundled action or CLI has no separate file to start a worker from. Each thread answers its requests
 * in the order they came, with `{ id, ... }` or `{ id, failed: { message, user } }` (`user`: the
 * message is for the user, and becomes a UserError here).
 */
import { parentPort, Worker } from 'node:worker_threads';
import { UserError } from './user-error.ts';

/** A request's answer that reports a failure instead. */
interface FailedAnswer {
  id: number;
  failed: { message: string; user: boolean };
}

/**
 * The threads of one program. They start on the first request and are kept: they hold the process
 * open only while requests are out. Once a thread fails or stops, every request fails with that error.
 */
export class WorkerSet {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<
    number,
    { resolve: (answer: never) => void; reject: (e: unknown) => void }
  >();
  private ids = 0;
  failure: unknown;

  readonly size: number;
  private readonly source: string;

  constructor(threads: number, source: string) {
    this.size = threads;
    this.source = source;
  }

  /**
   * Starts the threads now, when work for them is known to be coming: they start up meanwhile (tens
   * of milliseconds each). Otherwise the first request starts them.
   */
  start(): void {
    if (this.workers.length > 0) return;
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(this.source, { eval: true });
      worker.unref();
      worker.on('message', (answer: { id: number } | FailedAnswer) => {
        const waiter = this.waiting.get(answer.id);
        this.waiting.delete(answer.id);
        if (this.waiting.size === 0) for (const idle of this.workers) idle.unref();
        if ('failed' in answer) {
          const { message, user } = answer.failed;
          waiter?.reject(user ? new UserError(message) : new Error(message));
        } else waiter?.resolve(answer as never);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', () => this.fail(new Error('a worker thread stopped')));
      this.workers.push(worker);
    }
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(this.failure);
    this.waiting.clear();
  }

  /** Sends a request (given an id here) to thread `index`; resolves with its answer. */
  request<T>(index: number, message: object, transfer: readonly ArrayBuffer[] = []): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    this.start();
    if (this.waiting.size === 0) for (const busy of this.workers) busy.ref();
    const id = this.ids++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (answer: never) => void, reject });
      this.workers[index]!.postMessage({ ...message, id }, [...transfer]);
    });
  }
}

/** The process's worker sets, by program and thread count. */
const pools = new Map<string, Map<number, WorkerSet>>();

/**
 * The process's set of `threads` threads running `source`, made by `make` (a WorkerSet or a subclass
 * with requests of its own); a new set when the last one failed.
 */
export function workerSet<W extends WorkerSet>(
  make: new (threads: number, source: string) => W,
  threads: number,
  source: string,
): W {
  let sets = pools.get(source);
  if (!sets) {
    sets = new Map();
    pools.set(source, sets);
  }
  let set = sets.get(threads);
  if (!set || set.failure || !(set instanceof make)) {
    set = new make(threads, source);
    sets.set(threads, set);
  }
  return set as W;
}

/**
 * A worker program's side: answers each request with what `answer` gives (the answer's body and the
 * buffers to transfer with it), or with its failure.
 */
export function answerRequests<R>(answer: (request: R) => [object, ArrayBuffer[]]): void {
  parentPort!.on('message', (request: R & { id: number }) => {
    try {
      const [body, transfer] = answer(request);
      parentPort!.postMessage({ ...body, id: request.id }, transfer);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const failed: FailedAnswer = { id: request.id, failed: { message, user: error instanceof UserError } };
      parentPort!.postMessage(failed);
    }
  });
}
