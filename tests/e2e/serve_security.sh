#!/bin/sh
# okra serve under bad requests: every one gets a 4xx JSON error and the
# server keeps serving.  Malformed and oversized bodies, bad dates, unknown
# metrics, path traversal, wrong methods, missing and wrong tokens, a
# foreign Host (DNS rebinding), slow clients; the security headers; HTML
# escaping of titles with <script>, quotes and non-ASCII; the token file.
. "$(dirname "$0")/lib.inc"
. "$(dirname "$0")/serve_lib.inc"

W="$TMP/demo"
TOKEN=serve-security-token-0123456789
"$OKRA" demo "$W" --events 20000 --seed 3 --end 2026-03-10 >"$TMP/demo.log" 2>&1 ||
	{ fail "okra demo failed"; sed 's/^/  | /' "$TMP/demo.log"; finish; }
# Titles that try to break out of HTML: a script, quotes, non-ASCII.
EVIL='<script>alert("pwned")</script> & '"'"'quoted'"'"' "dashboard" — ünïcødé 日本'
EVIL="$EVIL" perl -pi -e 'if (/^    title: Make activation a fast/) { (my $t = $ENV{EVIL}) =~ s/'"'"'/'"''"'/g; $_ = "    title: '"'"'$t'"'"'\n" }' \
	"$W/okrs/2026-Q1.yaml"
expect_status 0 "$OKRA" -C "$W" lint --no-data
OKRA_TOKEN=$TOKEN start_server "$W" --timeout 2 || finish
auth="Authorization: Bearer $TOKEN"
json="Content-Type: application/json"

# ---- headers on every answer ---------------------------------------------
for path in / /objectives/fast_activation /metrics /lint /api/metrics /api/lint /static/okra.css /nope; do
	req GET "$path" -H "Accept: text/html"
	expect_header "X-Content-Type-Options: nosniff"
	expect_header "Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'"
	expect_header "frame-ancestors 'none'"
	expect_header "Content-Type: "
done
expect 200 GET / -H "Accept: text/html"
expect_header "Content-Type: text/html; charset=utf-8"
expect_header "X-Frame-Options: DENY"
expect 200 GET /static/okra.js
expect_header "Content-Type: text/javascript"

# ---- HTML escaping -----------------------------------------------------
for path in / /objectives/fast_activation; do
	expect 200 GET "$path"
	expect_out '&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &#39;quoted&#39; &quot;dashboard&quot; — ünïcødé 日本'
	expect_no_out '<script>alert'
	expect_no_out "'quoted'"
done
CHECKS=$((CHECKS + 1))
grep -o '<script[^>]*>' "$TMP/out" | grep -qv 'src="/static/okra.js"' &&
	fail "a page holds a script element other than /static/okra.js"
# The same title in JSON is a JSON string, served as JSON.
expect 200 GET /api/review
expect_out '"title":"<script>alert(\"pwned\")</script> & '"'"'quoted'"'"' \"dashboard\" — ünïcødé 日本"'
expect_header "Content-Type: application/json"
# A segment value and a where pin from the URL are escaped as well.
# (No account has that tier: the page says so, escaped.)
expect 200 GET "/metrics/activation_rate?where=tier%3D%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
expect_out 'tier=&lt;img src=x onerror=alert(1)&gt;: no account has tier'
expect_no_out '<img src=x'

# ---- bad parameters ----------------------------------------------------
expect 400 GET "/api/metrics?asof=2026-13-01";   expect_json_error; expect_out "asof must be a date"
expect 400 GET "/api/metrics?asof=yesterday";    expect_json_error
expect 400 GET "/api/metrics?asof=2026-02-30";   expect_json_error
expect 400 GET "/api/series/activation_rate?from=2026-01-01&to=2025-01-01"; expect_json_error
expect 400 GET "/api/series/activation_rate?grain=fortnight"; expect_json_error; expect_out "unknown grain"
expect 400 GET "/api/series/activation_rate?grain=day&from=1990-01-01&to=2026-01-01"; expect_json_error
expect 400 GET "/api/metrics?by=no_such_attribute"; expect_json_error
expect 400 GET "/api/metrics?where=tier"; expect_json_error
expect 400 GET "/api/metrics?frobnicate=1";      expect_json_error; expect_out "unknown query parameter"
expect 400 GET "/api/metrics?asof=2026-01-01&asof=2026-02-01"; expect_json_error
expect 400 GET "/api/metrics?by=$(head -c 400 /dev/zero | tr '\0' a)"; expect_json_error
expect 400 GET "/api/metrics?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11&l=12&m=13"; expect_json_error
expect 404 GET "/api/review?team=nobody";        expect_json_error
expect 400 GET "/?asof=2026-99-99" -H "Accept: text/html"
expect_header "Content-Type: text/html"
expect_out "asof must be a date"

