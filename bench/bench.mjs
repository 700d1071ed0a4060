#!/usr/bin/env node
// bench.mjs - okra against DuckDB, side by side in one run on the same files.
//
//   node bench/bench.mjs --okra build/okra --events 10000000[,100000000] [--work DIR]
//                        [--shapes demo,wide] [--duck-disk-from N] [--runs N]
//                        [--ingest-only]
//
// For each shape and size: generate the workspace (okra demo --shape S,
// fixed seed and end date; kept in --work and reused), then measure
//   ingest:  `okra ingest` (cache removed first) vs DuckDB reading the same
//            CSV files into tables (read_csv, all threads);
//   dates:   every metric at each of 4 as-of dates, one okra process per
//            date as a script or the dashboard calls it (`okra metrics
//            --asof D --by tier`), vs DuckDB running the SQL of
//            bench/lib/spec-sql.mjs for the same 4 dates;
//   suite:   every metric x 13 weekly as-of dates x segments by tier:
//            `okra series --all --grain week --by tier` vs DuckDB running
//            the same SQL for each date;
// DuckDB's loading for the last two is not timed; from --duck-disk-from
// events on (default 20M) it loads into a database file in --work
// (compressed, paged by its buffer manager) instead of memory, so that its
// side fits on the machine at 100M.  Wall times, and okra's
// peak resident memory from /usr/bin/time.  --runs N repeats each
// comparison N times (the machine may be shared: every run shows the
// 1-minute load average when it started); --ingest-only leaves out the
// metrics.  Prints three tables; the ratios are DuckDB time / okra time.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Workspace } from './lib/spec-sql.mjs';

const END = '2026-11-23';
const SEED = '1';
// The as-of dates of `okra metrics`: the last day of data and three month
// ends before it (each revenue measure then looks at a different month).
const DATES = ['2026-08-31', '2026-09-30', '2026-10-31', END];

