import type { Command } from 'commander';
import type { Io } from '../program.ts';

const STEPS = [
  'train the example model in plain Node and write it as ONNX',
  'publish two versions to a folder store (file://.mlactions/store)',
  'validate the second version on held-out data',
  'report the second version against the first',
  'gate the second version on its rules',
  'promote it to the production alias',
  'check drift on shifted data and write a markdown and HTML report',
];

export function registerDemo(program: Command, io: Io): void {
  program
    .command('demo')
    .description('run the whole lifecycle on the embedded defaults: a folder store and local files, offline')
    .action(() => {
      io.stdout('mlactions demo: the lifecycle on the embedded defaults\n');
      STEPS.forEach((step, i) => {
        io.stdout(`  ${i + 1}. ${step}\n`);
      });
      io.stdout(
        'These steps arrive with the verbs they use; none of them runs yet, so nothing was written.\n',
      );
    });
}
