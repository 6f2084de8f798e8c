import { describe, expect, it } from 'vitest';
import { commandEnv } from '../src/command-env.ts';

describe('commandEnv', () => {
  it('keeps the step’s environment without the action’s inputs and state; extra wins', () => {
    const env = commandEnv(
      {
        PATH: '/bin',
        HOME: '/h',
        INPUT_TOKEN: 'ghs_secret',
        STATE_isPost: 'true',
        GITHUB_SHA: 'abc',
        EMPTY: undefined,
      },
      { HOME: '/other', MLACTIONS_MODEL_VERSION: '1.0.0' },
    );
    expect(env).toEqual({
      PATH: '/bin',
      HOME: '/other',
      GITHUB_SHA: 'abc',
      MLACTIONS_MODEL_VERSION: '1.0.0',
    });
  });

  it('drops the runner’s cache, results and OIDC tokens, and keeps ACTIONS_* settings a run: step has', () => {
    const env = commandEnv(
      {
        ACTIONS_RUNTIME_TOKEN: 't',
        ACTIONS_RUNTIME_URL: 'u',
        ACTIONS_RESULTS_URL: 'u',
        ACTIONS_CACHE_URL: 'u',
        ACTIONS_CACHE_SERVICE_V2: 'true',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
        ACTIONS_ID_TOKEN_REQUEST_URL: 'u',
        ACTIONS_STEP_DEBUG: 'true',
      },
      {},
    );
    expect(env).toEqual({ ACTIONS_STEP_DEBUG: 'true' });
  });
});
