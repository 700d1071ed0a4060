#!/bin/sh
# okra serve, diagnose and anomalies: /api/diagnose and /api/anomalies
# answer with the bytes of `okra diagnose --format json` and `okra
# anomalies --format json` (the same options); the pages draw the
# candidates as bars with their intervals and the anomalies as a table
# with a filter form; the metric explorer, the overview's north star and
# the key result charts mark anomaly days with a dot and a tooltip; bad
# options are 400 with a JSON error, and the server keeps serving.
. "$(dirname "$0")/lib.inc"
. "$(dirname "$0")/serve_lib.inc"

W="$TMP/demo"
"$OKRA" demo "$W" --events 200000 --seed 1 --end 2026-03-10 --no-review >"$TMP/demo.log" 2>&1 ||
	{ fail "okra demo failed"; sed 's/^/  | /' "$TMP/demo.log"; finish; }
"$OKRA" -C "$W" ingest >/dev/null 2>&1
start_server "$W" || finish

# ---- the same JSON as the command line --------------------------------
"$OKRA" -C "$W" diagnose --asof 2026-03-03 --format json >"$TMP/cli-diag.json"
expect 200 GET "/api/diagnose?asof=2026-03-03"
expect_header "Content-Type: application/json"
same_as "$TMP/cli-diag.json"
expect_out '"bottleneck": "integrations_connected_14d"'

"$OKRA" -C "$W" anomalies --asof 2026-02-28 --days 7 --metric dau wau \
	--by region --direction down --min-change 20% --k 3 --format json >"$TMP/cli-anom.json"
expect 200 GET "/api/anomalies?asof=2026-02-28&days=7&metric=dau,wau&by=region&direction=down&min_change=20%25&k=3"
same_as "$TMP/cli-anom.json"
expect_out '"date": "2026-02-25"'
expect_out '"segment": {"attr": "region", "value": "eu"'

"$OKRA" -C "$W" anomalies --format json >"$TMP/cli-all.json"
expect 200 GET "/api/anomalies"
same_as "$TMP/cli-all.json"

# ---- errors: JSON, 4xx, and the server goes on ---------------------------
expect 400 GET "/api/anomalies?days=0"
expect_json_error
expect_out 'days must be a whole number from 1 to 366'
expect 400 GET "/api/anomalies?metric=dua"
expect_json_error
expect_out 'did you mean \"dau\"'
expect 400 GET "/api/anomalies?metric=mrr"
expect_out 'mrr is a revenue metric'
expect 400 GET "/api/anomalies?direction=sideways"
expect_out 'direction must be up or down'
expect 400 GET "/api/anomalies?min_change=lots"
expect_out 'min-change must be'
expect 400 GET "/api/anomalies?by=planet"
expect_out 'unknown account attribute'
expect 400 GET "/api/diagnose?asof=2026-02-30"
expect_json_error
expect 400 GET "/api/diagnose?metric=dau"
expect_out 'unknown query parameter'
alive

# ---- pages -----------------------------------------------------------------
expect 200 GET /diagnose -H "Accept: text/html"
expect_header "Content-Type: text/html"
expect_out 'aria-current="page">Diagnose</a>'
expect_out '<span class="tag">Bottleneck</span> Accounts that convert in integrations_connected_14d'
expect_out '<figure class="diag-bars">'
expect_out 'class="whisker"'
expect_out '<a href="/metrics/integrations_connected_14d">'
expect_no_out 'style='
expect 200 GET "/anomalies?asof=2026-02-28&days=7" -H "Accept: text/html"
expect_out 'aria-current="page">Anomalies</a>'
expect_out 'in the 7 days to 2026-02-28'
expect_out 'region=eu explains'
expect_out 'name="min_change"'
expect_no_out 'style='
expect 400 GET "/anomalies?k=-1" -H "Accept: text/html"
expect_header "Content-Type: text/html"

# Anomaly days on the series charts, each with its tooltip.
expect 200 GET "/metrics/dau?grain=day&from=2026-02-01&to=2026-02-28" -H "Accept: text/html"
expect_out '<path class="k-m" d="M'
expect_out '<title>2026-02-25 dau '
expect_out 'Anomal'
expect 200 GET "/metrics/dau?grain=day&from=2026-02-01&to=2026-02-28&where=region%3Deu" -H "Accept: text/html"
expect_out '<title>2026-02-25 dau '
expect 200 GET "/metrics/mrr?grain=month" -H "Accept: text/html"
expect_no_out 'class="k-m"'
expect 200 GET "/objectives/weekly_habit" -H "Accept: text/html"
expect_out '<title>2026-02-04 habitual_accounts '
expect 200 GET "/?asof=2026-02-28" -H "Accept: text/html"
expect_out 'href="/diagnose"'
expect_out '<title>2026-02-18 weekly_engaged_accounts '
alive

stop_server
finish
