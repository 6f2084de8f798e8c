import { isUserError, unreachableFailure } from '@mlactions/core';
import { Command, CommanderError } from 'commander';
import pkg from '../package.json' with { type: 'json' };
import { exitCodeOf, interruptOf } from './interrupt.ts';
import { registerDelete } from './verbs/delete.ts';
import { registerDemo } from './verbs/demo.ts';
import { registerDeploy } from './verbs/deploy.ts';
import { registerDeprecate } from './verbs/deprecate.ts';
import { registerDrift } from './verbs/drift.ts';
import { registerFetch } from './verbs/fetch.ts';
import { registerGate } from './verbs/gate.ts';
import { registerGc } from './verbs/gc.ts';
import { registerInit } from './verbs/init.ts';
import { registerList } from './verbs/list.ts';
import { registerProfile } from './verbs/profile.ts';
import { registerPromote } from './verbs/promote.ts';
import { registerPublish } from './verbs/publish.ts';
import { registerReport } from './verbs/report.ts';
import { registerRollback } from './verbs/rollback.ts';
import { registerRunner } from './verbs/runner.ts';
import { registerShow } from './verbs/show.ts';
import { registerTrain } from './verbs/train.ts';
import { registerValidate } from './verbs/validate.ts';

/** Where the CLI writes, and what interrupts it; passed in so tests read what a user would see. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Aborted by SIGINT / SIGTERM (see interrupt.ts): verbs hand it to the store and data reads. */
  signal?: AbortSignal;
  /** Grants the run longer than the usual two seconds to unwind once interrupted (see interrupt.ts). */
  allowUnwind?: (ms: number) => void;
}

function buildProgram(io: Io): Command {
  const program = new Command('mlactions')
    .description(
      'Carry a machine-learning model through its life in its repository: train, publish, report, gate, deploy, drift.',
    )
    .version(pkg.version, '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    // Program options only before the verb, so that a verb's own --version is its option.
    .enablePositionalOptions();
  registerTrain(program, io);
  registerReport(program, io);
  registerValidate(program, io);
  registerGate(program, io);
  registerInit(program, io);
  registerPublish(program, io);
  registerFetch(program, io);
  registerPromote(program, io);
  registerRollback(program, io);
  registerList(program, io);
  registerShow(program, io);
  registerDeprecate(program, io);
  registerDelete(program, io);
  registerGc(program, io);
  registerDeploy(program, io);
  registerDrift(program, io);
  registerProfile(program, io);
  registerRunner(program, io);
  registerDemo(program, io);
  return program;
}

/** Runs the CLI on argv (without node and script) and resolves to the process exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  const program = buildProgram(io);
  const unknown = unknownVerb(program, argv);
  if (unknown !== undefined) {
    io.stderr(`mlactions: ${unknown}\n`);
    return 1;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    const interrupt = interruptOf(io.signal);
    if (interrupt) {
      io.stderr(`mlactions: ${interrupt} arrived after the work was done; it was kept.\n`);
      return exitCodeOf(interrupt);
    }
    return 0;
  } catch (error) {
    const interrupt = interruptOf(io.signal);
    if (interrupt) {
      io.stderr(`mlactions: stopped by ${interrupt}; what this run had started was removed.\n`);
      return exitCodeOf(interrupt);
    }
    if (error instanceof CommanderError) return error.exitCode;
    const mistake = isUserError(error) ? error : unreachableFailure(error);
    if (mistake) {
      io.stderr(`mlactions: ${mistake.message}\n`);
      return 1;
    }
    const failure = fileSystemFailure(error);
    if (failure) {
      io.stderr(`mlactions: ${failure}\n`);
      return 1;
    }
    throw error;
  }
}

/**
 * The refusal of a first word that is no verb. Checked before parsing: commander would otherwise act
 * on the program options after it (`mlactions retire --version 1.0.0` printed the version).
 */
function unknownVerb(program: Command, argv: string[]): string | undefined {
  const [first] = argv;
  if (first === undefined || first.startsWith('-') || first === 'help') return undefined;
  const verbs = program.commands.map((command) => command.name());
  if (verbs.includes(first) || program.commands.some((command) => command.aliases().includes(first))) {
    return undefined;
  }
  return `unknown verb '${first}'. The verbs are ${verbs.join(', ')}; see mlactions --help.`;
}

/**
 * A file the user named that cannot be read or written (missing, a folder, no permission) is their
 * mistake, not ours: one line naming the path, whichever verb met it.
 */
function fileSystemFailure(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException;
  if (typeof e?.code !== 'string' || typeof e.path !== 'string' || typeof e.syscall !== 'string')
    return undefined;
  const what: Record<string, string> = {
    ENOENT: 'no such file or folder',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'is a folder, not a file',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EEXIST: 'already exists',
    ENOSPC: 'no space left on the device',
    EROFS: 'read-only file system',
  };
  const reason = what[e.code];
  return reason === undefined ? undefined : `${e.path}: ${reason} (${e.syscall}). Check the path.`;
}