# ---- unknown metrics, objectives, routes ---------------------------------
expect 404 GET /api/series/activation_rat;  expect_json_error; expect_out 'did you mean \"activation_rate\"'
expect 404 GET /api/series/no_such_metric; expect_json_error
expect 404 GET /metrics/no_such_metric;    expect_json_error
expect 404 GET /objectives/no_such_objective; expect_json_error
expect 404 GET /api/series/activation_rate/extra; expect_json_error
expect 404 GET /nope;                      expect_json_error
expect 404 GET /nope -H "Accept: text/html"
expect_header "Content-Type: text/html"

# ---- path traversal ------------------------------------------------------
expect 400 GET /static/../../../etc/passwd; expect_json_error
expect 400 GET /static/%2e%2e/%2e%2e/etc/passwd; expect_json_error
expect 400 GET "/api/series/..%2f..%2fokra.yaml"; expect_json_error
expect 400 GET /metrics/..; expect_json_error
expect 400 GET "/static/..%5c..%5cokra.yaml"; expect_json_error
expect 400 GET //etc/passwd; expect_json_error
expect 400 GET /./okra.yaml; expect_json_error
expect 404 GET /okra.yaml; expect_json_error
expect 404 GET /.okra/token; expect_json_error
expect_no_out "$TOKEN"

# ---- wrong methods -----------------------------------------------------
expect 405 DELETE /api/metrics;   expect_json_error; expect_header "Allow: GET, HEAD"
expect 405 PUT /api/checkins;     expect_json_error; expect_header "Allow: POST"
expect 405 GET /api/checkins;     expect_json_error; expect_header "Allow: POST"
expect 405 GET /api/confidence;   expect_json_error
expect 405 POST /api/metrics -H "$auth" -H "$json" --data '{}'; expect_json_error
expect 405 POST /static/okra.css; expect_json_error
expect 405 OPTIONS /api/review;   expect_json_error
expect 200 HEAD /api/metrics
alive

# ---- tokens --------------------------------------------------------------
body='{"metric":"nps","value":41,"date":"2026-03-01"}'
expect 401 POST /api/checkins -H "$json" --data "$body"; expect_json_error
expect_header 'WWW-Authenticate: Bearer'
expect_out "missing token"
wrong=$(printf '%s' "$TOKEN" | sed 's/.$/X/')
expect 401 POST /api/checkins -H "Authorization: Bearer $wrong" -H "$json" --data "$body"; expect_json_error; expect_out "wrong token"
expect 401 POST /api/checkins -H "Authorization: Bearer ${TOKEN}x" -H "$json" --data "$body"; expect_json_error
expect 401 POST /api/checkins -H "Authorization: Bearer serve" -H "$json" --data "$body"; expect_json_error
expect 401 POST /api/checkins -H "Authorization: Bearer " -H "$json" --data "$body"; expect_json_error
expect 401 POST /api/checkins -H "Authorization: Basic $(printf 'u:%s' "$TOKEN" | base64)" -H "$json" --data "$body"; expect_json_error
expect 401 POST /api/confidence -H "Authorization: Bearer $wrong" -H "$json" --data '{"kr":"activation","value":5}'; expect_json_error
expect 401 POST /forms/checkin -H "Content-Type: application/x-www-form-urlencoded" --data "metric=nps&value=3&token=$wrong"
expect 401 POST /forms/checkin -H "Content-Type: application/x-www-form-urlencoded" --data "metric=nps&value=3"
expect_status 0 "$OKRA" -C "$W" checkins nps
expect_no_out "2026-03-01"
# The forms go back to a local path only: never an open redirect.
form="Content-Type: application/x-www-form-urlencoded"
for back in //evil.example/x https://evil.example/ '/\evil.example' 'javascript:alert(1)'; do
	expect 303 POST /forms/confidence -H "$form" --data-urlencode "kr=activation" \
		--data-urlencode "value=5" --data-urlencode "token=$TOKEN" --data-urlencode "back=$back"
	CHECKS=$((CHECKS + 1))
	tr -d '\r' <"$TMP/h" | grep -qx "Location: /" || { fail "back=$back redirected elsewhere"; grep -i location "$TMP/h"; }
