import { describe, expect, it } from 'vitest';
import { bytesField, intField, messageField, packedIntsField, stringField, varint } from '../src/protobuf.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('protobuf encoding', () => {
  it('writes varints as the protobuf guide does', () => {
    expect(hex(varint(0))).toBe('00');
    expect(hex(varint(1))).toBe('01');
    expect(hex(varint(127))).toBe('7f');
    expect(hex(varint(128))).toBe('8001');
    expect(hex(varint(150))).toBe('9601');
    expect(hex(varint(300))).toBe('ac02');
    expect(hex(varint(2n ** 63n - 1n))).toBe('ffffffffffffffff7f');
  });

  it('writes negative int64 values as ten-byte two’s complement', () => {
    expect(hex(varint(-1))).toBe('ffffffffffffffffff01');
    expect(hex(varint(-2))).toBe('feffffffffffffffff01');
  });

  it('encodes the guide’s example messages', () => {
    // message Test1 { int32 a = 1; } with a = 150
    expect(hex(intField(1, 150))).toBe('089601');
    // message Test2 { string b = 2; } with b = "testing"
    expect(hex(stringField(2, 'testing'))).toBe('120774657374696e67');
    // message Test3 { Test1 c = 3; }
    expect(hex(messageField(3, [intField(1, 150)]))).toBe('1a03089601');
    // repeated int32 d = 4 [packed] with 3, 270, 86942
    expect(hex(packedIntsField(4, [3, 270, 86942]))).toBe('2206038e029ea705');
  });

  it('writes raw bytes with their length', () => {
    expect(hex(bytesField(9, Uint8Array.of(1, 2, 3)))).toBe('4a03010203');
  });

  it('encodes strings as UTF-8', () => {
    expect(hex(stringField(1, 'é'))).toBe('0a02c3a9');
  });
});
