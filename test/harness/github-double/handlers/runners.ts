import { ApiError, notFound } from '../errors.ts';
import { bodyOf, type HandlerContext, type HandlerTable, json, repoOf } from '../handler.ts';
import type { Store } from '../store.ts';

/** The runners a double has registered, by scope (`owner/repo` or `org`), kept beside its store. */
const registered = new WeakMap<Store, Map<string, string[]>>();

/**
 * Registers a just-in-time runner as GitHub does: a fresh runner, offline until it connects, whose
 * configuration comes back base64-encoded. A name already taken in the scope is a 409. The encoded
 * configuration here is a JSON `.runner` file naming what was asked, so tests can read it back.
 */
function generateJitConfig(ctx: HandlerContext, scope: string) {
  const body = bodyOf(ctx);
  const name = String(body.name);
  const labels = (body.labels as string[]).map(String);
  const runners = registered.get(ctx.store) ?? new Map<string, string[]>();
  registered.set(ctx.store, runners);
  const names = runners.get(scope) ?? [];
  if (names.includes(name)) {
    throw new ApiError(
      409,
      {
        message: `Already exists - A runner with the name ${name} already exists.`,
        documentation_url: ctx.operation.docsUrl,
        status: '409',
      },
      false,
    );
  }
  runners.set(scope, [...names, name]);
  const id = ctx.store.nextId();
  const runnerFile = {
    agentId: id,
    agentName: name,
    poolId: body.runner_group_id,
    serverUrl: `https://pipelines.actions.githubusercontent.com/${scope}`,
    gitHubUrl: `${ctx.hosts.web}/${scope}`,
    workFolder: body.work_folder ?? '_work',
    labels,
    ephemeral: true,
  };
  const files = { '.runner': Buffer.from(JSON.stringify(runnerFile)).toString('base64') };
  const readOnly = ['self-hosted', 'Linux', 'X64'].map((label, i) => ({
    id: i + 1,
    name: label,
    type: 'read-only',
  }));
  return json(201, {
    runner: {
      id,
      name,
      os: 'unknown',
      status: 'offline',
      busy: false,
      ephemeral: true,
      runner_group_id: body.runner_group_id,
      labels: [...readOnly, ...labels.map((label, i) => ({ id: 100 + i, name: label, type: 'custom' }))],
    },
    encoded_jit_config: Buffer.from(JSON.stringify(files)).toString('base64'),
  });
}

/** The payload of a GitHub App's JWT (RS256, `iss` the app id), or undefined when it is not one. */
function appJwtPayload(ctx: HandlerContext): { iss?: unknown; exp?: unknown } | undefined {
  const token = /^bearer\s+(\S+)$/i.exec(ctx.headers.authorization ?? '')?.[1] ?? '';
  const [header, payload] = token.split('.');
  if (!header || !payload || token.split('.').length !== 3) return undefined;
  try {
    const alg = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')).alg;
    return alg === 'RS256' ? JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) : undefined;
  } catch {
    return undefined;
  }
}

/** Self-hosted runners (just-in-time registration) and the App installation tokens that may ask for them. */
export const runnerHandlers: HandlerTable = {
  'actions/generate-runner-jitconfig-for-repo': (ctx) => {
    const repo = repoOf(ctx);
    return generateJitConfig(ctx, `${repo.owner.login}/${repo.name}`);
  },

  /** An organization the double knows: the owner of one of its repositories. */
  'actions/generate-runner-jitconfig-for-org': (ctx) => {
    const org = ctx.params.org!.toLowerCase();
    if (!ctx.store.allRepos().some((r) => r.owner.login.toLowerCase() === org))
      throw notFound(ctx.operation.docsUrl);
    return generateJitConfig(ctx, org);
  },

  /** Only an App's JWT gets an installation token; an expired one or a plain token is refused. */
  'apps/create-installation-access-token': (ctx) => {
    const payload = appJwtPayload(ctx);
    if (!payload || typeof payload.exp !== 'number' || payload.exp * 1000 < Date.now()) {
      throw new ApiError(
        401,
        {
          message: 'A JSON web token could not be decoded',
          documentation_url: ctx.operation.docsUrl,
          status: '401',
        },
        true,
      );
    }
    const expires = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return json(201, {
      token: `ghs_installation${ctx.params.installation_id}${String(payload.iss)}`,
      expires_at: expires,
      permissions: { administration: 'write', organization_self_hosted_runners: 'write' },
      repository_selection: 'all',
    });
  },
};
