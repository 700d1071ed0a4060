#!/bin/sh
# The cache keeps the revenue rows sorted and indexed by account: the
# file is byte for byte the same for any number of threads, a cache of
# the previous format (version 5, rows in file order) is rebuilt by the
# next command rather than misread, and the values do not depend on the
# order of the rows in the revenue file.
. "$(dirname "$0")/lib.inc"

WS=$TMP/ws
mkdir -p "$WS/data"
cat >"$WS/okra.yaml" <<'EOF'
workspace: cache revenue
data:
  events: data/events.csv
  accounts: data/accounts.csv
  revenue: data/revenue.csv
metrics:
  - {id: mrr, type: revenue, measure: mrr}
  - {id: new_mrr, type: revenue, measure: new}
  - {id: churned_mrr, type: revenue, measure: churned}
  - {id: nrr, type: revenue, measure: nrr, lookback: 2}
EOF
# 300 accounts, 1 to 6 months of revenue each, in a scrambled order.
awk 'BEGIN { print "account_id,created_at,tier";
             for (a = 0; a < 300; a++) printf "a%d,2025-01-01,%s\n", a, a % 3 ? "free" : "pro" }' \
	>"$WS/data/accounts.csv"
printf 'timestamp,event,account_id\n2026-01-05T10:00:00Z,login,a1\n' >"$WS/data/events.csv"
awk 'BEGIN { print "account_id,month,mrr"
             for (i = 0; i < 300 * 6; i++) {
                 k = (i * 7919) % 1800; a = k % 300; m = int(k / 300)
                 if ((a + m) % 7 == 3) continue          # gaps: churn, reactivation
                 if (m >= 1 + a % 6) continue
                 printf "a%d,2026-%02d,%d\n", a, m + 1, 10 + (a * 13 + m * 5) % 90 } }' \
	>"$WS/data/revenue.csv"

expect_status 0 env OKRA_THREADS=1 "$OKRA" -C "$WS" ingest
cp "$WS/.okra/cache/data.okc" "$TMP/one.okc"
expect_status 0 env OKRA_THREADS=4 "$OKRA" -C "$WS" ingest
CHECKS=$((CHECKS + 1))
cmp -s "$WS/.okra/cache/data.okc" "$TMP/one.okc" || fail "the cache differs between 1 and 4 threads"

expect_status 0 "$OKRA" -C "$WS" metrics --asof 2026-04-30 --by tier --format json
cp "$TMP/out" "$TMP/want"

# The previous format: the version field (bytes 8..11) says 5.
printf '\005\000\000\000' |
	dd of="$WS/.okra/cache/data.okc" bs=1 seek=8 conv=notrunc 2>/dev/null
expect_status 0 "$OKRA" -C "$WS" metrics --asof 2026-04-30 --by tier --format json
expect_out "ingested 1 events, 300 accounts"
CHECKS=$((CHECKS + 1))
grep -v ingested "$TMP/out" | cmp -s - "$TMP/want" || fail "values differ after the rebuild"
CHECKS=$((CHECKS + 1))
cmp -s "$WS/.okra/cache/data.okc" "$TMP/one.okc" || fail "the rebuilt cache differs"

# The same rows in reverse order: the same values.
{ head -n 1 "$WS/data/revenue.csv"; tail -n +2 "$WS/data/revenue.csv" | sort -r; } >"$TMP/rev.csv"
mv "$TMP/rev.csv" "$WS/data/revenue.csv"
expect_status 0 "$OKRA" -C "$WS" metrics --asof 2026-04-30 --by tier --format json
expect_out "ingested"
CHECKS=$((CHECKS + 1))
grep -v ingested "$TMP/out" | cmp -s - "$TMP/want" || fail "values depend on the row order"
finish
