#!/bin/sh
# A workspace whose state folder cannot be written (a read-only checkout, a
# mounted share, a full disk) still computes: the data are read into
# memory for the command, with a warning naming why the cache could not be
# written, and the numbers are the same as with a cache.
. "$SRCDIR/tests/e2e/lib.inc"

src="$SRCDIR/tests/cases/where-repeated"
ws="$TMP/normal"
mkdir -p "$ws" && cp -R "$src/okra.yaml" "$src/data" "$ws/"
"$OKRA" -C "$ws" metrics --asof 2026-03-08 --format json >"$TMP/want.json" 2>/dev/null ||
	fail "metrics on a normal workspace failed"

# 1. .okra is a file where the state folder should be: nothing can be
#    created under it, whoever runs the test.
ro="$TMP/nofolder"
mkdir -p "$ro" && cp -R "$src/okra.yaml" "$src/data" "$ro/"
: >"$ro/.okra"
expect_status 0 "$OKRA" -C "$ro" metrics --asof 2026-03-08 --format json
expect_out "warning: the cache cannot be written"
expect_out "read into memory for this command only"
grep -v '^okra: ' "$TMP/out" >"$TMP/got.json"
CHECKS=$((CHECKS + 1))
cmp -s "$TMP/want.json" "$TMP/got.json" ||
	{ fail "in-memory numbers differ from the cached ones"; diff "$TMP/want.json" "$TMP/got.json"; }
expect_status 0 "$OKRA" -C "$ro" status --asof 2026-03-08
expect_status 0 "$OKRA" -C "$ro" review --asof 2026-03-08
CHECKS=$((CHECKS + 1))
[ -f "$ro/.okra" ] || fail ".okra was replaced"

# 2. A read-only folder (only meaningful when not root: root writes
#    anyway).
if [ "$(id -u)" != 0 ]; then
	ro2="$TMP/readonly"
	mkdir -p "$ro2" && cp -R "$src/okra.yaml" "$src/data" "$ro2/"
	chmod a-w "$ro2"
	expect_status 0 "$OKRA" -C "$ro2" metrics --asof 2026-03-08
	expect_out "warning: the cache cannot be written"
	chmod u+w "$ro2"
fi
finish
