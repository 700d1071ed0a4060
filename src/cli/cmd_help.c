/*
 * cmd_help.c - okra help [COMMAND] and okra help --man: the usage text of
 * every command, with its options listed from the table the parser uses
 * (so the help never disagrees with what is accepted), and the man page
 * okra(1) generated from the same text at build time.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const struct help {
	const char *name, *usage, *text;
} helps[] = {
    {"init",
     "okra init [DIR] [--from posthog|segment|amplitude|mixpanel] "
     "[--team-type activation|core|expansion|platform [--team T]]",
     "Writes a commented example workspace into DIR (default: the current\n"
     "folder): okra.yaml with the north star and teams, a metric of every\n"
     "type, and two objectives with key results and hypotheses. Refuses to\n"
     "overwrite an existing file. The result lints clean.\n"
     "--from TOOL writes a workspace for that tool's event export instead:\n"
     "okra.yaml maps its columns (timestamps, user and group ids, the JSON\n"
     "properties), and the metrics and key results read the events alone.\n"
     "Put the export into data/ and run okra data. See docs/data.md.\n"
     "--team-type TYPE adds metrics-TYPE.yaml: the metrics a team of that\n"
     "type is measured by (activation: activation rate, time to first\n"
     "value, the onboarding funnel; core: feature adoption, workflows per\n"
     "active account, collaboration; expansion: accounts near their seat\n"
     "limit, upgrade-prompt conversion, upgrader-like usage; platform:\n"
     "weekly active accounts, tickets per account), owned by team T, the\n"
     "ones the workspace lacks. See docs/plan.md.\n"},
    {"lint",
     "okra lint [--format text|json|sarif] [--max-errors N] [--asof D] "
     "[--no-data] [-o FILE] | --explain [RULE]",
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
     "what the rule checks and how to fix it. --format sarif writes a\n"
     "SARIF 2.1.0 log for code scanning in pull requests. Findings that\n"
     "okra.yaml (lint: {disable: [RULE]}) or an objective or key result\n"
     "(lint_ignore: [RULE]) suppress are counted in one line. See\n"
     "docs/lint.md.\n"
     "Exit status: 0 no errors, 1 lint errors, 2 the workspace cannot be\n"
     "loaded (structural errors) or a usage error.\n"},
    {"demo",
     "okra demo [DIR] [--events N] [--seed S] [--end YYYY-MM-DD] "
     "[--shape demo|wide] [--no-review]",
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
    {"data", "okra data [--format text|json] [-o FILE]",
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
    {"sql",
     "okra sql METRIC... [--asof D] [--by ATTR] [--where ATTR=V]... [-o "
     "FILE] | okra sql --diagnose [--asof D] [-o FILE]",
     "Prints the SQL the ClickHouse engine runs to compute the metrics as\n"
     "of day D (default: the last day with events), one statement per query\n"
     "after a comment naming its metric. Ratios and formulas are computed\n"
     "from their inputs' values, so their inputs' SQL is printed.\n"
     "--diagnose prints what okra diagnose runs instead: the candidates'\n"
     "and the north star's queries at the 8 weekly days up to D, then per\n"
     "conversion or threshold candidate the four counts behind its lift.\n"
     "Reads the tables' columns from the server. See docs/clickhouse.md.\n"},
    {"list",
     "okra list metrics|objectives|key-results|trees|experiments|teams "
     "[--format text|json] [--ids] [-o FILE]",
     "Lists what the workspace defines, computing nothing: ids, titles,\n"
     "types and owners (metrics: type, unit, level, owner; objectives:\n"
     "team, quarter, key results; key results: objective, metric, kind,\n"
     "target; trees: root; experiments: key result, dates; teams: type).\n"
     "--ids prints one id a line, for scripts and shell completion.\n"},
    {"metrics",
     "okra metrics [ID...] [--asof D] [--by ATTR] [--where ATTR=V]... "
     "[--segments] [--compare prev|yoy|D2] [--format text|json|csv] "
     "[-o FILE]",
     "Computes every metric (or the ones named) as of the end of day D\n"
     "(default: the last day with events): the totals. --by adds one value\n"
     "per value of an account attribute (or cohort, the signup month);\n"
     "--segments splits each metric by its own segments: instead. --where\n"
     "keeps one segment (repeat it: AND across attributes, any of the\n"
     "values of one).\n"
     "--compare also evaluates each metric at an earlier day and shows the\n"
     "change: prev = one period of the metric earlier (its trailing window,\n"
     "its cohort, or the same day of the previous month or quarter), yoy = a\n"
     "year earlier, or a date. Shares and means show their sample (numerator\n"
     "and denominator) in JSON and CSV; the table marks a value resting on\n"
     "fewer than 30 with *. See docs/metrics.md.\n"},
    {"series",
     "okra series METRIC... | --all [--grain day|week|month|quarter] [--from "
     "D] [--to D] [--by ATTR] [--where ATTR=V]... [--segments] [--compare "
     "prev|yoy|D2] [--format text|json|csv] [-o FILE]",
     "Computes metrics as of the last day of each period from --from to --to\n"
     "(default: the 13 periods up to the last day with events; grain week).\n"
     "The last point is --to itself when it falls inside a period. JSON is\n"
     "{\"series\": [...]} for one metric or many.\n"
     "--compare adds, for every point, the value one period of the metric\n"
     "earlier (prev), a year earlier (yoy), or shifted back to D2.\n"
     "okra series MRR --bridge [--from D] [--to D] shows, month by month, the\n"
     "MRR bridge of a revenue metric with measure mrr: MRR at the start, new,\n"
     "reactivation, expansion, contraction, churned, MRR at the end.\n"},
    {"tree",
     "okra tree ID [--from D1] [--to D2] [--where ATTR=V]... [--by ATTR] "
     "[--format text|json] [-o FILE]",
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
    {"diagnose", "okra diagnose [--asof D] [--format text|json] [-o FILE]",
     "Where is the north star blocked? Every candidate (the north star's\n"
     "inputs, then every level 3 or 4 metric with a benchmark) as of day D\n"
     "(default: the last day with events) with its value, its gap to the\n"
     "benchmark, its trend per week over the last 8 weekly values and, for\n"
     "conversion and threshold metrics, the lift: how much likelier the\n"
     "entities that met it are to count in the north star, with its 95%\n"
     "interval and the four counts behind it. Ranked by gap x (lift - 1);\n"
     "the top one is the bottleneck, said in one sentence. One pass over\n"
     "the data. See docs/diagnose.md.\n"},
    {"plan",
     "okra plan QUARTER [--team T] [--asof D] [--dry-run] | okra plan "
     "--check QUARTER [--threshold 0.8] | okra plan --explain KR [--asof D]",
     "Drafts the quarter's OKRs per team from the data, as\n"
     "okrs/QUARTER-TEAM.draft.yaml: one objective (status: draft) whose key\n"
     "results are the metrics the team owns that okra diagnose ranks first\n"
     "(the bottleneck, then the gaps to benchmark), then its other leading\n"
     "indicators; each with its baseline measured on day D (default: the\n"
     "last day with events), a calibrated target (reached about 7 times in\n"
     "10 if the quarter goes like the better half of the metric's past\n"
     "quarters) beside the value of continuing the trend and the bet beyond\n"
     "the largest change so far, and three hypotheses to write. A draft\n"
     "someone edited is never overwritten. --dry-run prints the drafts.\n"
     "--check scores each team's plan: the share of the gates its\n"
     "objectives pass (key results bound to a metric, with baseline, target\n"
     "and 3-5 hypotheses written out; objectives traced to the north star\n"
     "or maintenance: true, one per team), the failing ones listed; exit 1\n"
     "when a team is below the threshold. --explain KR shows the numbers\n"
     "behind a key result's target.\n"
     "See docs/plan.md.\n"},
    {"retro", "okra retro QUARTER [--format md|html] [-o FILE]",
     "The quarterly retrospective of the OKR design, as of the quarter's\n"
     "last day (or the last day with data, provisional): the final score of\n"
     "every key result and objective beside the last review saved in the\n"
     "quarter; how calibrated the targets were (the share hit against the\n"
     "7 in 10 a calibrated target plans for); the key results whose metric\n"
     "moved while no experiment shipped, or stood still after one did;\n"
     "hypotheses tested by an experiment; the lint rules waived. md\n"
     "(default) or html, one self-contained page. See docs/plan.md.\n"},
    {"anomalies",
     "okra anomalies [--asof D] [--days 28] [--k 3.5] [--metric ID...] "
     "[--by ATTR] [--direction up|down] [--min-change 30%] [--fail-on "
     "up|down|any] [--format text|json] [-o FILE]",
     "Checks the daily series of every metric computed from events (not\n"
     "revenue or manual ones) over the --days days up to D: each day against\n"
     "the same weekday of the 8 weeks before (median, robust sigma, z). An\n"
     "anomaly is |z| > k; each one names the segment (of --by, else the\n"
     "metric's segments) that explains most of it. --direction and\n"
     "--min-change (30% or 0.3 of the usual value) filter. --fail-on makes\n"
     "the exit status 1 when an anomaly of that direction remains, for cron\n"
     "or CI alerts. See docs/anomalies.md.\n"},
    {"status",
     "okra status [--asof D] [--team T] [--format text|md|slack|json] "
     "[--summary | --rollup] [-o FILE]",
     "One line per key result as of day D (default: the last day with\n"
     "events), like git status for OKRs: its light (green, yellow, red, done,\n"
     "no data), current value, expected value on the linear trajectory from\n"
     "baseline to target, and score; objective scores; a count per light.\n"
     "--team keeps one team's objectives. md is a table per objective to\n"
     "paste in a document, slack a message with emoji lights. --summary\n"
     "keeps the red, yellow and at-risk key results and the three most\n"
     "important suggestions. --rollup is the leadership view of the\n"
     "quarter: each company objective (level: company) with the objectives\n"
     "that trace to it, and each team, its score weighted by key results and\n"
     "its lights counted (text or json). See docs/review.md and\n"
     "docs/plan.md.\n"},
    {"review",
     "okra review [--asof D] [--team T] [--format text|md|slack|html|json] "
     "[--summary] [-o FILE] [--save]",
     "The weekly review: where are we (each key result with baseline,\n"
     "current, expected, target, light, score, forecast with its 80% interval\n"
     "and probability, 8-week sparkline, change since the last review), what\n"
     "did we learn (hypotheses and their experiments), what should we change\n"
     "(suggestions derived from the numbers), and the balanced dashboard.\n"
     "html is one self-contained page with SVG charts; slack a message in\n"
     "Slack's markup (no tables, emoji lights, key result titles, the top\n"
     "suggestions); --summary keeps what needs attention. Lint findings are\n"
     "a count and a pointer to okra lint, not part of the story. Reading a\n"
     "review\n"
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
     "atomically to FILE (-o - is stdout), so it can be reviewed in git and\n"
     "restored with okra import: commit it to share check-ins with the\n"
     "team. See docs/state.md.\n"},
    {"import", "okra import [FILE|-]",
     "Reads an export (a file, or stdin) back into .okra/okra.db. Every line\n"
     "is checked first; a bad one stops the import with file:line: reason and\n"
     "nothing is stored. Rows already in the database (same key) are kept as\n"
     "they are, so importing the same export twice changes nothing.\n"},
    {"experiment",
     "okra experiment ID [--asof D] [--format text|json] [-o FILE] | okra "
     "experiment ID --decide ship|stop|iterate [--note TEXT] [--date D]",
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
    {"experiments",
     "okra experiments [--asof D] [--format text|json] [-o FILE]",
     "One line per experiment: its status (days left while it runs), the\n"
     "readout's decision, the team's recorded decision, and the first\n"
     "variant's lift against the control with its interval and p.\n"},
    {"serve",
     "okra serve [--port 8080] [--bind 127.0.0.1] [--timeout S] [--quiet]",
     "Serves the dashboard (overview, objectives, metric explorer, lint) and\n"
     "the JSON API (/api/review, /api/metrics, /api/series/ID,\n"
     "/api/lint, /api/experiments) until Ctrl-C or SIGTERM. --port 0 picks a "
     "free port. "
     "Check-ins\n"
     "(POST /api/checkins, /api/confidence) need Authorization: Bearer TOKEN:\n"
     "OKRA_TOKEN, else .okra/token (generated with mode 0600 and printed "
     "once).\n"
     "Answers are cached and recomputed when the YAML, data or state change.\n"
     "--timeout closes idle connections (default 10 s); --quiet drops the\n"
     "request log on stderr. See docs/server.md.\n"},
    {"completion", "okra completion bash|zsh|fish",
     "Prints the shell completion script of okra for bash, zsh or fish:\n"
     "commands, options, their values, and the ids of the workspace (read\n"
     "with okra list ... --ids). Load it with, for bash,\n"
     "  source <(okra completion bash)\n"
     "or install it where the shell looks (make install does).\n"},
    {"help", "okra help [COMMAND] | okra help --man",
     "Prints the usage of okra or of one command; --man prints the man\n"
     "page okra(1) in roff, made from the same text.\n"},
};

static const struct help *find(const char *command)
{
	for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
		if (strcmp(helps[i].name, command) == 0)
			return &helps[i];
	return NULL;
}

const char *cli_usage_line(const char *command)
{
	const struct help *h = find(command);
	return h ? h->usage : NULL;
}

const char *cli_help_text(const char *command)
{
	const struct help *h = find(command);
	return h ? h->text : NULL;
}

/* "-o, --output FILE", "--explain[=RULE]" */
static void option_head(const cli_option *o, char *out, size_t cap)
{
	const char *arg = o->arg ? o->arg : "";
	bool optional = arg[0] == '[';
	char value[64];
	snprintf(value, sizeof(value), "%s%.*s",
	         !o->arg    ? ""
	         : optional ? "[="
	                    : " ",
	         (int)strlen(arg) - 2 * optional, arg + optional);
	if (optional)
		strncat(value, "]", sizeof(value) - strlen(value) - 1);
	if (o->letter)
		snprintf(out, cap, "-%c, --%s%s", o->letter, o->name, value);
	else
		snprintf(out, cap, "--%s%s", o->name, value);
}

