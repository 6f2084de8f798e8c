/**
 * A predictions file read whole as text columns through @mlactions/data (so a file means the same
 * here as everywhere): a predictions file holds one row per scored example, which the metrics need
 * all at once anyway.
 */
import { UserError } from '@mlactions/core';
import { readBatches, readTexts, resolveSources } from '@mlactions/data';
import { columnIndex } from '../evaluate/columns.ts';

export interface ColumnsFile {
  readonly path: string;
  /** Every column of the file, in file order. */
  readonly columns: readonly string[];
  readonly rows: number;
  /** The columns asked for (and present): one text per row, null where the cell is missing. */
  readonly texts: ReadonlyMap<string, readonly (string | null)[]>;
  /** A row for messages: `row 3 (line 4)`. */
  where(row: number): string;
}

export interface ReadColumnsOptions {
  readonly cwd?: string;
  readonly delimiter?: string;
}

/**
 * Reads the named columns of a file (a folder or pattern of files is read as one table). `required`
 * columns must exist; `wanted(columns)` picks more once the header is known (probability columns).
 */
export async function readColumnsFile(
  path: string,
  required: readonly string[],
  options: ReadColumnsOptions = {},
  wanted: (columns: readonly string[]) => readonly string[] = () => [],
): Promise<ColumnsFile> {
  const sources = await resolveSources(path, options.cwd);
  const shown = sources.length > 1 ? path : sources[0]!.name;
  const read = options.delimiter === undefined ? {} : { delimiter: options.delimiter };
  let columns: readonly string[] | undefined;
  let names: readonly string[] = [];
  const texts = new Map<string, (string | null)[]>();
  const lines: number[] = [];
  let rows = 0;
  for (const source of sources) {
    for await (const batch of readBatches(source, read)) {
      if (columns === undefined) {
        columns = batch.names;
        for (const name of required) columnIndex(columns, name, shown);
        names = [...new Set([...required, ...wanted(columns)])];
        for (const name of names) texts.set(name, []);
      }
      for (const name of names) {
        const index = batch.names.indexOf(name);
        if (index < 0) columnIndex(batch.names, name, source.name);
        const out = texts.get(name)!;
        for (const text of readTexts(batch, index)) out.push(text);
      }
      for (let r = 0; r < batch.rows; r++) lines.push(batch.lines?.[r] ?? 0);
      rows += batch.rows;
      if (batch.kind === 'text') batch.release?.();
    }
  }
  if (columns === undefined || rows === 0) throw new UserError(`predictions file ${shown} has no rows`);
  return {
    path: shown,
    columns,
    rows,
    texts,
    where: (row) => `row ${row + 1}${lines[row] ? ` (line ${lines[row]})` : ''}`,
  };
}
