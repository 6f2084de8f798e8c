/** One point of a sampled series: a time (seconds) and one value per line (null where none was read). */
export interface SeriesPoint {
  t: number;
  values: (number | null)[];
}

/** The mean of the numbers among `values`, or null when there are none. */
export function meanOfPresent(values: readonly (number | null)[]): number | null {
  let sum = 0;
  let count = 0;
  for (const v of values) {
    if (v !== null && Number.isFinite(v)) {
      sum += v;
      count++;
    }
  }
  return count === 0 ? null : sum / count;
}

/** Merges points into one: the mean time and, line by line, the mean of the values present. */
export function mergePoints(points: readonly SeriesPoint[]): SeriesPoint {
  const width = points[0]?.values.length ?? 0;
  return {
    t: meanOfPresent(points.map((p) => p.t)) ?? 0,
    values: Array.from({ length: width }, (_, i) => meanOfPresent(points.map((p) => p.values[i] ?? null))),
  };
}

/**
 * Keeps a series of any length in bounded memory for a chart: at most `2 × limit` points, each the
 * mean of a run of consecutive samples. When the buffer fills, neighbours are merged pairwise and
 * every later point averages twice as many samples, so the kept points stay evenly spaced in samples.
 */
export class Downsampler {
  private readonly kept: SeriesPoint[] = [];
  private pending: SeriesPoint[] = [];
  private perPoint = 1;

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`limit must be a positive integer, got ${limit}`);
  }

  push(point: SeriesPoint): void {
    this.pending.push(point);
    if (this.pending.length < this.perPoint) return;
    this.kept.push(mergePoints(this.pending));
    this.pending = [];
    if (this.kept.length >= 2 * this.limit) {
      const halved: SeriesPoint[] = [];
      for (let i = 0; i < this.kept.length; i += 2) halved.push(mergePoints(this.kept.slice(i, i + 2)));
      this.kept.splice(0, this.kept.length, ...halved);
      this.perPoint *= 2;
    }
  }

  /** The kept points, the samples not yet merged into one last point included. */
  points(): SeriesPoint[] {
    return this.pending.length > 0 ? [...this.kept, mergePoints(this.pending)] : [...this.kept];
  }
}
