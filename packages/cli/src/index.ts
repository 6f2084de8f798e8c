// The mlactions command: every verb, on the same request builders and flows as the actions; `run` is the command as a function (argv and the streams in, the exit code out).
export { type Io, run } from './program.ts';
