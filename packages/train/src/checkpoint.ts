import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** When the checkpoint folder is saved to the cache after the command. */
export type SavePolicy = 'failure' | 'always' | 'never';

export const SAVE_POLICIES: readonly SavePolicy[] = ['failure', 'always', 'never'];

/** Whether a run that ended this way saves its checkpoint: a failed, timed-out or cancelled one needs it to resume. */
export function shouldSaveCheckpoint(policy: SavePolicy, succeeded: boolean): boolean {
  return policy === 'always' || (policy === 'failure' && !succeeded);
}

/**
 * What a checkpoint folder holds, as one comparable stamp (files, bytes and the newest change), or
 * undefined when it is missing or empty: nothing worth saving.
 */
export async function folderStamp(dir: string): Promise<string | undefined> {
  let entries: { parentPath: string; name: string; isFile(): boolean }[];
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    return undefined;
  }
  let files = 0;
  let bytes = 0;
  let newest = 0;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const info = await stat(join(entry.parentPath, entry.name)).catch(() => undefined);
    if (!info) continue;
    files++;
    bytes += info.size;
    newest = Math.max(newest, info.mtimeMs);
  }
  return files === 0 ? undefined : `${files}:${bytes}:${newest}`;
}
