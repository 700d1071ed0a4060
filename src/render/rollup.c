/*
 * rollup.c - writes the roll-up (review/rollup.h) as text, one line per
 * company objective and per team with its score and its lights counted,
 * or as JSON (docs/plan.md).  No computation.
 */
#include "review/rollup.h"

#include "model/format.h"

#include <math.h>

static void row_line(okra_buf *b, const okra_rollup_row *row)
{
	okra__buf_printf(b, "  %-24s ", row->name);
	if (isnan(row->score))
		okra__buf_printf(b, "   -  ");
	else
		okra__buf_printf(b, "%5.2f ", row->score);
	okra__buf_printf(b, " %2zu objective%s %3zu KRs ", row->n_objectives,
	                 row->n_objectives == 1 ? " " : "s", row->n_krs);
	static const okra_light order[] = {
	    OKRA_LIGHT_GREEN, OKRA_LIGHT_YELLOW, OKRA_LIGHT_RED,
	    OKRA_LIGHT_DONE,  OKRA_LIGHT_OPEN,   OKRA_LIGHT_NO_DATA};
	bool first = true;
	if (row->n_krs == 0)
		okra__buf_puts(b, " -");
	for (size_t i = 0; i < OKRA_ARRAY_LEN(order); i++) {
		size_t n = row->lights[order[i]];
		if (!n)
			continue;
		okra__buf_printf(b, "%s%zu %s", first ? " " : ", ", n,
		                 okra__light_names[order[i]]);
		first = false;
	}
	okra__buf_putc(b, '\n');
}

void okra__rollup_text(const okra_review *r, const okra_rollup *u, okra_buf *b)
{
	okra_quarter q =
	    okra__quarter_of(r->asof, r->ws->settings.fiscal_start_month);
	char day[11];
	okra__format_date(r->asof, day);
	okra__buf_printf(b,
	                 "Roll-up of the objectives of %d-Q%d as of %s (scores "
	                 "weighted by key results, a key result without data "
	                 "as 0)\n",
	                 q.year, q.q, day);
	if (u->n_company) {
		okra__buf_puts(b, "\nCompany\n");
		for (size_t i = 0; i < u->n_company; i++) {
			row_line(b, &u->rows[i]);
			okra__buf_printf(
			    b, "    %s; %zu contributing objective%s\n",
			    u->rows[i].title ? u->rows[i].title : "",
			    u->rows[i].n_contributions,
			    u->rows[i].n_contributions == 1 ? "" : "s");
		}
	}
	okra__buf_puts(b, "\nTeams\n");
	for (size_t i = u->n_company; i < u->n_rows; i++)
		row_line(b, &u->rows[i]);
}

/* The light names as JSON keys, in the text's order. */
static const okra_light json_order[] = {OKRA_LIGHT_GREEN, OKRA_LIGHT_YELLOW,
                                        OKRA_LIGHT_RED,   OKRA_LIGHT_DONE,
                                        OKRA_LIGHT_OPEN,  OKRA_LIGHT_NO_DATA};
static const char *const json_light_keys[OKRA_LIGHT_COUNT] = {
    [OKRA_LIGHT_NO_DATA] = "no_data", [OKRA_LIGHT_GREEN] = "green",
    [OKRA_LIGHT_YELLOW] = "yellow",   [OKRA_LIGHT_RED] = "red",
    [OKRA_LIGHT_DONE] = "done",       [OKRA_LIGHT_OPEN] = "open"};

static void row_json(okra_buf *b, const okra_rollup_row *row, bool company)
{
	okra__buf_puts(b, company ? "{\"id\":" : "{\"team\":");
	if (!company && row->is_no_team)
		okra__buf_puts(b, "null");
	else
		okra__buf_json_str(b, row->name);
	if (company) {
		okra__buf_puts(b, ",\"title\":");
		okra__buf_json_str(b, row->title ? row->title : "");
	}
	okra__buf_puts(b, ",\"score\":");
	okra__json_number(b, false, row->score);
	okra__buf_printf(b, ",\"objectives\":%zu", row->n_objectives);
	if (company)
		okra__buf_printf(b, ",\"contributions\":%zu",
		                 row->n_contributions);
	okra__buf_printf(b, ",\"key_results\":%zu,\"lights\":{", row->n_krs);
	for (size_t i = 0; i < OKRA_ARRAY_LEN(json_order); i++)
		okra__buf_printf(b, "%s\"%s\":%zu", i ? "," : "",
		                 json_light_keys[json_order[i]],
		                 row->lights[json_order[i]]);
	okra__buf_puts(b, "}}");
}

void okra__rollup_json(const okra_review *r, const okra_rollup *u, okra_buf *b)
{
	okra_quarter q =
	    okra__quarter_of(r->asof, r->ws->settings.fiscal_start_month);
	char day[11];
	okra__format_date(r->asof, day);
	okra__buf_printf(b,
	                 "{\"quarter\":\"%d-Q%d\",\"asof\":\"%s\","
	                 "\"team\":",
	                 q.year, q.q, day);
	if (r->team)
		okra__buf_json_str(b, r->team);
	else
		okra__buf_puts(b, "null");
	okra__buf_puts(b, ",\n \"company\":[");
	for (size_t i = 0; i < u->n_company; i++) {
		okra__buf_puts(b, i ? ",\n  " : "\n  ");
		row_json(b, &u->rows[i], true);
	}
	okra__buf_puts(b, "],\n \"teams\":[");
	for (size_t i = u->n_company; i < u->n_rows; i++) {
		okra__buf_puts(b, i > u->n_company ? ",\n  " : "\n  ");
		row_json(b, &u->rows[i], false);
	}
	okra__buf_puts(b, "]}\n");
}
