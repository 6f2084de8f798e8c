import { describe, expect, it } from 'vitest';
import { deploySummary } from '../src/summary.ts';

describe('deploySummary', () => {
  it('states the outcome and keeps user text inert', () => {
    const text = deploySummary({
      outcome: 'failed',
      name: 'iris',
      version: '1.1.0',
      source: 'alias staging',
      environment: 'prod | <b>@team</b>',
      sha: 'a'.repeat(40),
      targets: ['alias production', 'files at s3://b/p'],
      previousVersion: undefined,
      reason: 'The smoke test exited with code 3. <img src=x> @everyone',
    });
    expect(text).toContain('### Deploy failed: iris 1.1.0 to prod &#124; &lt;b&gt;@\u200dteam&lt;/b&gt;');
    expect(text).toContain('| Before | nothing recorded |');
    expect(text).not.toContain('<img');
    expect(text).not.toMatch(/@everyone/);
    expect(text).toContain('**Why:** The smoke test exited with code 3.');
  });

  it('says when a rerun changed nothing', () => {
    const text = deploySummary({
      outcome: 'already-deployed',
      name: 'iris',
      version: '1.1.0',
      source: 'version 1.1.0',
      environment: 'production',
      sha: 'a'.repeat(40),
      targets: ['alias production'],
      previousVersion: '1.0.0',
    });
    expect(text).toContain('### Already deployed iris 1.1.0 to production');
    expect(text).toContain('nothing was changed');
    expect(text).toContain('| Before | 1.0.0 |');
  });
});
