/**
 * A stored profile is data others may have written: before anything computes with it, every field
 * the comparison reads is checked for its type and range, so a damaged file ends in one message naming
 * the field rather than in NaN, a wrong answer or a loop that never ends.
 */
import { UserError } from '@mlactions/core';
import { COLUMN_TYPES } from '@mlactions/data';
import type { DatasetProfile } from './profile.ts';

type Json = Record<string, unknown>;

const KINDS = ['numeric', 'categorical', 'boolean', 'counts'];

/** Checks one stored profile's fields (see the module notes); `name` is the file, for messages. */
export function checkProfileFields(profile: Json, name: string): DatasetProfile {
  const fail = (where: string, value: unknown, expected: string): never => {
    const shown = JSON.stringify(value) ?? String(value);
    throw new UserError(
      `${name}: ${where} is ${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}, not ${expected}; the profile is damaged, profile the reference again`,
    );
  };
  const count = (at: Json, key: string, where: string): number => {
    const value = at[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      fail(`${where}${key}`, value, 'a count');
    return value as number;
  };
  const positiveInteger = (at: Json, key: string, where: string): void => {
    const value = at[key];
    if (!Number.isInteger(value) || (value as number) < 1)
      fail(`${where}${key}`, value, 'a positive integer');
  };
  const numbers = (value: unknown, where: string, sorted: boolean): void => {
    if (!Array.isArray(value)) fail(where, value, 'a list of numbers');
    (value as unknown[]).forEach((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${where}[${i}]`, x, 'a number');
      if (sorted && i > 0 && (x as number) < ((value as number[])[i - 1] as number))
        fail(`${where}[${i}]`, x, `a number in ascending order`);
    });
  };
  const strings = (value: unknown, where: string): void => {
    if (!Array.isArray(value) || value.some((x) => typeof x !== 'string'))
      fail(where, value, 'a list of texts');
  };
  const object = (value: unknown, where: string): Json => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(where, value, 'an object');
    return value as Json;
  };

  count(profile, 'rows', '');
  strings(profile.sources, 'sources');
  strings(profile.absentColumns, 'absentColumns');
  strings(profile.extraColumns, 'extraColumns');
  const settings = object(profile.settings, 'settings');
  for (const key of ['exactLimit', 'maxCategories', 'sketchK', 'bins', 'inferenceRows'])
    positiveInteger(settings, key, 'settings.');
  if (!Array.isArray(profile.columns)) fail('columns', profile.columns, 'a list of columns');
  for (const [i, item] of (profile.columns as unknown[]).entries()) {
    const column = object(item, `columns[${i}]`);
    if (typeof column.name !== 'string') fail(`columns[${i}].name`, column.name, 'a text');
    const where = `column ${JSON.stringify(column.name)}: `;
    if (!COLUMN_TYPES.includes(column.type as never))
      fail(`${where}type`, column.type, COLUMN_TYPES.join(', '));
    if (!KINDS.includes(column.kind as string)) fail(`${where}kind`, column.kind, KINDS.join(', '));
    if (typeof column.included !== 'boolean') fail(`${where}included`, column.included, 'true or false');
    for (const key of ['count', 'missing', 'invalid']) count(column, key, where);
    strings(column.invalidExamples, `${where}invalidExamples`);
    if (column.kind === 'numeric') {
      for (const key of ['min', 'max', 'mean']) {
        const value = column[key];
        if (value !== null && (typeof value !== 'number' || !Number.isFinite(value)))
          fail(`${where}${key}`, value, 'a number or null');
      }
      count(column, 'm2', where);
      count(column, 'rankError', where);
      if (column.values !== null) numbers(column.values, `${where}values`, true);
      if (column.sketch !== null) {
        const sketch = object(column.sketch, `${where}sketch`);
        for (const key of ['k', 'n', 'errorRanges', 'sampleLevel', 'seed'])
          count(sketch, key, `${where}sketch.`);
        positiveInteger(sketch, 'k', `${where}sketch.`);
        if (!Array.isArray(sketch.levels)) fail(`${where}sketch.levels`, sketch.levels, 'a list of levels');
        for (const [h, level] of (sketch.levels as unknown[]).entries())
          numbers(level, `${where}sketch.levels[${h}]`, false);
      }
      if (column.values === null && column.sketch === null)
        fail(`${where}values`, null, 'values or a sketch');
      const bins = object(column.bins, `${where}bins`);
      numbers(bins.cuts, `${where}bins.cuts`, true);
      numbers(bins.counts, `${where}bins.counts`, false);
      if ((bins.counts as number[]).length !== (bins.cuts as number[]).length + 1)
        fail(`${where}bins.counts`, bins.counts, 'one count more than there are cuts');
    } else if (column.kind === 'categorical') {
      if (!Array.isArray(column.categories)) fail(`${where}categories`, column.categories, 'a list');
      (column.categories as unknown[]).forEach((entry, j) => {
        const [value, n] = Array.isArray(entry) ? entry : [];
        if (typeof value !== 'string' || typeof n !== 'number' || !Number.isFinite(n) || n < 0)
          fail(`${where}categories[${j}]`, entry, '[text, count]');
      });
      count(column, 'other', where);
    } else if (column.kind === 'boolean') {
      count(column, 'trueCount', where);
      count(column, 'falseCount', where);
    }
  }
  return profile as unknown as DatasetProfile;
}