/* The options a command's table declares, one a line. */
static void options_text(const cli_spec *spec, FILE *out)
{
	if (!spec || !spec->options || !spec->options[0].name)
		return;
	enum { COLUMN = 23, WIDTH = 79 };
	fputs("\noptions:\n", out);
	for (const cli_option *o = spec->options; o->name; o++) {
		char head[96], doc[512];
		option_head(o, head, sizeof(head));
		snprintf(doc, sizeof(doc), "%s%s", o->doc ? o->doc : "",
		         o->repeats ? " (repeats)" : "");
		/* The doc wrapped at WIDTH, continued under its column. */
		int col = fprintf(out, "  %s", head);
		if (col + 1 > COLUMN)
			fprintf(out, "\n%*s", COLUMN, "");
		else
			fprintf(out, "%*s", COLUMN - col, "");
		col = COLUMN;
		for (const char *p = doc; *p;) {
			size_t len = strcspn(p, " ");
			if (col > COLUMN && col + 1 + (int)len > WIDTH) {
				fprintf(out, "\n%*s", COLUMN, "");
				col = COLUMN;
			} else if (col > COLUMN) {
				fputc(' ', out);
				col++;
			}
			fwrite(p, 1, len, out);
			col += (int)len;
			p += len;
			while (*p == ' ')
				p++;
		}
		fputc('\n', out);
	}
}

