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
finish
