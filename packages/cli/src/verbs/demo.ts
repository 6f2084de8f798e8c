import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Command, CommanderError, Option } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { runDemo } from '../demo/run-demo.ts';
import type { Io } from '../program.ts';

/**
 * mermaid's browser bundle, inlined into report.html: the build copies it beside the CLI's bundle
 * (package.json `mlactions.assets`), so the published package carries it without mermaid installed.
 */
function readMermaidBundle(): Promise<string> {
  return readFile(new URL('./mermaid.min.js', import.meta.url), 'utf8');
}

export function registerDemo(program: Command, io: Io): void {
  program
    .command('demo')
    .description(
      'run the whole lifecycle on the embedded defaults, offline: train, publish, validate, images (a local git branch), report, gate, promote, drift',
    )
    .option(
      '--dir <folder>',
      'the folder to work in; made empty first (an earlier demo folder is replaced)',
      '.mlactions/demo',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: { dir: string; format: 'text' | 'json' }) => {
      // With --format json, stdout holds the JSON document alone; the progress goes to stderr.
      const write = opts.format === 'json' ? io.stderr : io.stdout;
      let index = 0;
      write(`mlactions demo: the life of one model, offline, in ${opts.dir}\n`);
      const result = await runDemo({
        dir: resolve(opts.dir),
        shownDir: opts.dir,
        producerVersion: pkg.version,
        mermaidScript: await readMermaidBundle(),
        progress: {
          step(name, summary, details = []) {
            index++;
            write(`${String(index).padStart(2)}. ${name.padEnd(9)} ${summary}\n`);
            for (const line of details) write(line === '' ? '\n' : `      ${line}\n`);
          },
        },
      });
      if (opts.format === 'json') io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      write(
        `Open ${result.files.html} in a browser to read the report with its charts (or ${result.files.markdown}).\n`,
      );
      // Exit 1 as `mlactions gate` does: run() maps a CommanderError to its exit code.
      if (!result.gate.passed) throw new CommanderError(1, 'mlactions.demo.gate-failed', 'the gate failed');
    });
}