static const char *const global_text =
    "The workspace is the first folder from the current one upwards that\n"
    "holds okra.yaml. Every command takes -h/--help and\n"
    "--color=auto|always|never (auto: colour on a terminal unless NO_COLOR\n"
    "is set); -o FILE writes a file whole or not at all, and -o - is\n"
    "standard output. Exit status: 0 ok, 1 findings, 2 error.\n";

int cli_print_help(const char *command, FILE *out)
{
	if (command) {
		const struct help *h = find(command);
		if (!h)
			return cli_usage(
			    NULL, "no help for unknown command '%s'", command);
		fprintf(out, "usage: %s\n\n%s", h->usage, h->text);
		const cli_command *cmd = cli_command_find(command);
		options_text(cmd ? cmd->spec : NULL, out);
		return EXIT_OK;
	}
	fprintf(out,
	        "okra %s - OKRs and KPIs computed from your product data\n\n"
	        "usage: okra [-C DIR] [--color=WHEN] [--engine E] [-v] COMMAND "
	        "[ARGS]\n\n"
	        "commands:\n",
	        okra_version());
	for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
		fprintf(out, "  %s\n", helps[i].usage);
	fprintf(out,
	        "\noptions:\n"
	        "  -C DIR          run as if started in DIR\n"
	        "  --color[=WHEN]  auto, always or never\n"
	        "  --engine E      embedded or clickhouse, for this run\n"
	        "  -v, --verbose   print the SQL of a failed ClickHouse query\n"
	        "  -V, --version   print the version\n\n%s"
	        "Run 'okra help COMMAND' for one command.\n",
	        global_text);
	return EXIT_OK;
}

