import { describe, expect, it } from 'vitest';
import { createProgressThrottle, formatBytes, formatProgress, type Progress } from '../src/progress.ts';

describe('progress throttle', () => {
  it('reports at most once per interval across files, with the rate since the previous report', () => {
    let time = 0;
    const calls: Progress[] = [];
    const throttle = createProgressThrottle(
      (p) => calls.push(p),
      () => time,
      3000,
    );
    const a = throttle.track('a.bin', 'upload', 1000);
    time = 1000;
    a(100); // too early
    time = 3000;
    a(200); // 3 s since start: 300 bytes in 3 s
    time = 4000;
    a(100); // too early
    const b = throttle.track('b.bin', 'upload', 50);
    time = 7000;
    b(50); // 4 s since the last report: 150 bytes
    expect(calls).toEqual([
      { file: 'a.bin', phase: 'upload', bytes: 300, total: 1000, rate: 100 },
      { file: 'b.bin', phase: 'upload', bytes: 50, total: 50, rate: 37.5 },
    ]);
  });

  it('costs nothing without a callback', () => {
    const throttle = createProgressThrottle(undefined, () => 1e12);
    expect(() => throttle.track('a', 'hash', 1)(1)).not.toThrow();
  });
});

describe('formatting', () => {
  it('writes sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });

  it('gives one line with the percent and the rate', () => {
    expect(
      formatProgress({
        file: 'model.onnx',
        phase: 'upload',
        bytes: 512 * 1024 ** 2,
        total: 1024 ** 3,
        rate: 85.3 * 1024 ** 2,
      }),
    ).toBe('uploading model.onnx: 512.0 MiB of 1.0 GiB (50.0%) at 85.3 MiB/s');
    expect(formatProgress({ file: 'empty', phase: 'download', bytes: 0, total: 0, rate: 0 })).toBe(
      'downloading empty: 0 B of 0 B (100.0%) at 0 B/s',
    );
  });
});
