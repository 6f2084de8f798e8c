import { UserError } from '@mlactions/core';
import type { ColumnsFile } from './columns-file.ts';

const SHOWN = 5;

function show(ids: readonly string[]): string {
  const listed = ids.slice(0, SHOWN).map((id) => JSON.stringify(id.slice(0, 60)));
  return `${listed.join(', ')}${ids.length > SHOWN ? `, … (${ids.length - SHOWN} more)` : ''}`;
}

/** Each row's id; a missing or repeated id is an error naming the rows. */
function idIndex(file: ColumnsFile, id: string): Map<string, number> {
  const index = new Map<string, number>();
  file.texts.get(id)!.forEach((value, row) => {
    if (value === null)
      throw new UserError(
        `predictions file ${file.path}, ${file.where(row)}: the id column ${JSON.stringify(id)} is empty; every row needs an id to be joined on`,
      );
    const before = index.get(value);
    if (before !== undefined) {
      throw new UserError(
        `predictions file ${file.path}: id ${JSON.stringify(value.slice(0, 60))} appears twice (${file.where(before)} and ${file.where(row)}); ids in column ${JSON.stringify(id)} must be unique to join the candidate with the baseline`,
      );
    }
    index.set(value, row);
  });
  return index;
}

/**
 * For each candidate row, the baseline row with the same id. Both files must hold the same ids, each
 * once: a paired comparison over different rows would compare the rows, not the models.
 */
export function joinOnId(candidate: ColumnsFile, baseline: ColumnsFile, id: string): Int32Array {
  const ours = idIndex(candidate, id);
  const theirs = idIndex(baseline, id);
  const onlyOurs = [...ours.keys()].filter((key) => !theirs.has(key));
  const onlyTheirs = [...theirs.keys()].filter((key) => !ours.has(key));
  if (onlyOurs.length > 0 || onlyTheirs.length > 0) {
    const parts = [
      ...(onlyOurs.length > 0
        ? [`${onlyOurs.length} ids of ${candidate.path} are not in ${baseline.path} (${show(onlyOurs)})`]
        : []),
      ...(onlyTheirs.length > 0
        ? [`${onlyTheirs.length} ids of ${baseline.path} are not in ${candidate.path} (${show(onlyTheirs)})`]
        : []),
    ];
    throw new UserError(
      `the candidate's and the baseline's predictions are not for the same rows: ${parts.join('; ')}; predict both on the same validation set`,
    );
  }
  return Int32Array.from(candidate.texts.get(id)!, (value) => theirs.get(value!)!);
}

/** The file's rows in a new order: row i of the result is row order[i] of the file. */
export function reorder(file: ColumnsFile, order: Int32Array): ColumnsFile {
  const texts = new Map(
    [...file.texts].map(([name, values]) => [name, Array.from(order, (row) => values[row]!)]),
  );
  return { ...file, texts, where: (row) => file.where(order[row]!) };
}
