/*
 * review_slack.c - the review, the status and the summary as a Slack
 * message (mrkdwn): no tables and no # headings, which Slack does not
 * render; bold lines for sections, emoji lights, key results by their
 * titles, the top suggestions.  Text from YAML and data is escaped (&, <,
 * >), so a title can neither link nor mention.  Reads the review that
 * review/ built; computes nothing.
 */
#include "render/review.h"

#include "render/experiment.h"
#include "model/format.h"

#include <math.h>
#include <string.h>

/* The suggestions the full review shows before "and N more". */
#define SLACK_SUGGESTIONS 5
/* The summary's. */
#define SUMMARY_SUGGESTIONS 3

static const char *const emoji[OKRA_LIGHT_COUNT] = {
    ":grey_question:", ":large_green_circle:", ":large_yellow_circle:",
    ":red_circle:",    ":white_check_mark:",   ":white_circle:",
};

/* s with Slack's three control characters escaped. */
static void esc(okra_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			okra__buf_puts(b, "&amp;");
			break;
		case '<':
			okra__buf_puts(b, "&lt;");
			break;
		case '>':
			okra__buf_puts(b, "&gt;");
			break;
		case '\n':
			okra__buf_putc(b, ' ');
			break;
		default:
			okra__buf_putc(b, *s);
		}
	}
}

static const char *day_str(okra_arena *a, int32_t day)
{
	char s[11];
	if (day < 0)
		return "-";
	okra__format_date(day, s);
	return okra__arena_strdup(a, s);
}

/* ":red_circle: *Increase invites from 47% to 57%* (tier=pro): 50.0%,
 * expected 54.5%, target 56.8%" */
static void kr_line(okra_buf *b, okra_arena *a, const okra_kr_eval *k)
{
	okra__buf_printf(b, "%s *", emoji[k->light]);
	esc(b, k->kr->title.text ? k->kr->title.text : k->kr->id);
	okra__buf_putc(b, '*');
	if (k->pin) {
		okra__buf_puts(b, " (");
		esc(b, k->pin);
		okra__buf_putc(b, ')');
	}
	okra__buf_puts(b, ": ");
	esc(b, okra__kr_value(a, k, k->current));
	okra__buf_puts(b, ", ");
	esc(b, okra__kr_detail(a, k));
	okra__buf_putc(b, '\n');
}

static void title_line(okra_buf *b, okra_arena *a, const okra_review *r,
                       const char *what)
{
	const char *name = r->ws->settings.name ? r->ws->settings.name : "okra";
	const char *q = okra__quarter_line(a, r);
	okra__buf_printf(b, "*%s: ", what);
	esc(b, name);
	okra__buf_printf(b, ", as of %s*", day_str(a, r->asof));
	if (r->team) {
		okra__buf_puts(b, ", team ");
		esc(b, r->team);
	}
	okra__buf_putc(b, '\n');
	if (q)
		okra__buf_printf(b, "%s\n", q);
	if (r->data_last >= 0 && r->asof > r->data_last)
		okra__buf_printf(b,
		                 "_the data ends on %s: key results are graded "
		                 "as of that day_\n",
		                 day_str(a, r->data_last));
}

/* "• text" for the first max suggestions, then how many more. */
static void suggestions(okra_buf *b, const okra_review *r, size_t max,
                        bool numbered)
{
	const okra_suggestion *top[SLACK_SUGGESTIONS];
	size_t n = okra__review_suggestions(r, top, SLACK_SUGGESTIONS);
	size_t shown = n < max ? n : max;
	for (size_t i = 0; i < shown; i++) {
		if (numbered)
			okra__buf_printf(b, "%zu. ", i + 1);
		else
			okra__buf_puts(b, "• ");
		esc(b, top[i]->text);
		okra__buf_putc(b, '\n');
	}
	if (!n)
		okra__buf_puts(b, "Nothing: every key result is on track.\n");
	if (n > shown)
		okra__buf_printf(b, "_and %zu more in `okra review`_\n",
		                 n - shown);
}

static void lint_line(okra_buf *b, const okra_review *r)
{
	okra__buf_puts(b, "_lint: ");
	okra__lint_counts(r, b);
	okra__buf_puts(b, okra_findings_count(r->findings)
	                      ? " (`okra lint` for details)_\n"
	                      : "_\n");
}

