import type { HistoryPoint } from '@mlactions/core';
import { truncateText } from './escape.ts';

/**
 * Text safe inside a quoted mermaid label: letters, digits, spaces and `._,:()/+=-…` are kept, anything
 * else (quotes, `%%` comments, `;` statement breaks, backticks, `#` entities, `<>`, line breaks) becomes
 * a space. The label cannot end its string, its statement or the markdown fence around the chart.
 */
export function mermaidText(text: string, maxLength = 60): string {
  return truncateText(text, maxLength)
    .replace(/[^\p{L}\p{N} ._,:()/+=…-]/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

const plain = new Intl.NumberFormat('en-US', { useGrouping: false, maximumSignificantDigits: 6 });

/** A finite number as mermaid's chart grammar reads it: plain decimals, never exponents or grouping. */
export function plainNumber(value: number): string {
  return plain.format(value);
}

/**
 * A history's values at the given steps: linear interpolation between its points, its first or last
 * value held before or after them. Points must be finite and sorted by step.
 */
export function resampleHistory(points: readonly HistoryPoint[], steps: readonly number[]): number[] {
  let index = 0;
  return steps.map((step) => {
    while (index < points.length - 1 && points[index + 1]!.step <= step) index++;
    const left = points[index]!;
    const right = points[index + 1];
    if (right === undefined || step <= left.step) return left.value;
    return left.value + ((step - left.step) / (right.step - left.step)) * (right.value - left.value);
  });
}

/** The colour of head's line (the second of the page's series colours, blue). */
const HEAD_COLOUR = '#0969da';

/** What a chart of one metric's history shows. */
export interface HistoryChart {
  /** Chart title, usually the metric's name; made safe for mermaid here. */
  title: string;
  base?: readonly HistoryPoint[];
  head?: readonly HistoryPoint[];
  /** At most this many points per line (default 100): longer histories are resampled. */
  maxPoints?: number;
}

/** A history's finite points, sorted by step, one per step. */
function cleanHistory(points: readonly HistoryPoint[] | undefined): HistoryPoint[] {
  const finite = (points ?? []).filter(
    (point) => Number.isFinite(point.step) && Number.isFinite(point.value),
  );
  const byStep = new Map(finite.map((point) => [point.step, point.value] as const));
  return [...byStep].sort(([a], [b]) => a - b).map(([step, value]) => ({ step, value }));
}

/** The first and last step of a history, as text. */
function stepRange(points: readonly HistoryPoint[]): string {
  return `${plainNumber(points[0]!.step)}–${plainNumber(points.at(-1)!.step)}`;
}

/**
 * A mermaid `xychart-beta` line chart of a metric's history, base and head as two lines over the same
 * steps (evenly spaced between the first and last step, at most `maxPoints`), and a caption that says
 * which steps each side has. Mermaid spreads every line over the whole x axis, so sides that cover
 * different steps (a run trained for fewer epochs) get a chart each rather than a line padded with
 * steps it never had. Returns undefined when neither side has two finite points.
 */
export function renderHistoryChart(chart: HistoryChart): string | undefined {
  const sides = [
    { label: 'base', points: cleanHistory(chart.base) },
    { label: 'head', points: cleanHistory(chart.head) },
  ].filter((side) => side.points.length > 0);
  if (!sides.some((side) => side.points.length >= 2)) return undefined;
  const [one, other] = sides;
  if (other && stepRange(one!.points) !== stepRange(other.points)) {
    const { base: _, head: __, ...alone } = chart;
    const baseChart = renderHistoryChart({ ...alone, base: one!.points });
    // Alone, head would take the first series colour, which is base's: it keeps its own.
    const headChart = renderHistoryChart({ ...alone, head: other.points })?.replace(
      '```mermaid\n',
      `\`\`\`mermaid\n---\nconfig:\n  themeVariables:\n    xyChart:\n      plotColorPalette: "${HEAD_COLOUR}"\n---\n`,
    );
    return [baseChart, headChart].filter((text) => text !== undefined).join('\n\n');
  }
  const first = Math.min(...sides.map((side) => side.points[0]!.step));
  const last = Math.max(...sides.map((side) => side.points.at(-1)!.step));
  const distinctSteps = new Set(sides.flatMap((side) => side.points.map((point) => point.step))).size;
  const count = Math.max(2, Math.min(chart.maxPoints ?? 100, distinctSteps));
  const steps = Array.from({ length: count }, (_, i) => first + ((last - first) * i) / (count - 1));
  const title = mermaidText(chart.title) || 'metric';
  const lines = [
    '```mermaid',
    'xychart-beta',
    `  title "${title}"`,
    `  x-axis "step" ${plainNumber(first)} --> ${plainNumber(last)}`,
    `  y-axis "${title}"`,
    ...sides.map(
      (side) => `  line "${side.label}" [${resampleHistory(side.points, steps).map(plainNumber).join(', ')}]`,
    ),
    '```',
  ];
  const caption = sides.map(
    (side, i) => `${['first', 'second'][i]} line: ${side.label} (steps ${stepRange(side.points)})`,
  );
  return `${lines.join('\n')}\n\n<sub>${caption.join(' · ')}</sub>`;
}

/** One metric across versions: a value per label, oldest first (the last one usually the change). */
export interface VersionChart {
  /** Chart title, usually the metric's name; made safe for mermaid here. */
  title: string;
  points: readonly { label: string; value: number }[];
}

/**
 * A mermaid `xychart-beta` line chart of a metric across versions, one category per version.
 * Returns undefined when fewer than two points are finite.
 */
export function renderVersionChart(chart: VersionChart): string | undefined {
  const points = chart.points.filter((point) => Number.isFinite(point.value));
  if (points.length < 2) return undefined;
  const title = mermaidText(chart.title) || 'metric';
  const labels = points.map((point) => `"${mermaidText(point.label, 30) || '?'}"`);
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${title}"`,
    `  x-axis [${labels.join(', ')}]`,
    `  y-axis "${title}"`,
    `  line [${points.map((point) => plainNumber(point.value)).join(', ')}]`,
    '```',
  ].join('\n');
}
