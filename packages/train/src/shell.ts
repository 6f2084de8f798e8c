import { UserError } from '@mlactions/core';

/** How a shell runs a script file, as a workflow step's `shell:` names it. */
interface ShellTemplate {
  template: string;
  extension: string;
}

// The same templates GitHub's runner uses for `run:` steps on Linux and macOS.
const SHELLS: Record<string, ShellTemplate> = {
  bash: { template: 'bash --noprofile --norc -eo pipefail {0}', extension: '.sh' },
  sh: { template: 'sh -e {0}', extension: '.sh' },
  python: { template: 'python {0}', extension: '.py' },
  pwsh: { template: 'pwsh -command ". \'{0}\'"', extension: '.ps1' },
};

/** What to write and run: the script file's extension and the argv with `{0}` standing for its path. */
export interface ShellCommand {
  extension: string;
  argv: string[];
}

/**
 * The argv for a `shell` value: bash, sh, python, pwsh, or a custom template such as
 * `bash -x {0}` or `python -u {0}` (split on whitespace; `{0}` is the script file). A custom template
 * without `{0}` gets it appended, as GitHub's runner does.
 */
export function shellCommand(shell: string): ShellCommand {
  const name = shell.trim();
  const known = SHELLS[name];
  if (known) return { extension: known.extension, argv: splitTemplate(known.template) };
  if (name === '')
    throw new UserError(
      'input `shell` is empty: name a shell (bash, sh, python) or a template like `bash -x {0}`',
    );
  const argv = name.split(/\s+/);
  if (!argv.some((arg) => arg.includes('{0}'))) argv.push('{0}');
  return { extension: '', argv };
}

/** Splits a template on spaces outside double quotes, dropping the quotes (pwsh's needs them). */
function splitTemplate(template: string): string[] {
  return [...template.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

/** The argv with `{0}` replaced by the script's path. */
export function argvFor(command: ShellCommand, scriptPath: string): string[] {
  return command.argv.map((arg) => arg.replaceAll('{0}', scriptPath));
}
