import type { Provenance } from './manifest.ts';

/**
 * Provenance from a GitHub Actions job's environment (GITHUB_SHA, GITHUB_REF, GITHUB_SERVER_URL,
 * GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_ACTOR); fields whose variables are unset are left out,
 * so outside Actions it is empty.
 */
export function provenanceFromEnv(env: Record<string, string | undefined>): Provenance {
  const provenance: Provenance = {};
  if (env.GITHUB_SHA) provenance.gitSha = env.GITHUB_SHA;
  if (env.GITHUB_REF) provenance.gitRef = env.GITHUB_REF;
  if (env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
    provenance.runUrl = `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
  }
  if (env.GITHUB_ACTOR) provenance.actor = env.GITHUB_ACTOR;
  return provenance;
}
