/**
 * The assets branch's git objects through GitHub's git data API (blobs, trees, commits, refs), with no
 * checkout: the GitHub side of @mlactions/report's GitObjects port, and the links GitHub serves them at.
 */
import { UserError } from '@mlactions/core';
import type { GitObjects, TreeFile } from '@mlactions/report';
import type { GitHubClient } from './client.ts';
import { withPermission } from './permission-error.ts';

const isStatus = (error: unknown, status: number) => (error as { status?: number })?.status === status;

/** The branch's head commit and its files, or undefined when the branch does not exist yet. */
async function readBranch(
  client: GitHubClient,
  { owner, repo }: { owner: string; repo: string },
  branch: string,
): Promise<{ head: string; files: TreeFile[] } | undefined> {
  let head: string;
  try {
    head = (await client.rest.git.getRef({ owner, repo, ref: `heads/${branch}` })).data.object.sha;
  } catch (error) {
    if (isStatus(error, 404)) return undefined;
    throw error;
  }
  const commit = await client.rest.git.getCommit({ owner, repo, commit_sha: head });
  const tree = await client.rest.git.getTree({
    owner,
    repo,
    tree_sha: commit.data.tree.sha,
    recursive: 'true',
  });
  if (tree.data.truncated)
    throw new UserError(
      `The branch ${branch} holds too many files to list; lower \`images-keep\` or delete it.`,
    );
  const files = tree.data.tree.flatMap((e) =>
    e.type === 'blob' && e.path !== undefined && e.sha !== undefined ? [{ path: e.path, sha: e.sha }] : [],
  );
  return { head, files };
}

/** The git objects of one repository, each call a GitHub request; a missing permission is named. */
export function gitHubObjects(client: GitHubClient, repository: { owner: string; repo: string }): GitObjects {
  const { owner, repo } = repository;
  const write = <T>(call: () => Promise<T>) =>
    withPermission(`write images to ${owner}/${repo}`, 'contents: write', call);
  return {
    readBranch: (branch) => write(() => readBranch(client, repository, branch)),

    writeBlob: (bytes) =>
      write(async () => {
        const content = Buffer.from(bytes).toString('base64');
        return (await client.rest.git.createBlob({ owner, repo, content, encoding: 'base64' })).data.sha;
      }),
    writeTree: (files) =>
      write(async () => {
        const tree = files.map(({ path, sha }) => ({
          path,
          sha,
          mode: '100644' as const,
          type: 'blob' as const,
        }));
        return (await client.rest.git.createTree({ owner, repo, tree })).data.sha;
      }),
    writeCommit: ({ message, tree, parents }) =>
      write(
        async () =>
          (await client.rest.git.createCommit({ owner, repo, message, tree, parents: [...parents] })).data
            .sha,
      ),
    moveBranch: (branch, to, from) =>
      write(async () => {
        try {
          if (from === undefined)
            await client.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: to });
          else
            await client.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha: to, force: false });
          return true;
        } catch (error) {
          // Made meanwhile, not a fast-forward any more, or deleted meanwhile: GitHub answers 422.
          if (isStatus(error, 422)) return false;
          throw error;
        }
      }),
  };
}

/**
 * Where GitHub serves a file of a commit: `<server>/<owner>/<repo>/blob/<commit>/<path>?raw=true`, to
 * whoever can read the repository (in a private repository, through a short-lived token it adds for a
 * signed-in reader). `serverUrl` is GITHUB_SERVER_URL: https://github.com, or a GHES host.
 */
export function gitHubFileLink(
  serverUrl: string,
  repository: { owner: string; repo: string },
): (commit: string, path: string) => string {
  const base = `${serverUrl.replace(/\/$/, '')}/${repository.owner}/${repository.repo}/blob`;
  return (commit, path) => `${base}/${commit}/${path}?raw=true`;
}
