/**
 * The program of the drift profiler's worker threads (bundled into profile-worker.generated.ts by
 * `pnpm build`, started by profile-threads.ts). Each thread tokenizes CSV pieces, as data's own
 * workers do, and keeps the accumulators of its share of the columns: every batch passes through each
 * thread in the order of the data, so each column sees its rows in the same order as on one thread.
 */
import { answerRequests } from '@mlactions/core';
import {
  answerTokenize,
  type BatchParts,
  batchFromParts,
  type TokenizeJob,
  transferList,
} from '@mlactions/data';
import {
  type ColumnAccumulator,
  type ColumnPlan,
  createAccumulator,
  feedAccumulators,
} from './accumulate.ts';
import type { ColumnProfile, ProfileSettings } from './profile.ts';

/** Requests of the profiler (profile-threads.ts), each with the id its answer carries. */
export type ProfileRequest =
  | {
      kind: 'profile-open';
      session: number;
      plans: ColumnPlan[];
      settings: ProfileSettings;
      indices: number[];
    }
  /** A CSV batch (`batch`, moved back in the answer), or a batch of values (`values`, `rows`). */
  | {
      kind: 'profile-add';
      session: number;
      layout: Int32Array;
      batch?: BatchParts;
      values?: unknown[][];
      rows?: number;
    }
  | { kind: 'profile-close'; session: number };

/** The accumulators of each open profile, by column index (this thread's share only). */
const sessions = new Map<number, ColumnAccumulator[]>();

function accumulatorsOf(session: number): ColumnAccumulator[] {
  const accumulators = sessions.get(session);
  if (!accumulators) throw new Error(`profile ${session} is not open in this thread`);
  return accumulators;
}

/** The answer to a request (without its id), and the buffers it moves back. */
function answer(request: ProfileRequest | TokenizeJob): [object, ArrayBuffer[]] {
  switch (request.kind) {
    case 'tokenize':
      return answerTokenize(request);
    case 'profile-open': {
      const accumulators: ColumnAccumulator[] = [];
      for (const i of request.indices)
        accumulators[i] = createAccumulator(request.plans[i]!, request.settings);
      sessions.set(request.session, accumulators);
      return [{}, []];
    }
    case 'profile-add': {
      const { batch, values, rows = 0, layout } = request;
      const accumulators = accumulatorsOf(request.session);
      if (!batch) {
        feedAccumulators(accumulators, { kind: 'values', names: [], rows, columns: values ?? [] }, layout);
        return [{}, []];
      }
      feedAccumulators(accumulators, batchFromParts(batch), layout);
      return [{ batch }, transferList(batch)];
    }
    case 'profile-close': {
      const columns: [number, ColumnProfile][] = [];
      sessions.get(request.session)?.forEach((accumulator, i) => {
        columns.push([i, accumulator.finish()]);
      });
      sessions.delete(request.session);
      return [{ columns }, []];
    }
  }
}

answerRequests(answer);
