import { abortOnStopSignals } from './interrupt.ts';
import { run } from './program.ts';

// `mlactions report | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const { signal, allowUnwind } = abortOnStopSignals();
const code = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  signal,
  allowUnwind,
});
// An interrupted run has removed what it started; requests it could not abort must not hold it.
if (signal.aborted) process.exit(code);
process.exitCode = code;
