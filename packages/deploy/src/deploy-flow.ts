import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { commandEnv, isUserError, UserError } from '@mlactions/core';
import {
  createDeployment,
  type DeploymentTarget,
  deactivateEarlier,
  findActiveDeployment,
  findDeployment,
  type GitHubClient,
  setDeploymentStatus,
} from '@mlactions/github';
import type { ArtifactStore, Manifest, Promotion, Provenance, S3Options } from '@mlactions/store';
import { type AliasPlan, applyAlias, planAlias, restoreAlias } from './alias-target.ts';
import { type CommandRunner, describeEnd } from './run-command.ts';
import {
  LOCATION_MANIFEST,
  mirror,
  openServingLocation,
  type PlacedFile,
  type ServingLocation,
  snapshot,
} from './serving-location.ts';
import { deploySummary } from './summary.ts';
import { describeSource, payloadVersion, resolveManifest, type VersionSource } from './version-source.ts';

export interface DeployInputs {
  name: string;
  source: VersionSource;
  environment: string;
  /** The commit being deployed: the deployment's ref. */
  sha: string;
  /** Rollout target: the store alias to point at the version (compare-and-swap). */
  alias?: string;
  /** Rollout target: a folder or s3://<bucket>/<prefix> made to hold the version's files. */
  copyTo?: string;
  /** Rollout target: a bash command run with the model's path and manifest in MLACTIONS_* variables. */
  command?: string;
  /** Runs after the rollout; when it fails, every target is restored and the deployment fails. */
  smokeTest?: string;
  environmentUrl?: string;
  /** Commit statuses or check runs that must be green on the commit (GitHub checks them). */
  requiredContexts: string[];
  /** Fresh folder for the fetched model, its manifest and what is kept to restore. */
  workDir: string;
  /** Where commands run and a relative `copyTo` is resolved. */
  cwd: string;
  s3?: S3Options;
}

export interface DeployDeps {
  /**
   * Where the deploy is recorded as a GitHub deployment of the environment; without it (a deploy
   * from the CLI without --github) nothing is recorded and only an alias knows the earlier version.
   */
  github?: { client: GitHubClient; repo: { owner: string; repo: string } };
  store: ArtifactStore;
  /**
   * The workflow run: its id keys reruns (see DeploymentTarget.runId), its URL is the log URL and
   * recognises an alias move of an earlier attempt. A local deploy has an id of its own and no URL.
   */
  run: { id: number; url?: string };
  /** Recorded with the alias move. */
  provenance: Provenance;
  runCommand: CommandRunner;
  /** The environment user commands start from (the action's inputs are removed from it). */
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /**
   * Tells others the alias moved (a `model-promoted` repository_dispatch), once the deploy succeeded:
   * a failed deploy puts the alias back, so it announces nothing.
   */
  announce?: (promotion: Promotion) => Promise<void>;
}

export type DeployOutcome = 'deployed' | 'already-deployed' | 'failed';

export interface DeployResult {
  outcome: DeployOutcome;
  version: string;
  /** What the environment ran before (the alias's version, else the live deployment's). */
  previousVersion: string | undefined;
  /** The GitHub deployment's id; absent when the deploy was not recorded on GitHub. */
  deploymentId?: number;
  /** The fetched model (absent when nothing was fetched: already deployed). */
  modelDir?: string;
  manifestPath?: string;
  /** Why the deployment failed, and what was restored. */
  reason?: string;
  /** Markdown for the job summary. */
  summary: string;
}

/** Everything read before the deployment is recorded; nothing has changed yet. */
interface Plan {
  version: string;
  manifest: Manifest;
  /** The GitHub deployment to record, when there is a repository to record it in. */
  target: DeploymentTarget | undefined;
  alias: AliasPlan | undefined;
  location: ServingLocation | undefined;
  previousVersion: string | undefined;
}

/** A rollout step that may have changed something, and how to put it back. */
interface Restore {
  what: string;
  run: () => Promise<void>;
}

/** How many files' digests go into the deployment payload (the manifest names them all). */
const PAYLOAD_FILES = 50;

/** The rollout targets, in words; deployRequestFrom makes sure there is one. */
function targetsGiven(inputs: DeployInputs): string[] {
  return [
    ...(inputs.alias ? [`alias ${inputs.alias}`] : []),
    ...(inputs.copyTo ? [`files at ${inputs.copyTo}`] : []),
    ...(inputs.command ? ['the rollout command'] : []),
  ];
}

