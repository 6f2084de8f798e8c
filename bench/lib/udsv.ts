// udsv, the peer that the CSV benchmarks compare against. It is a dev dependency of the package under
// test (bench/ is no workspace package), so the caller loads it from there and hands it in.
import { createReadStream } from 'node:fs';

/** udsv's API, typed as far as the benchmarks use it. */
export interface Udsv {
  inferSchema(text: string): unknown;
  initParser(schema: unknown): {
    chunk(text: string, parse: unknown, onRow: (row: unknown[]) => boolean): void;
    typedCols: unknown;
    end(): void;
  };
}

/**
 * udsv's typed parse of the whole file, streamed; rows are counted, not kept (its cheapest typed path).
 * The checksum of the first column keeps the parse from being optimised away.
 */
export async function udsvParse(udsv: Udsv, file: string): Promise<{ rows: number; checksum: number }> {
  let parser: ReturnType<Udsv['initParser']> | undefined;
  let rows = 0;
  let checksum = 0;
  const onRow = (row: unknown[]) => {
    rows++;
    checksum += row[0] as number;
    return true;
  };
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    parser ??= udsv.initParser(udsv.inferSchema(chunk as string));
    parser.chunk(chunk as string, parser.typedCols, onRow);
  }
  parser!.end();
  return { rows, checksum };
}
