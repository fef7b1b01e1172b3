// bench_diff.js: jsdiff's diffLines (npm `diff`, what Langfuse's diff view uses) over the same
// file pairs as bench_diff.c, in one node process. Prints "ms_per_pass edits".
// Times are CPU time (process.cpuUsage: user + system), as the C driver's.
// Usage: node bench_diff.js PAIRS_FILE REPS
'use strict';
const fs = require('fs');
const { diffLines } = require('diff');
const [pairsFile, repsArg] = process.argv.slice(2);
const reps = parseInt(repsArg, 10) || 1;
const pairs = fs.readFileSync(pairsFile, 'utf8').split('\n').filter(Boolean).map((l) => {
  const [a, b] = l.split('\t');
  return [fs.readFileSync(a, 'utf8'), fs.readFileSync(b, 'utf8')];
});
let edits = 0;
const t0 = process.cpuUsage();
for (let r = 0; r < reps; r++) {
  for (const [a, b] of pairs) {
    const changes = diffLines(a, b);
    if (r === 0) for (const c of changes) if (c.added || c.removed) edits += c.count;
  }
}
const used = process.cpuUsage(t0);
const ms = (used.user + used.system) / 1e3 / reps;
console.log(ms.toFixed(3) + ' ' + edits);
