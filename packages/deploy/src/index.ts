// The deploy verb: roll a store version out to a GitHub environment (alias, serving files, a command, a smoke test) and restore on failure.
export { runDeployFlow } from './deploy-flow.ts';
export { deployRequestFrom } from './deploy-settings.ts';
export { runBash } from './run-command.ts';
