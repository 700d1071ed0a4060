// spec-sql.mjs - an independent implementation of okra's metric semantics
// (SPEC.md sections 2, 3 and 3.1) in DuckDB SQL.
//
// It exists to cross-check okra's own C engine: it was written from the
// SPEC alone, never from okra's source. Every metric type is one function
// that turns the metric's YAML definition into one SQL query. The query
// returns one row per segment, `seg` = '*' for the whole population, and a
// column `value` (plus `step_1` .. `step_k` for a funnel).
//
// Usage:
//   const ws = await Workspace.open('path/to/workspace');
//   const result = await ws.evaluate('2026-11-30', 'tier');   // okra's JSON shape
//   ws.close();
//
// The places where the SPEC had to be interpreted are listed in
// docs/crosscheck.md; the code marks them with "Reading:".

import { readFileSync, readdirSync, statSync, existsSync, rmSync } from 'node:fs';
import { join, relative, basename, isAbsolute } from 'node:path';
import YAML from 'yaml';
import { DuckDBInstance } from '@duckdb/node-api';

// ---------------------------------------------------------------------------
// Small helpers: SQL quoting, dates, durations

/** A SQL string literal. */
export const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;
/** A SQL identifier. */
export const ident = (s) => `"${String(s).replaceAll('"', '""')}"`;
/** A SQL number literal (doubles keep full precision). */
const num = (x) => (Number.isInteger(x) ? `${x}` : `${x}::DOUBLE`);

const DAY_MS = 86400000;

/** 'YYYY-MM-DD' -> days since 1970-01-01. */
function dayNumber(date) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`bad date '${date}', expected YYYY-MM-DD`);
  const t = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(t)) throw new Error(`bad date '${date}'`);
  return Math.round(t / DAY_MS);
}

