#!/bin/sh
# With two threads the users table is read beside the accounts table and
# the revenue table after it: the users intern their account ids on
# their own, the revenue keeps the accounts table's codes and interns
# the other ids on its own, merged after (the revenue's after the
# events).  Whatever the number of
# threads, the load must be the one of a single thread reading accounts,
# users, events, then revenue: the cache byte for byte (account codes in
# the order first met), the first error (the accounts table's before the
# users table's, the events' before the revenue's, even when the later
# table's comes earlier in its file), and with --skip-bad-rows the
# rejected rows of every table.
. "$(dirname "$0")/lib.inc"

WS=$TMP/ws
mkdir -p "$WS/data"
cat >"$WS/okra.yaml" <<'EOF'
workspace: entities
data:
  events: data/events.csv
  accounts: data/accounts.csv
  users: data/users.csv
  revenue: data/revenue.csv
metrics:
  - {id: events, type: count, entity: user}
  - {id: active_users, type: active, entity: user, window: 7d}
  - {id: mrr, type: revenue, measure: mrr}
EOF

# Accounts a0..a39 with a tier and a number; the users name a0..a59 (a40
# and up only there), a user's role; events name a0..a69 and users
# u0..u299 (u250 and up unknown); revenue names a0..a79.
gen() {
	bad_acct=${1:-} bad_user=${2:-} bad_event=${3:-} bad_rev=${4:-}
	awk -v bad="$bad_acct" 'BEGIN {
		print "account_id,created_at,tier,seats"
		for (a = 0; a < 40; a++) {
			if (a == bad) print "a" a ",not a date,pro,1"
			printf "a%d,2025-12-%02d,%s,%s\n", a, 1 + a % 28,
			       a % 3 ? "free" : "pro", a % 4 ? a % 9 : "n/a"
		}
	}' >"$WS/data/accounts.csv"
	awk -v bad="$bad_user" 'BEGIN {
		print "user_id,account_id,created_at,role"
		for (u = 0; u < 250; u++) {
			if (u == bad) print "u" u ",,2025-12-02,member"
			a = u < 200 ? (u * 7) % 60 : 41 + u % 7
			printf "u%d,a%d,2025-12-%02d,%s\n", u, a, 1 + u % 28,
			       u % 5 ? "member" : "admin"
		}
	}' >"$WS/data/users.csv"
	awk -v bad="$bad_event" 'BEGIN {
		print "timestamp,event,account_id,user_id"
		for (i = 0; i < 3000; i++)
			if (i == bad) print "2026-01-02T00:00:00Z,,a1,u1"
			else printf "2026-01-%02dT%02d:%02d:00Z,e%d,a%d,u%d\n",
			       1 + i % 28, i % 24, i % 60, i % 3, (i * 13) % 70,
			       (i * 11) % 300
	}' >"$WS/data/events.csv"
	awk -v bad="$bad_rev" 'BEGIN {
		print "account_id,month,mrr"
		for (a = 0; a < 80; a += 3) {
			if (a == bad) print "a" a ",2026-01,-5"
			for (m = 1; m <= 2; m++)
				printf "a%d,2026-%02d,%d\n", a, m, 10 * a + m
		}
	}' >"$WS/data/revenue.csv"
}

# load THREADS [ARGS]: a fresh load, output in $TMP/out, status echoed.
load() {
	threads=$1
	shift
	rm -rf "$WS/.okra"
	OKRA_THREADS=$threads "$OKRA" -C "$WS" ingest "$@" >"$TMP/out" 2>&1
	echo $? >>"$TMP/out"
}

# same_load WHAT [ARGS]: 2, 3 and 8 threads load what 1 does.
same_load() {
	what=$1
	shift
	load 1 "$@"
	cp "$TMP/out" "$TMP/ref.out"
	rm -f "$TMP/ref.okc" "$TMP"/ref.rej.*
	[ -f "$WS/.okra/cache/data.okc" ] && cp "$WS/.okra/cache/data.okc" "$TMP/ref.okc"
	for t in accounts users events revenue; do
		[ -f "$WS/.okra/rejected/$t.csv" ] && cp "$WS/.okra/rejected/$t.csv" "$TMP/ref.rej.$t"
	done
	for threads in 2 3 8; do
		CHECKS=$((CHECKS + 1))
		load $threads "$@"
		cmp -s "$TMP/out" "$TMP/ref.out" ||
			{ fail "$what: $threads threads: output differs"; diff "$TMP/ref.out" "$TMP/out" | head -5; }
		if [ -f "$TMP/ref.okc" ]; then
			CHECKS=$((CHECKS + 1))
			cmp -s "$WS/.okra/cache/data.okc" "$TMP/ref.okc" ||
				fail "$what: $threads threads: the cache differs"
		fi
		for t in accounts users events revenue; do
			[ -f "$TMP/ref.rej.$t" ] || continue
			CHECKS=$((CHECKS + 1))
			cmp -s "$WS/.okra/rejected/$t.csv" "$TMP/ref.rej.$t" ||
				fail "$what: $threads threads: rejected $t rows differ"
		done
	done
	cp "$TMP/ref.out" "$TMP/out"
}

gen
same_load "clean tables"
expect_out "ingested 3000 events, 40 accounts, 250 users, 54 revenue rows"
expect_out "
0"
# The users by their accounts' tier: the figures of a one-thread load
# of these files before the tables were read side by side.
load 2
expect_status 0 "$OKRA" -C "$WS" metrics active_users --asof 2026-01-28 --by tier --format json
expect_out '"segments":{"tier":{"free":87,"pro":47,"(none)":166}}'

# Both tables bad, the users table earlier in its file: the accounts
# table's error, as one thread reading it first reports.
gen 30 1
same_load "a bad row in each"
expect_out "data/accounts.csv:32: error: created_at: unparseable timestamp \"not a date\""
expect_out "
2"
gen "" 1
same_load "a bad user"
expect_out "data/users.csv:3: error: account_id: empty account id"
expect_out "
2"
# The revenue table is read beside the users table too, but its error
# comes after the events' (the file order of one thread), and a revenue
# row's account ids get their codes after the events'.
gen "" "" 5 3
same_load "a bad event and revenue row"
expect_out "data/events.csv:7: error: event: empty event name"
gen "" "" "" 3
same_load "a bad revenue row"
expect_out "data/revenue.csv:4: error: mrr: negative MRR -5"
expect_out "
2"
gen 30 1 5 3
same_load "skipped bad rows" --skip-bad-rows
expect_out "
0"
CHECKS=$((CHECKS + 2))
grep -q '"data/accounts.csv",32,' "$WS/.okra/rejected/accounts.csv" 2>/dev/null ||
	fail "the bad account row is not in rejected/accounts.csv"
grep -q '"data/users.csv",3,' "$WS/.okra/rejected/users.csv" 2>/dev/null ||
	fail "the bad user row is not in rejected/users.csv"
CHECKS=$((CHECKS + 1))
grep -q '"data/revenue.csv",4,' "$WS/.okra/rejected/revenue.csv" 2>/dev/null ||
	fail "the bad revenue row is not in rejected/revenue.csv"

finish
