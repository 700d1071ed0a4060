#!/bin/sh
# Output to a full disk (/dev/full) is an error, never a silent exit 0 with
# half a report: every reading command exits 2 and says it could not write.
. "$SRCDIR/tests/e2e/lib.inc"

[ -w /dev/full ] || { echo "no /dev/full here"; exit 77; }
src="$SRCDIR/tests/cases/where-repeated"
ws="$TMP/ws"
mkdir -p "$ws" && cp -R "$src/okra.yaml" "$src/data" "$ws/"
"$OKRA" -C "$ws" ingest >/dev/null 2>&1 || fail "ingest failed"

for cmd in "lint" "lint --format json" "metrics --asof 2026-03-08" \
	"metrics --asof 2026-03-08 --format json" "series --all --to 2026-03-08" \
	"status --asof 2026-03-08" "review --asof 2026-03-08" \
	"review --asof 2026-03-08 --format json" "data" "list metrics" \
	"lint --explain kr-activity" "help"; do
	CHECKS=$((CHECKS + 1))
	# shellcheck disable=SC2086
	"$OKRA" -C "$ws" $cmd >/dev/full 2>"$TMP/err"
	got=$?
	[ "$got" = 2 ] || { fail "'okra $cmd' to a full disk exited $got, expected 2"; continue; }
	grep -q "cannot write" "$TMP/err" ||
		{ fail "'okra $cmd' to a full disk did not say so"; sed 's/^/  | /' "$TMP/err"; }
done
finish
