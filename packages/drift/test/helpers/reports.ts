import type { DriftReport, FeatureDrift } from '../../src/compare.ts';

export const side = { rows: 100, count: 100, missing: 0, missingShare: 0, invalid: 0 };

/** A tested numeric column (ks), drifted or not, over the given fields. */
export function feature(fields: Partial<FeatureDrift>): FeatureDrift {
  return {
    name: 'x',
    type: 'numeric',
    stattest: 'ks',
    statistic: 0.1,
    pValue: 0.5,
    threshold: 0.05,
    drifted: false,
    state: 'tested',
    reason: 'ks p-value 0.500 >= 0.05',
    reference: side,
    current: side,
    chart: { kind: 'histogram', edges: [0, 1, 2], reference: [0.5, 0.5], current: [0.2, 0.8] },
    ...fields,
  };
}

/** A report over the features, its counts and decision worked out as compareProfiles does. */
export function report(features: FeatureDrift[], fields: Partial<DriftReport> = {}): DriftReport {
  const tested = features.filter((f) => f.state === 'tested');
  const drifted = tested.filter((f) => f.drifted).length;
  const keyFeatures = fields.keyFeatures ?? [];
  const driftedKeyFeatures = features
    .filter((f) => f.drifted && keyFeatures.includes(f.name))
    .map((f) => f.name);
  const driftShare = tested.length > 0 ? drifted / tested.length : 0;
  return {
    drifted: (tested.length > 0 && driftShare >= 0.5) || driftedKeyFeatures.length > 0,
    driftShare,
    features,
    shareThreshold: 0.5,
    testedCount: tested.length,
    driftedCount: drifted,
    keyFeatures,
    driftedKeyFeatures,
    correction: 'none',
    reference: { rows: 100, sources: ['data/train.csv'] },
    current: { rows: 100, sources: ['data/live-1.csv', 'data/live-2.csv'] },
    columnsOnlyInReference: features.filter((f) => f.state === 'absent').map((f) => f.name),
    columnsOnlyInCurrent: [],
    ...fields,
  };
}