function args(argv) {
  // Past duckDiskFrom events DuckDB's side of the metrics is loaded into a
  // database file: in memory it needs more than the 24 GiB machine has.
  const o = { events: [10_000_000], work: 'bench/work', okra: 'build/okra',
              shapes: ['demo', 'wide'], duckDiskFrom: 20_000_000, runs: 1,
              ingestOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const v = () => argv[++i];
    switch (argv[i]) {
      case '--okra': o.okra = v(); break;
      case '--events': o.events = v().split(',').map(Number); break;
      case '--work': o.work = v(); break;
      case '--shapes': o.shapes = v().split(','); break;
      case '--duck-disk-from': o.duckDiskFrom = Number(v()); break;
      case '--runs': o.runs = Number(v()); break;
      case '--ingest-only': o.ingestOnly = true; break;
      default: throw new Error(`unknown option ${argv[i]}`);
    }
  }
  for (const s of o.shapes)
    if (s !== 'demo' && s !== 'wide') throw new Error(`unknown shape ${s} (demo or wide)`);
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

/** DuckDB's seconds for each group of dates (one Workspace, loaded once). */
async function duckTimes(dir, groups, database) {
  const ws = await Workspace.open(dir, { database });
  const out = [];
  for (const dates of groups) {
    const t0 = process.hrtime.bigint();
    for (const d of dates) await ws.evaluate(d, 'tier');
    out.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  ws.close();
  return out;
}

const o = args(process.argv.slice(2));
mkdirSync(o.work, { recursive: true });
const rows = [];
for (const shape of o.shapes)
  for (const n of o.events) {
    const dir = join(o.work, `${shape}-${n}`);
    if (!existsSync(join(dir, 'okra.yaml'))) {
      rmSync(dir, { recursive: true, force: true });
      execFileSync(o.okra, ['demo', dir, '--no-review', '--events', String(n), '--seed', SEED,
                            '--end', END, '--shape', shape], { stdio: 'inherit' });
    }
    for (let run = 1; run <= o.runs; run++) {
      const load = loadavg()[0];
      const tag = `${shape} ${n}`;
      rmSync(join(dir, '.okra'), { recursive: true, force: true });
      const ingest = timed(o.okra, ['-C', dir, 'ingest']);
      const events = Number(/ingested (\d+) events/.exec(ingest.stdout)[1]);
      console.error(`${tag}: okra ingest ${ingest.seconds} s (peak RSS ${Math.round(ingest.rss / 1048576)} MiB)`);
      const duckIngest = await duckLoad(dir);
      console.error(`${tag}: DuckDB load ${duckIngest.toFixed(2)} s`);
      const row = { shape, n: events, load, ingest: ingest.seconds, ingestRss: ingest.rss, duckIngest,
                    dates: NaN, duckDates: NaN, datesRss: NaN,
                    suite: NaN, duckSuite: NaN, rss: NaN };
      if (!o.ingestOnly) {
        // One process per as-of date, like a script or the dashboard.
        row.dates = 0;
        row.datesRss = 0;
        for (const d of DATES) {
          const m = timed(o.okra, ['-C', dir, 'metrics', '--asof', d, '--by', 'tier', '--format', 'json']);
          row.dates += m.seconds;
          row.datesRss = Math.max(row.datesRss, m.rss);
        }
        console.error(`${tag}: okra metrics at ${DATES.length} dates ${row.dates.toFixed(2)} s ` +
                      `(peak RSS ${Math.round(row.datesRss / 1048576)} MiB)`);
        const suite = timed(o.okra, ['-C', dir, 'series', '--all', '--grain', 'week', '--to', END,
                                     '--by', 'tier', '--format', 'json']);
        console.error(`${tag}: okra suite ${suite.seconds} s (peak RSS ${Math.round(suite.rss / 1048576)} MiB)`);
        const series = JSON.parse(suite.stdout).series;
        const weeks = series[0].points.map((p) => p.date);
        const database = n >= o.duckDiskFrom ? join(o.work, 'duckdb-bench.db') : undefined;
        [row.duckDates, row.duckSuite] = await duckTimes(dir, [DATES, weeks], database);
        console.error(`${tag}: DuckDB ${DATES.length} dates ${row.duckDates.toFixed(2)} s, ` +
                      `suite ${row.duckSuite.toFixed(2)} s${database ? ' (database file)' : ''}`);
        Object.assign(row, { metrics: series.length, weeks: weeks.length, suite: suite.seconds,
                             rss: suite.rss });
      }
      rows.push(row);
    }
  }

const f = (x, d = 2) => x.toFixed(d);
const opt = (x, text) => (isNaN(x) ? '-' : text);
const duck = (x, okra) => (isNaN(x) ? (isNaN(okra) ? '-' : 'not run') : f(x) + ' s');
const mib = (x) => f(x / 1048576, 0) + ' MiB';
const head = (cols) => {
  console.log(`| ${cols.join(' | ')} |`);
  console.log(`| ${cols.map((c, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`);
};
console.log('Ingest');
head(['shape', 'events', 'load avg', 'okra ingest', 'DuckDB load', 'ratio', 'okra peak RSS', 'bytes/event']);
for (const r of rows)
  console.log(`| ${r.shape} | ${r.n.toLocaleString('en-US')} | ${f(r.load)} | ${f(r.ingest)} s | ` +
              `${f(r.duckIngest)} s | ${f(r.duckIngest / r.ingest)}x | ${mib(r.ingestRss)} | ` +
              `${f(r.ingestRss / r.n, 1)} |`);
if (rows.some((r) => !isNaN(r.dates))) {
  console.log(`\nokra metrics --asof D --by tier, ${DATES.length} dates (${DATES.join(', ')}), one process each`);
  head(['shape', 'events', 'load avg', 'okra', 'DuckDB', 'ratio', 'okra peak RSS', 'bytes/event']);
  for (const r of rows.filter((x) => !isNaN(x.dates)))
    console.log(`| ${r.shape} | ${r.n.toLocaleString('en-US')} | ${f(r.load)} | ${f(r.dates)} s | ` +
                `${duck(r.duckDates, r.dates)} | ${opt(r.duckDates, f(r.duckDates / r.dates) + 'x')} | ` +
                `${mib(r.datesRss)} | ${f(r.datesRss / r.n, 1)} |`);
  const s0 = rows.find((r) => r.metrics);
  console.log(`\nokra series --all --grain week --by tier: ${s0.metrics} metrics x ${s0.weeks} weekly as-of dates`);
  head(['shape', 'events', 'load avg', 'okra', 'DuckDB', 'ratio', 'okra peak RSS', 'bytes/event']);
  for (const r of rows.filter((x) => !isNaN(x.suite)))
    console.log(`| ${r.shape} | ${r.n.toLocaleString('en-US')} | ${f(r.load)} | ${f(r.suite)} s | ` +
                `${duck(r.duckSuite, r.suite)} | ${opt(r.duckSuite, f(r.duckSuite / r.suite) + 'x')} | ` +
                `${mib(r.rss)} | ${f(r.rss / r.n, 1)} |`);
}
