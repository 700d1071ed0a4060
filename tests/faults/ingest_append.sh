#!/bin/sh
# Rows appended while okra ingest runs are never lost and never counted
# twice: a writer thread appends throughout each ingest, over many trials
# (see ingest_append.c, built as $FAULT_INGEST_APPEND).
set -u
: "${OKRA:?OKRA must point at the okra binary}"
: "${FAULT_INGEST_APPEND:?FAULT_INGEST_APPEND must point at the test program}"
TMPDIR=$(mktemp -d) || exit 1
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
"$FAULT_INGEST_APPEND" "$OKRA" 40