/** days since 1970-01-01 -> 'YYYY-MM-DD'. */
function dayString(n) {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** year, month (1..12) -> 'YYYY-MM-01', month may be out of range (wraps). */
function monthStart(year, month) {
  const y = year + Math.floor((month - 1) / 12);
  const m = ((month - 1) % 12 + 12) % 12 + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`;
}

/** SQL DATE literal of a day number. */
const dateLit = (n) => `DATE ${lit(dayString(n))}`;
/** SQL TIMESTAMP literal of midnight UTC of a day number. */
const tsLit = (n) => `TIMESTAMP ${lit(dayString(n) + ' 00:00:00')}`;

/** A duration (`within`, `cohort`): `Nd` or `Nw` -> days. */
function durationDays(v, what) {
  const m = /^(\d+)([dw])$/.exec(String(v ?? '').trim());
  if (!m) throw new Error(`${what}: bad duration '${v}', expected Nd or Nw`);
  return Number(m[1]) * (m[2] === 'w' ? 7 : 1);
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

// ---------------------------------------------------------------------------
// Windows: [start, end) as day numbers; start null = no lower bound

/**
 * The window of `spec` as of day D (a day number), per the calendar.
 * Every window ends at the end of D: the exclusive bound is D+1 00:00 UTC.
 */
export function windowDays(spec, D, calendar) {
  const end = D + 1;
  const w = String(spec).trim();
  let m;
  if ((m = /^(\d+)([dw])$/.exec(w))) {
    const n = Number(m[1]) * (m[2] === 'w' ? 7 : 1);
    return { start: D - n + 1, end };
  }
  const date = new Date(D * DAY_MS);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + 1;
  switch (w) {
    case 'week': {
      const back = (date.getUTCDay() - calendar.weekStart + 7) % 7;
      return { start: D - back, end };
    }
    case 'month':
      return { start: dayNumber(monthStart(year, month)), end };
    case 'quarter': {
      // The fiscal quarter containing D: its first month is the latest month
      // <= D's month that lies 0, 3, 6 or 9 months after the fiscal start.
      const back = (((month - calendar.fiscalStart) % 12) + 12) % 3;
      return { start: dayNumber(monthStart(year, month - back)), end };
    }
    case 'all':
      return { start: null, end };
    default:
      throw new Error(`bad window '${spec}'`);
  }
}

/** SQL condition: timestamp column `col` lies in the window. */
function windowSql(col, win) {
  const upper = `${col} < ${tsLit(win.end)}`;
  return win.start === null ? upper : `${col} >= ${tsLit(win.start)} AND ${upper}`;
}

// ---------------------------------------------------------------------------
// Formula expressions: + - * / unary minus, parentheses, min max abs,
// numbers and metric ids. Parsed once into a tree, evaluated per segment.

export function parseFormula(text) {
  const tokens = [];
  const re = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([a-z][a-z0-9_]*)|(.))/gy;
  let m;
  while (re.lastIndex < text.length && (m = re.exec(text))) {
    if (m[1] !== undefined) tokens.push({ kind: 'num', value: Number(m[1]) });
    else if (m[2] !== undefined) tokens.push({ kind: 'id', value: m[2] });
    else if (m[3] !== undefined && m[3].trim() !== '') tokens.push({ kind: 'op', value: m[3] });
  }
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (v) => peek()?.kind === 'op' && peek().value === v;
  const expect = (v) => {
    if (!isOp(v)) throw new Error(`formula '${text}': expected '${v}'`);
    pos++;
  };
  // expr := term (('+' | '-') term)*
  function expr() {
    let node = term();
    while (isOp('+') || isOp('-')) node = { op: tokens[pos++].value, a: node, b: term() };
    return node;
  }
  // term := unary (('*' | '/') unary)*
  function term() {
    let node = unary();
    while (isOp('*') || isOp('/')) node = { op: tokens[pos++].value, a: node, b: unary() };
    return node;
  }
  // unary := '-' unary | '+' unary | primary
  function unary() {
    if (isOp('-')) { pos++; return { op: 'neg', a: unary() }; }
    if (isOp('+')) { pos++; return unary(); }
    return primary();
  }
  // primary := number | id | fn '(' expr (',' expr)* ')' | '(' expr ')'
  function primary() {
    const t = peek();
    if (!t) throw new Error(`formula '${text}': unexpected end`);
    if (t.kind === 'num') { pos++; return { num: t.value }; }
    if (t.kind === 'id') {
      pos++;
      if (['min', 'max', 'abs'].includes(t.value) && isOp('(')) {
        pos++;
        const args = [expr()];
        while (isOp(',')) { pos++; args.push(expr()); }
        expect(')');
        if (t.value === 'abs' && args.length !== 1) throw new Error(`formula '${text}': abs takes one argument`);
        return { fn: t.value, args };
      }
      return { ref: t.value };
    }
    if (isOp('(')) { pos++; const node = expr(); expect(')'); return node; }
    throw new Error(`formula '${text}': unexpected '${t.value}'`);
  }
  const tree = expr();
  if (pos !== tokens.length) throw new Error(`formula '${text}': unexpected '${tokens[pos].value}'`);
  return tree;
}

/** The metric ids a formula tree references. */
export function formulaRefs(tree, out = new Set()) {
  if (tree.ref) out.add(tree.ref);
  for (const k of ['a', 'b']) if (tree[k]) formulaRefs(tree[k], out);
  for (const arg of tree.args ?? []) formulaRefs(arg, out);
  return out;
}

/** Evaluate a formula tree; `value(id)` gives an input. Null propagates; x/0 is null. */
export function evalFormula(tree, value) {
  if (tree.num !== undefined) return tree.num;
  if (tree.ref !== undefined) return value(tree.ref);
  if (tree.fn) {
    const args = tree.args.map((a) => evalFormula(a, value));
    if (args.some((x) => x === null)) return null;
    if (tree.fn === 'abs') return Math.abs(args[0]);
    return tree.fn === 'min' ? Math.min(...args) : Math.max(...args);
  }
  const a = evalFormula(tree.a, value);
  if (tree.op === 'neg') return a === null ? null : -a;
  const b = evalFormula(tree.b, value);
  if (a === null || b === null) return null;
  switch (tree.op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0 ? null : a / b;
  }
  throw new Error(`bad formula node ${JSON.stringify(tree)}`);
}

// ---------------------------------------------------------------------------
// Workspace files

/**
 * okra.yaml, then every other *.yaml below dir in byte order of the path;
 * hidden names are skipped, and so is a folder with its own okra.yaml
 * (another workspace).
 */
export function workspaceFiles(dir) {
  const found = [];
  (function walk(d) {
    for (const name of readdirSync(d)) {
      if (name.startsWith('.')) continue;
      const path = join(d, name);
      const st = statSync(path);
      if (st.isDirectory()) {
        if (!existsSync(join(path, 'okra.yaml'))) walk(path);
      } else if (st.isFile() && name.endsWith('.yaml')) found.push(relative(dir, path));
    }
  })(dir);
  const rest = found
    .filter((p) => p !== 'okra.yaml')
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return ['okra.yaml', ...rest];
}

/** Settings and metric definitions of the workspace at dir. */
export function readWorkspace(dir) {
  if (!existsSync(join(dir, 'okra.yaml'))) throw new Error(`no okra.yaml in ${dir}`);
  const metrics = [];
  const experiments = [];
  let settings = {};
  for (const file of workspaceFiles(dir)) {
    const doc = YAML.parse(readFileSync(join(dir, file), 'utf8')) ?? {};
    if (file === 'okra.yaml') settings = doc;
    for (const m of doc.metrics ?? []) metrics.push({ ...m, file });
    for (const x of doc.experiments ?? []) experiments.push({ ...x, file });
  }
  const cal = settings.calendar ?? {};
  const weekStart = WEEKDAYS.indexOf(String(cal.week_start ?? 'monday').toLowerCase());
  if (weekStart < 0) throw new Error(`bad calendar.week_start '${cal.week_start}'`);
  return {
    settings,
    metrics,
    experiments,
    calendar: { fiscalStart: Number(cal.fiscal_year_start_month ?? 1), weekStart },
    data: settings.data ?? {},
  };
}

/** Expand a path that may hold * and ? (in any segment) into files, in name order. */
function expandGlob(dir, pattern) {
  const abs = isAbsolute(pattern) ? pattern : join(dir, pattern);
  if (!/[*?[]/.test(abs)) return existsSync(abs) ? [abs] : [];
  const parts = abs.split('/');
  let paths = [parts[0] === '' ? '/' : parts[0]];
  for (const part of parts.slice(1)) {
    if (part === '') continue;
    const next = [];
    for (const base of paths) {
      if (!/[*?[]/.test(part)) {
        if (existsSync(join(base, part))) next.push(join(base, part));
        continue;
      }
      const re = new RegExp(
        '^' + part.replace(/[.+^${}()|\\]/g, '\\$&').replaceAll('*', '[^/]*').replaceAll('?', '[^/]') + '$',
      );
      let names = [];
      try { names = readdirSync(base); } catch { /* not a folder */ }
      for (const n of names.sort()) if (re.test(n)) next.push(join(base, n));
    }
    paths = next;
  }
  return paths.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** A `data:` table entry -> { files, columns (okra name -> file column), periods }. */
function tableSource(dir, name, entry) {
  if (entry === undefined || entry === null) return null;
  const spec = typeof entry === 'string' ? { path: entry } : entry;
  const files = expandGlob(dir, spec.path);
  if (files.length === 0) throw new Error(`data.${name}: no file matches '${spec.path}'`);
  for (const f of files) {
    if (!/\.csv(\.gz)?$/.test(f)) throw new Error(`data.${name}: only CSV is supported here (${basename(f)})`);
  }
  return { files, columns: spec.columns ?? {}, periods: spec.periods ?? null };
}

// ---------------------------------------------------------------------------
// The workspace in DuckDB

export class Workspace {
  /** Open the workspace at dir and load its data into an in-memory DuckDB. */
  static async open(dir, options = {}) {
    const ws = new Workspace();
    ws.dir = dir;
    Object.assign(ws, readWorkspace(dir));
    // options.database: a DuckDB file to load into (created afresh),
    // compressed and paged by DuckDB's buffer manager, so that 100M events
    // fit on this machine; the default is an in-memory database.
    ws.database = options.database ?? null;
    if (ws.database) for (const f of [ws.database, ws.database + '.wal']) rmSync(f, { force: true });
    ws.instance = await DuckDBInstance.create(ws.database ?? ':memory:');
    // A file database pages to disk: leave room for the rest of the machine.
    if (ws.database) await ws.instance.connect().then((c) => c.run(`SET memory_limit = '${options.memoryLimit ?? '12GB'}'`));
    ws.conn = await ws.instance.connect();
    ws.connections = [ws.conn];
    ws.free = [ws.conn];
    ws.waiting = [];
    // All timestamps are UTC; strings without an offset are read as UTC.
    await ws.run("SET TimeZone = 'UTC'");
    await ws.load(options);
    ws.byId = new Map(ws.metrics.map((m) => [m.id, m]));
    // Check-ins of manual metrics (options.checkins: the list `okra
    // checkins --format json` prints, by metric, date and order of
    // writing). They are input, typed by a person, not computed.
    ws.checkins = options.checkins ?? [];
    // Metrics are evaluated concurrently on a few connections (options.
    // connections, default 2); options.threads sets DuckDB's threads (on
    // small data, 1 thread per query and queries side by side is fastest).
    if (options.threads) await ws.run(`SET threads = ${Number(options.threads)}`);
    while (ws.connections.length < (options.connections ?? 2)) {
      const conn = await ws.instance.connect();
      await conn.run("SET TimeZone = 'UTC'");
      ws.connections.push(conn);
      ws.free.push(conn);
    }
    return ws;
  }

  close() {
    for (const conn of this.connections) conn.closeSync();
    this.instance.closeSync();
    if (this.database) for (const f of [this.database, this.database + '.wal']) rmSync(f, { force: true });
  }

  /** Run a statement (loading, settings) on the first connection. */
  async run(sql) {
    return this.conn.run(sql);
  }

  /** The rows of a query (objects with JS values), on the next free connection. */
  async rows(sql) {
    const conn = this.free.length ? this.free.pop() : await new Promise((take) => this.waiting.push(take));
    try {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRowObjectsJS();
    } finally {
      const next = this.waiting.shift();
      if (next) next(conn);
      else this.free.push(conn);
    }
  }

  /** How many events are loaded. */
  async eventCount() {
    const r = await this.rows('SELECT count(*) AS n FROM ev');
    return Number(r[0].n);
  }

  // ------------------------------------------------------------ loading --

  /**
   * Every CSV file of a table, all columns VARCHAR, in file and row order:
   * `_rid` numbers the rows from 1 in the order of the files (funnels use it
   * to break ties between equal timestamps). The files are read on every
   * thread: DuckDB keeps the insertion order of a parallel read
   * (`preserve_insertion_order`, on by default), so the table's rowid is
   * that order.
   */
  async rawTable(name, source) {
    const files = `[${source.files.map(lit).join(', ')}]`;
    await this.run(`CREATE TABLE raw_${name} AS
      SELECT *
      FROM read_csv(${files}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"',
                    union_by_name = true, auto_detect = false)`);
    const cols = await this.rows(`SELECT column_name FROM (DESCRIBE raw_${name})`);
    return cols.map((c) => c.column_name);
  }

  /**
   * Map okra's column names to the file's columns: `columns:` renames, the
   * rest keep their names. Returns { col(okraName) -> SQL, extra: [names] }
   * where extra are the other columns (event properties or attributes).
   */
  columnMap(name, fileCols, source, core, required) {
    const renamed = source.columns;
    const used = new Set();
    const col = {};
    for (const c of core) {
      const file = renamed[c] ?? c;
      if (fileCols.includes(file)) {
        col[c] = `NULLIF(r.${ident(file)}, '')`;
        used.add(file);
      } else {
        if (required.includes(c)) throw new Error(`data.${name}: no column '${file}'`);
        col[c] = 'NULL::VARCHAR';
      }
    }
    return { col, extra: fileCols.filter((c) => !used.has(c)) };
  }

  async load(options) {
    // Timestamps: ISO 8601 with or without offset or fraction (microseconds
    // kept, finer truncated), a date alone (midnight), or Unix seconds.
    await this.run(`CREATE MACRO okra_ts(x) AS CASE
        WHEN x IS NULL THEN NULL
        WHEN regexp_full_match(trim(x), '-?[0-9]+') THEN make_timestamp(trim(x)::BIGINT * 1000000)
        ELSE CAST(CAST(trim(x) AS TIMESTAMPTZ) AS TIMESTAMP) END`);
    // Numbers in text (properties, attributes): a plain decimal, optionally
    // signed, with fraction and exponent. Anything else (n/a, inf, nan, hex,
    // 1_000, surrounding blanks) is not a number.
    await this.run(`CREATE MACRO okra_num(x) AS CASE
        WHEN regexp_full_match(x, '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?') THEN TRY_CAST(x AS DOUBLE) END`);
    const d = this.data;
    const src = (t) => tableSource(this.dir, t, d[t]);

    // accounts(account_id, created_at, attributes...)
    // A workspace may lack tables (a revenue-only one has no events):
    // a missing table is an empty one.
    const acc = src('accounts');
    if (!acc) {
      this.accountAttrs = [];
      await this.run('CREATE TABLE accounts (account_id VARCHAR, created_at TIMESTAMP)');
    } else {
      const fileCols = await this.rawTable('accounts', acc);
      const { col, extra } = this.columnMap('accounts', fileCols, acc, ['account_id', 'created_at'], ['account_id', 'created_at']);
      this.accountAttrs = extra;
      await this.run(`CREATE TABLE accounts AS SELECT
          ${col.account_id} AS account_id, okra_ts(${col.created_at}) AS created_at
          ${extra.map((a) => `, NULLIF(r.${ident(a)}, '') AS ${ident(a)}`).join('')}
        FROM raw_accounts r`);
    }

    // users(user_id, account_id, created_at, attributes...), optional
    const usr = src('users');
    if (usr) {
      const fileCols = await this.rawTable('users', usr);
      const { col, extra } = this.columnMap('users', fileCols, usr, ['user_id', 'account_id', 'created_at'], ['user_id', 'created_at']);
      await this.run(`CREATE TABLE users AS SELECT
          ${col.user_id} AS user_id, ${col.account_id} AS account_id, okra_ts(${col.created_at}) AS created_at
          ${extra.map((a) => `, NULLIF(r.${ident(a)}, '') AS ${ident(a)}`).join('')}
        FROM raw_users r`);
    } else {
      await this.run('CREATE TABLE users (user_id VARCHAR, account_id VARCHAR, created_at TIMESTAMP)');
    }
    const noAccount = await this.rows('SELECT user_id FROM users WHERE account_id IS NULL LIMIT 1');
    if (noAccount.length) throw new Error(`data.users: user '${noAccount[0].user_id}' has an empty account_id`);
    for (const t of ['accounts', 'users']) {
      const key = t === 'accounts' ? 'account_id' : 'user_id';
      const dup = await this.rows(`SELECT ${key} AS id FROM ${t} GROUP BY ALL HAVING count(*) > 1 LIMIT 1`);
      if (dup.length) throw new Error(`data.${t}: duplicate ${key} '${dup[0].id}'`);
    }

    // events(rid, ts, day, event, account_id (after the fill), user_id, properties...)
    const evs = src('events');
    if (!evs) {
      this.eventProps = [];
      await this.run(`CREATE TABLE events (rid BIGINT, ts TIMESTAMP, event VARCHAR, account_id VARCHAR,
                                           user_id VARCHAR, no_id BOOLEAN)`);
    } else {
      const fileCols = await this.rawTable('events', evs);
      const { col, extra } = this.columnMap('events', fileCols, evs, ['timestamp', 'event', 'account_id', 'user_id'], ['timestamp', 'event']);
      this.eventProps = extra;
      // SPEC 3.1: an empty account_id takes the account of a known user; the
      // event's own account_id wins when both are given.
      await this.run(`CREATE TABLE events AS SELECT
          r.rowid + 1 AS rid, okra_ts(${col.timestamp}) AS ts, ${col.event} AS event,
          COALESCE(${col.account_id}, u.account_id) AS account_id,
          ${col.user_id} AS user_id,
          ${col.account_id} IS NULL AND ${col.user_id} IS NULL AS no_id
          ${extra.map((p) => `, NULLIF(r.${ident(p)}, '') AS ${ident(p)}`).join('')}
        FROM raw_events r LEFT JOIN users u ON u.user_id = ${col.user_id}`);
      const bad = await this.rows('SELECT count(*) AS n FROM events WHERE no_id OR ts IS NULL OR event IS NULL');
      if (Number(bad[0].n) > 0) throw new Error(`data.events: ${bad[0].n} rows without account_id and user_id, timestamp or event`);
    }
    {
      // ev: the events with their day and the attributes of their account
      // (prefixed "acct$", so that a property and an attribute may share a name).
      await this.run(`CREATE TABLE ev AS SELECT e.* EXCLUDE (no_id), CAST(e.ts AS DATE) AS day
          ${this.accountAttrs.map((a) => `, a.${ident(a)} AS ${ident('acct$' + a)}`).join('')}
        FROM events e LEFT JOIN accounts a ON a.account_id = e.account_id`);
      // Only ev is queried: the text and the intermediate copies go, so
      // that one copy of the events is held at 100M.
      await this.run('DROP TABLE events');
      for (const t of ['accounts', 'users', 'events'])
        await this.run(`DROP TABLE IF EXISTS raw_${t}`);
    }

    // revenue(account_id, month DATE, mrr DOUBLE), optional
    const rev = src('revenue');
    if (rev) await this.loadRevenue(rev, options);
    else await this.run('CREATE TABLE revenue (account_id VARCHAR, month DATE, mrr DOUBLE)');
  }

  async loadRevenue(rev, options) {
    const fileCols = await this.rawTable('revenue', rev);
    // A month is `YYYY-MM`; a date (or timestamp) is taken as its month.
    const month = (x) => `CASE WHEN regexp_full_match(trim(${x}), '[0-9]{4}-[0-9]{2}')
        THEN CAST(trim(${x}) || '-01' AS DATE) ELSE CAST(date_trunc('month', okra_ts(${x})) AS DATE) END`;
    if (rev.periods) {
      // Periods: each adds its amount to every month whose first day lies in
      // [start, end). Reading: an empty end means the period never ends; the
      // months are expanded up to a horizon, the later of options.horizon
      // (the last as-of date) and a year from today.
      const p = rev.periods;
      const c = (k) => (p[k] ? `NULLIF(r.${ident(p[k])}, '')` : 'NULL');
      const later = (a, b) => (a > b ? a : b);
      const horizon = later(options.horizon ?? '', dayString(Math.floor(Date.now() / DAY_MS) + 366));
      await this.run(`CREATE TABLE revenue AS
        WITH periods AS (
          SELECT ${c('account_id')} AS account_id, okra_ts(${c('start')}) AS pstart,
                 okra_ts(${c('end')}) AS pend, CAST(${c('mrr')} AS DOUBLE) AS mrr
          FROM raw_revenue r)
        SELECT account_id, CAST(m AS DATE) AS month, sum(mrr) AS mrr
        FROM periods, generate_series(date_trunc('month', pstart + INTERVAL 1 MONTH - INTERVAL 1 MICROSECOND),
                                      COALESCE(pend - INTERVAL 1 MICROSECOND, TIMESTAMP ${lit(horizon)}),
                                      INTERVAL 1 MONTH) AS g(m)
        GROUP BY ALL`);
    } else {
      const { col } = this.columnMap('revenue', fileCols, rev, ['account_id', 'month', 'mrr', 'currency'], ['account_id', 'month', 'mrr']);
      await this.run(`CREATE TABLE revenue AS SELECT
          ${col.account_id} AS account_id, ${month(col.month)} AS month, CAST(${col.mrr} AS DOUBLE) AS mrr
        FROM raw_revenue r`);
      const dup = await this.rows('SELECT account_id, month FROM revenue GROUP BY ALL HAVING count(*) > 1 LIMIT 1');
      if (dup.length) throw new Error(`data.revenue: two rows for account '${dup[0].account_id}' in one month`);
    }
    await this.run('DROP TABLE raw_revenue');
  }

  // ------------------------------------------------------------ filters --

  /** Is `key` an event property, an account attribute, or neither? */
  whereColumn(key) {
    // Reading: a key naming both means the property (SPEC 3.1).
    if (this.eventProps.includes(key)) return `e.${ident(key)}`;
    if (this.accountAttrs.includes(key)) return `e.${ident('acct$' + key)}`;
    return null;
  }

  /** SQL: the raw value `col` equals the YAML value `v`. */
  static equals(col, v) {
    if (typeof v === 'number') return `okra_num(${col}) = ${num(v)}`;
    if (typeof v === 'string') return `${col} = ${lit(v)}`;
    if (typeof v === 'boolean') return `${col} = ${lit(String(v))}`;
    return 'FALSE';
  }

  /**
   * SQL condition for a filter on the event alias `e`. A filter is an event
   * name, or a map of event / events / where; undefined = any event.
   */
  filterSql(f) {
    if (f === undefined || f === null) return 'TRUE';
    if (typeof f === 'string') return `e.event = ${lit(f)}`;
    const parts = [];
    if (f.event !== undefined) parts.push(`e.event = ${lit(f.event)}`);
    if (f.events !== undefined) {
      const list = [].concat(f.events);
      parts.push(`e.event IN (${list.map(lit).join(', ')})`);
    }
    for (const [key, value] of Object.entries(f.where ?? {})) {
      const col = this.whereColumn(key);
      if (!col) { parts.push('FALSE'); continue; }
      const values = [].concat(value);
      parts.push(`(${values.map((v) => Workspace.equals(col, v)).join(' OR ')})`);
    }
    return parts.length ? parts.join(' AND ') : 'TRUE';
  }

  /** The top-level filter of count, sum, avg and active metrics. */
  static metricFilter(m) {
    return { event: m.event, events: m.events, where: m.where };
  }

  /** A label for a funnel step (its event name). */
  static stepLabel(f) {
    if (typeof f === 'string') return f;
    return f.event ?? [].concat(f.events ?? []).join('|');
  }

  // ---------------------------------------------------------- segments --

  /**
   * The segment map: one row (entity, seg) per entity of the accounts (or
   * users) table; entities not in it fall in '(none)' at the join.
   */
  segMapSql(entity, by) {
    const value = (a) => {
      if (by === 'cohort') return `strftime(${a}.created_at, '%Y-%m')`;
      // A metric's `segments:` may name an attribute the data lacks: everyone is in (none).
      return this.accountAttrs.includes(by) ? `${a}.${ident(by)}` : 'NULL::VARCHAR';
    };
    if (entity === 'user') {
      // Reading: `cohort` is the user's own signup month; other attributes
      // are those of the user's account (users.account_id).
      const v = by === 'cohort' ? value('u') : value('a');
      return `SELECT u.user_id AS entity, ${v} AS seg
              FROM users u LEFT JOIN accounts a ON a.account_id = u.account_id`;
    }
    return `SELECT a.account_id AS entity, ${value('a')} AS seg FROM accounts a`;
  }

  /**
   * Every segment of an attribute: the values it takes in the accounts
   * table, sorted, plus (none). `strict` (for --by) makes an attribute the
   * accounts table lacks an error.
   */
  async segmentList(by, strict = true) {
    if (by !== 'cohort' && !this.accountAttrs.includes(by)) {
      if (strict) throw new Error(`--by ${by}: not an attribute of the accounts table`);
      return ['(none)'];
    }
    // Reading: `cohort` is the entity's signup month, and for `entity: user`
    // that is the user's; so its values are the signup months of the
    // accounts *and* of the users tables.
    const sql = by === 'cohort'
      ? `SELECT strftime(created_at, '%Y-%m') AS v FROM accounts UNION SELECT strftime(created_at, '%Y-%m') FROM users`
      : `SELECT ${ident(by)} AS v FROM accounts`;
    const rows = await this.rows(`SELECT DISTINCT v FROM (${sql}) WHERE v IS NOT NULL ORDER BY 1`);
    return [...rows.map((r) => r.v), '(none)'];
  }

  // ---------------------------------------------------------------------
  // Metric evaluation context: everything a metric's SQL depends on.

  context(m, D, by) {
    const entity = m.entity ?? 'account';
    if (entity !== 'account' && entity !== 'user') throw new Error(`${m.id}: bad entity '${entity}'`);
    const ws = this;
    const entCol = entity === 'account' ? 'e.account_id' : 'e.user_id';
    return {
      m, D, by, entity,
      /** SQL expression: the entity id of event `e`. */
      entCol,
      window: (dflt) => windowDays(m.window ?? dflt, D, ws.calendar),
      /**
       * The events with an entity id that match filter f (and the window
       * when given), as rows (entity, rid, ts, day, user_id, [extra]).
       */
      events(f, win, extra = '') {
        return `SELECT ${entCol} AS entity, e.rid, e.ts, e.day, e.user_id${extra ? ', ' + extra : ''}
                FROM ev e
                WHERE ${entCol} IS NOT NULL AND ${ws.filterSql(f)}${win ? ' AND ' + windowSql('e.ts', win) : ''}`;
      },
      /** Attach the segment of each row's `entity`. */
      segmented(rel, forEntity = entity) {
        if (!by) return rel;
        return `SELECT r.*, COALESCE(s.seg, '(none)') AS seg
                FROM (${rel}) r LEFT JOIN (${ws.segMapSql(forEntity, by)}) s ON s.entity = r.entity`;
      },
      /**
       * Aggregate rows (with `seg` when segmented) into one row for the
       * whole population (seg '*') and one per segment.
       */
      grouped(rel, columns) {
        const cols = Object.entries(columns).map(([k, v]) => `${v} AS ${k}`).join(', ');
        if (!by) return `SELECT '*' AS seg, ${cols} FROM (${rel}) r`;
        return `SELECT CASE WHEN grouping(seg) = 1 THEN '*' ELSE seg END AS seg, ${cols}
                FROM (${rel}) r GROUP BY GROUPING SETS ((), (seg))`;
      },
    };
  }

  // ------------------------------------------------------ metric types --
  // Each returns { sql, empty, integer?, steps? }: `sql` yields (seg, value
  // [, step_i]) rows; `empty` is the value of a segment without rows.

  /** count: the number of matching events in the window (default 7d). */
  countSql(ctx) {
    const rel = ctx.segmented(ctx.events(Workspace.metricFilter(ctx.m), ctx.window('7d')));
    return { sql: ctx.grouped(rel, { value: 'count(*)' }), empty: 0, integer: true };
  }

  /** The numeric property x of the matching events in the window that have one. */
  propertyRows(ctx) {
    const m = ctx.m;
    if (!m.property) throw new Error(`${m.id}: property is required`);
    // Reading: a value that is not a number counts as absent.
    const x = this.eventProps.includes(m.property)
      ? `okra_num(e.${ident(m.property)})` : 'NULL::DOUBLE';
    const rows = ctx.events(Workspace.metricFilter(m), ctx.window('7d'), `${x} AS x`);
    return ctx.segmented(`SELECT * FROM (${rows}) WHERE x IS NOT NULL AND isfinite(x)`);
  }

  /** per: active — the sum divided by the entities with any event in the window and segment. */
  perActiveSql(ctx) {
    const sums = ctx.grouped(this.propertyRows(ctx), { value: 'sum(x)' });
    const active = ctx.grouped(ctx.segmented(ctx.events(undefined, ctx.window('7d'))), { n: 'count(DISTINCT entity)' });
    return {
      sql: `SELECT a.seg, COALESCE(s.value, 0) / NULLIF(a.n, 0) AS value
            FROM (${active}) a LEFT JOIN (${sums}) s ON s.seg = a.seg`,
      empty: null,
    };
  }

  /** sum: the sum of a numeric property (0 over nothing). */
  sumSql(ctx) {
    if (ctx.m.per === 'active') return this.perActiveSql(ctx);
    return { sql: ctx.grouped(this.propertyRows(ctx), { value: 'COALESCE(sum(x), 0)' }), empty: 0 };
  }

  /** avg: the mean of a numeric property (null over nothing). */
  avgSql(ctx) {
    if (ctx.m.per === 'active') return this.perActiveSql(ctx);
    return { sql: ctx.grouped(this.propertyRows(ctx), { value: 'avg(x)' }), empty: null };
  }

  /** active: entities with >= min_events matching events on >= min_days days (default 28d). */
  activeSql(ctx) {
    const m = ctx.m;
    const minEvents = Number(m.min_events ?? 1);
    const minDays = Number(m.min_days ?? 1);
    const perEntity = `SELECT entity FROM (${ctx.events(Workspace.metricFilter(m), ctx.window('28d'))})
                       GROUP BY entity HAVING count(*) >= ${minEvents} AND count(DISTINCT day) >= ${minDays}`;
    return { sql: ctx.grouped(ctx.segmented(perEntity), { value: 'count(*)' }), empty: 0, integer: true };
  }

  /**
   * The anchors: rows (entity, anchor_ts). `created` = every row of the
   * accounts (users) table; {event: x} = the first x in all loaded data.
   */
  anchorSql(ctx) {
    const a = ctx.m.anchor;
    if (a === undefined) throw new Error(`${ctx.m.id}: anchor is required`);
    if (a === 'created') {
      return ctx.entity === 'account'
        ? 'SELECT account_id AS entity, created_at AS anchor_ts FROM accounts WHERE account_id IS NOT NULL AND created_at IS NOT NULL'
        : 'SELECT user_id AS entity, created_at AS anchor_ts FROM users WHERE user_id IS NOT NULL AND created_at IS NOT NULL';
    }
    return `SELECT entity, min(ts) AS anchor_ts FROM (${ctx.events(a, null)}) GROUP BY entity`;
  }

  /** The mature cohort: anchors whose anchor day lies in [first, last] (day numbers). */
  cohortSql(ctx, first, last) {
    return `SELECT entity, anchor_ts FROM (${this.anchorSql(ctx)})
            WHERE CAST(anchor_ts AS DATE) BETWEEN ${dateLit(first)} AND ${dateLit(last)}`;
  }

  /** conversion: share of the mature cohort reaching the target (or every funnel step). */
  conversionSql(ctx) {
    const m = ctx.m;
    const W = durationDays(m.within, `${m.id}.within`);
    const C = durationDays(m.cohort ?? '28d', `${m.id}.cohort`);
    const steps = m.steps ? [].concat(m.steps) : [m.target];
    if (steps[0] === undefined) throw new Error(`${m.id}: target or steps is required`);
    const D = ctx.D;
    // Funnel, greedy and earliest first: step i takes the first matching
    // event at or after step i-1's time (t(i) >= t(i-1)), inside
    // [anchor, anchor + W x 24 h), and not an event an earlier step took.
    const ctes = [
      `cohort AS (${this.cohortSql(ctx, D - W - C + 1, D - W)})`,
      `st0 AS (SELECT entity, anchor_ts, anchor_ts AS t, []::BIGINT[] AS used FROM cohort)`,
    ];
    steps.forEach((step, i) => {
      ctes.push(`st${i + 1} AS (
        SELECT s.entity, s.anchor_ts, x.ts AS t, list_append(s.used, x.rid) AS used
        FROM st${i} s JOIN (${ctx.events(step, null)}) x
          ON x.entity = s.entity AND x.ts >= s.t AND x.ts < s.anchor_ts + INTERVAL ${W * 24} HOUR
             AND NOT list_contains(s.used, x.rid)
        QUALIFY row_number() OVER (PARTITION BY s.entity ORDER BY x.ts, x.rid) = 1)`);
    });
    const reached = steps.map((_, i) => `(SELECT entity FROM st${i + 1}) AS r${i + 1} USING (entity)`);
    const rel = `SELECT c.entity, ${steps.map((_, i) => `r${i + 1}.entity IS NOT NULL AS hit${i + 1}`).join(', ')}
                 FROM cohort c ${reached.map((r) => `LEFT JOIN ${r}`).join(' ')}`;
    const share = (i) => `count(*) FILTER (WHERE hit${i})::DOUBLE / NULLIF(count(*), 0)`;
    const cols = { value: share(steps.length) };
    if (m.steps) steps.forEach((_, i) => { cols[`step_${i + 1}`] = share(i + 1); });
    return {
      sql: `WITH ${ctes.join(',\n')} ${ctx.grouped(ctx.segmented(rel), cols)}`,
      empty: null,
      steps: m.steps ? steps.map(Workspace.stepLabel) : undefined,
    };
  }

  /** retention: share of the mature cohort active on day A+N (or any day A+N1 .. A+N2). */
  retentionSql(ctx) {
    const m = ctx.m;
    const [n1, n2] = m.between !== undefined ? m.between.map(Number) : [Number(m.day), Number(m.day)];
    if (!Number.isInteger(n1) || !Number.isInteger(n2)) throw new Error(`${m.id}: day or between is required`);
    const C = durationDays(m.cohort ?? '28d', `${m.id}.cohort`);
    const D = ctx.D;
    // Mature: A + N2 <= D and A >= D - N2 - C + 1.
    const rel = `WITH cohort AS (${this.cohortSql(ctx, D - n2 - C + 1, D - n2)}),
                 activity AS (${ctx.events(m.activity, null)})
                 SELECT c.entity, EXISTS (
                   SELECT 1 FROM activity x WHERE x.entity = c.entity
                     AND x.day BETWEEN CAST(c.anchor_ts AS DATE) + ${n1} AND CAST(c.anchor_ts AS DATE) + ${n2}) AS kept
                 FROM cohort c`;
    return {
      sql: ctx.grouped(ctx.segmented(rel), { value: 'count(*) FILTER (WHERE kept)::DOUBLE / NULLIF(count(*), 0)' }),
      empty: null,
    };
  }

  /** time_to: a quantile of the hours from anchor to first target; +inf when none within W. */
  timeToSql(ctx) {
    const m = ctx.m;
    const W = durationDays(m.within, `${m.id}.within`);
    const C = durationDays(m.cohort ?? '28d', `${m.id}.cohort`);
    const stat = String(m.stat ?? 'median');
    const sm = /^p(\d{1,2})$/.exec(stat);
    const q = stat === 'median' ? 0.5 : sm ? Number(sm[1]) / 100 : NaN;
    if (!(q > 0 && q < 1)) throw new Error(`${m.id}: bad stat '${stat}'`);
    const D = ctx.D;
    const rel = `WITH cohort AS (${this.cohortSql(ctx, D - W - C + 1, D - W)}),
                 first AS (
                   SELECT c.entity, min(x.ts) AS t
                   FROM cohort c JOIN (${ctx.events(m.target, null)}) x
                     ON x.entity = c.entity AND x.ts >= c.anchor_ts AND x.ts < c.anchor_ts + INTERVAL ${W * 24} HOUR
                   GROUP BY c.entity)
                 SELECT c.entity,
                   COALESCE((epoch_us(f.t) - epoch_us(c.anchor_ts)) / 3600e6, 'infinity'::DOUBLE) AS hours
                 FROM cohort c LEFT JOIN first f USING (entity)`;
    // quantile_cont interpolates at (n-1)q; a result touching +inf comes out
    // as +inf (or NaN), which is null here: a statistic with nonzero weight is +inf.
    const quant = `quantile_cont(hours, ${q})`;
    return {
      sql: ctx.grouped(ctx.segmented(rel), { value: `CASE WHEN isfinite(${quant}) THEN ${quant} END` }),
      empty: null,
    };
  }

  /** threshold: share of the entities active in the window whose measure reaches at_least. */
  thresholdSql(ctx) {
    const m = ctx.m;
    const win = ctx.window('28d');
    const atLeast = Number(m.at_least);
    if (!Number.isFinite(atLeast)) throw new Error(`${m.id}: at_least is required`);
    const measure = m.measure;
    const pop = `SELECT entity, count(DISTINCT user_id) AS users, count(DISTINCT day) AS days
                 FROM (${ctx.events(m.activity, win)}) GROUP BY entity`;
    let met;
    let join = '';
    if (measure === 'distinct_users') met = `p.users >= ${num(atLeast)}`;
    else if (measure === 'active_days') met = `p.days >= ${num(atLeast)}`;
    else if (measure && measure.count !== undefined) {
      join = `LEFT JOIN (SELECT entity, count(*) AS n FROM (${ctx.events(measure.count, win)}) GROUP BY entity) k
              USING (entity)`;
      met = `COALESCE(k.n, 0) >= ${num(atLeast)}`;
    } else if (measure && measure.ratio_to !== undefined) {
      if ((measure.of ?? 'distinct_users') !== 'distinct_users') throw new Error(`${m.id}: ratio_to of '${measure.of}'`);
      // The numeric attribute of the entity's account (for users: the
      // user's account); missing, zero or non-numeric means "not met".
      const attr = String(measure.ratio_to);
      const value = this.accountAttrs.includes(attr) ? `okra_num(a.${ident(attr)})` : 'NULL::DOUBLE';
      const owner = ctx.entity === 'account'
        ? `SELECT account_id AS entity, ${value} AS cap FROM accounts a`
        : `SELECT u.user_id AS entity, ${value} AS cap FROM users u JOIN accounts a ON a.account_id = u.account_id`;
      join = `LEFT JOIN (${owner}) k USING (entity)`;
      met = `COALESCE(k.cap <> 0 AND isfinite(k.cap) AND p.users / k.cap >= ${num(atLeast)}, FALSE)`;
    } else {
      throw new Error(`${m.id}: bad measure ${JSON.stringify(measure)}`);
    }
    const rel = `SELECT p.entity, ${met} AS met FROM (${pop}) p ${join}`;
    return {
      sql: ctx.grouped(ctx.segmented(rel), { value: 'count(*) FILTER (WHERE met)::DOUBLE / NULLIF(count(*), 0)' }),
      empty: null,
    };
  }

  /** revenue: MRR measures of the month M containing D (whole month). */
  revenueSql(ctx) {
    const m = ctx.m;
    const date = new Date(ctx.D * DAY_MS);
    const y = date.getUTCFullYear();
    const mo = date.getUTCMonth() + 1;
    const L = Number(m.lookback ?? 12);
    const M = lit(monthStart(y, mo));
    const M1 = lit(monthStart(y, mo - 1));
    const ML = lit(monthStart(y, mo - L));
    // One row per account: m0 = m(a, M), m1 = m(a, M-1), mL = m(a, M-L).
    const perAccount = `SELECT account_id AS entity,
        COALESCE(sum(mrr) FILTER (WHERE month = DATE ${M}), 0) AS m0,
        COALESCE(sum(mrr) FILTER (WHERE month = DATE ${M1}), 0) AS m1,
        COALESCE(sum(mrr) FILTER (WHERE month = DATE ${ML}), 0) AS mL,
        COALESCE(bool_or(mrr > 0 AND month < DATE ${M}), FALSE) AS paid_before_m,
        COALESCE(bool_or(mrr > 0 AND month < DATE ${M1}), FALSE) AS paid_before_m1
      FROM revenue WHERE month <= DATE ${M} AND account_id IS NOT NULL GROUP BY account_id`;
    const rel = ctx.segmented(perAccount, 'account');
    const churned = 'COALESCE(sum(m1) FILTER (WHERE m0 = 0), 0)';
    const contraction = 'COALESCE(sum(m1 - m0) FILTER (WHERE m0 > 0 AND m1 > 0 AND m0 < m1), 0)';
    const measures = {
      mrr: ['COALESCE(sum(m0), 0)', 0],
      arr: ['12 * COALESCE(sum(m0), 0)', 0],
      paying_accounts: ['count(*) FILTER (WHERE m0 > 0)', 0],
      arpa: ['sum(m0) / NULLIF(count(*) FILTER (WHERE m0 > 0), 0)', null],
      new: ['COALESCE(sum(m0) FILTER (WHERE NOT paid_before_m), 0)', 0],
      reactivation: ['COALESCE(sum(m0) FILTER (WHERE m1 = 0 AND paid_before_m1), 0)', 0],
      expansion: ['COALESCE(sum(m0 - m1) FILTER (WHERE m0 > 0 AND m1 > 0 AND m0 > m1), 0)', 0],
      contraction: [contraction, 0],
      churned: [churned, 0],
      nrr: ['sum(m0) FILTER (WHERE mL > 0) / NULLIF(sum(mL) FILTER (WHERE mL > 0), 0)', null],
      grr: ['sum(least(m0, mL)) FILTER (WHERE mL > 0) / NULLIF(sum(mL) FILTER (WHERE mL > 0), 0)', null],
      logo_churn: ['count(*) FILTER (WHERE m1 > 0 AND m0 = 0)::DOUBLE / NULLIF(count(*) FILTER (WHERE m1 > 0), 0)', null],
      revenue_churn: [`(${churned} + ${contraction}) / NULLIF(sum(m1), 0)`, null],
    };
    const chosen = measures[m.measure];
    if (!chosen) throw new Error(`${m.id}: bad revenue measure '${m.measure}'`);
    return {
      sql: ctx.grouped(rel, { value: chosen[0] }),
      empty: chosen[1],
      integer: m.measure === 'paying_accounts',
    };
  }

  /** The SQL plan of a metric computed in DuckDB (not ratio, formula, manual). */
  metricSql(ctx) {
    switch (ctx.m.type) {
      case 'count': return this.countSql(ctx);
      case 'sum': return this.sumSql(ctx);
      case 'avg': return this.avgSql(ctx);
      case 'active': return this.activeSql(ctx);
      case 'conversion': return this.conversionSql(ctx);
      case 'retention': return this.retentionSql(ctx);
      case 'time_to': return this.timeToSql(ctx);
      case 'threshold': return this.thresholdSql(ctx);
      case 'revenue': return this.revenueSql(ctx);
    }
    throw new Error(`${ctx.m.id}: unknown metric type '${ctx.m.type}'`);
  }

  // ---------------------------------------------------------- evaluate --

  /**
   * Every metric as of `asof` (YYYY-MM-DD), optionally segmented by an
   * account attribute. Returns okra's `metrics --format json` shape.
   */
  async evaluate(asof, by = null) {
    const D = dayNumber(asof);
    // The attributes each metric is split by: --by alone, or else the
    // metric's own `segments:` list.
    const attrsOf = (m) => (by ? [by] : [].concat(m.segments ?? []).map(String));
    const attrs = [...new Set(this.metrics.flatMap(attrsOf))];
    const lists = new Map([[null, []]]);
    for (const a of attrs) lists.set(a, await this.segmentList(a, a === by));
    const memos = new Map([...lists.keys()].map((a) => [a, new Map()]));
    const run = (m, a) => this.evaluateMetric(m.id, D, a, lists.get(a), memos.get(a), []);
    const results = await Promise.all(this.metrics.map(async (m) => {
      const split = attrsOf(m);
      // The whole-population value comes with any split ('*'), so the
      // unsplit run is needed only for metrics without one.
      const parts = await Promise.all(split.length ? split.map((a) => run(m, a)) : [run(m, null)]);
      return { parts, split };
    }));
    const out = [];
    for (const [i, m] of this.metrics.entries()) {
      const { parts, split } = results[i];
      const item = { id: m.id, value: parts[0].value, unit: m.unit ?? null };
      if (split.length) item.segments = Object.fromEntries(split.map((a, k) => [a, parts[k].segments]));
      if (parts[0].steps) item.steps = parts[0].steps;
      item.type = m.type;
      item.integer = !!parts[0].integer;
      out.push(item);
    }
    return { asof, metrics: out };
  }

  /** One metric: { value, segments: {seg: v}, steps?, integer? }, memoised per run. */
  evaluateMetric(id, D, by, segments, memo, stack) {
    if (stack.includes(id)) return Promise.reject(new Error(`metric cycle: ${[...stack, id].join(' -> ')}`));
    if (!memo.has(id)) memo.set(id, this.computeMetric(id, D, by, segments, memo, stack));
    return memo.get(id);
  }

  async computeMetric(id, D, by, segments, memo, stack) {
    const m = this.byId.get(id);
    if (!m) throw new Error(`unknown metric '${id}'`);
    const inner = (ref) => this.evaluateMetric(ref, D, by, segments, memo, [...stack, id]);
    let result;
    if (m.type === 'manual') {
      // The latest check-in dated on or before D (on one day, the last
      // written); null without one. Check-ins are for the whole
      // business: every segment is null.
      let value = null;
      for (const c of this.checkins) {
        if (c.metric === id && dayNumber(c.date) <= D) value = c.value;
      }
      result = { value, segments: Object.fromEntries(segments.map((s) => [s, null])) };
    } else if (m.type === 'ratio' || m.type === 'formula') {
      const tree = m.type === 'ratio'
        ? { op: '/', a: { ref: m.numerator }, b: { ref: m.denominator } }
        : parseFormula(String(m.expr));
      const inputs = {};
      for (const ref of formulaRefs(tree)) inputs[ref] = await inner(ref);
      const at = (seg) => evalFormula(tree, (ref) => (seg === '*' ? inputs[ref].value : inputs[ref].segments[seg] ?? null));
      result = { value: at('*'), segments: Object.fromEntries(segments.map((s) => [s, at(s)])) };
    } else {
      const plan = this.metricSql(this.context(m, D, by));
      const rows = await this.rows(plan.sql);
      const bySeg = new Map(rows.map((r) => [r.seg, r]));
      const value = (r) => (r === undefined || r.value === null || r.value === undefined ? plan.empty : toNumber(r.value));
      result = {
        value: value(bySeg.get('*')),
        segments: Object.fromEntries(segments.map((s) => [s, value(bySeg.get(s))])),
        integer: plan.integer,
      };
      if (plan.steps) {
        const all = bySeg.get('*');
        result.steps = plan.steps.map((event, i) => ({
          event,
          value: all ? toNumber(all[`step_${i + 1}`]) : null,
        }));
      }
    }
    return result;
  }

  /** The SQL of one metric as of a day (for debugging: `--sql ID`). */
  /**
   * An experiment's units as of asof (SPEC 14), for a conversion metric:
   * per variant the entities exposed to it alone between start and D =
   * min(asof, end) whose window [t0, t0 + within) is over by the end of D,
   * and those that converted (the target, or every step in order, from
   * t0); the entities exposed to two or more variants; the immature ones.
   */
  async experimentCounts(id, asof) {
    const x = this.experiments.find((e) => e.id === id);
    if (!x) throw new Error(`no experiment '${id}'`);
    const krMetric = x.metric ?? this.keyResultMetric(x.key_result);
    const m = this.byId.get(krMetric);
    if (!m || m.type !== 'conversion') throw new Error(`${id}: the cross-check reads conversion metrics only`);
    const end = x.end ? dayNumber(String(x.end)) : Infinity;
    const D = Math.min(dayNumber(asof), end);
    const W = durationDays(m.within, `${m.id}.within`);
    const ctx = this.context(m, D, null);
    const vcol = this.whereColumn(x.exposure.variant_property);
    const expo = `SELECT x.entity, x.ts, x.v AS variant FROM (${ctx.events(x.exposure, null, `${vcol} AS v`)}) x
                  WHERE x.v IS NOT NULL AND x.day BETWEEN ${dateLit(dayNumber(String(x.start)))} AND ${dateLit(D)}`;
    const units = `SELECT entity, min(ts) AS t0, arg_min(variant, ts) AS variant, count(DISTINCT variant) AS nv
                   FROM (${expo}) GROUP BY entity`;
    const steps = m.steps ? [].concat(m.steps) : [m.target];
    const ctes = [
      `units AS (${units})`,
      `cohort AS (SELECT entity, t0 AS anchor_ts FROM units
                  WHERE nv = 1 AND t0 + INTERVAL ${W * 24} HOUR <= ${dateLit(D + 1)}::TIMESTAMP)`,
      `st0 AS (SELECT entity, anchor_ts, anchor_ts AS t, []::BIGINT[] AS used FROM cohort)`,
    ];
    steps.forEach((step, i) => {
      ctes.push(`st${i + 1} AS (
        SELECT s.entity, s.anchor_ts, x.ts AS t, list_append(s.used, x.rid) AS used
        FROM st${i} s JOIN (${ctx.events(step, null)}) x
          ON x.entity = s.entity AND x.ts >= s.t AND x.ts < s.anchor_ts + INTERVAL ${W * 24} HOUR
             AND NOT list_contains(s.used, x.rid)
        QUALIFY row_number() OVER (PARTITION BY s.entity ORDER BY x.ts, x.rid) = 1)`);
    });
    const rows = await this.rows(`WITH ${ctes.join(',\n')}
      SELECT u.variant, count(*) FILTER (WHERE c.entity IS NOT NULL) AS entities,
             count(*) FILTER (WHERE f.entity IS NOT NULL) AS conversions,
             count(*) FILTER (WHERE c.entity IS NULL) AS immature
      FROM units u LEFT JOIN cohort c USING (entity) LEFT JOIN st${steps.length} f USING (entity)
      WHERE u.nv = 1 GROUP BY u.variant`);
    const multi = await this.rows(`WITH units AS (${units}) SELECT count(*) AS n FROM units WHERE nv > 1`);
    const variants = {};
    let immature = 0;
    for (const r of rows) {
      variants[r.variant] = { entities: Number(r.entities), conversions: Number(r.conversions) };
      immature += Number(r.immature);
    }
    return { variants, excluded_multi: Number(multi[0].n), immature };
  }

  /** The metric id of a key result (from the OKR files). */
  keyResultMetric(kr) {
    for (const file of workspaceFiles(this.dir)) {
      const doc = YAML.parse(readFileSync(join(this.dir, file), 'utf8')) ?? {};
      for (const o of doc.objectives ?? []) for (const k of o.key_results ?? []) if (k.id === kr) return k.metric;
    }
    return undefined;
  }

  sqlOf(id, asof, by = null) {
    const m = this.byId.get(id);
    if (!m) throw new Error(`unknown metric '${id}'`);
    return this.metricSql(this.context(m, dayNumber(asof), by)).sql;
  }
}

/** DuckDB values (BIGINT as bigint, HUGEINT, DECIMAL) -> JS number or null. */
function toNumber(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  return Number(v);
}
