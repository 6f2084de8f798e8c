import { unprocessable } from '../errors.ts';
import { bodyOf, type HandlerTable, json, repoOf } from '../handler.ts';

/** Workflow dispatches and repository dispatches: recorded, answered 204 as GitHub does. */
export const dispatchHandlers: HandlerTable = {
  /** The ref must be a branch or a tag (GitHub refuses a bare sha). */
  'actions/create-workflow-dispatch': (ctx) => {
    const repo = repoOf(ctx);
    const body = bodyOf(ctx);
    const ref = String(body.ref);
    const name = ref.replace(/^refs\/(heads|tags)\//, '');
    const known = repo.branches.has(name) || repo.releases.some((r) => !r.draft && r.tagName === name);
    if (!known) throw unprocessable(ctx.operation.docsUrl, `No ref found for: ${ref}`);
    repo.workflowDispatches.push({
      workflowId: ctx.params.workflow_id!,
      ref,
      inputs: (body.inputs as Record<string, unknown> | undefined) ?? {},
      createdAt: ctx.store.now(),
    });
    return json(204);
  },

  'repos/create-dispatch-event': (ctx) => {
    const repo = repoOf(ctx);
    const body = bodyOf(ctx);
    repo.repositoryDispatches.push({
      eventType: String(body.event_type),
      clientPayload: (body.client_payload as Record<string, unknown> | undefined) ?? {},
      createdAt: ctx.store.now(),
    });
    return json(204);
  },
};
