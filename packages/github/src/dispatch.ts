import { UserError } from '@mlactions/core';
import type { GitHubClient } from './client.ts';
import { withPermission } from './permission-error.ts';

/**
 * Starts a workflow by `workflow_dispatch` (file name or id). Unlike most events raised with the
 * job's GITHUB_TOKEN, dispatches do start workflows, which is what lets drift trigger retraining.
 */
export async function dispatchWorkflow(
  client: GitHubClient,
  target: { owner: string; repo: string; workflow: string; ref: string; inputs: Record<string, string> },
): Promise<void> {
  await withPermission(`dispatch the workflow ${target.workflow}`, 'actions: write', () =>
    client.rest.actions.createWorkflowDispatch({
      owner: target.owner,
      repo: target.repo,
      workflow_id: target.workflow,
      ref: target.ref,
      inputs: target.inputs,
    }),
  ).catch((error: { status?: number; message?: string }) => {
    // 422: no such ref, no workflow_dispatch trigger, or inputs the workflow does not declare.
    if (error?.status !== 422) throw error;
    throw new UserError(
      `GitHub refused to start ${target.workflow} on ${target.ref} (${error.message}). The workflow must exist on ` +
        `that ref with \`on: workflow_dispatch\` declaring the inputs ${Object.keys(target.inputs).join(', ')}.`,
    );
  });
}

/** Sends a `repository_dispatch` event, for workflows listening on `on: repository_dispatch`. */
export async function dispatchRepository(
  client: GitHubClient,
  target: { owner: string; repo: string; eventType: string; payload: Record<string, unknown> },
): Promise<void> {
  await withPermission('send a repository_dispatch event', 'contents: write', () =>
    client.rest.repos.createDispatchEvent({
      owner: target.owner,
      repo: target.repo,
      event_type: target.eventType,
      client_payload: target.payload,
    }),
  );
}
