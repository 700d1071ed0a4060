#!/usr/bin/env node
// crosscheck.mjs - compare okra's metrics with an independent DuckDB
// implementation of SPEC section 3 (bench/lib/spec-sql.mjs).
//
//   node bench/crosscheck.mjs --okra PATH --workspace DIR --asof D1,D2,... [--by ATTR]
//
// For each as-of date it runs `okra -C DIR metrics --asof D --format json
// [--by ATTR]`, computes the same metrics in DuckDB and compares every
// metric, every segment (of --by, or without it of each metric's own
// `segments:` list) and every funnel step: counts exactly, everything
// else within 1e-9 relative (1e-12 absolute near zero), null only with null.
// One line per mismatch, then `crosscheck: N passed, M failed`; exit status
// 0 only when nothing failed (2 on a usage or run error).
//
// Extra options: --sql ID (print DuckDB's SQL of one metric as of the first
// date and exit), --verbose (print every compared value).

import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { Workspace } from './lib/spec-sql.mjs';

const USAGE = 'usage: node bench/crosscheck.mjs --okra PATH --workspace DIR --asof D1,D2,... [--by ATTR] [--sql ID] [--verbose]';

function parseArgs(argv) {
  const opts = { by: null, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`option ${arg} needs a value`);
      return argv[++i];
    };
    switch (arg) {
      case '--okra': opts.okra = value(); break;
      case '--workspace': opts.workspace = value(); break;
      case '--asof': opts.asof = value().split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--by': opts.by = value(); break;
      case '--sql': opts.sql = value(); break;
      case '--verbose': opts.verbose = true; break;
      case '-h': case '--help': console.log(USAGE); process.exit(0); break;
      default: throw new Error(`unknown option '${arg}'`);
    }
  }
  if (!opts.workspace || !opts.asof?.length || (!opts.okra && !opts.sql)) throw new Error('missing --okra, --workspace or --asof');
  for (const d of opts.asof) if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new Error(`bad date '${d}'`);
  return opts;
}