void okra__review_slack(const okra_review *r, okra_buf *b)
{
	okra_arena a = {0};
	title_line(b, &a, r, "Weekly review");
	if (r->has_prev)
		okra__buf_printf(b, "previous review: %s\n",
		                 day_str(&a, r->prev_asof));
	if (r->north_star) {
		const okra_metric *m = r->north_star;
		okra__buf_puts(b, "North star: ");
		esc(b, m->title ? m->title : m->id);
		okra__buf_puts(b, " *");
		esc(b, okra__fmt(&a, m, r->ns_is_count, r->ns_current));
		okra__buf_puts(b, "*\n");
	}
	for (size_t i = 0; i < r->n_objectives; i++) {
		const okra_obj_eval *o = &r->objectives[i];
		okra__buf_puts(b, "\n*");
		esc(b, o->obj->title.text ? o->obj->title.text : o->obj->id);
		okra__buf_printf(
		    b, "*: score %s",
		    isnan(o->score) ? "-"
		                    : okra__arena_printf(&a, "%.2f", o->score));
		if (o->obj->team.id) {
			okra__buf_puts(b, " (");
			esc(b, o->obj->team.id);
			okra__buf_putc(b, ')');
		}
		okra__buf_putc(b, '\n');
		for (size_t j = 0; j < o->n_krs; j++)
			kr_line(b, &a, &o->krs[j]);
	}
	okra__buf_puts(b, "\n*What did we learn?*\n");
	size_t hypotheses = 0, untested = 0;
	for (size_t h = 0; h < r->n_learnings; h++) {
		hypotheses++;
		untested += !r->learnings[h].experiment;
	}
	for (size_t j = 0; j < r->n_learned; j++) {
		const okra_exp_learned *l = &r->learned[j];
		okra_buf t = {0};
		okra__buf_printf(&t, "%s: ", l->x->id);
		if (l->r)
			okra__exp_sentence(l->r, true, &t);
		else
			okra__buf_printf(&t, "cannot be read out: %s",
			                 l->error);
		okra__buf_puts(b, "• ");
		esc(b, t.data);
		okra__buf_putc(b, '\n');
		okra__buf_free(&t);
	}
	okra__buf_printf(b,
	                 "%zu experiment%s read out since the last review; "
	                 "%zu of %zu hypotheses not yet tested\n",
	                 r->n_learned, r->n_learned == 1 ? "" : "s", untested,
	                 hypotheses);
	okra__buf_puts(b, "\n*What should we change?*\n");
	suggestions(b, r, SLACK_SUGGESTIONS, false);
	okra__buf_putc(b, '\n');
	lint_line(b, r);
	if (a.failed)
		b->failed = true;
	okra__arena_free(&a);
}

void okra__status_slack(const okra_review *r, okra_buf *b)
{
	okra_arena a = {0};
	title_line(b, &a, r, "Status");
	size_t counts[OKRA_LIGHT_COUNT] = {0};
	for (size_t i = 0; i < r->n_objectives; i++) {
		const okra_obj_eval *o = &r->objectives[i];
		okra__buf_puts(b, "\n*");
		esc(b, o->obj->title.text ? o->obj->title.text : o->obj->id);
		okra__buf_printf(
		    b, "*: score %s\n",
		    isnan(o->score) ? "-"
		                    : okra__arena_printf(&a, "%.2f", o->score));
		for (size_t j = 0; j < o->n_krs; j++) {
			counts[o->krs[j].light]++;
			kr_line(b, &a, &o->krs[j]);
		}
	}
	okra__buf_printf(b,
	                 "\n%zu key result%s: %zu green, %zu yellow, %zu red, "
	                 "%zu done, %zu no data",
	                 r->n_krs, r->n_krs == 1 ? "" : "s",
	                 counts[OKRA_LIGHT_GREEN], counts[OKRA_LIGHT_YELLOW],
	                 counts[OKRA_LIGHT_RED], counts[OKRA_LIGHT_DONE],
	                 counts[OKRA_LIGHT_NO_DATA]);
	if (counts[OKRA_LIGHT_OPEN])
		okra__buf_printf(b, ", %zu open", counts[OKRA_LIGHT_OPEN]);
	okra__buf_putc(b, '\n');
	if (a.failed)
		b->failed = true;
	okra__arena_free(&a);
}

void okra__summary_slack(const okra_review *r, okra_buf *b)
{
	okra_arena a = {0};
	title_line(b, &a, r, "Summary");
	size_t n = 0;
	for (size_t i = 0; i < r->n_krs; i++)
		n += okra__kr_attention(&r->krs[i]);
	if (n)
		okra__buf_printf(b,
		                 "\n*Needs attention: %zu of %zu key "
		                 "result%s*\n",
		                 n, r->n_krs, r->n_krs == 1 ? "" : "s");
	else
		okra__buf_printf(
		    b, "\n*Needs attention: none of %zu key result%s*\n",
		    r->n_krs, r->n_krs == 1 ? "" : "s");
	for (size_t i = 0; i < r->n_krs; i++)
		if (okra__kr_attention(&r->krs[i]))
			kr_line(b, &a, &r->krs[i]);
	okra__buf_puts(b, "\n*Top suggestions*\n");
	suggestions(b, r, SUMMARY_SUGGESTIONS, true);
	okra__buf_putc(b, '\n');
	lint_line(b, r);
	if (a.failed)
		b->failed = true;
	okra__arena_free(&a);
}
