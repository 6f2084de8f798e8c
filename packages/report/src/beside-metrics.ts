/**
 * What the report shows beside the metrics: the parameters of both sides and the curves, each side's
 * files read from where the metrics baseline comes from (a `git:` ref, or a store version's record).
 */
import { basename, resolve } from 'node:path';
import {
  type Curve,
  diffParams,
  flattenParams,
  metricsAtRef,
  type ParamChange,
  readCurves,
  readParamsFile,
} from '@mlactions/core';
import type { CurveChart } from '@mlactions/render';

/** The `git:<ref>` a side names, if it names one. */
export function gitRef(paths: readonly string[] | string | undefined): string | undefined {
  const list = typeof paths === 'string' ? [paths] : (paths ?? []);
  const [first] = list;
  return list.length === 1 && first?.startsWith('git:') ? first.slice(4) : undefined;
}

/** A file as committed at `ref` (a temporary copy), or undefined when the commit does not have it. */
async function fileAtRef(ref: string, path: string, cwd: string): Promise<string | undefined> {
  const copies = await metricsAtRef(ref, [path], cwd);
  return copies?.[0];
}

export interface ParamSources {
  cwd: string;
  /** The head's parameter file. */
  head: string;
  /** The base's parameter file or `git:<ref>` (the head's path at that commit). */
  base?: string;
  /** The metrics baseline: `git:<ref>` gives the head's path at that commit too. */
  metricsBase: readonly string[];
  /** The parameters a store version was published with. */
  recorded?: Record<string, unknown>;
}

/** Both sides' parameters, compared; a side with none (a first run) lists as missing. */
export async function paramChanges(sources: ParamSources): Promise<ParamChange[]> {
  const { cwd, head } = sources;
  const resolved = (path: string) => resolve(cwd, path);
  const headParams = flattenParams(await readParamsFile(resolved(head)), head);
  const ref = gitRef(sources.base) ?? (sources.base === undefined ? gitRef(sources.metricsBase) : undefined);
  let base = new Map<string, string>();
  if (ref !== undefined) {
    const copy = await fileAtRef(ref, head, cwd);
    if (copy) base = flattenParams(await readParamsFile(copy), head);
  } else if (sources.base !== undefined) {
    base = flattenParams(await readParamsFile(resolved(sources.base)), sources.base);
  } else if (sources.recorded) {
    base = flattenParams(sources.recorded, 'the baseline version');
  }
  return diffParams(base, headParams);
}

/**
 * The head's curves as charts, each with the base's curve of the same title where the metrics
 * baseline is a `git:` ref whose commit has the file (a plot file, not a dvc.yaml).
 */
export async function curveCharts(
  plots: readonly string[],
  metricsBase: readonly string[],
  cwd: string,
): Promise<CurveChart[]> {
  const ref = gitRef(metricsBase);
  const charts = await Promise.all(
    plots.map(async (plot) => {
      const head = await readCurves(resolve(cwd, plot), plot);
      // A dvc.yaml names other files: only plain plot files are read at the ref.
      const atRef = ref !== undefined && basename(plot) !== 'dvc.yaml';
      const copy = atRef ? await fileAtRef(ref, plot, cwd) : undefined;
      const base: Curve[] = copy ? await readCurves(copy, plot) : [];
      return head.map((curve) => {
        const before = base.find((b) => b.title === curve.title);
        return {
          title: curve.title,
          xLabel: curve.xLabel,
          yLabel: curve.yLabel,
          head: curve.points,
          ...(before ? { base: before.points } : {}),
        };
      });
    }),
  );
  return charts.flat();
}
