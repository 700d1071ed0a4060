#!/bin/sh
# okra serve and hostile request targets and forms: a percent-encoded NUL
# anywhere in a path, a query or a form is a 400 (it used to cut the path
# short, so /api/lint%00.html was /api/lint); so is a bad escape or a
# target that is not a path.  The redirect after a form goes only to a
# path of this server once decoded: never "/<TAB>/evil.example", which a
# browser reads as //evil.example.  The server keeps serving throughout.
. "$SRCDIR/tests/e2e/lib.inc"
. "$SRCDIR/tests/e2e/serve_lib.inc"

W="$TMP/ws"
TOKEN=server-hostile-token-0123456789
"$OKRA" init "$W" >/dev/null 2>&1 || { fail "okra init failed"; finish; }
OKRA_TOKEN=$TOKEN start_server "$W" || finish
form="Content-Type: application/x-www-form-urlencoded"
kr=$(sed -n 's/^ *- id: \([a-z_0-9]*\)$/\1/p' "$W"/okrs/*.yaml | sed -n 2p)

# ---- a percent-encoded NUL ------------------------------------------------------
for path in "/api/lint%00" "/api/lint%00.html" "/lint%00/x" "/static/okra.css%00.js" \
	"/api/lint?x=%00" "/api/metrics?by=%00" "/api/review?team=a%00b" "/api/metrics?%00=1" \
	"/api/metrics?by%00=tier"; do
	expect 400 GET "$path"
	expect_json_error
	expect_out "percent-encoded NUL"
done
expect 400 POST /forms/confidence -H "$form" --data "kr=$kr&value=5&token=$TOKEN&note=a%00b"
expect_out "percent-encoded NUL"
expect 400 POST /forms/confidence -H "$form" --data "kr=$kr&value=5&token=$TOKEN%00"
# A form is at most 16 fields, each once.
expect 400 POST /forms/confidence -H "$form" \
	--data "kr=$kr&value=5&token=$TOKEN&a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11&l=12&m=13&n=14"
expect_out "too many form fields (at most 16)"
expect 400 POST /forms/confidence -H "$form" --data "kr=$kr&value=5&token=$TOKEN&value=6"
expect_out "a form field is given twice"
alive

# ---- bad escapes and targets that are not paths ---------------------------------
for path in "/api/lint%" "/api/lint%4" "/api/lint%zz" "/api/metrics?by=%g1" "/api/metrics?by=tier%"; do
	expect 400 GET "$path"
	expect_json_error
	expect_out "bad percent-escape"
done
expect 400 POST /forms/confidence -H "$form" --data "kr=$kr&value=5&token=$TOKEN&note=100%"
expect_out "bad percent-escape"
# Raw targets curl would not send (perl-base, a raw socket).
raw() {
	perl -MIO::Socket::INET -e '
		my ($port, $text) = @ARGV;
		$text =~ s/\\r/\r/g; $text =~ s/\\n/\n/g;
		my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $port) or die "connect: $!";
		print $s $text;
		local $SIG{ALRM} = sub { exit 0 }; alarm 5;
		my $buf; while (sysread($s, $buf, 4096)) { print $buf }' "$PORT" "$1"
}
for target in "http://evil.example/api/lint" "*" "api/lint"; do
	raw "GET $target HTTP/1.1\r\nHost: 127.0.0.1:$PORT\r\nConnection: close\r\n\r\n" >"$TMP/out" 2>&1
	expect_out "HTTP/1.1 400"
	expect_out "must be a path starting with"
done
# Other control characters, decoded in a path, are refused and never
# reach the log as they are.
expect 400 GET "/api/lint%01%0aforged%20line"
expect_out "control characters are refused"
alive
CHECKS=$((CHECKS + 1))
! grep -q "^forged line" "$TMP/serve.log" || fail "a decoded newline forged a log line"

# ---- the redirect after a form ----------------------------------------------------
# Decoded, each of these is not a plain path of this server: "/" instead.
for back in "/%09/evil.example" "/%0a/evil.example" "/%0d%0a/evil.example" "%09//evil.example" \
	"/%5cevil.example" "%2F%2Fevil.example" "/%20/evil.example" "/%7f/evil.example" \
	"/%C2%A0/evil.example" "https:%2F%2Fevil.example" "%2F%09%2Fevil.example"; do
	expect 303 POST /forms/confidence -H "$form" --data "kr=$kr&value=5&token=$TOKEN&back=$back"
	CHECKS=$((CHECKS + 1))
	tr -d '\r' <"$TMP/h" | grep -qx "Location: /" || { fail "back=$back redirected elsewhere"; grep -i location "$TMP/h"; }
done
# A path of this server is kept, its own escapes included.
expect 303 POST /forms/confidence -H "$form" --data "kr=$kr&value=5&token=$TOKEN&back=%2Fobjectives%2Fx%23kr-y"
expect_header "Location: /objectives/x#kr-y"
expect 303 POST /forms/confidence -H "$form" --data "kr=$kr&value=5&token=$TOKEN&back=%2Fmetrics%3Fwhere%3Dtier%253Dpro"
expect_header "Location: /metrics?where=tier%3Dpro"
alive
stop_server
CHECKS=$((CHECKS + 1))
[ "$STOPPED" = 0 ] || fail "okra serve exited $STOPPED"
finish
