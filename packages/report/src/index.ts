// The report verb: compare a candidate's metrics with a baseline, and deliver the report where its readers look.
export { type BuiltReport, buildReport, type ReportRequest } from './build-report.ts';
export type { Delivery, WithoutPullRequest } from './delivery.ts';
export {
  type ReportFlowDeps,
  type ReportFlowInputs,
  type ReportFlowResult,
  runReportFlow,
} from './report-flow.ts';
export { type ReportSettingsText, reportRequestFrom } from './report-settings.ts';
