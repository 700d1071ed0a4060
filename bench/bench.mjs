#!/usr/bin/env node
// bench.mjs - okra against DuckDB, side by side in one run on the same files.
//
//   node bench/bench.mjs --okra build/okra --events 10000000[,100000000] [--work DIR]
//                        [--duck-suite-max N] [--runs N] [--ingest-only]
//
// For each size: generate the demo workspace (okra demo, fixed seed and end
// date; kept in --work and reused), then measure
//   ingest: `okra ingest` (cache removed first) vs DuckDB reading the same
//           CSV files into tables (read_csv, all threads);
//   suite:  every demo metric x 13 weekly as-of dates x segments by tier:
//           `okra series --all --grain week --by tier` vs DuckDB running
//           the SQL of bench/lib/spec-sql.mjs for each date (its load is
//           not timed);
// with wall time, and okra's peak resident memory from /usr/bin/time.
// --runs N repeats each size's comparison N times (the machine may be
// shared: every run shows the 1-minute load average when it started);
// --ingest-only leaves out both suites.  Prints one table; the ratios are
// DuckDB time / okra time.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Workspace } from './lib/spec-sql.mjs';

const END = '2026-11-23';
const SEED = '1';

function args(argv) {
  // DuckDB's side of the suite loads every table as text first (the
  // cross-check's loader keeps row order with one thread): past this many
  // events it needs more memory than the 24 GiB machine has.
  const o = { events: [10_000_000], work: 'bench/work', okra: 'build/okra',
              duckSuiteMax: 20_000_000, runs: 1, ingestOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const v = () => argv[++i];
    switch (argv[i]) {
      case '--okra': o.okra = v(); break;
      case '--events': o.events = v().split(',').map(Number); break;
      case '--work': o.work = v(); break;
      case '--duck-suite-max': o.duckSuiteMax = Number(v()); break;
      case '--runs': o.runs = Number(v()); break;
      case '--ingest-only': o.ingestOnly = true; break;
      default: throw new Error(`unknown option ${argv[i]}`);
    }
  }
  o.okra = resolve(o.okra);
  o.work = resolve(o.work);
  return o;
}

/** Runs a command under /usr/bin/time: wall seconds, peak RSS bytes, stdout. */
function timed(cmd, argv) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...argv], {
    encoding: 'utf8', maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')}: ${r.stderr}`);
  const last = r.stderr.trim().split('\n').pop().split(' ');
  return { seconds: Number(last[0]), rss: Number(last[1]) * 1024, stdout: r.stdout };
}

async function duckLoad(dir) {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const t0 = process.hrtime.bigint();
  for (const t of ['accounts', 'users', 'events', 'revenue']) {
    const file = join(dir, 'data', `${t}.csv`);
    if (existsSync(file))
      await conn.run(`CREATE TABLE ${t} AS SELECT * FROM read_csv('${file}')`);
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  conn.closeSync?.();
  db.closeSync?.();
  return s;
}

async function duckSuite(dir, dates) {
  const ws = await Workspace.open(dir);
  const t0 = process.hrtime.bigint();
  for (const d of dates) await ws.evaluate(d, 'tier');
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  ws.close();
  return s;
}

const o = args(process.argv.slice(2));
mkdirSync(o.work, { recursive: true });
const rows = [];
for (const n of o.events) {
  const dir = join(o.work, `demo-${n}`);
  if (!existsSync(join(dir, 'okra.yaml'))) {
    rmSync(dir, { recursive: true, force: true });
    execFileSync(o.okra, ['demo', dir, '--no-review', '--events', String(n), '--seed', SEED, '--end', END],
                 { stdio: 'inherit' });
  }
  for (let run = 1; run <= o.runs; run++) {
    const load = loadavg()[0];
    rmSync(join(dir, '.okra'), { recursive: true, force: true });
    const ingest = timed(o.okra, ['-C', dir, 'ingest']);
    const events = Number(/ingested (\d+) events/.exec(ingest.stdout)[1]);
    console.error(`${n}: okra ingest ${ingest.seconds} s (peak RSS ${Math.round(ingest.rss / 1048576)} MiB)`);
    const duckIngest = await duckLoad(dir);
    console.error(`${n}: DuckDB load ${duckIngest.toFixed(2)} s`);
    const row = { n: events, load, ingest: ingest.seconds, ingestRss: ingest.rss, duckIngest,
                  suite: NaN, duckSuite: NaN, rss: NaN };
    if (!o.ingestOnly) {
      const suite = timed(o.okra, ['-C', dir, 'series', '--all', '--grain', 'week', '--to', END,
                                   '--by', 'tier', '--format', 'json']);
      console.error(`${n}: okra suite ${suite.seconds} s (peak RSS ${Math.round(suite.rss / 1048576)} MiB)`);
      const series = JSON.parse(suite.stdout).series;
      const dates = series[0].points.map((p) => p.date);
      row.duckSuite = n <= o.duckSuiteMax ? await duckSuite(dir, dates) : NaN;
      console.error(`${n}: DuckDB suite ${row.duckSuite.toFixed(2)} s`);
      Object.assign(row, { metrics: series.length, dates: dates.length, suite: suite.seconds,
                           rss: suite.rss });
    }
    rows.push(row);
  }
}

const f = (x, d = 2) => x.toFixed(d);
const opt = (x, text) => (isNaN(x) ? '-' : text);
console.log('| events | load avg | okra ingest | DuckDB load | ratio | okra peak RSS (ingest) | ' +
            'okra suite | DuckDB suite | ratio | okra peak RSS (suite) | bytes/event |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows)
  console.log(`| ${r.n.toLocaleString('en-US')} | ${f(r.load)} | ${f(r.ingest)} s | ${f(r.duckIngest)} s | ` +
              `${f(r.duckIngest / r.ingest)}x | ${f(r.ingestRss / 1048576, 0)} MiB | ` +
              `${opt(r.suite, f(r.suite) + ' s')} | ` +
              `${isNaN(r.duckSuite) ? (isNaN(r.suite) ? '-' : 'not run') : f(r.duckSuite) + ' s'} | ` +
              `${opt(r.duckSuite, f(r.duckSuite / r.suite) + 'x')} | ` +
              `${opt(r.rss, f(r.rss / 1048576, 0) + ' MiB')} | ${opt(r.rss, f(r.rss / r.n, 1))} |`);
const s0 = rows.find((r) => r.metrics);
if (s0)
  console.log(`suite: ${s0.metrics} metrics x ${s0.dates} weekly as-of dates x segments by tier`);
