/**
 * The few protocol buffer encodings an ONNX model needs (https://protobuf.dev/programming-guides/encoding/):
 * varints, length-delimited fields (strings, bytes, nested messages) and packed repeated int64s.
 * A message is built as a list of already-encoded fields, so nested messages are encoded inside out.
 */

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;

/** One encoded field (or several), ready to be joined into a message. */
export type Field = Uint8Array;

/**
 * The base-128 varint of a non-negative integer or a signed 64-bit one (negative values take ten
 * bytes, two's complement, as protobuf writes int64).
 */
export function varint(value: number | bigint): Uint8Array {
  let n = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  do {
    let byte = Number(n & 0x7fn);
    n >>= 7n;
    if (n > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0n);
  return Uint8Array.from(bytes);
}

function tag(field: number, wireType: number): Uint8Array {
  return varint((field << 3) | wireType);
}

/** An integer field (int32, int64, enum). */
export function intField(field: number, value: number | bigint): Field {
  return Buffer.concat([tag(field, WIRE_VARINT), varint(value)]);
}

/** A bytes field: raw bytes or an encoded nested message. */
export function bytesField(field: number, bytes: Uint8Array): Field {
  return Buffer.concat([tag(field, WIRE_LENGTH_DELIMITED), varint(bytes.length), bytes]);
}

/** A string field, UTF-8 encoded. */
export function stringField(field: number, text: string): Field {
  return bytesField(field, new TextEncoder().encode(text));
}

/** A nested message field from the message's fields. */
export function messageField(field: number, fields: readonly Field[]): Field {
  return bytesField(field, Buffer.concat(fields));
}

/** A packed repeated int64 field (proto3's default for repeated scalars). */
export function packedIntsField(field: number, values: readonly (number | bigint)[]): Field {
  return bytesField(field, Buffer.concat(values.map((value) => varint(value))));
}
