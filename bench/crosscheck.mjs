#!/usr/bin/env node
// crosscheck.mjs - compare okra's metrics with an independent DuckDB
// implementation of SPEC section 3 (bench/lib/spec-sql.mjs).
//
//   node bench/crosscheck.mjs --okra PATH --workspace DIR --asof D1,D2,... [--by ATTR]
//
// For each as-of date it runs `okra -C DIR metrics --asof D --format json
// --by ATTR` (or --segments without --by), computes the same metrics in DuckDB and compares every
// metric, every segment (of --by, or without it of each metric's own
// `segments:` list) and every funnel step: counts exactly, everything
// else within 1e-9 relative (1e-12 absolute near zero), null only with null.
// One line per mismatch, then `crosscheck: N passed, M failed`; exit status
// 0 only when nothing failed (2 on a usage or run error).
//
// Extra options: --sql ID (print DuckDB's SQL of one metric as of the first
// date and exit), --verbose (print every compared value).
//
//   node bench/crosscheck.mjs --okra PATH --workspace DIR --tree ID --from D1 --to D2 [--by ATTR]
//
// checks `okra tree ID --format json` instead: every node's values at D1
// and D2 against DuckDB's metrics, the tree's shape against the formulas,
// every contribution against an attribution computed here from DuckDB's
// values (exact Shapley values over every coalition, products down the
// levels), the drivers (summed over their paths, adding up to the root's
// change) and, with --by, each driver's segment values, and the segment
// contributions of sums (their own change).

import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { Workspace, evalFormula, formulaRefs, parseFormula } from './lib/spec-sql.mjs';

const USAGE = 'usage: node bench/crosscheck.mjs --okra PATH --workspace DIR (--asof D1,D2,... | --tree ID --from D1 --to D2) [--by ATTR] [--sql ID] [--verbose]';

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
      case '--tree': opts.tree = value(); break;
      case '--from': opts.from = value(); break;
      case '--to': opts.to = value(); break;
      case '--verbose': opts.verbose = true; break;
      case '-h': case '--help': console.log(USAGE); process.exit(0); break;
      default: throw new Error(`unknown option '${arg}'`);
    }
  }
  if (opts.tree) {
    if (!opts.okra || !opts.workspace || !opts.from || !opts.to) throw new Error('--tree needs --okra, --workspace, --from and --to');
    opts.asof = [opts.from, opts.to];
  }
  if (!opts.workspace || !opts.asof?.length || (!opts.okra && !opts.sql)) throw new Error('missing --okra, --workspace or --asof');
  for (const d of opts.asof) if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new Error(`bad date '${d}'`);
  return opts;
}

