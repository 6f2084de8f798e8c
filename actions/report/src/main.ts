import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { context } from '@actions/github';
import {
  appendSummary,
  booleanInput,
  checkLogin,
  choiceInput,
  commentOnCommit,
  createClient,
  eventInfo,
  gitHubFileLink,
  gitHubObjects,
  linesInput,
  numberInput,
  onlyWith,
  pullRequestHead,
  requiredInput,
  runMain,
  storeAccessInputs,
  stringInput,
  tokenIdentity,
  upsertStickyComment,
} from '@mlactions/github';
import {
  checkAssets,
  DEFAULT_ASSET_LIMITS,
  DEFAULT_ASSETS_BRANCH,
  DEFAULT_ASSETS_KEEP,
  pushAssets,
  reportRequestFrom,
  runReportFlow,
  type TriggeringRun,
  type WithoutPullRequest,
} from '@mlactions/report';
import { openStoreWithAccess } from '@mlactions/store';

/** The run a workflow_run reporter follows, from GitHub's payload (never from the run's artifact). */
function triggeringRun(): TriggeringRun | undefined {
  const run = context.payload.workflow_run;
  if (!run) return undefined;
  return {
    headSha: run.head_sha,
    headRepository: run.head_repository?.full_name,
    headBranch: run.head_branch,
  };
}

await runMain(async ({ workspace }) => {
  const key = stringInput('key') ?? 'metrics';
  // Every input is read before any work, so a bad one fails the step with nothing posted.
  const failOnRegression = booleanInput('fail-on-regression', false);
  const author = stringInput('comment-author');
  const commentAuthor = author === undefined ? undefined : checkLogin(author);
  const pairByName = booleanInput('pair-by-name', false);
  const client = createClient({ token: requiredInput('token'), log: core.info });
  onlyWith('base-store', ['endpoint']);
  const request = await reportRequestFrom(
    {
      head: linesInput('head'),
      base: linesInput('base'),
      pairByName,
      baseStore: stringInput('base-store'),
      baseModel: stringInput('base-model'),
      baseVersion: stringInput('base-version'),
      baseHistory: numberInput('base-history'),
      params: stringInput('params'),
      baseParams: stringInput('base-params'),
      plots: linesInput('plots'),
      rules: stringInput('rules'),
      absolute: numberInput('absolute-tolerance'),
      relative: numberInput('relative-tolerance'),
      alpha: numberInput('alpha'),
      title: stringInput('title') ?? 'Metrics report',
    },
    {
      cwd: workspace,
      // Read with the comment's client, so its requests are paced as one.
      openStore: (uri) => openStoreWithAccess(uri, storeAccessInputs('read', client), { cwd: workspace }),
    },
  );
  const pullRequestFile = stringInput('pull-request-file');
  const images = linesInput('images');
  const imagesBranch = stringInput('images-branch') ?? DEFAULT_ASSETS_BRANCH;
  const imagesKeep = numberInput('images-keep') ?? DEFAULT_ASSETS_KEEP;
  const imageLimits = {
    ...DEFAULT_ASSET_LIMITS,
    maxFileBytes: numberInput('images-max-bytes') ?? DEFAULT_ASSET_LIMITS.maxFileBytes,
  };
  const run = triggeringRun();
  const event = eventInfo();
  const repository = { owner: event.owner, repo: event.repo };
  const result = await runReportFlow(
    {
      ...request,
      key,
      withoutPullRequest: choiceInput<WithoutPullRequest>(
        'without-pull-request',
        ['summary', 'commit-comment'],
        'summary',
      ),
      outputDir: resolve(
        workspace,
        stringInput('output-dir') ?? join(process.env.RUNNER_TEMP ?? '.', `mlactions-report-${key}`),
      ),
      ...(pullRequestFile ? { pullRequestFile, ...(run ? { triggeringRun: run } : {}) } : {}),
      imageFiles: images,
    },
    {
      event,
      writeSummary: appendSummary,
      pullRequestHead: (number) => pullRequestHead(client, { ...repository, number }),
      stickyComment: async (issueNumber, key, body) =>
        upsertStickyComment(
          client,
          { ...repository, issueNumber, key, author: await tokenIdentity(client, commentAuthor) },
          body,
        ),
      commitComment: (sha, body) => commentOnCommit(client, { ...repository, sha }, body),
      pushImages: {
        check: (files) => checkAssets(files, imageLimits),
        push: async (pullRequest, files) => {
          const target = {
            branch: imagesBranch,
            pullRequest,
            keep: imagesKeep,
            link: gitHubFileLink(process.env.GITHUB_SERVER_URL ?? 'https://github.com', repository),
            limits: imageLimits,
          };
          return (await pushAssets(gitHubObjects(client, repository), target, files)).images;
        },
      },
    },
  );

  if (result.noBaseline)
    core.notice(`No baseline: ${result.noBaseline}. This report lists the metrics as they are.`);
  if (result.delivery.reason) core.info(`Report left in the job summary: ${result.delivery.reason}.`);
  if (result.delivery.url) core.info(`Report ${result.delivery.action ?? 'posted'}: ${result.delivery.url}`);
  core.setOutput('report', result.reportPath);
  core.setOutput('markdown', result.markdownPath);
  core.setOutput('improved', result.improved);
  core.setOutput('regressed-count', result.regressed);
  core.setOutput('regressed', result.regressed > 0);
  if (result.delivery.url) core.setOutput('comment-url', result.delivery.url);
  if (result.artifactDir) core.setOutput('artifact-dir', result.artifactDir);
  if (result.regressed > 0 && failOnRegression) {
    core.setFailed(`${result.regressed} metric(s) regressed; see the report.`);
  }
});
