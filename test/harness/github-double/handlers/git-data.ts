import { createHash } from 'node:crypto';
import { notFound, unprocessable } from '../errors.ts';
import { bodyOf, type HandlerContext, type HandlerTable, json, queryOf, repoOf } from '../handler.ts';
import type { RepoRecord } from '../records.ts';
import { repoApiUrl } from '../shapes.ts';

/** A tree as the double keeps it: every file's full path → its blob sha (folders are implied). */
type FlatTree = Map<string, string>;

interface GitObjects {
  blobs: Map<string, Buffer>;
  trees: Map<string, FlatTree>;
  commits: Map<string, { tree: string; parents: string[]; message: string; date: string }>;
}

/** Each repository's git objects, made on first use (the records know branches only by their head sha). */
const objectsOf = new WeakMap<RepoRecord, GitObjects>();
function gitOf(repo: RepoRecord): GitObjects {
  let found = objectsOf.get(repo);
  if (!found) {
    found = { blobs: new Map(), trees: new Map(), commits: new Map() };
    objectsOf.set(repo, found);
  }
  return found;
}

const sha1 = (kind: string, content: string | Buffer) =>
  createHash('sha1').update(kind).update('\0').update(content).digest('hex');

/** A flat tree's sha: its sorted entries hashed, so equal trees share a sha as in git. */
function storeTree(git: GitObjects, tree: FlatTree): string {
  const sorted = new Map([...tree].sort(([a], [b]) => a.localeCompare(b)));
  const sha = sha1('tree', JSON.stringify([...sorted]));
  git.trees.set(sha, sorted);
  return sha;
}

const api = (ctx: HandlerContext) => repoApiUrl(ctx.hosts, repoOf(ctx));