/** The JSON output of `okra -C WORKSPACE ARGS...`. */
function runOkraJson(opts, rest) {
  const args = ['-C', opts.workspace, ...rest];
  let out;
  try {
    out = execFileSync(opts.okra, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  } catch (e) {
    throw new Error(`okra ${args.join(' ')} failed (exit ${e.status}): ${String(e.stderr).trim()}`);
  }
  return JSON.parse(out);
}

/** okra's metrics as of D (its JSON output). */
function runOkra(opts, asof) {
  const args = ['metrics', '--asof', asof, '--format', 'json'];
  // Without --by, each metric's own segments (the totals are the default).
  args.push(...(opts.by ? ['--by', opts.by] : ['--segments']));
  const json = runOkraJson(opts, args);
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
  // Manual metrics read the check-ins stored in the workspace's state.
  const checkins = opts.okra ? runOkraJson(opts, ['checkins', '--format', 'json']).checkins : [];
  const ws = await Workspace.open(resolve(opts.workspace), { connections: 2, horizon: dates.at(-1), checkins });
  // Small data: one thread per query, two queries side by side, is fastest.
  if ((await ws.eventCount()) < 1_000_000) await ws.run('SET threads = 1');
  if (opts.sql) {
    console.log(ws.sqlOf(opts.sql, dates[0], opts.by));
    ws.close();
    return 0;
  }

  if (opts.tree) {
    const status = await crosscheckTree(opts, ws);
    ws.close();
    return status;
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

// ---------------------------------------------------------------------------
// Trees

/** Exact Shapley values of n inputs; f(mask) is the formula with the inputs
 * in mask at their second value. null when f is null at some coalition. */
function shapley(n, f) {
  const values = [];
  for (let mask = 0; mask < 1 << n; mask++) {
    const v = f(mask);
    if (v === null || !Number.isFinite(v)) return null;
    values.push(v);
  }
  const fact = [1];
  for (let k = 1; k <= n; k++) fact.push(fact[k - 1] * k);
  const phi = [];
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let mask = 0; mask < 1 << n; mask++) {
      if (mask & (1 << i)) continue;
      let s = 0;
      for (let m = mask; m; m &= m - 1) s++;
      sum += (fact[s] * fact[n - s - 1]) / fact[n] * (values[mask | (1 << i)] - values[mask]);
    }
    phi.push(sum);
  }
  return phi;
}

/** A formula or ratio metric as a formula tree, or null. */
function formulaOf(m) {
  if (m.type === 'ratio') return { op: '/', a: { ref: m.numerator }, b: { ref: m.denominator } };
  if (m.type === 'formula') return parseFormula(String(m.expr));
  return null;
}

/** Metrics that add up over segments (their segment contributions are their own changes). */
function isAdditive(m) {
  if (['count', 'active'].includes(m.type)) return true;
  if (m.type === 'sum') return m.per !== 'active';
  return m.type === 'revenue' && ['mrr', 'arr', 'paying_accounts', 'new', 'reactivation', 'expansion', 'contraction', 'churned'].includes(m.measure);
}

async function crosscheckTree(opts, ws) {
  const args = ['tree', opts.tree, '--from', opts.from, '--to', opts.to, '--format', 'json'];
  if (opts.by) args.push('--by', opts.by);
  const t = runOkraJson(opts, args);
  const [d1, d2] = [await ws.evaluate(opts.from, opts.by), await ws.evaluate(opts.to, opts.by)];
  const duck = [new Map(d1.metrics.map((m) => [m.id, m])), new Map(d2.metrics.map((m) => [m.id, m]))];
  const value = (when, id) => duck[when].get(id)?.value ?? null;
  let passed = 0;
  let failed = 0;
  const check = (what, okraValue, duckValue, tol) => {
    const ok = typeof okraValue === 'string' ? okraValue === duckValue
      : tol === undefined ? agree(okraValue, duckValue, false)
      : (okraValue === null && duckValue === null) ||
        (typeof okraValue === 'number' && typeof duckValue === 'number' && Math.abs(okraValue - duckValue) <= tol);
    if (ok) {
      passed++;
      if (opts.verbose) console.log(`ok   ${what} ${show(okraValue)}`);
    } else {
      failed++;
      console.log(`FAIL ${what}: okra ${show(okraValue)}, here ${show(duckValue)}`);
    }
  };

  // Every node's values, and the shape: a formula node's inputs are its
  // children (besides links).
  const byPath = new Map(t.nodes.map((n) => [n.path.join('/'), n]));
  const children = (n) => t.nodes.filter((c) => c.path.length === n.path.length + 1 && c.path.slice(0, -1).join('/') === n.path.join('/'));
  for (const n of t.nodes) {
    const where = `${opts.tree} ${n.path.join('/')}`;
    check(`${where} from`, n.from, value(0, n.metric));
    check(`${where} to`, n.to, value(1, n.metric));
    const f = formulaOf(ws.byId.get(n.metric));
    if (f && !n.link) {
      const inputs = [...formulaRefs(f)].sort().join(',');
      const kids = children(n).filter((c) => !c.link).map((c) => c.metric).sort().join(',');
      // A metric drawn again below itself (a cycle of links) is not expanded.
      if (kids || !n.path.slice(0, -1).includes(n.metric)) check(`${where} inputs`, kids, inputs);
    }
  }

  // The attribution, from DuckDB's values alone.
  const root = t.nodes[0];
  const change = (id) => {
    const [a, b] = [value(0, id), value(1, id)];
    return a === null || b === null ? null : b - a;
  };
  const rootChange = change(root.metric);
  const mine = new Map(); // path -> contribution
  const split = new Set(); // paths whose change is split among their inputs
  if (rootChange !== null) mine.set(root.path.join('/'), rootChange);
  for (const n of t.nodes) {
    const key = n.path.join('/');
    const f = formulaOf(ws.byId.get(n.metric));
    if (!mine.has(key) || !f || n.link) continue;
    const inputs = [...formulaRefs(f)];
    const a = inputs.map((id) => value(0, id));
    const b = inputs.map((id) => value(1, id));
    if (a.includes(null) || b.includes(null)) continue;
    const phi = shapley(inputs.length, (mask) =>
      evalFormula(f, (id) => { const i = inputs.indexOf(id); return mask & (1 << i) ? b[i] : a[i]; }));
    if (!phi) continue;
    split.add(key);
    const own = change(n.metric);
    for (const c of children(n).filter((c) => !c.link)) {
      const p = phi[inputs.indexOf(c.metric)];
      mine.set(c.path.join('/'), n.path.length === 1 ? p : own === 0 ? 0 : (mine.get(key) * p) / own);
    }
  }
  const scale = Math.max(1e-300, Math.abs(rootChange ?? 0), ...t.nodes.map((n) => Math.abs(n.contribution ?? 0)));
  const tol = 1e-9 * scale;
  for (const n of t.nodes) {
    const key = n.path.join('/');
    check(`${opts.tree} ${key} contribution`, n.contribution, mine.has(key) ? mine.get(key) : null, tol);
  }

  // Drivers: the attributed nodes not split further, summed over paths.
  const drivers = new Map();
  // (A root whose change is not split is its own only driver.)
  for (const [key, c] of mine) {
    if (split.has(key)) continue;
    const id = byPath.get(key).metric;
    drivers.set(id, (drivers.get(id) ?? 0) + c);
  }
  const okraDrivers = new Map(t.drivers.map((d) => [d.metric, d]));
  for (const id of new Set([...drivers.keys(), ...okraDrivers.keys()]))
    check(`${opts.tree} driver ${id}`, okraDrivers.get(id)?.contribution ?? null, drivers.get(id) ?? null, tol);
  if (rootChange !== null) {
    const sum = [...okraDrivers.values()].reduce((s, d) => s + d.contribution, 0);
    check(`${opts.tree} drivers add up to the root's change`, sum, rootChange, tol);
  }

  // Segments of --by: the driver's values per segment, and for sums the
  // contribution is the segment's own change.
  for (const d of t.drivers) {
    for (const g of d.segments) {
      const where = `${opts.tree} driver ${d.metric} ${g.attr}=${g.value}`;
      const [s1, s2] = [duck[0].get(d.metric)?.segments?.[g.attr]?.[g.value], duck[1].get(d.metric)?.segments?.[g.attr]?.[g.value]];
      check(`${where} from`, g.from, s1 ?? null);
      check(`${where} to`, g.to, s2 ?? null);
      if (isAdditive(ws.byId.get(d.metric)) && s1 != null && s2 != null)
        check(`${where} contribution`, g.contribution, s2 - s1);
    }
    if (d.segments.length && d.segments.every((g) => g.contribution !== null)) {
      const sum = d.segments.reduce((s, g) => s + g.contribution, 0);
      const own = change(d.metric);
      check(`${opts.tree} driver ${d.metric} segments add up`, sum, own, 1e-9 * Math.max(1e-300, Math.abs(own ?? 0), ...d.segments.map((g) => Math.abs(g.contribution))));
    }
  }
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
