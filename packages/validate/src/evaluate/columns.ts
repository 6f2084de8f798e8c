import { UserError } from '@mlactions/core';

/** The position of a named column; a missing one is an error that lists the columns there are. */
export function columnIndex(columns: readonly string[], name: string, path: string): number {
  const index = columns.indexOf(name);
  if (index < 0) {
    throw new UserError(
      `data file ${path} has no column ${JSON.stringify(name)}; its columns are ${describeColumns(columns)}`,
    );
  }
  return index;
}

/** Column names for a message: quoted (they are user text), the list cut short when long. */
export function describeColumns(columns: readonly string[], limit = 40): string {
  const shown = columns.slice(0, limit).map((name) => JSON.stringify(name));
  const more = columns.length > limit ? `, … (${columns.length - limit} more)` : '';
  return `${shown.join(', ')}${more}`;
}