function commitJson(ctx: HandlerContext, sha: string) {
  const commit = gitOf(repoOf(ctx)).commits.get(sha);
  if (!commit) throw notFound(ctx.operation.docsUrl);
  const person = {
    name: 'github-actions[bot]',
    email: 'github-actions[bot]@users.noreply.github.com',
    date: commit.date,
  };
  const web = `${ctx.hosts.web}/${ctx.params.owner}/${ctx.params.repo}/commit`;
  return {
    sha,
    node_id: `C_${sha.slice(0, 12)}`,
    url: `${api(ctx)}/git/commits/${sha}`,
    html_url: `${web}/${sha}`,
    author: person,
    committer: person,
    tree: { sha: commit.tree, url: `${api(ctx)}/git/trees/${commit.tree}` },
    message: commit.message,
    parents: commit.parents.map((p) => ({
      sha: p,
      url: `${api(ctx)}/git/commits/${p}`,
      html_url: `${web}/${p}`,
    })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

function refJson(ctx: HandlerContext, branch: string, sha: string) {
  return {
    ref: `refs/heads/${branch}`,
    node_id: `REF_${branch}`,
    url: `${api(ctx)}/git/refs/heads/${branch}`,
    object: { type: 'commit', sha, url: `${api(ctx)}/git/commits/${sha}` },
  };
}

/** The branch a `heads/<name>` ref names (tags are not kept by the double). */
function branchOf(ctx: HandlerContext, ref: string): string {
  const match = /^(?:refs\/)?heads\/(.+)$/.exec(ref);
  if (!match) throw notFound(ctx.operation.docsUrl);
  return match[1]!;
}

function treeJson(ctx: HandlerContext, sha: string, tree: FlatTree, recursive: boolean) {
  const git = gitOf(repoOf(ctx));
  const entries: { path: string; mode: string; type: string; sha: string; size?: number; url: string }[] = [];
  const folders = new Map<string, FlatTree>();
  for (const [path, blob] of tree) {
    const slash = path.indexOf('/');
    if (slash >= 0 && !recursive) {
      const name = path.slice(0, slash);
      const inner = folders.get(name) ?? new Map();
      inner.set(path.slice(slash + 1), blob);
      folders.set(name, inner);
      continue;
    }
    entries.push({
      path,
      mode: '100644',
      type: 'blob',
      sha: blob,
      size: git.blobs.get(blob)?.length ?? 0,
      url: `${api(ctx)}/git/blobs/${blob}`,
    });
  }
  for (const [name, inner] of folders) {
    const innerSha = storeTree(git, inner);
    entries.push({
      path: name,
      mode: '040000',
      type: 'tree',
      sha: innerSha,
      url: `${api(ctx)}/git/trees/${innerSha}`,
    });
  }
  return { sha, url: `${api(ctx)}/git/trees/${sha}`, tree: entries, truncated: false };
}

/**
 * Git data: blobs, trees, commits and branch refs, as a job pushes files to a branch without a
 * checkout. Trees are kept flat (a path per file); `get-tree` lists the top level, or every file with
 * `recursive`; a tree entry with a null sha deletes that path from `base_tree`, as on GitHub.
 */
export const gitDataHandlers: HandlerTable = {
  'git/create-blob': (ctx) => {
    const body = bodyOf(ctx);
    const bytes = Buffer.from(String(body.content), body.encoding === 'base64' ? 'base64' : 'utf8');
    const sha = sha1('blob', bytes);
    gitOf(repoOf(ctx)).blobs.set(sha, bytes);
    return json(201, { sha, url: `${api(ctx)}/git/blobs/${sha}` });
  },

  'git/create-tree': (ctx) => {
    const git = gitOf(repoOf(ctx));
    const body = bodyOf(ctx);
    const base =
      body.base_tree === undefined ? new Map<string, string>() : git.trees.get(String(body.base_tree));
    if (!base) throw unprocessable(ctx.operation.docsUrl, 'base_tree is not a valid tree oid');
    const tree = new Map(base);
    for (const entry of body.tree as { path: string; sha?: string | null; content?: string }[]) {
      if (entry.sha === null) {
        for (const path of [...tree.keys()])
          if (path === entry.path || path.startsWith(`${entry.path}/`)) tree.delete(path);
        continue;
      }
      let blob = entry.sha;
      if (blob === undefined) {
        const bytes = Buffer.from(entry.content ?? '', 'utf8');
        blob = sha1('blob', bytes);
        git.blobs.set(blob, bytes);
      }
      if (!git.blobs.has(blob))
        throw unprocessable(ctx.operation.docsUrl, `tree.sha ${blob} is not a valid blob`);
      tree.set(entry.path, blob);
    }
    const sha = storeTree(git, tree);
    return json(201, treeJson(ctx, sha, tree, false));
  },

  'git/get-tree': (ctx) => {
    const tree = gitOf(repoOf(ctx)).trees.get(ctx.params.tree_sha!);
    if (!tree) throw notFound(ctx.operation.docsUrl);
    const recursive = queryOf(ctx, 'recursive') !== undefined;
    return json(200, treeJson(ctx, ctx.params.tree_sha!, tree, recursive));
  },

  'git/create-commit': (ctx) => {
    const git = gitOf(repoOf(ctx));
    const body = bodyOf(ctx);
    const tree = String(body.tree);
    if (!git.trees.has(tree)) throw unprocessable(ctx.operation.docsUrl, 'Tree SHA does not exist');
    const parents = (body.parents as string[] | undefined) ?? [];
    for (const parent of parents)
      if (!git.commits.has(parent)) throw unprocessable(ctx.operation.docsUrl, 'Parent SHA does not exist');
    const message = String(body.message);
    const date = ctx.store.now();
    const sha = sha1('commit', JSON.stringify({ tree, parents, message, date }));
    git.commits.set(sha, { tree, parents, message, date });
    return json(201, commitJson(ctx, sha));
  },

  'git/get-commit': (ctx) => json(200, commitJson(ctx, ctx.params.commit_sha!)),

  'git/get-ref': (ctx) => {
    const branch = branchOf(ctx, ctx.params.ref!);
    const sha = repoOf(ctx).branches.get(branch);
    if (sha === undefined) throw notFound(ctx.operation.docsUrl);
    return json(200, refJson(ctx, branch, sha));
  },

  'git/create-ref': (ctx) => {
    const repo = repoOf(ctx);
    const body = bodyOf(ctx);
    const branch = branchOf(ctx, String(body.ref).replace(/^refs\//, ''));
    if (repo.branches.has(branch)) throw unprocessable(ctx.operation.docsUrl, 'Reference already exists');
    if (!gitOf(repo).commits.has(String(body.sha)))
      throw unprocessable(ctx.operation.docsUrl, 'Object does not exist');
    repo.branches.set(branch, String(body.sha));
    return json(201, refJson(ctx, branch, String(body.sha)));
  },

  /** Moves a branch; without `force` only forward (the new commit must descend from the old head). */
  'git/update-ref': (ctx) => {
    const repo = repoOf(ctx);
    const git = gitOf(repo);
    const body = bodyOf(ctx);
    const branch = branchOf(ctx, ctx.params.ref!);
    const old = repo.branches.get(branch);
    if (old === undefined) throw unprocessable(ctx.operation.docsUrl, 'Reference does not exist');
    const sha = String(body.sha);
    if (!git.commits.has(sha)) throw unprocessable(ctx.operation.docsUrl, 'Object does not exist');
    const descends = (from: string): boolean =>
      from === old || (git.commits.get(from)?.parents.some(descends) ?? false);
    if (body.force !== true && !descends(sha))
      throw unprocessable(ctx.operation.docsUrl, 'Update is not a fast forward');
    repo.branches.set(branch, sha);
    return json(200, refJson(ctx, branch, sha));
  },
};

/** A branch's files as the double holds them (path → bytes), for tests; undefined for no such branch. */
export function branchFiles(repo: RepoRecord, branch: string): Map<string, Buffer> | undefined {
  const git = gitOf(repo);
  const head = repo.branches.get(branch);
  const commit = head === undefined ? undefined : git.commits.get(head);
  const tree = commit === undefined ? undefined : git.trees.get(commit.tree);
  if (!tree) return undefined;
  return new Map([...tree].map(([path, blob]) => [path, git.blobs.get(blob)!]));
}
