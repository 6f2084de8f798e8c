// The dist policy: bundles are build outputs. On main no dist/ file is tracked (the release workflow
// builds them onto the release tag), and after `pnpm build` every action's runs.main exists.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function checkDist() {
  const problems = [];
  const tracked = execFileSync('git', ['ls-files', '--', ':(glob)**/dist/**'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  for (const file of tracked)
    problems.push(`${file} is tracked; dist/ is built, never committed (git rm --cached it)`);
  for (const name of readdirSync(join(root, 'actions')).sort()) {
    const meta = join(root, 'actions', name, 'action.yml');
    if (!existsSync(meta)) continue;
    const main = parse(readFileSync(meta, 'utf8'))?.runs?.main;
    if (typeof main === 'string' && !existsSync(join(root, 'actions', name, main))) {
      problems.push(`actions/${name}/${main} is missing: run \`pnpm build\``);
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = checkDist();
  for (const p of problems) console.error(`check-dist: ${p}`);
  if (problems.length > 0) process.exit(1);
  console.log('check-dist: ok');
}
