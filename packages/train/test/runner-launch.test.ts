import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lookupUser, runnerEnv, writeConfigFile } from '../src/runner-launch.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runner-launch-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the runner launch', () => {
  it('writes the configuration as a 0600 file in a 0700 folder of its own', async () => {
    const { dir: folder, file } = writeConfigFile('ZW5jb2RlZA==', dir);
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('gives the runner the allow-listed variables only, never one named like a secret', () => {
    const kept = {
      PATH: '/usr/bin',
      HOME: '/root',
      LANG: 'C.UTF-8',
      LC_ALL: 'C',
      CUDA_VISIBLE_DEVICES: '0',
      RUNNER_ALLOW_RUNASROOT: '1',
      ACTIONS_RUNNER_HOOK_JOB_STARTED: '/opt/hook.sh',
    };
    const dropped = {
      ACTIONS_RUNNER_INPUT_TOKEN: 'registration-token',
      RUNNER_TOKEN: 'registration-token',
      GITHUB_TOKEN: 'ghp_x',
      APP_ID: '1',
      INSTALLATION_ID: '2',
      PRIVATE_KEY_FILE: '/etc/mlactions/app.pem',
      AWS_ACCESS_KEY_ID: 'AKIA',
    };
    expect(runnerEnv({ ...kept, ...dropped })).toEqual(kept);
  });

  it("takes the run-as user's home, and names a missing user", () => {
    const user = { name: 'gpu-runner-0', uid: 1001, gid: 1001, home: '/var/lib/gpu-runner-0' };
    expect(runnerEnv({ PATH: '/bin', HOME: '/root', USER: 'root' }, user)).toEqual({
      PATH: '/bin',
      HOME: '/var/lib/gpu-runner-0',
      USER: 'gpu-runner-0',
      LOGNAME: 'gpu-runner-0',
    });
    expect(lookupUser('root')).toMatchObject({ name: 'root', uid: 0, gid: 0 });
    expect(() => lookupUser('no-such-user-here')).toThrow(
      /--run-as no-such-user-here: no such user on this host/,
    );
  });
});
