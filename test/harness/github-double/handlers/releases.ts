import { notFound, validationFailed } from '../errors.ts';
import {
  bodyOf,
  byIdParam,
  checkLength,
  type HandlerContext,
  type HandlerTable,
  intParam,
  json,
  newestFirst,
  pageReply,
  queryOf,
  repoOf,
} from '../handler.ts';
import type { AssetRecord, ReleaseRecord, RepoRecord } from '../records.ts';
import { asset, release } from '../shapes.ts';

/** GitHub's limit on a release body. */
const MAX_RELEASE_BODY = 125000;

const findRelease = (ctx: HandlerContext, repo: RepoRecord): ReleaseRecord =>
  byIdParam(ctx, repo.releases, 'release_id');

function findAsset(ctx: HandlerContext, repo: RepoRecord): { release: ReleaseRecord; asset: AssetRecord } {
  const id = intParam(ctx, 'asset_id');
  for (const r of repo.releases) {
    const found = r.assets.find((a) => a.id === id);
    if (found) return { release: r, asset: found };
  }
  throw notFound(ctx.operation.docsUrl);
}

/** A published release already owns the tag (drafts do not create tags, so they may share one). */
function checkTagFree(ctx: HandlerContext, repo: RepoRecord, tag: string, self?: ReleaseRecord): void {
  if (repo.releases.some((r) => r !== self && !r.draft && r.tagName === tag)) {
    throw validationFailed(ctx.operation.docsUrl, [
      { resource: 'Release', code: 'already_exists', field: 'tag_name' },
    ]);
  }
}

/**
 * The name GitHub stores for an uploaded file: characters other than letters, digits, `.`, `-`, `_`
 * and `+` become `.`, and leading or trailing periods go ("default.txt" is what an empty name gets).
 */
export function assetFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._+-]/g, '.').replace(/^\.+|\.+$/g, '');
  return cleaned === '' ? 'default.txt' : cleaned;
}

