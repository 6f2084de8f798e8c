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
  );
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
