/** What a long transfer reports. */
export interface Progress {
  /** The file's path inside the version. */
  file: string;
  /** hash: reading a local file to digest it; upload / download: moving it to or from the store. */
  phase: 'hash' | 'upload' | 'download';
  /** Bytes of this file done so far. */
  bytes: number;
  /** The file's size. */
  total: number;
  /** Bytes per second since the previous report (or since the start of the operation). */
  rate: number;
}

export type ProgressCallback = (progress: Progress) => void;

/** Milliseconds between two reports at the least. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 3000;

/** Counts one file's bytes for a throttle. */
export type ByteCounter = (bytes: number) => void;

export interface ProgressThrottle {
  /** A counter for one file; call it with each chunk's length (not the running total). */
  track(file: string, phase: Progress['phase'], total: number): ByteCounter;
}

/**
 * Forwards byte counts to `onProgress` at most once every `intervalMs` for the whole operation
 * (publish or fetch), so a transfer of many small files or a fast one of a large file logs a few lines,
 * not thousands. The time source is injected so tests need no clock.
 */
export function createProgressThrottle(
  onProgress: ProgressCallback | undefined,
  now: () => number,
  intervalMs: number = DEFAULT_PROGRESS_INTERVAL_MS,
): ProgressThrottle {
  let lastTime = now();
  let bytesSinceLast = 0;
  return {
    track(file, phase, total) {
      if (!onProgress) return () => {};
      let bytes = 0;
      return (delta) => {
        bytes += delta;
        bytesSinceLast += delta;
        const time = now();
        const elapsed = time - lastTime;
        if (elapsed < intervalMs) return;
        const rate = elapsed > 0 ? (bytesSinceLast * 1000) / elapsed : 0;
        lastTime = time;
        bytesSinceLast = 0;
        onProgress({ file, phase, bytes, total, rate });
      };
    },
  };
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `1536` → `1.5 KiB`; binary units, one decimal above bytes. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

const PHASE_VERB: Record<Progress['phase'], string> = {
  hash: 'hashing',
  upload: 'uploading',
  download: 'downloading',
};

/** One log line: `uploading model.onnx: 512.0 MiB of 1.0 GiB (50.0%) at 85.3 MiB/s`. */
export function formatProgress(progress: Progress): string {
  const percent = progress.total > 0 ? (100 * progress.bytes) / progress.total : 100;
  return (
    `${PHASE_VERB[progress.phase]} ${progress.file}: ${formatBytes(progress.bytes)} of ` +
    `${formatBytes(progress.total)} (${percent.toFixed(1)}%) at ${formatBytes(Math.round(progress.rate))}/s`
  );
}