/** okra's metrics as of D (its JSON output). */
function runOkra(opts, asof) {
  const args = ['-C', opts.workspace, 'metrics', '--asof', asof, '--format', 'json'];
  if (opts.by) args.push('--by', opts.by);
  let out;
  try {
    out = execFileSync(opts.okra, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  } catch (e) {
    throw new Error(`okra ${args.join(' ')} failed (exit ${e.status}): ${String(e.stderr).trim()}`);
  }
  const json = JSON.parse(out);
  if (json.asof !== asof) throw new Error(`okra echoed asof ${json.asof}, expected ${asof}`);
  return json;
}

/** okra's readout of experiment id as of D (its JSON output). */
function runOkraExperiment(opts, id, asof) {
  const args = ['-C', opts.workspace, 'experiment', id, '--asof', asof, '--format', 'json'];
  let out;
  try {
    out = execFileSync(opts.okra, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`okra ${args.join(' ')} failed (exit ${e.status}): ${String(e.stderr).trim()}`);
  }
  return JSON.parse(out);
}

const REL = 1e-9;
const ABS = 1e-12;

/** Do two values agree? Integers exactly, others within tolerance, null with null. */
function agree(a, b, integer) {
  if (a === null || a === undefined || b === null || b === undefined) {
    return (a === null || a === undefined) && (b === null || b === undefined);
  }
  if (typeof a !== 'number' || typeof b !== 'number') return false;
  if (integer) return a === b;
  const diff = Math.abs(a - b);
  return diff <= ABS || diff <= REL * Math.max(Math.abs(a), Math.abs(b));
}

const show = (v) => (v === undefined ? 'missing' : v === null ? 'null' : String(v));

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`crosscheck: ${e.message}\n${USAGE}`);
    process.exit(2);
  }
  const dates = [...opts.asof].sort();
  // Billing periods without an end run up to the last as-of date (or later).
  const ws = await Workspace.open(resolve(opts.workspace), { connections: 2, horizon: dates.at(-1) });
  // Small data: one thread per query, two queries side by side, is fastest.
  if ((await ws.eventCount()) < 1_000_000) await ws.run('SET threads = 1');
  if (opts.sql) {
    console.log(ws.sqlOf(opts.sql, dates[0], opts.by));
    ws.close();
    return 0;
  }

  let passed = 0;
  let failed = 0;
  const check = (metric, date, where, okraValue, duckValue, integer) => {
    if (agree(okraValue, duckValue, integer)) {
      passed++;
      if (opts.verbose) console.log(`ok   ${metric} ${date} ${where} ${show(okraValue)}`);
    } else {
      failed++;
      console.log(`FAIL ${metric} ${date} ${where}: okra ${show(okraValue)}, duckdb ${show(duckValue)}`);
    }
  };

  for (const date of dates) {
    const okra = runOkra(opts, date);
    const duck = await ws.evaluate(date, opts.by);
    const okraById = new Map(okra.metrics.map((m) => [m.id, m]));
    const duckIds = new Set(duck.metrics.map((m) => m.id));
    for (const m of okra.metrics) {
      if (!duckIds.has(m.id)) check(m.id, date, 'value', m.value, undefined, false);
    }
    for (const d of duck.metrics) {
      const o = okraById.get(d.id);
      if (!o) {
        check(d.id, date, 'value', undefined, d.value, d.integer);
        continue;
      }
      check(d.id, date, 'value', o.value, d.value, d.integer);
      // Segments: of --by, or else of the metric's own `segments:` list.
      const attrs = new Set([...Object.keys(d.segments ?? {}), ...Object.keys(o.segments ?? {})]);
      for (const attr of attrs) {
        const oSegs = o.segments?.[attr] ?? {};
        const dSegs = d.segments?.[attr] ?? {};
        const names = [...new Set([...Object.keys(dSegs), ...Object.keys(oSegs)])];
        for (const s of names) check(d.id, date, `${attr}=${s}`, oSegs[s], dSegs[s], d.integer);
      }
      if (d.steps) {
        const oSteps = o.steps ?? [];
        const n = Math.max(d.steps.length, oSteps.length);
        for (let i = 0; i < n; i++) {
          const label = d.steps[i]?.event ?? oSteps[i]?.event;
          check(d.id, date, `step ${i + 1} (${label})`, oSteps[i]?.value, d.steps[i]?.value, false);
        }
      } else if (o.steps?.length) {
        check(d.id, date, 'steps', `${o.steps.length} steps`, undefined, false);
      }
    }
  }
  // Experiments (conversion metrics): the units per variant, their
  // conversions, the exclusions and the immature units, as of each date.
  for (const x of ws.experiments) {
    for (const date of dates) {
      let duck;
      try {
        duck = await ws.experimentCounts(x.id, date);
      } catch (e) {
        if (/conversion metrics only/.test(e.message)) break;
        throw e;
      }
      const okra = runOkraExperiment(opts, x.id, date);
      const names = new Set([...Object.keys(duck.variants), ...okra.variants.filter((v) => v.assigned).map((v) => v.name)]);
      for (const name of names) {
        const o = okra.variants.find((v) => v.name === name);
        const d = duck.variants[name];
        check(x.id, date, `${name} entities`, o?.entities, d?.entities, true);
        check(x.id, date, `${name} conversions`, o?.conversions, d?.conversions, true);
      }
      check(x.id, date, 'excluded_multi', okra.excluded_multi, duck.excluded_multi, true);
      check(x.id, date, 'immature', okra.immature, duck.immature, true);
    }
  }
  ws.close();
  console.log(`crosscheck: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (status) => process.exit(status),
  (e) => {
    console.error(`crosscheck: error: ${e.message}`);
    process.exit(2);
  },
);
