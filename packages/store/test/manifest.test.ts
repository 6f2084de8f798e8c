import { describe, expect, it } from 'vitest';
import { type Manifest, parseManifest, serializeManifest } from '../src/manifest.ts';

const good: Manifest = {
  manifestVersion: 1,
  name: 'iris',
  version: '1.0.0',
  createdAt: '2026-03-01T12:00:00.000Z',
  files: [{ path: 'model.onnx', size: 3, sha256: 'a'.repeat(64) }],
  metrics: { 'metrics.json': { accuracy: 0.9 } },
  parent: '0.9.0',
  gitSha: 'b'.repeat(40),
};

const parse = (change: (m: Record<string, unknown>) => void) => {
  const copy = JSON.parse(JSON.stringify(good));
  change(copy);
  return () => parseManifest(JSON.stringify(copy), 'store x');
};

describe('manifests', () => {
  it('round-trips through its stored form', () => {
    const text = serializeManifest(good);
    expect(text.endsWith('}\n')).toBe(true);
    expect(parseManifest(text, 'here')).toEqual(good);
  });

  it('refuses stored manifests that could write outside the target or lie about content', () => {
    expect(() => parseManifest('{', 'store x')).toThrow(/store x is not valid JSON/);
    expect(parse((m) => (m.manifestVersion = 2))).toThrow(/unsupported manifestVersion 2/);
    expect(parse((m) => (m.name = '../x'))).toThrow(/Invalid model name/);
    expect(parse((m) => (m.version = '1.0'))).toThrow(/Invalid version/);
    expect(parse((m) => ((m.files as { path: string }[])[0]!.path = '../../etc/passwd'))).toThrow(
      /Invalid file path/,
    );
    expect(parse((m) => ((m.files as { path: string }[])[0]!.path = '/abs'))).toThrow(/Invalid file path/);
    expect(parse((m) => ((m.files as { sha256: string }[])[0]!.sha256 = 'xyz'))).toThrow(/no valid sha256/);
    expect(parse((m) => ((m.files as { size: number }[])[0]!.size = -1))).toThrow(/no valid size/);
    expect(parse((m) => (m.files = [good.files[0], good.files[0]]))).toThrow(/listed twice/);
    expect(parse((m) => (m.metrics = [1]))).toThrow(/metrics is not an object/);
    expect(parse((m) => (m.gitSha = 7))).toThrow(/gitSha is not a string/);
  });
});
