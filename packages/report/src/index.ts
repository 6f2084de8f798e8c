// The report verb: compare a candidate's metrics with a baseline, and deliver the report where its readers look.
export { buildReport } from './build-report.ts';
export type { WithoutPullRequest } from './delivery.ts';
export { runReportFlow, type TriggeringRun } from './report-flow.ts';
export { reportRequestFrom } from './report-settings.ts';
