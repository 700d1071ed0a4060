#!/bin/sh
# okra's metrics agree with an independent DuckDB implementation of SPEC
# section 3 (bench/crosscheck.mjs, bench/lib/spec-sql.mjs), value by value,
# segment by segment and funnel step by funnel step, its experiment
# readouts unit count by unit count, and okra tree's node values and
# attribution with one computed from DuckDB's values, on these workspaces:
# the demo (okra demo, fixed seed and end date), bench/fixtures/edge (the
# corners of SPEC 3.1) and bench/fixtures/periods (revenue from billing
# periods). See docs/crosscheck.md. Needs Node.js and npm (without them it
# exits 77: skipped); installs the npm packages of bench/ on first use.
. "$(dirname "$0")/lib.inc"

BENCH="$SRCDIR/bench"
need_node
npm_deps

# crosscheck WORKSPACE DATES [--by ATTR]: okra and DuckDB agree everywhere.
crosscheck() {
	ws=$1 dates=$2; shift 2
	expect_status 0 node "$BENCH/crosscheck.mjs" --okra "$OKRA" --workspace "$ws" --asof "$dates" "$@"
	expect_out "crosscheck: "
	expect_out " 0 failed"
	expect_no_out "crosscheck: 0 passed"
}

# The demo: ~30,000 events ending on a fixed day. The dates cover a month
# end, mid-month days, a Sunday, a quarter start and the last day. Without
# --by, each metric's own `segments:` are compared.
"$OKRA" demo "$TMP/demo" --no-review --events 30000 --seed 42 --end 2026-06-30 >"$TMP/out" 2>&1 ||
	{ fail "okra demo failed"; sed 's/^/  | /' "$TMP/out"; }
crosscheck "$TMP/demo" 2026-03-29,2026-06-30
crosscheck "$TMP/demo" 2025-12-31,2026-02-15,2026-03-29,2026-04-01,2026-05-20,2026-06-30 --by tier

# The demo's experiment at a size where every arm has units, one of them
# exposed to both arms, and immature ones: per variant the units and
# their conversions, the exclusions and the immature units.
"$OKRA" demo "$TMP/exp" --no-review --events 300000 --seed 5 --end 2026-12-06 >"$TMP/out" 2>&1 ||
	{ fail "okra demo failed"; sed 's/^/  | /' "$TMP/out"; }
crosscheck "$TMP/exp" 2026-10-01,2026-12-06
expect_status 0 node "$BENCH/crosscheck.mjs" --okra "$OKRA" --workspace "$TMP/exp" --asof 2026-12-06 --verbose
expect_out "ok   progress_indicator 2026-12-06 treatment entities"
expect_out "ok   progress_indicator 2026-12-06 excluded_multi 1"

# KPI trees: every node's values against DuckDB's, and every contribution,
# driver and segment against an attribution computed in JavaScript from
# DuckDB's values (bench/crosscheck.mjs --tree).  The demo records NPS
# check-ins; manual metrics read them.
treecheck() {
	expect_status 0 node "$BENCH/crosscheck.mjs" --okra "$OKRA" --workspace "$1" --tree "$2" --from "$3" --to "$4" --by tier
	expect_out " 0 failed"
	expect_no_out "crosscheck: 0 passed"
}
treecheck "$TMP/demo" revenue_tree 2026-04-30 2026-06-30
treecheck "$TMP/demo" product_health 2026-05-31 2026-06-30
treecheck "$TMP/demo" time_in_app_tree 2026-06-23 2026-06-30
treecheck "$TMP/demo" engagement_tree 2026-06-23 2026-06-30

# The edge fixture (fiscal year from February, weeks from Sunday): around
# fiscal quarter starts (Feb 1, May 1), a Sunday, month ends.
cp -R "$BENCH/fixtures/edge" "$TMP/edge"
crosscheck "$TMP/edge" 2026-02-01,2026-04-19,2026-06-30
crosscheck "$TMP/edge" 2025-12-14,2026-01-31,2026-02-28,2026-03-31,2026-05-01,2026-05-17,2026-06-30 --by tier
crosscheck "$TMP/edge" 2026-03-31,2026-06-30 --by cohort

# Revenue from billing periods.
cp -R "$BENCH/fixtures/periods" "$TMP/periods"
crosscheck "$TMP/periods" 2025-03-31,2025-09-15,2026-01-31,2026-04-30,2026-06-30,2026-07-01,2027-03-31 --by tier

# The comparison is not vacuous: an okra whose output is off by 1e-8
# relative in one value fails, naming the metric.
cat >"$TMP/okra-off" <<EOF
#!/bin/sh
"$OKRA" "\$@" | node -e '
let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
  const j = JSON.parse(s);
  if (j.metrics) {
    const m = j.metrics.find((x) => typeof x.value === "number" && x.value !== 0 && !Number.isInteger(x.value));
    m.value *= 1 + 1e-8;
    console.error("perturbed " + m.id);
  }
  if (j.nodes) {
    const n = j.nodes.find((x) => x.path.length > 1 && typeof x.contribution === "number" && x.contribution !== 0);
    n.contribution *= 1 + 1e-6;
    console.error("perturbed " + n.path.join("/"));
  }
  process.stdout.write(JSON.stringify(j));
});'
EOF
chmod +x "$TMP/okra-off"
expect_status 1 node "$BENCH/crosscheck.mjs" --okra "$TMP/okra-off" --workspace "$TMP/edge" --asof 2026-05-17
expect_out "FAIL "
expect_out ", 1 failed"
# A tree whose one contribution is off by 1e-6 relative fails, naming it.
expect_status 1 node "$BENCH/crosscheck.mjs" --okra "$TMP/okra-off" --workspace "$TMP/demo" --tree revenue_tree --from 2026-04-30 --to 2026-06-30
expect_out "FAIL revenue_tree net_new_mrr/"
expect_out ", 1 failed"

finish
