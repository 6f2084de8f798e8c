import { UserError } from '@mlactions/core';
import { openCsv } from './csv.ts';
import { openJsonl } from './jsonl.ts';
import { openParquet } from './parquet.ts';
import type { Table, TableFormat } from './types.ts';

const EXTENSIONS: Record<string, TableFormat> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  parquet: 'parquet',
  pq: 'parquet',
};

/** The format a file name implies (a trailing `.gz` is looked through), or undefined. */
export function formatFromName(path: string): TableFormat | undefined {
  const parts = path.toLowerCase().split('/').pop()!.split('.');
  if (parts.at(-1) === 'gz') parts.pop();
  return parts.length > 1 ? EXTENSIONS[parts.at(-1)!] : undefined;
}

export interface OpenTableOptions {
  /** The file's format; by default its name says (`.csv`, `.tsv`, `.jsonl`, `.ndjson`, `.parquet`). */
  readonly format?: TableFormat;
  /** Read size for the text formats (tests use tiny ones to cross every boundary). */
  readonly chunkBytes?: number;
}

/** Opens a validation set; gzip is recognised by its magic bytes, the format by name unless given. */
export async function openTable(path: string, options: OpenTableOptions = {}): Promise<Table> {
  const chosen = options.format ?? formatFromName(path);
  switch (chosen) {
    case 'csv':
      return openCsv(path, ',', options.chunkBytes);
    case 'tsv':
      return openCsv(path, '\t', options.chunkBytes);
    case 'jsonl':
      return openJsonl(path, options.chunkBytes);
    case 'parquet':
      return openParquet(path);
    default:
      throw new UserError(
        `cannot tell the format of data file ${path} from its name; name it .csv, .tsv, .jsonl or .parquet (optionally .gz) or pass the format`,
      );
  }
}