done
expect 303 POST /forms/confidence -H "$form" --data "kr=activation&value=6&token=$TOKEN&back=%2Fobjectives%2Ffast_activation%23kr-activation"
expect_header "Location: /objectives/fast_activation#kr-activation"

# ---- malformed and oversized bodies ---------------------------------------
expect 400 POST /api/checkins -H "$auth" -H "$json" --data '{"metric": "nps", "value": }'; expect_json_error; expect_out "malformed JSON"
expect 400 POST /api/checkins -H "$auth" -H "$json" --data '[1, 2]'; expect_json_error
expect 400 POST /api/checkins -H "$auth" -H "$json" --data '';  expect_json_error
expect 400 POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"nps","value":1,"metric":"nps"}'; expect_json_error
expect 400 POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"nps","value":1,"extra":true}'; expect_json_error; expect_out "unknown field"
expect 400 POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"nps"}'; expect_json_error
expect 400 POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"nps","value":"forty"}'; expect_json_error
expect 400 POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"nps","value":[1]}'; expect_json_error
expect 400 POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"nps","value":1,"date":"2026-02-31"}'; expect_json_error
expect 400 POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"nps","value":1,"date":"2999-01-01"}'; expect_json_error; expect_out "future"
expect 400 POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"activation_rate","value":1}'; expect_json_error
expect 404 POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"npz","value":1}'; expect_json_error; expect_out 'did you mean \"nps\"'
printf '{"metric":"nps","value":1,"note":"\377\376"}' >"$TMP/badutf8.json"
expect 400 POST /api/checkins -H "$auth" -H "$json" --data-binary @"$TMP/badutf8.json"; expect_json_error
expect 400 POST /api/confidence -H "$auth" -H "$json" --data '{"kr":"activation","value":11}'; expect_json_error
expect 400 POST /api/confidence -H "$auth" -H "$json" --data '{"kr":"activation","value":2.5}'; expect_json_error
expect 404 POST /api/confidence -H "$auth" -H "$json" --data '{"kr":"activaton","value":5}'; expect_json_error
expect 415 POST /api/checkins -H "$auth" -H "Content-Type: text/plain" --data "$body"; expect_json_error
expect 400 POST "/api/checkins?x=1" -H "$auth" -H "$json" --data "$body"; expect_json_error
head -c 1048577 /dev/zero | tr '\0' ' ' >"$TMP/big.json"
expect 413 POST /api/checkins -H "$auth" -H "$json" --data-binary @"$TMP/big.json"; expect_json_error
expect 411 POST /api/checkins -H "$auth" -H "$json" -H "Transfer-Encoding: chunked" --data "$body"; expect_json_error
# Exactly 1 MiB is accepted (whitespace around a valid object).
{ printf '%s' "$body"; head -c $((1048576 - ${#body})) /dev/zero | tr '\0' ' '; } >"$TMP/mib.json"
expect 201 POST /api/checkins -H "$auth" -H "$json" --data-binary @"$TMP/mib.json"
alive

# ---- Host: a rebound DNS name cannot read the dashboard --------------------
expect 421 GET /api/review -H "Host: evil.example:$PORT"; expect_json_error
expect 421 GET /api/review -H "Host: 127.0.0.1:1"; expect_json_error
expect 200 GET /api/lint -H "Host: localhost:$PORT"

# ---- protocol-level garbage and slow clients (raw sockets, perl-base) -------
# raw HOLD-SECONDS TEXT: sends TEXT, waits, prints what came back and
# "closed after N s" when the server hung up.
raw() {
	perl -MIO::Socket::INET -e '
		my ($port, $hold, $text) = @ARGV;
		$text =~ s/\\r/\r/g;
		$text =~ s/\\n/\n/g;
		my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $port) or die "connect: $!";
		# The server may close while a big request is still being written:
		# without this, SIGPIPE kills perl before it reads the answer.
		$SIG{PIPE} = "IGNORE";
		print $s $text;
		my $t0 = time; my $all = ""; my $buf;
		$s->blocking(1);
		local $SIG{ALRM} = sub { print $all; print "\nstill open after $hold s\n"; exit 0 };
		alarm $hold;
		while (sysread($s, $buf, 4096)) { $all .= $buf }
		alarm 0;
		print $all; printf "\nclosed after %d s\n", time - $t0;' "$PORT" "$@"
}
raw 5 "GET / HTTP/1.1\r\nA header without a colon\r\n\r\n" >"$TMP/out" 2>&1
expect_out "HTTP/1.1 400"
raw 5 "GET / HTTP/1.1\r\n\r\n" >"$TMP/out" 2>&1
expect_out "HTTP/1.1 400"
raw 5 "GET / HTTP/1.1\r\nHost: 127.0.0.1:$PORT\r\nX-Big: $(head -c 70000 /dev/zero | tr '\0' a)\r\n\r\n" >"$TMP/out" 2>&1
# 431 from libmicrohttpd; when the client is still writing as the server
# closes, TCP may reset the connection before the client reads the answer.
CHECKS=$((CHECKS + 1))
grep -q "HTTP/1.1 4[0-9][0-9]" "$TMP/out" || grep -qx "closed after [0-9] s" "$TMP/out" ||
	{ fail "a 70 KB header was not refused"; head -c 300 "$TMP/out"; }
alive
# A client that sends half a request and stalls is cut off after the
# timeout (2 s here), while others are served meanwhile.
raw 8 "GET /api/metrics HTTP/1.1\r\nHost: 127.0.0.1:$PORT\r\n" >"$TMP/slow1" 2>&1 &
slow1=$!
raw 8 "POST /api/checkins HTTP/1.1\r\nHost: 127.0.0.1:$PORT\r\n$auth\r\n$json\r\nContent-Length: 100\r\n\r\n{\"metric\":" >"$TMP/slow2" 2>&1 &
slow2=$!
sleep 0.5
alive
wait $slow1 $slow2
for f in "$TMP/slow1" "$TMP/slow2"; do
	CHECKS=$((CHECKS + 1))
	grep -Eq "closed after [2-6] s" "$f" || { fail "a stalled client was not cut off after the timeout"; sed 's/^/  | /' "$f"; }
done
alive
stop_server
CHECKS=$((CHECKS + 1))
[ "$STOPPED" = 0 ] || fail "okra serve exited $STOPPED"

# ---- the token file --------------------------------------------------------
unset OKRA_TOKEN
W2="$TMP/tokens"
"$OKRA" init "$W2" >/dev/null 2>&1
start_server "$W2" || finish
CHECKS=$((CHECKS + 3))
[ -f "$W2/.okra/token" ] || fail "no .okra/token"
[ "$(stat -c %a "$W2/.okra/token")" = 600 ] || fail ".okra/token has mode $(stat -c %a "$W2/.okra/token"), not 600"
t=$(cat "$W2/.okra/token")
grep -qF "$t" "$TMP/serve.out" || fail "the generated token was not printed"
expect 201 POST /api/confidence -H "Authorization: Bearer $t" -H "$json" \
	--data "{\"kr\":\"$(sed -n 's/^ *- id: \([a-z_0-9]*\)$/\1/p' "$W2"/okrs/*.yaml | sed -n 2p)\",\"value\":7}"
stop_server
start_server "$W2" || finish
CHECKS=$((CHECKS + 2))
! grep -qF "$t" "$TMP/serve.out" || fail "a token read back from .okra/token was printed again"
[ "$(cat "$W2/.okra/token")" = "$t" ] || fail "the token changed across restarts"
stop_server
chmod 644 "$W2/.okra/token"
expect_status 2 "$OKRA" -C "$W2" serve --port 0
expect_out "can be read by others"
OKRA_TOKEN=short expect_status 2 "$OKRA" -C "$W2" serve --port 0
expect_out "OKRA_TOKEN must be"
expect_status 2 "$OKRA" -C "$W2" serve --bind 999.1.1.1
expect_out "the address to bind to must be"
expect_status 2 "$OKRA" -C "$W2" serve --port 70000

finish
