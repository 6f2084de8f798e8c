/** One point of a curve. */
export interface CurvePoint {
  x: number;
  y: number;
}

/**
 * Largest-triangle-three-buckets (Steinarsson, 2013): at most `max` points of a curve that keep its
 * shape — the first and last points, and from each bucket between them the point that makes the
 * largest triangle with the point kept before it and the mean of the next bucket. Peaks, knees and
 * steps survive where taking every n-th point would lose them. Curves already short enough are
 * returned as they are.
 */
export function thinCurve(points: readonly CurvePoint[], max: number): CurvePoint[] {
  if (max < 3 || points.length <= max) return [...points];
  const kept: CurvePoint[] = [points[0]!];
  const size = (points.length - 2) / (max - 2);
  let previous = points[0]!;
  for (let bucket = 0; bucket < max - 2; bucket++) {
    const start = Math.floor(bucket * size) + 1;
    const end = Math.floor((bucket + 1) * size) + 1;
    // The mean of the next bucket (the last point, for the last bucket).
    const nextEnd = Math.min(Math.floor((bucket + 2) * size) + 1, points.length);
    let meanX = 0;
    let meanY = 0;
    for (let i = end; i < nextEnd; i++) {
      meanX += points[i]!.x;
      meanY += points[i]!.y;
    }
    const count = nextEnd - end;
    if (count > 0) {
      meanX /= count;
      meanY /= count;
    } else {
      ({ x: meanX, y: meanY } = points.at(-1)!);
    }
    let best = points[start]!;
    let largest = -1;
    for (let i = start; i < end; i++) {
      const p = points[i]!;
      const area = Math.abs(
        (previous.x - meanX) * (p.y - previous.y) - (previous.x - p.x) * (meanY - previous.y),
      );
      if (area > largest) {
        largest = area;
        best = p;
      }
    }
    kept.push(best);
    previous = best;
  }
  kept.push(points.at(-1)!);
  return kept;
}
