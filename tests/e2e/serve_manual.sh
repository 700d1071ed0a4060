#!/bin/sh
# okra serve on a workspace without data: (a team that types its numbers
# in): every page and the API answer from check-ins alone; check-ins
# posted with an author, then a correction, come back in the metric, the
# page confirms a form's check-in, and a metric that needs data is an
# error page, never zeros.  Also okra checkin's default author.
. "$(dirname "$0")/lib.inc"
. "$(dirname "$0")/serve_lib.inc"

W="$TMP/team"
mkdir -p "$W"
cp "$SRCDIR/tests/cases/manual-only/okra.yaml" "$W/"
TOKEN=serve-manual-token-0123456789

# The author of a command-line check-in: --author, else $OKRA_AUTHOR,
# else the user logged in.
expect_status 0 env -u OKRA_AUTHOR "$OKRA" -C "$W" checkin nps 34 --date 2026-01-15
expect_out "checked in nps = 34 on 2026-01-15 by $(id -un) (#1)"
expect_status 0 env OKRA_AUTHOR=grace "$OKRA" -C "$W" checkin csat 0.82 --date 2026-02-10
expect_out "by grace (#2)"
expect_status 0 env OKRA_AUTHOR=grace "$OKRA" -C "$W" checkin csat 0.81 --correct 2 --author ada
expect_out "corrected #2: checked in csat = 0.81 on 2026-02-10 by ada (#3)"

OKRA_TOKEN=$TOKEN start_server "$W" || finish
auth="Authorization: Bearer $TOKEN"
json="Content-Type: application/json"
for path in / /objectives/happy_support /metrics /metrics/nps /metrics/csat /lint /api/review /api/metrics /api/lint; do
	expect 200 GET "$path"
done
expect 200 GET "/api/metrics?asof=2026-02-15"
expect_out_body() {
	CHECKS=$((CHECKS + 1))
	grep -qF -- "$1" "$TMP/out" || { fail "body lacks '$1'"; head -c 800 "$TMP/out" | sed 's/^/  | /'; echo; }
}
expect_out_body '{"id":"csat","value":0.81,'
expect_out_body '{"id":"nps","value":34'

# The API: an author, then a correction of that check-in.
expect 201 POST /api/checkins -H "$auth" -H "$json" \
	--data '{"metric":"nps","value":38,"date":"2026-02-01","author":"Ada"}'
expect_out_body '"id":4,"author":"Ada","corrects":null'
expect 201 POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"nps","value":39,"corrects":4}'
expect_out_body '"date":"2026-02-01"'
expect_out_body '"id":5,"author":null,"corrects":4'
expect 400 POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"nps","value":40,"corrects":4}'
expect_out_body 'was corrected already by #5'
expect 400 POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"csat","value":1,"corrects":5}'
expect 400 POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"nps","value":1,"corrects":"x"}'
expect 400 POST /api/checkins -H "$auth" -H "$json" --data '{"metric":"nps","value":1,"author":""}'
expect 400 POST /api/confidence -H "$auth" -H "$json" --data '{"kr":"nps_up","value":7,"author":"x"}'
expect 200 GET "/api/metrics?asof=2026-02-15"
expect_out_body '{"id":"nps","value":39'

# A form: back to the metric's page, which confirms the check-in.
expect 303 POST /forms/checkin --data "metric=csat&value=0.85&date=2026-02-12&author=Grace&note=&back=%2Fmetrics%2Fcsat&token=$TOKEN"
CHECKS=$((CHECKS + 1))
grep -qi '^location: /metrics/csat?checkin=6' "$TMP/h" || { fail "the form does not go back to the confirmation"; cat "$TMP/h"; }
expect 200 GET "/metrics/csat?checkin=6"
expect_out_body '<p class="confirm" role="status">checked in CSAT = <strong>85.0%</strong>'
expect_out_body 'by Grace (#6).'
expect 400 GET "/metrics/csat?checkin=x"
expect 400 GET "/metrics/csat?group=size"

# A metric computed from data, in a workspace without data: an error
# naming it, never a chart of zeros.
cat >"$W/more.yaml" <<'YAML'
metrics:
  - {id: tickets, title: Tickets, type: count, event: ticket_opened}
YAML
sleep 1.1 # the server reloads files whose modification time moved
req GET /metrics/tickets
CHECKS=$((CHECKS + 1))
[ "$STATUS" -ge 400 ] && grep -qF 'tickets\" (type count) is computed from data' "$TMP/out" ||
	{ fail "a data metric without data answered $STATUS"; head -c 600 "$TMP/out" | sed 's/^/  | /'; }
expect 200 GET /metrics/nps
finish