async function plan(inputs: DeployInputs, deps: DeployDeps): Promise<Plan> {
  const manifest = await resolveManifest(deps.store, inputs.name, inputs.source);
  const version = manifest.version;
  const location = inputs.copyTo
    ? openServingLocation(inputs.copyTo, { cwd: inputs.cwd, ...(inputs.s3 ? { s3: inputs.s3 } : {}) })
    : undefined;
  if (location && manifest.files.some((f) => f.path === LOCATION_MANIFEST)) {
    throw new UserError(
      `${inputs.name} ${version} has a file named ${LOCATION_MANIFEST}, the name the serving location's manifest takes.`,
    );
  }
  const github = deps.github;
  const target: DeploymentTarget | undefined = github && {
    ...github.repo,
    environment: inputs.environment,
    model: inputs.name,
    sha: inputs.sha,
    version,
    runId: deps.run.id,
  };
  const alias = inputs.alias
    ? await planAlias(deps.store, inputs.name, inputs.alias, version, deps.run.url)
    : undefined;
  const previousVersion = alias
    ? alias.previous
    : github && target
      ? await findActiveDeployment(github.client, target).then((d) => {
          const previous = d && payloadVersion(d, inputs.environment);
          return previous !== version ? previous : undefined;
        })
      : undefined;
  return { version, manifest, target, alias, location, previousVersion };
}

/** The env of a rollout, smoke-test or restore command. */
function modelEnv(
  inputs: DeployInputs,
  deps: DeployDeps,
  model: { version: string; dir: string; manifestPath: string },
  previousVersion: string | undefined,
  restoring: boolean,
): Record<string, string> {
  return commandEnv(deps.env, {
    MLACTIONS_MODEL_NAME: inputs.name,
    MLACTIONS_MODEL_VERSION: model.version,
    MLACTIONS_MODEL_DIR: model.dir,
    MLACTIONS_MANIFEST: model.manifestPath,
    MLACTIONS_PREVIOUS_VERSION: previousVersion ?? '',
    MLACTIONS_ENVIRONMENT: inputs.environment,
    MLACTIONS_DEPLOY_SHA: inputs.sha,
    MLACTIONS_STORE: deps.store.uri,
    MLACTIONS_RESTORE: String(restoring),
  });
}

/** Fetches a version into `dir/model` with its manifest beside it. */
async function fetchModel(store: ArtifactStore, name: string, version: string, dir: string) {
  const modelDir = join(dir, 'model');
  const { manifest, written } = await store.fetch({ name, version, out: modelDir });
  const manifestPath = join(dir, 'manifest.json');
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const files: PlacedFile[] = manifest.files.map((f, i) => ({ path: f.path, file: written[i]! }));
  return { version, dir: modelDir, manifestPath, files };
}

async function runStep(
  deps: DeployDeps,
  what: string,
  command: string,
  env: Record<string, string>,
  cwd: string,
): Promise<void> {
  deps.log(`Running ${what}.`);
  const result = await deps.runCommand(command, env, cwd);
  if (result.exitCode !== 0) throw new UserError(`The ${what} ${describeEnd(result)}.`);
}

/** Undoes the steps taken, newest first; says what was restored and what could not be. */
async function restoreAll(restores: Restore[], deps: DeployDeps): Promise<string> {
  const done: string[] = [];
  const failed: string[] = [];
  for (const restore of [...restores].reverse()) {
    try {
      await restore.run();
      done.push(restore.what);
    } catch (error) {
      failed.push(`${restore.what}: ${(error as Error).message}`);
      deps.log(`Could not restore ${restore.what}: ${(error as Error).message}`);
    }
  }
  return [
    ...(done.length > 0 ? [`Restored ${done.join(', ')}.`] : []),
    ...(failed.length > 0 ? [`NOT restored: ${failed.join('; ')}.`] : []),
  ].join(' ');
}

/**
 * Deploys a model version to a GitHub environment: records a deployment (ref = the commit, payload =
 * model, version and digests), moves it to in_progress, rolls out to the targets (alias, then files,
 * then command), runs the smoke test, and ends in success, or, when any step fails, restores what
 * was changed and ends in failure with the reason. A rerun of the same run finds its deployment: a
 * successful one is left as it is, an unfinished or failed one is carried on, never duplicated.
 */
