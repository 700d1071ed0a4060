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
