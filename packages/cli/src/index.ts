export { buildProgram, type Io, run } from './program.ts';
