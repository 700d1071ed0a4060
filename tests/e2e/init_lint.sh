#!/bin/sh
# okra init writes a workspace that lints clean; it never overwrites; the
# workspace is found from any folder below it and with -C.
. "$(dirname "$0")/lib.inc"

ws="$TMP/ws"
expect_status 0 "$OKRA" init "$ws"
expect_out "created an okra workspace in $ws"
[ -f "$ws/okra.yaml" ] || fail "init wrote no okra.yaml"
expect_status 0 "$OKRA" -C "$ws" lint
expect_out "0 errors, 0 warnings, 0 infos"

# The north star is the leading indicator of the business, reviewed
# weekly: with a little data, the review puts it on the leading (weekly)
# half of the balanced dashboard, and the revenue outputs on the lagging
# (monthly) half.
ns="$TMP/ns"
expect_status 0 "$OKRA" init "$ns"
mkdir -p "$ns/data"
printf 'timestamp,event,account_id,user_id\n2025-03-03T10:00:00Z,session_start,a1,u1\n2025-03-04T10:00:00Z,report_viewed,a1,u1\n' >"$ns/data/events.csv"
printf 'account_id,created_at,tier\na1,2025-02-01,pro\n' >"$ns/data/accounts.csv"
printf 'user_id,account_id,created_at\nu1,a1,2025-02-01\n' >"$ns/data/users.csv"
printf 'account_id,month,mrr\na1,2025-02,100\n' >"$ns/data/revenue.csv"
expect_status 0 "$OKRA" -C "$ns" review
CHECKS=$((CHECKS + 1))
placed=$(awk '/Leading indicators \(weekly\)/ { part = "leading" }
     /Lagging indicators \(monthly\)/ { part = "lagging" }
     /^  Weekly engaged accounts / { print part ":north_star" }
     /^  Annual recurring revenue / { print part ":arr" }' "$TMP/out" | tr '\n' ' ')
[ "$placed" = "leading:north_star lagging:arr " ] ||
	{ fail "init review dashboard placement: '$placed'"; sed 's/^/  | /' "$TMP/out"; }

# Never overwrite: a second init fails and leaves the files as they were.
sum1=$(cat "$ws"/*.yaml | cksum)
expect_status 2 "$OKRA" init "$ws"
expect_out "already exists; okra init never overwrites a file"
sum2=$(cat "$ws"/*.yaml | cksum)
[ "$sum1" = "$sum2" ] || fail "a refused init changed files"
ls -a "$ws" | grep -q okra-init && fail "a refused init left temp files"

# Discovery walks up from a subfolder.
mkdir -p "$ws/deep/er"
(cd "$ws/deep/er" && "$OKRA" lint) >"$TMP/out" 2>&1 || fail "lint from a subfolder failed"
expect_out "0 errors"

# JSON output is an array (empty when clean) and parses.
expect_status 0 "$OKRA" -C "$ws" lint --format json
CHECKS=$((CHECKS + 1))
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d == [], d' "$TMP/out" ||
	fail "lint --format json on a clean workspace is not []"

# init into the current folder with no argument.
mkdir -p "$TMP/here"
(cd "$TMP/here" && "$OKRA" init) >"$TMP/out" 2>&1 || fail "init with no DIR failed"
[ -f "$TMP/here/okra.yaml" ] || fail "init with no DIR wrote nothing"
finish
