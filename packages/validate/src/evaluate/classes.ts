import { UserError } from '@mlactions/core';
import { parseNumberText } from '@mlactions/data';

/** Numbers name the same class however they are written (`1`, `1.0`); other text is itself. */
export function classKey(text: string): string {
  const number = text.trim() === '' ? undefined : parseNumberText(text);
  return number !== undefined && Number.isFinite(number) ? String(number) : text;
}

/** Dictionary-encodes label texts as they stream by: one small integer per distinct class key. */
export class LabelCodes {
  readonly keys: string[] = [];
  readonly firstRows: number[] = [];
  private readonly codes = new Map<string, number>();
  private readonly byText = new Map<string, number>();

  code(text: string, row: number): number {
    const known = this.byText.get(text);
    if (known !== undefined) return known;
    const key = classKey(text);
    let code = this.codes.get(key);
    if (code === undefined) {
      code = this.keys.length;
      this.keys.push(key);
      this.firstRows.push(row);
      this.codes.set(key, code);
    }
    this.byText.set(text, code);
    return code;
  }
}

/** Where a class order came from, for messages. */
export type ClassSource = 'option' | 'model' | 'columns';

export interface ResolvedClasses {
  /** Class names in the order of the model's output columns. */
  readonly classes: readonly string[];
  /** Label code → class index. */
  readonly codeToClass: Uint16Array;
}

/** Compares by Unicode code point, as Python (and so scikit-learn's sorted classes) does. */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/**
 * The class of each output column, and of each label seen. A declared order (given, or from the
 * model's graph) wins. Otherwise, like scikit-learn: labels that are all integers in [0, columns)
 * name their column; else the sorted distinct labels (numerically when all are numbers) must be as
 * many as the columns.
 */
export function resolveClasses(
  seen: LabelCodes,
  columns: number,
  declared?: { readonly classes: readonly string[]; readonly source: ClassSource },
): ResolvedClasses {
  const classes = declared ? [...declared.classes] : inferClasses(seen.keys, columns);
  if (classes.length !== columns) {
    const from = declared?.source === 'model' ? "the model's graph declares" : 'classes lists';
    throw new UserError(`${from} ${classes.length} classes but the model outputs ${columns} class columns`);
  }
  const index = new Map(classes.map((name, i) => [classKey(name), i]));
  const codeToClass = new Uint16Array(seen.keys.length);
  seen.keys.forEach((key, code) => {
    const found = index.get(key);
    if (found === undefined) {
      const from =
        declared?.source === 'model'
          ? "the model's classes"
          : declared?.source === 'columns'
            ? "the probability columns' classes"
            : 'the classes given';
      throw new UserError(
        `label ${JSON.stringify(key)} (first at row ${seen.firstRows[code]}) is not one of ${from}: ${classes.map((c) => JSON.stringify(c)).join(', ')}`,
      );
    }
    codeToClass[code] = found;
  });
  return { classes, codeToClass };
}

/** Class keys in scikit-learn's order: numerically when all are numbers, else by code point. */
export function sortClasses(keys: readonly string[]): string[] {
  const numeric = keys.length > 0 && keys.every((key) => Number.isFinite(Number(key)));
  return numeric ? [...keys].sort((a, b) => Number(a) - Number(b)) : [...keys].sort(compareCodePoints);
}

function inferClasses(keys: readonly string[], columns: number): string[] {
  const numbers = keys.map(Number);
  const numeric = keys.length > 0 && numbers.every((n) => Number.isFinite(n));
  if (numeric && numbers.every((n) => Number.isInteger(n) && n >= 0 && n < columns)) {
    return Array.from({ length: columns }, (_, i) => String(i));
  }
  const sorted = sortClasses(keys);
  if (sorted.length !== columns) {
    const shown = sorted.slice(0, 20).map((c) => JSON.stringify(c));
    throw new UserError(
      `the data's labels have ${sorted.length} classes (${shown.join(', ')}${sorted.length > 20 ? ', …' : ''}) but the model outputs ${columns} class columns; pass classes in the order of the model's outputs`,
    );
  }
  return sorted;
}