/** Releases and release assets; uploads arrive on the uploads host. */
export const releaseHandlers: HandlerTable = {
  'repos/create-release': (ctx) => {
    const repo = repoOf(ctx);
    const body = bodyOf(ctx);
    const tag = String(body.tag_name);
    const draft = body.draft === true;
    checkLength(ctx, 'Release', 'body', body.body, MAX_RELEASE_BODY);
    if (!draft) checkTagFree(ctx, repo, tag);
    const now = ctx.store.now();
    const created: ReleaseRecord = {
      id: ctx.store.nextId(),
      tagName: tag,
      targetCommitish: (body.target_commitish as string | undefined) ?? repo.defaultBranch,
      name: (body.name as string | undefined) ?? null,
      body: (body.body as string | undefined) ?? null,
      draft,
      prerelease: body.prerelease === true,
      author: ctx.store.actor,
      createdAt: now,
      updatedAt: now,
      publishedAt: draft ? null : now,
      assets: [],
    };
    repo.releases.push(created);
    const rendered = release(ctx.hosts, repo, created);
    return json(201, rendered, { location: String(rendered.url) });
  },

  'repos/get-release': (ctx) => {
    const repo = repoOf(ctx);
    return json(200, release(ctx.hosts, repo, findRelease(ctx, repo)));
  },

  /** Drafts have no tag yet, so they are not found by one. */
  'repos/get-release-by-tag': (ctx) => {
    const repo = repoOf(ctx);
    const found = repo.releases.find((r) => !r.draft && r.tagName === ctx.params.tag);
    if (!found) throw notFound(ctx.operation.docsUrl);
    return json(200, release(ctx.hosts, repo, found));
  },

  'repos/get-latest-release': (ctx) => {
    const repo = repoOf(ctx);
    const found = newestFirst(repo.releases).find((r) => !r.draft && !r.prerelease);
    if (!found) throw notFound(ctx.operation.docsUrl);
    return json(200, release(ctx.hosts, repo, found));
  },

  'repos/list-releases': (ctx) => {
    const repo = repoOf(ctx);
    return pageReply(ctx, newestFirst(repo.releases), (r) => release(ctx.hosts, repo, r));
  },

  'repos/update-release': (ctx) => {
    const repo = repoOf(ctx);
    const r = findRelease(ctx, repo);
    const body = bodyOf(ctx);
    checkLength(ctx, 'Release', 'body', body.body, MAX_RELEASE_BODY);
    const tag = (body.tag_name as string | undefined) ?? r.tagName;
    const draft = (body.draft as boolean | undefined) ?? r.draft;
    if (!draft) checkTagFree(ctx, repo, tag, r);
    r.tagName = tag;
    if (body.target_commitish !== undefined) r.targetCommitish = String(body.target_commitish);
    if (body.name !== undefined) r.name = String(body.name);
    if (body.body !== undefined) r.body = String(body.body);
    if (body.prerelease !== undefined) r.prerelease = body.prerelease === true;
    r.updatedAt = ctx.store.now();
    if (r.draft && !draft) r.publishedAt = r.updatedAt;
    r.draft = draft;
    return json(200, release(ctx.hosts, repo, r));
  },

  'repos/delete-release': (ctx) => {
    const repo = repoOf(ctx);
    repo.releases.splice(repo.releases.indexOf(findRelease(ctx, repo)), 1);
    return json(204);
  },

  'repos/list-release-assets': (ctx) => {
    const repo = repoOf(ctx);
    const r = findRelease(ctx, repo);
    return pageReply(ctx, r.assets, (a) => asset(ctx.hosts, repo, r, a));
  },

  'repos/upload-release-asset': (ctx) => {
    const repo = repoOf(ctx);
    const r = findRelease(ctx, repo);
    const name = assetFileName(queryOf(ctx, 'name') ?? '');
    if (r.assets.some((a) => a.name === name)) {
      throw validationFailed(ctx.operation.docsUrl, [
        { resource: 'ReleaseAsset', code: 'already_exists', field: 'name' },
      ]);
    }
    const now = ctx.store.now();
    const created: AssetRecord = {
      id: ctx.store.nextId(),
      releaseId: r.id,
      name,
      label: queryOf(ctx, 'label') ?? null,
      contentType: ctx.headers['content-type'] ?? 'application/octet-stream',
      data: Buffer.from(ctx.rawBody),
      uploader: ctx.store.actor,
      downloadCount: 0,
      createdAt: now,
      updatedAt: now,
    };
    r.assets.push(created);
    return json(201, asset(ctx.hosts, repo, r, created));
  },

  /**
   * With `Accept: application/octet-stream` the asset's bytes (GitHub redirects to a storage URL
   * instead; clients that follow redirects see the same bytes), otherwise its JSON.
   */
  'repos/get-release-asset': (ctx) => {
    const repo = repoOf(ctx);
    const found = findAsset(ctx, repo);
    if (!/application\/octet-stream/i.test(ctx.headers.accept ?? '')) {
      return json(200, asset(ctx.hosts, repo, found.release, found.asset));
    }
    found.asset.downloadCount += 1;
    return {
      status: 200,
      body: found.asset.data,
      headers: {
        'content-type': found.asset.contentType,
        'content-disposition': `attachment; filename=${encodeURIComponent(found.asset.name)}`,
      },
    };
  },

  'repos/update-release-asset': (ctx) => {
    const repo = repoOf(ctx);
    const found = findAsset(ctx, repo);
    const body = bodyOf(ctx);
    if (body.name !== undefined) found.asset.name = assetFileName(String(body.name));
    if (body.label !== undefined) found.asset.label = String(body.label);
    found.asset.updatedAt = ctx.store.now();
    return json(200, asset(ctx.hosts, repo, found.release, found.asset));
  },

  'repos/delete-release-asset': (ctx) => {
    const repo = repoOf(ctx);
    const found = findAsset(ctx, repo);
    found.release.assets.splice(found.release.assets.indexOf(found.asset), 1);
    return json(204);
  },
};
