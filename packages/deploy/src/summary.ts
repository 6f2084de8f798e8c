import { escapeMarkdown } from '@mlactions/render';

export interface SummaryFacts {
  outcome: 'deployed' | 'already-deployed' | 'failed';
  name: string;
  version: string;
  /** How the version was chosen, e.g. `alias staging`. */
  source: string;
  environment: string;
  sha: string;
  targets: string[];
  previousVersion: string | undefined;
  reason?: string;
}

const HEADINGS = {
  deployed: 'Deployed',
  'already-deployed': 'Already deployed',
  failed: 'Deploy failed:',
} as const;

/** The job summary of a deploy; every value is escaped, since names and reasons come from users. */
export function deploySummary(facts: SummaryFacts): string {
  const e = (text: string) => escapeMarkdown(text, 300);
  const rows: [string, string][] = [
    ['Model', `${e(facts.name)} ${e(facts.version)} (${e(facts.source)})`],
    ['Environment', e(facts.environment)],
    ['Commit', facts.sha ? e(facts.sha) : 'none given'],
    ['Rolled out to', facts.targets.map(e).join(', ')],
    ['Before', facts.previousVersion ? e(facts.previousVersion) : 'nothing recorded'],
  ];
  const lines = [
    `### ${HEADINGS[facts.outcome]} ${e(facts.name)} ${e(facts.version)} to ${e(facts.environment)}`,
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
  ];
  if (facts.outcome === 'already-deployed') {
    lines.push('', 'An earlier attempt of this run deployed it; nothing was changed.');
  }
  if (facts.reason) lines.push('', `**Why:** ${escapeMarkdown(facts.reason, 2000)}`);
  return `${lines.join('\n')}\n`;
}