export async function runDeployFlow(inputs: DeployInputs, deps: DeployDeps): Promise<DeployResult> {
  const p = await plan(inputs, deps);
  const { version, target } = p;
  const summaryOf = (outcome: DeployOutcome, reason?: string) =>
    deploySummary({
      outcome,
      name: inputs.name,
      version,
      source: describeSource(inputs.source),
      environment: inputs.environment,
      sha: inputs.sha,
      targets: targetsGiven(inputs),
      previousVersion: p.previousVersion,
      ...(reason ? { reason } : {}),
    });

  const github = deps.github && target ? { ...deps.github, target } : undefined;
  const existing = github ? await findDeployment(github.client, github.target) : undefined;
  if (existing && (existing.state === 'success' || existing.state === 'inactive')) {
    deps.log(
      `This run already deployed ${inputs.name} ${version} to ${inputs.environment} (deployment ${existing.id}, now ${existing.state}); nothing changed.`,
    );
    if (p.alias && p.alias.current !== version) {
      deps.log(
        `Alias ${p.alias.alias} has moved on to ${p.alias.current ?? 'nothing'} since; it is left there.`,
      );
    }
    return {
      outcome: 'already-deployed',
      version,
      previousVersion: p.previousVersion,
      deploymentId: existing.id,
      summary: summaryOf('already-deployed'),
    };
  }

  const id = !github
    ? undefined
    : (existing?.id ??
      (await createDeployment(github.client, github.target, {
        description: `${inputs.name} ${version}`,
        requiredContexts: inputs.requiredContexts,
        payload: {
          store: deps.store.uri,
          sha256: Object.fromEntries(p.manifest.files.slice(0, PAYLOAD_FILES).map((f) => [f.path, f.sha256])),
          files: p.manifest.files.length,
          ...(p.previousVersion ? { previousVersion: p.previousVersion } : {}),
        },
      })));
  if (existing && id !== undefined)
    deps.log(`Carrying on deployment ${id}, which an earlier attempt left ${existing.state ?? 'new'}.`);
  const status = async (state: 'in_progress' | 'success' | 'failure', description: string) => {
    if (!github || id === undefined) return;
    await setDeploymentStatus(
      github.client,
      { ...github.repo, id },
      {
        state,
        description,
        ...(deps.run.url ? { logUrl: deps.run.url } : {}),
        ...(inputs.environmentUrl ? { environmentUrl: inputs.environmentUrl } : {}),
      },
    );
  };
  await status('in_progress', `Rolling out ${inputs.name} ${version}.`);

  const restores: Restore[] = [];
  let model: Awaited<ReturnType<typeof fetchModel>> | undefined;
  try {
    await rm(inputs.workDir, { recursive: true, force: true });
    await mkdir(inputs.workDir, { recursive: true });
    model = await fetchModel(deps.store, inputs.name, version, inputs.workDir);
    const env = modelEnv(inputs, deps, model, p.previousVersion, false);

    if (p.alias) {
      const alias = p.alias;
      if (await applyAlias(deps.store, alias, version, deps.provenance)) {
        restores.push({
          what: `alias ${alias.alias} to ${alias.previous ?? 'its earlier version'}`,
          run: () => restoreAlias(deps.store, alias, version, deps.provenance),
        });
      }
    }
    if (p.location) {
      const location = p.location;
      const kept = await snapshot(location, join(inputs.workDir, 'previous-files'));
      restores.push({ what: `the files at ${location.uri}`, run: () => mirror(location, kept) });
      deps.log(`Copying ${model.files.length} file(s) to ${location.uri}.`);
      await mirror(location, [...model.files, { path: LOCATION_MANIFEST, file: model.manifestPath }]);
    }
    if (inputs.command) {
      const command = inputs.command;
      restores.push({
        what: 'the rollout command',
        run: async () => {
          if (!p.previousVersion) throw new Error('there is no earlier version to run it with');
          const previous = await fetchModel(
            deps.store,
            inputs.name,
            p.previousVersion,
            join(inputs.workDir, 'previous'),
          );
          const restoreEnv = modelEnv(inputs, deps, previous, p.previousVersion, true);
          await runStep(deps, `rollout command for ${p.previousVersion}`, command, restoreEnv, inputs.cwd);
        },
      });
      await runStep(deps, 'rollout command', command, env, inputs.cwd);
    }
    if (inputs.smokeTest) await runStep(deps, 'smoke test', inputs.smokeTest, env, inputs.cwd);
  } catch (error) {
    if (!isUserError(error)) deps.log((error as Error).stack ?? String(error));
    const restored = await restoreAll(restores, deps);
    const reason = [(error as Error).message, restored].filter((s) => s !== '').join(' ');
    // The reason reaches the step's error even when GitHub cannot be told.
    await status('failure', reason).catch((e: Error) =>
      deps.log(`Could not mark deployment ${id} failed: ${e.message}`),
    );
    return {
      outcome: 'failed',
      version,
      previousVersion: p.previousVersion,
      ...(id !== undefined ? { deploymentId: id } : {}),
      ...(model ? { modelDir: model.dir, manifestPath: model.manifestPath } : {}),
      reason,
      summary: summaryOf('failed', reason),
    };
  }

  await status('success', `${inputs.name} ${version} is live.`);
  // The version is live whatever happens to the event, so a failure to send it is only logged.
  if (deps.announce && p.alias && (p.alias.current !== version || p.alias.movedByThisRun)) {
    await deps
      .announce({ name: inputs.name, version, alias: p.alias.alias, previous: p.alias.previous ?? null })
      .catch((e: Error) => deps.log(`Could not announce the promotion: ${e.message}`));
  }
  // The deploy is done; tidying the environment's history must not fail it.
  if (github && id !== undefined)
    await deactivateEarlier(github.client, github.target, id).then(
      (superseded) => {
        if (superseded.length > 0)
          deps.log(`Marked earlier deployment(s) ${superseded.join(', ')} inactive.`);
      },
      (e: Error) => deps.log(`Could not mark earlier deployments inactive: ${e.message}`),
    );
  return {
    outcome: 'deployed',
    version,
    previousVersion: p.previousVersion,
    ...(id !== undefined ? { deploymentId: id } : {}),
    modelDir: model.dir,
    manifestPath: model.manifestPath,
    summary: summaryOf('deployed'),
  };
}
