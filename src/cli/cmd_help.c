/*
 * cmd_help.c - okra help [COMMAND]: the usage text of every command.
 */
#include "cli.h"

#include <string.h>

static const struct help {
	const char *name, *usage, *text;
} helps[] = {
    {"init", "okra init [DIR] [--from posthog|segment|amplitude|mixpanel]",
     "Writes a commented example workspace into DIR (default: the current\n"
     "folder): okra.yaml with the north star and teams, a metric of every\n"
     "type, and two objectives with key results and hypotheses. Refuses to\n"
     "overwrite an existing file. The result lints clean.\n"
     "--from TOOL writes a workspace for that tool's event export instead:\n"
     "okra.yaml maps its columns (timestamps, user and group ids, the JSON\n"
     "properties), and the metrics and key results read the events alone.\n"
     "Put the export into data/ and run okra data. See docs/data.md.\n"},
    {"lint",
     "okra lint [--format text|json] [--max-errors N] [--asof D] "
     "[--no-data] | --explain [RULE]",
     "Checks the workspace: YAML structure (unknown keys, wrong types,\n"
     "duplicate ids, broken references) and the OKR rules (activity key\n"
     "results, missing baselines, a direction that contradicts the metric,\n"
     "vague objectives, ...). Prints one finding per problem as\n"
     "file:line:col: severity: message [rule], the source line and a hint.\n"
     "Text shows the first N errors (--max-errors, default 50, 0 = all) and\n"
     "counts the rest; --format json lists every finding.\n"
     "When okra.yaml names data, the rules that read it run too (as of D,\n"
     "default the last day with events): target-sandbagged,\n"
     "target-unreachable, and kr-no-baseline for baseline: auto without data\n"
     "before the quarter; --no-data skips them.\n"
     "--explain lists every rule with its severity; --explain RULE says\n"
     "what the rule checks and how to fix it. See docs/lint.md.\n"
     "Exit status: 0 no errors, 1 lint errors, 2 the workspace cannot be\n"
     "loaded (structural errors) or a usage error.\n"},
    {"demo",
     "okra demo [DIR] [--events N] [--seed S] [--end YYYY-MM-DD] [--no-review]",
     "Writes a deterministic synthetic B2B SaaS workspace into DIR (default\n"
     "demo): okra.yaml, metrics of every type, objectives with key results,\n"
     "and data/ with accounts, users, about N events (default 1M; 10M and\n"
     "1e8 are accepted) and monthly revenue ending on --end (default today).\n"
     "The same N, S and end give the same bytes. Then prints the weekly\n"
     "review of the new workspace (okra review), unless --no-review.\n"
     "See docs/demo.md.\n"},
    {"ingest", "okra ingest [--skip-bad-rows]",
     "Reads the data files named in okra.yaml into the columnar cache\n"
     ".okra/cache/. A malformed row stops the load with file:line: reason and\n"
     "exit status 2, and the previous cache stays as it was; with\n"
     "--skip-bad-rows bad rows go to .okra/rejected/<table>.csv with their\n"
     "reason. Other commands ingest by themselves when a data file changed.\n"},
    {"data", "okra data [--format text|json]",
     "Shows what the data holds, as loaded (stale files are ingested\n"
     "first): the files each table names, the events' date range, the share\n"
     "of events without an account or without a user, every event name with\n"
     "its count and first and last day, every event property and account\n"
     "and user attribute with its type (number, text or mixed), how many\n"
     "rows have it, its distinct values and its commonest value, and the\n"
     "accounts and users the events name that their tables lack. The first\n"
     "command to run on a new export. See docs/data.md.\n"},
    {"push", "okra push [--skip-bad-rows]",
     "Loads the data files into the ClickHouse database of okra.yaml\n"
     "(engine: {clickhouse: ...}): creates the tables events, accounts,\n"
     "users and revenue (with cluster: local tables on every shard and\n"
     "Distributed tables over them, sharded by account) and streams the rows\n"
     "okra ingest reads into them. Each table is loaded into a staging table\n"
     "and renamed over the old one once all four loaded, so a failed push\n"
     "leaves the previous tables whole. See docs/clickhouse.md.\n"},
    {"sql", "okra sql METRIC... [--asof D] [--by ATTR] [--where ATTR=V]",
     "Prints the SQL the ClickHouse engine runs to compute the metrics as\n"
     "of day D (default: the last day with events), one statement per query\n"
     "after a comment naming its metric. Ratios and formulas are computed\n"
     "from their inputs' values, so their inputs' SQL is printed.\n"
     "Reads the tables' columns from the server. See docs/clickhouse.md.\n"},
    {"metrics",
     "okra metrics [ID...] [--asof D] [--by ATTR] [--where ATTR=V] "
     "[--compare prev|yoy|D2] [--format text|json|csv]",
     "Computes every metric (or the ones named) as of the end of day D\n"
     "(default: the last day with events). --by adds one value per value of\n"
     "an account attribute (or cohort, the signup month); without it, each\n"
     "metric is split by its own segments. --where keeps one segment.\n"
     "--compare also evaluates each metric at an earlier day and shows the\n"
     "change: prev = one period of the metric earlier (its trailing window,\n"
     "its cohort, or the same day of the previous month or quarter), yoy = a\n"
     "year earlier, or a date. Shares and means show their sample (numerator\n"
     "and denominator) in JSON and CSV; the table marks a value resting on\n"
     "fewer than 30 with *. See docs/metrics.md.\n"},
    {"series",
     "okra series METRIC... | --all [--grain day|week|month|quarter] [--from "
     "D] [--to D] [--by ATTR] [--where ATTR=V] [--compare prev|yoy|D2] "
     "[--format text|json|csv]",
     "Computes metrics as of the last day of each period from --from to --to\n"
     "(default: the 13 periods up to the last day with events; grain week).\n"
     "The last point is --to itself when it falls inside a period.\n"
     "--compare adds, for every point, the value one period of the metric\n"
     "earlier (prev), a year earlier (yoy), or shifted back to D2.\n"
     "okra series MRR --bridge [--from D] [--to D] shows, month by month, the\n"
     "MRR bridge of a revenue metric with measure mrr: MRR at the start, new,\n"
     "reactivation, expansion, contraction, churned, MRR at the end.\n"},
    {"tree",
     "okra tree ID [--from D1] [--to D2] [--where ATTR=V] [--by ATTR] "
     "[--format text|json]",
     "Draws KPI tree ID (trees: in the workspace) with every node's value\n"
     "at D1 and D2 (default: the last day with events, and 7 days before),\n"
     "its change, and its contribution to the root's change: Shapley values\n"
     "at each formula node, multiplied down the levels and summed over the\n"
     "paths to each leaf, so the drivers add up exactly to the root's\n"
     "change. Then the top drivers in one sentence each. --where evaluates\n"
     "the whole tree for one segment; --by splits each driver's change by\n"
     "segment (a sum by each segment's own change, a share of a population\n"
     "by its rate and mix). Nodes that cannot be attributed say why.\n"
     "See docs/trees.md.\n"},
    {"diagnose", "okra diagnose [--asof D] [--format text|json]",
     "Where is the north star blocked? Every candidate (the north star's\n"
     "inputs, then every level 3 or 4 metric with a benchmark) as of day D\n"
     "(default: the last day with events) with its value, its gap to the\n"
     "benchmark, its trend per week over the last 8 weekly values and, for\n"
     "conversion and threshold metrics, the lift: how much likelier the\n"
     "entities that met it are to count in the north star, with its 95%\n"
     "interval and the four counts behind it. Ranked by gap x (lift - 1);\n"
     "the top one is the bottleneck, said in one sentence. One pass over\n"
     "the data. See docs/diagnose.md.\n"},
    {"anomalies",
     "okra anomalies [--asof D] [--days 28] [--k 3.5] [--metric ID...] "
     "[--by ATTR] [--direction up|down] [--min-change 30%] [--fail-on "
     "up|down|any] [--format text|json]",
     "Checks the daily series of every metric computed from events (not\n"
     "revenue or manual ones) over the --days days up to D: each day against\n"
     "the same weekday of the 8 weeks before (median, robust sigma, z). An\n"
     "anomaly is |z| > k; each one names the segment (of --by, else the\n"
     "metric's segments) that explains most of it. --direction and\n"
     "--min-change (30% or 0.3 of the usual value) filter. --fail-on makes\n"
     "the exit status 1 when an anomaly of that direction remains, for cron\n"
     "or CI alerts. See docs/anomalies.md.\n"},
    {"status", "okra status [--asof D] [--team T] [--format text|json]",
     "One line per key result as of day D (default: the last day with\n"
     "events), like git status for OKRs: its light (green, yellow, red, done,\n"
     "no data), current value, expected value on the linear trajectory from\n"
     "baseline to target, and score; objective scores; a count per light.\n"
     "--team keeps one team's objectives. See docs/review.md.\n"},
    {"review",
     "okra review [--asof D] [--team T] [--format text|md|html|json] [-o FILE] "
     "[--save]",
     "The weekly review: where are we (each key result with baseline,\n"
     "current, expected, target, light, score, forecast with its 80% interval\n"
     "and probability, 8-week sparkline, change since the last review), what\n"
     "did we learn (hypotheses and their experiments), what should we change\n"
     "(suggestions derived from the numbers), and the balanced dashboard.\n"
     "html is one self-contained page with SVG charts. Reading a review\n"
     "changes nothing; --save stores a snapshot of every key result in\n"
     ".okra/okra.db (the weekly run), which the next review compares with.\n"
     "-o writes FILE whole or not at all. See docs/review.md.\n"},
    {"checkin",
     "okra checkin METRIC VALUE [--date D] [--note TEXT] [--author NAME] "
     "[--correct N]",
     "Records a value of a manual metric (NPS from a survey, CSAT) in\n"
     ".okra/okra.db, dated D (default today, UTC; never in the future), by\n"
     "NAME (default: $OKRA_AUTHOR, else the user logged in), and prints its\n"
     "number. The metric's value as of any day is its latest check-in on or\n"
     "before that day; on one day, the last one written. --correct N writes a\n"
     "correction of check-in N instead: a new check-in, on N's date unless\n"
     "--date says otherwise, that the metric reads from then on; N stays as\n"
     "history. Metrics computed from data take no check-ins. See\n"
     "docs/state.md.\n"},
    {"checkins", "okra checkins [METRIC] [--format text|json]",
     "Lists the check-ins of one metric or of all, by metric and date: each\n"
     "with its number, author, note and what it corrects or is corrected\n"
     "by. Checks the whole state database first: exit status 2 if it is\n"
     "inconsistent.\n"},
    {"confidence",
     "okra confidence KR [0..10 [--date D] [--note TEXT]] [--format text|json]",
     "Records the team's confidence, a whole number from 0 to 10, that key\n"
     "result KR will be reached; without a value, lists its confidence\n"
     "check-ins.\n"},
    {"milestone", "okra milestone KR done|open [--date D] [--note TEXT]",
     "Marks a milestone key result (kind: milestone) done on day D (default\n"
     "today, UTC), or open again. The review grades it done (score 1) from\n"
     "that day on; not done and past its due: date it is red, else open\n"
     "(score 0).\n"},
    {"export", "okra export [-o FILE]",
     "Writes the state (check-ins, confidence, review snapshots, decisions,\n"
     "milestones)\n"
     "as JSON Lines, one object per row in a fixed order, to stdout or\n"
     "atomically to FILE, so it can be reviewed in git and restored with\n"
     "okra import.\n"},
    {"import", "okra import [FILE|-]",
     "Reads an export (a file, or stdin) back into .okra/okra.db. Every line\n"
     "is checked first; a bad one stops the import with file:line: reason and\n"
     "nothing is stored. Rows already in the database (same key) are kept as\n"
     "they are, so importing the same export twice changes nothing.\n"},
    {"experiment",
     "okra experiment ID [--asof D] [--format text|json] | okra experiment "
     "ID --decide ship|stop|iterate [--note TEXT] [--date D]",
     "Reads out an A/B test of experiments.yaml as of day D (default: the\n"
     "last day with events; the readout stops at the experiment's end):\n"
     "per variant its units and rate or mean with a 95% interval; each\n"
     "variant against the control with the absolute and relative lift,\n"
     "their 95% intervals, the two-sided p value and the power for\n"
     "minimum_detectable_effect; CUPED beside the raw result; the sample\n"
     "ratio test against the split; the guardrails; and the decision:\n"
     "ship, stop, iterate, keep_running or invalid. --decide records the\n"
     "team's decision (dated D, default today) in .okra/okra.db with the\n"
     "readout's own decision beside it. See docs/experiments.md.\n"},
    {"experiments", "okra experiments [--asof D] [--format text|json]",
     "One line per experiment: its status (days left while it runs), the\n"
     "readout's decision, the team's recorded decision, and the first\n"
     "variant's lift against the control with its interval and p.\n"},
    {"serve",
     "okra serve [--port 8080] [--bind 127.0.0.1] [--timeout S] [--quiet]",
     "Serves the dashboard (overview, objectives, metric explorer, lint) and\n"
     "the JSON API (/api/review, /api/metrics, /api/series/ID,\n"
     "/api/lint, /api/experiments, /api/diagnose, /api/anomalies) until\n"
     "Ctrl-C or SIGTERM. --port 0 picks a "
     "free port. "
     "Check-ins\n"
     "(POST /api/checkins, /api/confidence) need Authorization: Bearer TOKEN:\n"
     "OKRA_TOKEN, else .okra/token (generated with mode 0600 and printed "
     "once).\n"
     "Answers are cached and recomputed when the YAML, data or state change.\n"
     "--timeout closes idle connections (default 10 s); --quiet drops the\n"
     "request log on stderr. See docs/server.md.\n"},
    {"help", "okra help [COMMAND]",
     "Prints the usage of okra or of one command.\n"},
};

