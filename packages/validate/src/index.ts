// Evaluating an ONNX model over a validation set, and the gate's rules.
export { classifierCurves, writeCurveFiles } from './evaluate/curves.ts';
export { DEFAULT_BATCH_SIZE, validate } from './evaluate/evaluate.ts';
export { flattenReport } from './evaluate/flatten.ts';
export type { ValidationReport } from './evaluate/report.ts';
export { openTable } from './evaluate/table.ts';
export { failureLines, gateJson, runGate } from './gate/gate.ts';
export { runGateFlow } from './gate/gate-flow.ts';
export { gateRequestFrom } from './gate/gate-settings.ts';
export { renderGate, renderValidation } from './gate/render.ts';
export { PREDICTIONS_TASKS, scorePredictions } from './predictions/predictions.ts';
export { evaluateRules, type RuleResult } from './rules/evaluate.ts';
export { scoreRequestFrom } from './score-settings.ts';
