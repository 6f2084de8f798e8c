import { readFile } from 'node:fs/promises';
import { basename, dirname, posix, resolve } from 'node:path';
import { CsvError, parse } from 'csv-parse/sync';
import { isRecord } from '../metrics/flatten.ts';
import { parseNumber } from '../metrics/numbers.ts';
import { parseTree } from '../metrics/tree.ts';
import { UserError } from '../user-error.ts';
import { type CurvePoint, thinCurve } from './thin.ts';

/** A curve read from a file: its name, axes and points (thinned to MAX_CURVE_POINTS, shape kept). */
export interface Curve {
  /** The file, relative to where it was named from, with the field when a file holds several. */
  title: string;
  xLabel: string;
  yLabel: string;
  points: CurvePoint[];
}

/** A curve file's longest curve kept: enough for any chart, small enough for any comment. */
export const MAX_CURVE_POINTS = 500;

/** How a dvc.yaml plot names its axes: DVC's `x`, `y`, `title`, `x_label`, `y_label`. */
interface PlotProps {
  x?: string;
  y?: string;
  title?: string;
  xLabel?: string;
  yLabel?: string;
}

type Row = Record<string, unknown>;

function parseRows(text: string, file: string, delimiter: ',' | '\t'): Row[] {
  try {
    return parse(text, { bom: true, delimiter, columns: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    if (error instanceof CsvError) {
      throw new UserError(`${file}: this is not valid CSV (${error.message}). Fix the file.`);
    }
    throw error;
  }
}

/**
 * The lists of records in a plot file: the rows of a CSV/TSV, a JSON/YAML list of objects, or each
 * list of objects under a top-level key (DVC's `{"roc": [{"fpr": …, "tpr": …}]}`), by key.
 */
function recordLists(text: string, file: string): { key?: string; rows: Row[] }[] {
  const extension = posix.extname(file).toLowerCase();
  if (extension === '.csv' || extension === '.tsv')
    return [{ rows: parseRows(text, file, extension === '.csv' ? ',' : '\t') }];
  if (extension !== '.json' && extension !== '.yaml' && extension !== '.yml') {
    throw new UserError(
      `${file}: not a plot file. Use .csv, .tsv, .json, .yaml, or a dvc.yaml with \`plots:\`.`,
    );
  }
  const tree = parseTree(text, file, extension === '.json' ? 'json' : 'yaml');
  const isRows = (value: unknown): value is Row[] => Array.isArray(value) && value.every(isRecord);
  if (isRows(tree)) return [{ rows: tree }];
  if (isRecord(tree)) {
    const lists = Object.entries(tree).filter(([, value]) => isRows(value));
    if (lists.length > 0) return lists.map(([key, rows]) => ({ key, rows: rows as Row[] }));
  }
  throw new UserError(
    `${file}: expected a list of points (like [{"fpr": 0, "tpr": 0}, …]) or an object of such lists.`,
  );
}

const numberOf = (value: unknown): number | undefined =>
  typeof value === 'number' ? value : typeof value === 'string' ? parseNumber(value) : undefined;

/**
 * Fields taken for the x axis when no `x` is given, the first one present: DVC's `step`, then the
 * x of the curves a model's evaluation draws (ROC, precision–recall, calibration).
 */
const X_FIELDS = ['step', 'epoch', 'iteration', 'fpr', 'recall', 'prob_pred'];
/** Fields never taken for the y axis by default: a curve's thresholds index its points. */
const NOT_Y = new Set(['threshold', 'thresholds']);

/**
 * One curve from records, as DVC reads plots: x is the `x` field given, else the first of X_FIELDS
 * the records have, else the record's index; y is the `y` field given, else the last field that is
 * neither x nor a threshold. Records without a finite number on either axis are skipped.
 */
function curveOf(rows: readonly Row[], title: string, props: PlotProps, file: string): Curve {
  const fields = Object.keys(rows[0] ?? {});
  const x = props.x ?? X_FIELDS.find((field) => fields.includes(field));
  const y = props.y ?? fields.filter((field) => field !== x && !NOT_Y.has(field)).at(-1);
  for (const [axis, field] of [
    ['x', x],
    ['y', y],
  ] as const) {
    if (field !== undefined && rows.length > 0 && !fields.includes(field)) {
      throw new UserError(
        `${file}: has no field "${field}" for the ${axis} axis. It has: ${fields.join(', ')}.`,
      );
    }
  }
  if (y === undefined) throw new UserError(`${file}: holds no field to plot. Give it a column of numbers.`);
  const points = rows.flatMap((row, index) => {
    const px = x === undefined ? index : numberOf(row[x]);
    const py = numberOf(row[y]);
    return px !== undefined && py !== undefined && Number.isFinite(px) && Number.isFinite(py)
      ? [{ x: px, y: py }]
      : [];
  });
  if (points.length === 0) throw new UserError(`${file}: the field "${y}" holds no numbers to plot.`);
  return {
    title: props.title ?? title,
    xLabel: props.xLabel ?? x ?? 'index',
    yLabel: props.yLabel ?? y,
    points: thinCurve(points, MAX_CURVE_POINTS),
  };
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new UserError(`${path}: no such ${what}. Check the path.`);
  }
}

/** The curves of one plot file (one per list of records it holds). */
async function curvesOfFile(path: string, name: string, props: PlotProps): Promise<Curve[]> {
  const lists = recordLists(await readText(path, 'plot file'), name);
  return lists.map(({ key, rows }) =>
    curveOf(rows, key === undefined ? name : `${name} ${key}`, props, name),
  );
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** DVC's plot properties, from an entry of dvc.yaml's `plots:` list. */
function propsOf(value: unknown): PlotProps {
  if (!isRecord(value)) return {};
  return Object.fromEntries(
    Object.entries({
      x: text(value.x),
      y: text(value.y),
      title: text(value.title),
      xLabel: text(value.x_label),
      yLabel: text(value.y_label),
    }).filter(([, v]) => v !== undefined),
  );
}

/**
 * The curves dvc.yaml's `plots:` section names: a path (DVC's defaults), a path with properties
 * (`- eval/roc.json: {x: fpr, y: tpr}`), or a named plot whose `y` maps files to fields
 * (`- roc: {x: fpr, y: {eval/roc.json: tpr}}`). Paths are relative to dvc.yaml's folder.
 */
async function curvesOfDvcYaml(path: string, name: string): Promise<Curve[]> {
  const tree = parseTree(await readText(path, 'dvc.yaml'), name, 'yaml');
  const plots = isRecord(tree) ? tree.plots : undefined;
  if (!Array.isArray(plots))
    throw new UserError(`${name}: has no \`plots:\` list. Add one, or name plot files.`);
  const folder = dirname(path);
  const curves: Curve[][] = [];
  for (const entry of plots) {
    if (typeof entry === 'string') {
      curves.push(await curvesOfFile(resolve(folder, entry), entry, {}));
      continue;
    }
    if (!isRecord(entry)) continue;
    for (const [key, value] of Object.entries(entry)) {
      const props = propsOf(value);
      const y = isRecord(value) ? value.y : undefined;
      if (!isRecord(y)) {
        curves.push(await curvesOfFile(resolve(folder, key), key, props));
        continue;
      }
      for (const [file, fields] of Object.entries(y)) {
        for (const field of Array.isArray(fields) ? fields : [fields]) {
          if (typeof field !== 'string') continue;
          const found = await curvesOfFile(resolve(folder, file), file, { ...props, y: field });
          curves.push(found.map((curve) => ({ ...curve, title: props.title ?? `${key} ${field}` })));
        }
      }
    }
  }
  return curves.flat();
}

/**
 * Reads the curves in a plot file: CSV/TSV/JSON/YAML points as DVC plots are written (x the `step`
 * field — or `fpr`, `recall`, `prob_pred` — or the index, y the last field), or every plot in the `plots:` section of a dvc.yaml. `name`
 * titles the curves (the path as the user gave it).
 */
export async function readCurves(path: string, name = path): Promise<Curve[]> {
  return basename(path) === 'dvc.yaml' ? curvesOfDvcYaml(path, name) : curvesOfFile(path, name, {});
}
