// Models for the gate's tests, made from the committed golden fixtures: no new binary files.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The golden fixtures' folder. */
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A fixture's path. */
export const fixture = (name: string) => `${FIXTURES}${name}`;

/** Protobuf tag of a fixed32 element of AttributeProto.floats (field 7, wire type 5), unpacked as onnx writes it. */
const FLOAT_TAG = 0x3d;

/**
 * Writes sklearn_tensor.onnx (a LinearClassifier over sklearn.csv) with its coefficients and
 * intercepts negated: the same graph and classes ranking them backwards, i.e. a real regression
 * on the same rows. Each float's sign bit is flipped in place, so no length in the file changes.
 */
export function writeReversedClassifier(target: string): string {
  const bytes = Buffer.from(readFileSync(fixture('sklearn_tensor.onnx')));
  for (const name of ['coefficients', 'intercepts']) {
    // An AttributeProto's name (field 1: 0x0a, length, text), then its floats.
    const at = bytes.indexOf(Buffer.concat([Buffer.from([0x0a, name.length]), Buffer.from(name)]));
    if (at < 0) throw new Error(`sklearn_tensor.onnx has no attribute ${name}`);
    let i = at + 2 + name.length;
    let flipped = 0;
    while (bytes[i] === FLOAT_TAG) {
      bytes[i + 4] = bytes[i + 4]! ^ 0x80; // little-endian: the sign bit is in the fourth byte
      i += 5;
      flipped++;
    }
    if (flipped === 0) throw new Error(`sklearn_tensor.onnx's ${name} are not stored as floats`);
  }
  writeFileSync(target, bytes);
  return target;
}
