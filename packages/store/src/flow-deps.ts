import type { Provenance } from './manifest.ts';
import type { ArtifactStore } from './store.ts';

/** What the publish and fetch flows need from their front (an action, the CLI). */
export interface FlowDeps {
  store: ArtifactStore;
  /** Progress lines (formatProgress): the action's log, the CLI's stderr. */
  log: (line: string) => void;
  /** Appends markdown to the job summary; the CLI has none. */
  writeSummary?: (markdown: string) => Promise<void>;
  /** Recorded in manifests and alias moves (provenanceFromEnv in a workflow). */
  provenance?: Provenance;
  /** The GitHub site, for the manifest's URL in a github-release store (default https://github.com). */
  serverUrl?: string;
}
