#!/bin/sh
# The sample-data workspaces (examples/ravenstack, examples/mrr-playbook)
# run as a fresh clone has them: each folder is copied alone to a scratch
# folder, so a data path that leaves the workspace fails here, and okra
# never writes its cache into the source tree.  The shipped data are the
# bytes their data/README.md lists (SHA-256), and lint, metrics, series
# and review give the documented numbers.
. "$(dirname "$0")/lib.inc"

ex="$SRCDIR/examples"
# Every file below examples/ with its size and mtime: nothing may change.
tree_sum() { find "$ex" -exec stat -c '%n %s %Y' {} + | sort | cksum; }
before=$(tree_sum)

# fresh NAME: a copy of examples/NAME without any cache a developer made.
fresh() {
	rm -rf "$TMP/$1"
	cp -R "$ex/$1" "$TMP/$1" && rm -rf "$TMP/$1/.okra"
}

# The data are the published bytes (CRLF line endings included).
for name in ravenstack mrr-playbook; do
	CHECKS=$((CHECKS + 1))
	sums=$(grep -E '^[0-9a-f]{64}  [^ ]+\.csv$' "$ex/$name/data/README.md")
	[ -n "$sums" ] || { fail "$name/data/README.md lists no SHA-256"; continue; }
	(cd "$ex/$name/data" && echo "$sums" | sha256sum -c --quiet) >"$TMP/out" 2>&1 ||
		{ fail "examples/$name/data differs from its README's SHA-256"; sed 's/^/  | /' "$TMP/out"; }
done

# RavenStack, credited to its author wherever it is shown.
ws="$TMP/ravenstack"
fresh ravenstack
CHECKS=$((CHECKS + 1))
grep -q 'River @ Rivalytics' "$ws/README.md" || fail "ravenstack/README.md does not credit River @ Rivalytics"
expect_status 0 "$OKRA" -C "$ws" metrics mrr monthly_active_accounts --asof 2024-12-31 --segments
expect_out "ingested 25000 events, 500 accounts, 5000 users, 5000 revenue rows; 2023-01-01 .. 2024-12-31"
expect_out "mrr                      \$8.51M"
expect_out "monthly_active_accounts     415"
expect_out "  plan_tier=Basic           147"
expect_status 0 "$OKRA" -C "$ws" lint
expect_out "0 errors, 0 warnings, 0 infos"
expect_status 0 "$OKRA" -C "$ws" series mrr --grain month --from 2024-10-01 --to 2024-12-31
expect_out "2024-12-31  \$8.51M"
expect_status 0 "$OKRA" -C "$ws" review --asof 2024-12-31
expect_out "Weekly review: RavenStack (data by River @ Rivalytics), as of 2024-12-31"
expect_out "north star: Accounts using any feature in 28 days 415"
# The north star is a leading indicator: on the weekly half of the
# balanced dashboard, the revenue outputs on the monthly half.
CHECKS=$((CHECKS + 1))
awk '/Leading indicators \(weekly\)/ { part = "leading" }
     /Lagging indicators \(monthly\)/ { part = "lagging" }
     /^  Accounts using any feature in 28 days / { print part ":north_star" }
     /^  MRR / { print part ":mrr" }' "$TMP/out" >"$TMP/placed"
[ "$(cat "$TMP/placed")" = "leading:north_star
lagging:mrr" ] || { fail "ravenstack dashboard placement: $(cat "$TMP/placed" | tr '\n' ' ')"; sed 's/^/  | /' "$TMP/out"; }

# The dbt MRR playbook: revenue only.
ws="$TMP/mrr-playbook"
fresh mrr-playbook
CHECKS=$((CHECKS + 1))
grep -q 'MIT License' "$ws/data/LICENSE" || fail "mrr-playbook/data/LICENSE is not the MIT License"
expect_status 0 "$OKRA" -C "$ws" lint
expect_out "0 errors, 0 warnings, 0 infos"
expect_status 0 "$OKRA" -C "$ws" metrics --asof 2019-12-31
expect_out "mrr               \$1.25k"
expect_out "paying_customers      28"
expect_status 0 "$OKRA" -C "$ws" series mrr --bridge --from 2019-07-01 --to 2019-12-31
expect_out "2019-12  \$1,840.00  \$100.00         \$0.00     \$50.00       \$30.00  \$705.00  \$1,255.00"

CHECKS=$((CHECKS + 1))
[ "$(tree_sum)" = "$before" ] || fail "running the examples changed files under $ex"
finish
