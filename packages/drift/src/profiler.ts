/**
 * Builds a dataset profile from batches of rows. Column types are inferred from the first
 * `inferenceRows` rows (see infer.ts) unless overridden; data profiled against a reference profile
 * takes the reference's columns, types, numeric bin cuts and categories instead, so that both are
 * counted the same way.
 */
import { UserError } from '@mlactions/core';
import type { DataSource } from '@mlactions/data';
import {
  type Batch,
  COLUMN_TYPES,
  type ColumnType,
  type CsvWorkers,
  cellOf,
  inferColumnType,
  isMissingValue,
  type ReadOptions,
  readBatches,
} from '@mlactions/data';
import {
  type ColumnAccumulator,
  type ColumnPlan,
  createAccumulator,
  feedAccumulators,
} from './accumulate.ts';
import {
  type DatasetProfile,
  DEFAULT_SETTINGS,
  PROFILE_FORMAT,
  PROFILE_VERSION,
  type ProfileSettings,
} from './profile.ts';
import { defaultProfileThreads, profileWorkers, ThreadedAccumulators } from './profile-threads.ts';

export interface ColumnOptions {
  /** Use this type instead of the inferred one. */
  type?: ColumnType;
  /** true: test an id or timestamp column too; false: leave the column out of the tests. */
  include?: boolean;
}

export interface ProfileOptions {
  /** Profile against this reference (its columns, types, bins and categories); `columns` is then ignored. */
  reference?: DatasetProfile;
  /** Per-column type overrides and inclusion, by column name. */
  columns?: Readonly<Record<string, ColumnOptions>>;
  settings?: Partial<ProfileSettings>;
  /**
   * `threads`: worker threads that parse CSV and hold the column accumulators (0: the calling thread
   * does it all); by default one per core, at most four (none on one core). The profile is the same
   * either way.
   */
  read?: ReadOptions;
}

/** Types left out of the tests unless a column is explicitly included. */
const EXCLUDED_BY_DEFAULT: readonly ColumnType[] = ['id', 'timestamp'];

export class Profiler {
  private readonly settings: ProfileSettings;
  private plans: ColumnPlan[] | undefined;
  private accumulators: ColumnAccumulator[] = [];
  /** The accumulators, when worker threads hold them (CSV read by those threads). */
  private threaded: ThreadedAccumulators | undefined;
  private readonly workers: CsvWorkers | undefined;
  private readonly position = new Map<string, number>();
  private pending: Batch[] = [];
  private pendingRows = 0;
  private rows = 0;
  private readonly seen = new Set<string>();
  private readonly extra = new Set<string>();
  private readonly layouts = new WeakMap<readonly string[], Int32Array>();

  private readonly options: ProfileOptions;

  /** `workers`: threads (running profile-worker.ts) to hold the accumulators of CSV data. */
  constructor(options: ProfileOptions = {}, workers?: CsvWorkers) {
    this.options = options;
    this.workers = workers;
    this.settings = { ...DEFAULT_SETTINGS, ...options.reference?.settings, ...options.settings };
    for (const [name, column] of Object.entries(options.columns ?? {})) {
      if (column.type !== undefined && !COLUMN_TYPES.includes(column.type)) {
        throw new UserError(
          `Column ${JSON.stringify(name)}: unknown type ${JSON.stringify(column.type)}; use one of ${COLUMN_TYPES.join(', ')}`,
        );
      }
    }
  }

  /** Adds a batch of rows. */
  async add(batch: Batch): Promise<void> {
    if (this.plans) return this.feed(batch);
    this.pending.push(batch);
    this.pendingRows += batch.rows;
    // With worker threads, the columns wait for a second batch: it shows whether the threads read the
    // data (a file that fits in one chunk is read, and then profiled, on this thread).
    const known = !this.workers || this.pending.length > 1;
    if (known && (this.options.reference || this.pendingRows >= this.settings.inferenceRows))
      await this.start();
  }

  /** The profile of everything added. */
  async finish(sources: readonly string[] = []): Promise<DatasetProfile> {
    if (!this.plans) await this.start();
    const columns = this.threaded
      ? await this.threaded.finish()
      : this.accumulators.map((accumulator) => accumulator.finish());
    // Against a reference, columns the data never had are listed as absent rather than profiled.
    const present = this.plans!.map((plan) => !this.options.reference || this.seen.has(plan.name));
    return {
      format: PROFILE_FORMAT,
      version: PROFILE_VERSION,
      rows: this.rows,
      sources: [...sources],
      settings: this.settings,
      columns: columns.filter((_, i) => present[i]),
      absentColumns: this.plans!.filter((_, i) => !present[i]).map((plan) => plan.name),
      extraColumns: [...this.extra],
    };
  }

  /** Lets go of worker threads' accumulators when the profile is given up. */
  discard(): void {
    this.threaded?.discard();
  }

