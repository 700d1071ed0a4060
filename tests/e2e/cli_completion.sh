#!/bin/sh
# Shell completion: okra completion bash|zsh|fish, generated from the
# option tables the parser uses.  The bash script is driven the way bash
# drives it (COMP_WORDS, COMP_CWORD, then _okra) and must offer commands,
# options, option values, and the workspace's ids (via okra list --ids,
# in the folder of -C).  zsh and fish are checked for syntax where those
# shells are installed.
. "$(dirname "$0")/lib.inc"

ws="$TMP/ws"
"$OKRA" init "$ws" >/dev/null 2>&1 || { fail "okra init failed"; finish; }
mkdir -p "$TMP/bin"
ln -s "$OKRA" "$TMP/bin/okra"
PATH="$TMP/bin:$PATH"
export PATH

for shell in bash zsh fish; do
	expect_status 0 "$OKRA" completion "$shell"
	cp "$TMP/out" "$TMP/okra.$shell"
done
expect_status 2 "$OKRA" completion tcsh
expect_out "okra completion: no completion for 'tcsh' (bash, zsh or fish)"
expect_status 2 "$OKRA" completion bsh
expect_out "did you mean 'bash'?"
expect_status 2 "$OKRA" completion
expect_out "which shell?"

CHECKS=$((CHECKS + 1))
bash -n "$TMP/okra.bash" || fail "the bash completion does not parse"
for shell in zsh fish; do
	if command -v "$shell" >/dev/null 2>&1; then
		CHECKS=$((CHECKS + 1))
		"$shell" -n "$TMP/okra.$shell" || fail "the $shell completion does not parse"
	fi
done

# complete WORD... : what bash offers for the last word (the cursor).
complete_words() {
	bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_okra 2>/dev/null
		printf "%s\n" "${COMPREPLY[@]}" | sort
	' complete "$TMP/okra.bash" "$@"
}

# expect_complete "WANT..." WORD...: every WANT is offered.
expect_complete() {
	want=$1; shift
	got=$(complete_words "$@" | tr '\n' ' ')
	for w in $want; do
		CHECKS=$((CHECKS + 1))
		case " $got" in
		*" $w "*) ;;
		*) fail "completing '$*' offered '$got', not '$w'" ;;
		esac
	done
}

expect_complete "metrics milestone" okra m
expect_complete "--version --color=" okra --
expect_complete "--format --segments --where --output" okra metrics --
expect_complete "text json csv" okra metrics --format ""
expect_complete "slack" okra review --format s
expect_complete "slack" okra review --format = s
expect_complete "always" okra --color = al
expect_complete "never" okra lint --color = n
# the workspace's ids, from the folder of -C
expect_complete "weekly_engaged_accounts" okra -C "$ws" series activation_rate w
expect_complete "activation_rate" okra -C"$ws" series a
expect_complete "activation_rate" okra -C "$ws" metrics --asof 2026-01-01 activation_r
expect_complete "nps" okra -C "$ws" checkin n
expect_complete "done open" okra -C "$ws" milestone some_kr ""
expect_complete "metrics key-results teams" okra list ""
expect_complete "kr-activity kr-direction" okra lint --explain kr-
expect_complete "bash zsh fish" okra completion ""
expect_complete "status" okra help sta
# nothing offered for a value okra cannot guess (a date)
CHECKS=$((CHECKS + 1))
[ -z "$(complete_words okra metrics --asof "")" ] || fail "completion offered something for --asof"
finish
