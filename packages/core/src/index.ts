export {
  chiSquareSf,
  logBeta,
  logGamma,
  normalCdf,
  normalSf,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
  studentTCdf,
  studentTSf,
} from './stats/distributions.ts';
export { isUserError, UserError } from './user-error.ts';