int cli_print_help(const char *command, FILE *out)
{
	if (command) {
		for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
			if (strcmp(helps[i].name, command) == 0) {
				fprintf(out, "usage: %s\n\n%s", helps[i].usage,
				        helps[i].text);
				return EXIT_OK;
			}
		return cli_usage(NULL, "no help for unknown command '%s'",
		                 command);
	}
	fprintf(out,
	        "okra %s - OKRs and KPIs computed from your product data\n\n"
	        "usage: okra [-C DIR] COMMAND [ARGS]\n\ncommands:\n",
	        okra_version());
	for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
		fprintf(out, "  %s\n", helps[i].usage);
	fputs("\noptions:\n"
	      "  -C DIR       run as if started in DIR\n"
	      "  --engine E   embedded or clickhouse, instead of okra.yaml's "
	      "engine\n"
	      "               (also accepted after the command)\n"
	      "  -v           show the SQL of a query ClickHouse rejects\n"
	      "  --version    print the version\n\n"
	      "The workspace is the first folder from the current one upwards "
	      "that\n"
	      "holds okra.yaml. Exit status: 0 ok, 1 findings, 2 error.\n"
	      "Run 'okra help COMMAND' for one command.\n",
	      out);
	return EXIT_OK;
}

int cmd_help(const cli *c)
{
	if (c->argc > 2)
		return cli_usage("help", "too many arguments");
	return cli_print_help(c->argc == 2 ? c->argv[1] : NULL, stdout);
}
