// bench_render.js: mustache.js and hogan.js over the same workload as bench_render.c, each in a
// loop in this one process. Usage:
//   node bench_render.js check WORK.json       prints the indexes both engines parse
//   node bench_render.js time WORK.json REPS   prints, per engine, "render_us parse_render_us bytes hash"
'use strict';
const fs = require('fs');
const Mustache = require('mustache');
const Hogan = require('hogan.js');

const [mode, file, repsArg] = process.argv.slice(2);
const work = JSON.parse(fs.readFileSync(file, 'utf8'));
const reps = Number(repsArg || 10);

function fnv(h, s) {
  const b = Buffer.from(s, 'utf8');
  for (const c of b) h = BigInt.asUintN(64, (h ^ BigInt(c)) * 1099511628211n);
  return h;
}

if (mode === 'check') {
  work.forEach((c, i) => {
    try {
      Mustache.parse(c.template);
      Hogan.compile(c.template);
      console.log(i);
    } catch (e) { /* not accepted by one of them */ }
  });
  process.exit(0);
}

function time(engine) {
  const compiled = work.map((c) => engine.compile(c.template));
  let h = 14695981039346656037n, bytes = 0;
  work.forEach((c, i) => {
    const out = engine.render(compiled[i], c);
    h = fnv(h, out);
    bytes += Buffer.byteLength(out, 'utf8');
  });
  let t0 = process.hrtime.bigint();
  for (let r = 0; r < reps; r++)
    for (let i = 0; i < work.length; i++) engine.render(compiled[i], work[i]);
  let t1 = process.hrtime.bigint();
  for (let r = 0; r < reps; r++)
    for (let i = 0; i < work.length; i++) engine.fresh(work[i]);
  let t2 = process.hrtime.bigint();
  const per = reps * Math.max(work.length, 1) * 1000;
  return `${(Number(t1 - t0) / per).toFixed(3)} ${(Number(t2 - t1) / per).toFixed(3)} ${bytes} ${h.toString(16).padStart(16, '0')}`;
}

const mustache = {
  // Mustache.render caches the parsed template by its text: the usual "parse once" use.
  compile: (t) => t,
  render: (t, c) => Mustache.render(t, c.data),
  fresh: (c) => { Mustache.clearCache(); return Mustache.render(c.template, c.data); },
};
const hogan = {
  compile: (t) => Hogan.compile(t),
  render: (t, c) => t.render(c.data),
  fresh: (c) => { Hogan.cache = {}; return Hogan.compile(c.template).render(c.data); },
};
console.log('mustache.js ' + time(mustache));
console.log('hogan.js ' + time(hogan));
