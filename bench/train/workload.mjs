// A stand-in training job with a fixed amount of work, so that its wall time shows what runs around
// it: `rounds` rounds of sha256 over 1 MiB, a progress line (a training log) every 50 rounds.
//   node workload.mjs <rounds>          do the work
//   node workload.mjs --rate <seconds>  print how many rounds run in that many seconds here
import { createHash } from 'node:crypto';

const block = Buffer.alloc(1 << 20, 7);
const round = () => createHash('sha256').update(block).digest();

if (process.argv[2] === '--rate') {
  const until = performance.now() + Number(process.argv[3]) * 1000;
  let rounds = 0;
  while (performance.now() < until) {
    round();
    rounds++;
  }
  console.log(rounds);
} else {
  const rounds = Number(process.argv[2]);
  for (let i = 1; i <= rounds; i++) {
    round();
    if (i % 50 === 0) console.log(`step ${i}/${rounds}`);
  }
}
