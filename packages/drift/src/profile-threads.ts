/**
 * Profiling in worker threads. The threads that tokenize the CSV (data's CsvWorkers, running
 * profile-worker.ts) also hold the column accumulators, each thread a share of the columns chosen to
 * even out their cost. A batch passes through the threads one after another (its memory moves, it is
 * not copied); each thread takes its batches in the order of the data, so every column sees its rows
 * in the same order as on one thread and the profile is the same whatever the number of threads.
 */
import { availableParallelism } from 'node:os';
import {
  type Batch,
  type BatchParts,
  batchFromParts,
  batchMessage,
  type CsvWorkers,
  csvWorkers,
  transferList,
} from '@mlactions/data';
import type { ColumnPlan } from './accumulate.ts';
import type { ColumnProfile, ProfileSettings } from './profile.ts';
import { PROFILE_WORKER_SOURCE } from './profile-worker.generated.ts';

/**
 * Threads by default: one per core, at most four; none on one core, where a thread would only add
 * hand-overs. The calling thread only hands batches on, so it needs no core of its own.
 */
export function defaultProfileThreads(): number {
  const cores = availableParallelism();
  return cores > 1 ? Math.min(4, cores) : 0;
}

/** The process's profiling threads. */
export function profileWorkers(threads: number): CsvWorkers {
  return csvWorkers(threads, PROFILE_WORKER_SOURCE);
}

/** Relative cost of profiling a column of each type, to share columns out evenly. */
const COST: Record<ColumnPlan['type'], number> = {
  numeric: 3,
  timestamp: 4,
  categorical: 2,
  boolean: 1,
  id: 1,
};

/** Columns (by index) per thread: the costliest first, each to the least loaded thread so far. */
export function shareColumns(plans: readonly ColumnPlan[], threads: number): number[][] {
  const shares: number[][] = Array.from({ length: threads }, () => []);
  const loads = new Array<number>(threads).fill(0);
  const order = plans.map((_, i) => i).sort((a, b) => COST[plans[b]!.type] - COST[plans[a]!.type] || a - b);
  for (const i of order) {
    const least = loads.indexOf(Math.min(...loads));
    shares[least]!.push(i);
    loads[least]! += COST[plans[i]!.type];
  }
  return shares;
}

let sessions = 0;

/** One profile's accumulators, spread over the threads. */
export class ThreadedAccumulators {
  private readonly workers: CsvWorkers;
  private readonly session = sessions++;
  /** Threads holding a share, in the order a batch visits them. */
  private readonly holders: number[];
  private readonly opened: Promise<unknown>[];
  /** Per thread (in visiting order): settles once the last batch's request to it has been sent. */
  private readonly lanes: Promise<void>[];
  /** Batches on their way through the threads, oldest first. */
  private readonly inFlight: Promise<void>[] = [];

  constructor(workers: CsvWorkers, plans: ColumnPlan[], settings: ProfileSettings) {
    this.workers = workers;
    const shares = shareColumns(plans, workers.size);
    this.holders = shares.flatMap((share, thread) => (share.length > 0 ? [thread] : []));
    this.lanes = this.holders.map(() => Promise.resolve());
    this.opened = this.holders.map((thread) =>
      this.handled(
        workers.request(thread, {
          kind: 'profile-open',
          session: this.session,
          plans,
          settings,
          indices: shares[thread],
        }),
      ),
    );
  }

  /** The promise, marked handled: a failure surfaces where it is awaited, not as an unhandled rejection. */
  private handled<T>(promise: Promise<T>): Promise<T> {
    promise.catch(() => undefined);
    return promise;
  }

  /**
   * Sends a batch through the threads; `layout[c]` is the column index of batch column c (-1: none).
   * Waits while more than two batches per thread are on their way, so memory stays bounded.
   */
  async add(batch: Batch, layout: Int32Array): Promise<void> {
    this.inFlight.push(this.handled(this.pass(batch, layout)));
    if (this.inFlight.length > 2 * this.holders.length) await this.inFlight.shift();
  }

  private async pass(batch: Batch, layout: Int32Array): Promise<void> {
    const { session } = this;
    // Each thread must take the batches in their order: this batch's request to a thread waits until
    // the previous batch's request to that thread has been sent.
    const before = this.lanes.slice();
    const sent = this.holders.map((_, k) => {
      let done!: () => void;
      this.lanes[k] = new Promise<void>((resolve) => {
        done = resolve;
      });
      return done;
    });
    try {
      // Text moves from thread to thread (a copy when the reader keeps its memory); values are cloned.
      let parts: BatchParts | undefined;
      let moved: ArrayBuffer[] = [];
      if (batch.kind === 'text') {
        ({ parts, transfer: moved } = batchMessage(batch));
        if (!batch.movable) batch.release?.();
      }
      const values = batch.kind === 'values' ? { values: batch.columns, rows: batch.rows } : {};
      for (const [k, thread] of this.holders.entries()) {
        await before[k];
        const message = { kind: 'profile-add', session, layout, batch: parts, ...values };
        const answer = this.workers.request<{ batch?: BatchParts }>(thread, message, moved);
        sent[k]!();
        parts = (await answer).batch;
        moved = parts ? transferList(parts) : [];
      }
      if (batch.kind === 'text' && batch.movable) batch.release?.(batchFromParts(parts!));
    } finally {
      for (const done of sent) done();
    }
  }

  /** Every column's profile, by index, once all batches are through. */
  async finish(): Promise<ColumnProfile[]> {
    await Promise.all(this.opened);
    while (this.inFlight.length > 0) await this.inFlight.shift();
    const answers = await Promise.all(
      this.holders.map((thread) =>
        this.workers.request<{ columns: [number, ColumnProfile][] }>(thread, {
          kind: 'profile-close',
          session: this.session,
        }),
      ),
    );
    const columns: ColumnProfile[] = [];
    for (const answer of answers) for (const [i, column] of answer.columns) columns[i] = column;
    return columns;
  }

  /** Drops the threads' accumulators of a profile given up on (an error, a stop). */
  discard(): void {
    for (const thread of this.holders)
      this.handled(this.workers.request(thread, { kind: 'profile-close', session: this.session }));
  }
}
