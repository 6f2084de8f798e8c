// The mlactions command: every verb, on the same request builders and flows as the actions.
export { buildProgram, type Io, run } from './program.ts';
