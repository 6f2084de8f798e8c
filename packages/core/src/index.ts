export {
  chiSquareSf,
  logBeta,
  logGamma,
  normalCdf,
  normalQuantile,
  normalSf,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
  studentTCdf,
  studentTPdf,
  studentTQuantile,
  studentTSf,
} from './stats/distributions.ts';
export { type SampleSummary, summarizeSamples } from './stats/samples.ts';
export { oneSampleTTest, type TTestResult, welchTTest } from './stats/ttest.ts';
export { isUserError, UserError } from './user-error.ts';