  /**
   * Fixes the columns (from the reference, or by inference on the pending rows) and feeds the pending
   * rows. CSV data read by the worker threads is profiled there too.
   */
  private async start(): Promise<void> {
    this.plans = this.options.reference ? this.referencePlans(this.options.reference) : this.inferredPlans();
    for (const [i, plan] of this.plans.entries()) this.position.set(plan.name, i);
    const last = this.pending[this.pending.length - 1];
    if (this.workers && last?.kind === 'text' && last.movable)
      this.threaded = new ThreadedAccumulators(this.workers, this.plans, this.settings);
    else this.accumulators = this.plans.map((plan) => createAccumulator(plan, this.settings));
    const pending = this.pending;
    this.pending = [];
    for (const batch of pending) await this.feed(batch);
  }

  private referencePlans(reference: DatasetProfile): ColumnPlan[] {
    return reference.columns.map((column) => ({
      name: column.name,
      type: column.type,
      typeSource: 'reference',
      typeReason: column.typeReason,
      included: column.included,
      referenceCuts: column.kind === 'numeric' ? column.bins.cuts : undefined,
      referenceCategories:
        column.kind === 'categorical' ? column.categories.map(([value]) => value) : undefined,
    }));
  }

  private inferredPlans(): ColumnPlan[] {
    const names: string[] = [];
    for (const batch of this.pending)
      for (const name of batch.names) if (!names.includes(name)) names.push(name);
    const overrides = this.options.columns ?? {};
    const unknown = Object.keys(overrides).filter((name) => !names.includes(name));
    if (unknown.length > 0) {
      throw new UserError(
        `Column option for ${unknown.map((n) => JSON.stringify(n)).join(', ')}: no such column; the columns are ${names.map((n) => JSON.stringify(n)).join(', ')}`,
      );
    }
    return names.map((name) => {
      const override = overrides[name] ?? {};
      const inferred = override.type ? undefined : inferColumnType(name, this.sample(name));
      const type = override.type ?? inferred!.type;
      return {
        name,
        type,
        typeSource: override.type ? 'override' : 'inferred',
        typeReason: inferred?.reason ?? 'set by the user',
        included: override.include ?? !EXCLUDED_BY_DEFAULT.includes(type),
      };
    });
  }

  /** Non-missing cells of a column in the first `inferenceRows` pending rows. */
  private sample(name: string): unknown[] {
    const cells: unknown[] = [];
    let rows = 0;
    for (const batch of this.pending) {
      const column = batch.names.indexOf(name);
      const take = Math.min(batch.rows, this.settings.inferenceRows - rows);
      if (column >= 0) {
        for (let r = 0; r < take; r++) {
          const cell = cellOf(batch, r, column);
          if (!isMissingValue(cell)) cells.push(cell);
        }
      }
      rows += take;
      if (rows >= this.settings.inferenceRows) break;
    }
    return cells;
  }

  /** Accumulator index of each of a batch's columns (-1: not profiled), cached per header. */
  private layout(names: readonly string[]): Int32Array {
    let layout = this.layouts.get(names);
    if (layout) return layout;
    layout = new Int32Array(names.length);
    const taken = new Set<number>();
    names.forEach((name, c) => {
      const index = this.position.get(name) ?? -1;
      if (index >= 0 && taken.has(index)) {
        throw new UserError(
          `Column ${JSON.stringify(name)} appears twice in the data; give each column its own name`,
        );
      }
      if (index >= 0) taken.add(index);
      else this.extra.add(name);
      this.seen.add(name);
      layout![c] = index;
    });
    this.layouts.set(names, layout);
    return layout;
  }

  private async feed(batch: Batch): Promise<void> {
    const layout = this.layout(batch.names);
    this.rows += batch.rows;
    if (this.threaded) return this.threaded.add(batch, layout);
    feedAccumulators(this.accumulators, batch, layout);
    if (batch.kind === 'text') batch.release?.();
  }
}

/** Profiles one or more sources as one dataset (read one after the other). */
export async function profileSources(
  sources: DataSource | readonly DataSource[],
  options: ProfileOptions = {},
): Promise<DatasetProfile> {
  const list = Array.isArray(sources) ? sources : [sources as DataSource];
  const threads = options.read?.threads ?? defaultProfileThreads();
  const workers = threads > 0 ? profileWorkers(threads) : undefined;
  const read: ReadOptions = { ...options.read, threads, ...(workers ? { workers } : {}) };
  const profiler = new Profiler(options, workers);
  try {
    for (const source of list) {
      for await (const batch of readBatches(source, read)) {
        // Leaving the loop unwinds the reader, which removes any spool it wrote.
        options.read?.signal?.throwIfAborted();
        await profiler.add(batch);
      }
    }
    return await profiler.finish(list.map((source) => source.name));
  } catch (error) {
    profiler.discard();
    throw error;
  }
}
