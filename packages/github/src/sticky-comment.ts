import type { GitHubClient } from './client.ts';
import { hiddenMarker } from './marker.ts';
import { withPermission } from './permission-error.ts';
import { writtenBy } from './token-identity.ts';

export interface StickyTarget {
  owner: string;
  repo: string;
  /** The pull request (or issue) number the comment lives on. */
  issueNumber: number;
  /** Several workflows can each keep their own comment on one PR: one per key. */
  key: string;
  /** The login the token writes as (token-identity.ts): only its comments are matched. */
  author: string;
}

export interface StickyResult {
  id: number;
  url: string;
  action: 'created' | 'updated' | 'unchanged';
}

export function stickyMarker(key: string): string {
  return hiddenMarker('sticky', key);
}

/**
 * Creates the comment for this key, or updates it in place when the token's identity wrote one on any
 * page; a comment by anyone else is left alone, marker or not.
 */
export async function upsertStickyComment(
  client: GitHubClient,
  target: StickyTarget,
  body: string,
): Promise<StickyResult> {
  const marker = stickyMarker(target.key);
  const full = `${marker}\n${body}`;
  const { owner, repo, issueNumber } = target;
  const comments = await client.paginate(client.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const existing = comments.find((c) => writtenBy(c, target.author) && c.body?.startsWith(marker));
  if (existing) {
    if (existing.body === full) return { id: existing.id, url: existing.html_url, action: 'unchanged' };
    const { data } = await withPermission('update the pull-request comment', 'pull-requests: write', () =>
      client.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body: full }),
    );
    return { id: data.id, url: data.html_url, action: 'updated' };
  }
  const { data } = await withPermission('comment on the pull request', 'pull-requests: write', () =>
    client.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body: full }),
  );
  return { id: data.id, url: data.html_url, action: 'created' };
}
