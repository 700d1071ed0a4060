#!/bin/sh
# Global options, help, usage errors and exit statuses.
. "$(dirname "$0")/lib.inc"

expect_status 0 "$OKRA" --version
expect_out "okra 0."
expect_status 0 "$OKRA" help
expect_out "usage: okra [-C DIR] COMMAND"
expect_status 0 "$OKRA" help lint
expect_out "usage: okra lint"
expect_status 2 "$OKRA" help frobnicate
expect_out "no help for unknown command 'frobnicate'"
expect_status 2 "$OKRA"
expect_status 2 "$OKRA" frobnicate
expect_out "unknown command 'frobnicate'"
expect_status 2 "$OKRA" --frob
expect_out "unknown option '--frob'"
expect_status 2 "$OKRA" -C "$TMP/nowhere" lint
expect_out "no such folder"
mkdir -p "$TMP/empty"
expect_status 2 "$OKRA" -C "$TMP/empty" lint
expect_out "no okra.yaml in"
expect_status 2 "$OKRA" lint --format yaml
expect_out "unknown format 'yaml'"

# Every command answers -h and --help with its usage (and never takes it
# for an argument: okra init --help used to create a folder '--help').
for cmd in $("$OKRA" help | sed -n 's/^  okra \([a-z]*\).*/\1/p' | sort -u); do
	expect_status 0 "$OKRA" "$cmd" -h
	expect_out "usage: okra $cmd"
	expect_status 0 "$OKRA" "$cmd" --help
	expect_out "usage: okra $cmd"
done
(cd "$TMP" && "$OKRA" init --help >/dev/null 2>&1)
CHECKS=$((CHECKS + 1))
[ ! -e "$TMP/--help" ] || fail "okra init --help created a folder"
# A mistyped command gets the nearest one.
expect_status 2 "$OKRA" statsu
expect_out "unknown command 'statsu'; did you mean 'status'?"
# -o - is standard output.
ws="$TMP/o"
"$OKRA" init "$ws" >/dev/null 2>&1
expect_status 0 "$OKRA" -C "$ws" export -o -
expect_out '{"table":"okra"'
expect_no_out "okra: wrote"
CHECKS=$((CHECKS + 1))
[ ! -e "$ws/-" ] || fail "export -o - wrote a file named '-'"
finish