/* ---- the man page --------------------------------------------------------
 * roff, one section per command, from the same text as okra help. */

/* Text as roff: backslashes escaped, dashes as \-, a line that starts
 * with . or ' protected. */
static void roff(const char *s, FILE *out)
{
	bool line_start = true;
	for (; *s; s++) {
		if (line_start && (*s == '.' || *s == '\''))
			fputs("\\&", out);
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
		line_start = *s == '\n';
	}
}

/* The help paragraphs as roff: lines joined into filled text, a line
 * indented by two spaces kept as an example. */
static void roff_text(const char *text, FILE *out)
{
	const char *p = text;
	while (*p) {
		size_t len = strcspn(p, "\n");
		if (len >= 2 && p[0] == ' ' && p[1] == ' ') {
			fputs(".RS\n.nf\n", out);
			char line[512];
			snprintf(line, sizeof(line), "%.*s\n", (int)(len - 2),
			         p + 2);
			roff(line, out);
			fputs(".fi\n.RE\n", out);
		} else {
			char line[512];
			snprintf(line, sizeof(line), "%.*s\n", (int)len, p);
			roff(line, out);
		}
		p += len + (p[len] == '\n');
	}
}

static int write_man(FILE *out)
{
	fprintf(out,
	        ".\\\" okra(1): generated by okra help --man from the help "
	        "text; do not edit.\n"
	        ".TH OKRA 1 \"\" \"okra %s\" \"User Commands\"\n"
	        ".SH NAME\nokra \\- OKRs and KPIs computed from your product "
	        "data\n"
	        ".SH SYNOPSIS\n.B okra\n[\\fB\\-C\\fR \\fIDIR\\fR] "
	        "[\\fB\\-\\-color\\fR=\\fIWHEN\\fR] \\fICOMMAND\\fR "
	        "[\\fIARGS\\fR]\n"
	        ".SH DESCRIPTION\n"
	        "okra keeps a team's north star, metric definitions, "
	        "objectives, key results, KPI trees and experiments as YAML "
	        "files in git, computes every metric and key result from raw "
	        "product data, lints the OKRs, and writes the weekly review.\n"
	        ".PP\n",
	        okra_version());
	roff(global_text, out);
	fputs(".SH COMMANDS\n", out);
	for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++) {
		const struct help *h = &helps[i];
		fputs(".SS ", out);
		roff(h->usage, out);
		fputc('\n', out);
		roff_text(h->text, out);
		const cli_command *cmd = cli_command_find(h->name);
		const cli_spec *spec = cmd ? cmd->spec : NULL;
		for (const cli_option *o = spec && spec->options ? spec->options
		                                                 : NULL;
		     o && o->name; o++) {
			char head[96];
			option_head(o, head, sizeof(head));
			fputs(".TP\n.B ", out);
			roff(head, out);
			fputc('\n', out);
			roff(o->doc ? o->doc : "", out);
			fputs(o->repeats ? " (repeats)\n" : "\n", out);
		}
	}
	fputs(".SH OPTIONS\n"
	      ".TP\n.BI \\-C \" DIR\"\nrun as if started in DIR\n"
	      ".TP\n.BR \\-\\-color [=\\fIWHEN\\fR]\n"
	      "auto (a terminal, unless NO_COLOR is set), always or never\n"
	      ".TP\n.BI \\-\\-engine \" E\"\nembedded or clickhouse, for this "
	      "run "
	      "(default: the workspace's engine:)\n"
	      ".TP\n.BR \\-v \", \" \\-\\-verbose\nprint the SQL of a failed "
	      "ClickHouse query on stderr\n"
	      ".TP\n.BR \\-h \", \" \\-\\-help\nprint the help\n"
	      ".TP\n.BR \\-V \", \" \\-\\-version\nprint the version\n"
	      ".SH EXIT STATUS\n"
	      "0 success; 1 findings (lint errors); 2 a usage, configuration "
	      "or data error.\n"
	      ".SH ENVIRONMENT\n"
	      ".TP\n.B NO_COLOR\nset and not empty: no colour with "
	      "\\-\\-color=auto\n"
	      ".TP\n.B OKRA_TOKEN\nthe bearer token okra serve requires for "
	      "writes\n"
	      ".TP\n.B OKRA_THREADS\nthe worker threads of an ingest "
	      "(default: one per core)\n"
	      ".SH FILES\n"
	      ".TP\n.B okra.yaml\nthe workspace settings; every *.yaml below "
	      "it holds definitions\n"
	      ".TP\n.B .okra/\nokra's own state: okra.db (check-ins, "
	      "confidence, review snapshots), cache/, rejected/\n"
	      ".SH SEE ALSO\n"
	      "The documentation in docs/ of the okra sources.\n",
	      out);
	return ferror(out) ? EXIT_ERROR : EXIT_OK;
}

static const cli_option help_options[] = {
    {"man", 0, NULL, false, "the man page okra(1), in roff", NULL},
    {NULL, 0, NULL, false, NULL, NULL},
};

const cli_spec cli_spec_help = {help_options, 1, "@command"};

int cmd_help(const cli *c)
{
	if (cli_flag(c, "man")) {
		if (c->n_args)
			return cli_usage("help", "--man is the whole manual: "
			                         "no COMMAND");
		return write_man(stdout);
	}
	return cli_print_help(c->n_args ? c->args[0] : NULL, stdout);
}
