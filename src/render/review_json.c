/*
 * review_json.c - the review as JSON: objectives -> key results with
 * every field of the evaluation, the dashboard, suggestions and findings.
 * Reads the review that review/ built; computes nothing.
 */
#include "render/review.h"

#include "render/experiment.h"

#include "model/format.h"

#include <math.h>
#include <string.h>

static const char *const kind_names[] = {
    "move",
    "stay_above",
    "stay_below",
    "milestone",
};
static const char *const suggestion_kinds[] = {
    "recover", "ahead",      "input_gap", "stale_target",
    "lint",    "bottleneck", "anomaly",
};

static void jkey(okra_buf *b, bool *first, const char *key)
{
	okra__buf_puts(b, *first ? "" : ",");
	*first = false;
	okra__buf_json_str(b, key);
	okra__buf_putc(b, ':');
}

static void jstr(okra_buf *b, const char *s)
{
	if (s)
		okra__buf_json_str(b, s);
	else
		okra__buf_puts(b, "null");
}

static void jday(okra_buf *b, int32_t day)
{
	char s[11];
	if (day < 0) {
		okra__buf_puts(b, "null");
		return;
	}
	okra__format_date(day, s);
	okra__buf_json_str(b, s);
}

static void jnum(okra_buf *b, double v)
{
	okra__json_number(b, false, v);
}

static void jpoints(okra_buf *b, const int32_t *days, const double *v, size_t n,
                    bool is_count)
{
	okra__buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		okra__buf_puts(b, i ? ",{\"date\":" : "{\"date\":");
		jday(b, days[i]);
		okra__buf_puts(b, ",\"value\":");
		okra__json_number(b, is_count, v[i]);
		okra__buf_putc(b, '}');
	}
	okra__buf_putc(b, ']');
}

/* {"lint.disable": n, "lint_ignore": n}: the findings suppressed. */
static void json_suppressed(okra_buf *b, const okra_findings *f)
{
	okra__buf_printf(b, "{\"lint.disable\":%zu,\"lint_ignore\":%zu}",
	                 okra_findings_suppressed(f, OKRA_SUPPRESSED_DISABLE),
	                 okra_findings_suppressed(f, OKRA_SUPPRESSED_IGNORE));
}

static void json_kr(okra_buf *b, const okra_review *r, const okra_kr_eval *k)
{
	bool f = true;
	okra__buf_putc(b, '{');
	jkey(b, &f, "id");
	jstr(b, k->kr->id);
	jkey(b, &f, "title");
	jstr(b, k->kr->title.text);
	jkey(b, &f, "kind");
	jstr(b, kind_names[k->kr->kind]);
	jkey(b, &f, "metric");
	jstr(b, k->metric ? k->metric->id : NULL);
	jkey(b, &f, "where");
	jstr(b, k->pin);
	jkey(b, &f, "status");
	jstr(b, okra__light_names[k->light]);
	jkey(b, &f, "baseline");
	okra__json_number(b, k->is_count, k->baseline);
	jkey(b, &f, "baseline_auto");
	okra__buf_puts(b, k->baseline_auto ? "true" : "false");
	jkey(b, &f, "current");
	okra__json_number(b, k->is_count, k->current);
	jkey(b, &f, "expected");
	jnum(b, k->expected);
	jkey(b, &f, "target");
	jnum(b, k->target);
	jkey(b, &f, "stretch");
	jnum(b, k->stretch);
	jkey(b, &f, "elapsed");
	jnum(b, k->elapsed);
	jkey(b, &f, "progress");
	jnum(b, k->progress);
	jkey(b, &f, "gap");
	jnum(b, k->gap);
	jkey(b, &f, "score");
	jnum(b, k->score);
	jkey(b, &f, "forecast");
	if (k->forecast.ok) {
		bool g = true;
		okra__buf_putc(b, '{');
		jkey(b, &g, "value");
		jnum(b, k->forecast.value);
		jkey(b, &g, "low");
		jnum(b, k->forecast.lo);
		jkey(b, &g, "high");
		jnum(b, k->forecast.hi);
		jkey(b, &g, "probability");
		jnum(b, k->forecast.prob);
		jkey(b, &g, "slope_per_week");
		jnum(b, k->forecast.slope * 7);
		jkey(b, &g, "points");
		okra__buf_printf(b, "%zu", k->forecast.n_points);
		jkey(b, &g, "from");
		jstr(b,
		     k->forecast.from_history ? "before_quarter" : "quarter");
		okra__buf_putc(b, '}');
	} else {
		okra__buf_puts(b, "null");
	}
	jkey(b, &f, "outlook");
	jstr(b, okra__outlook_names[k->outlook]);
	jkey(b, &f, "pace_per_week");
	jnum(b, k->pace);
	jkey(b, &f, "pace_needed_per_week");
	jnum(b, k->pace_needed);
	jkey(b, &f, "why");
	jstr(b, k->why);
	jkey(b, &f, "value_date");
	jday(b, k->value_date);
	if (k->kr->kind == OKRA_KR_MILESTONE) {
		jkey(b, &f, "due");
		jday(b, k->due);
		jkey(b, &f, "done_on");
		jday(b, k->done_on);
	}
	jkey(b, &f, "provisional");
	okra__buf_puts(b, k->provisional ? "true" : "false");
	jkey(b, &f, "weeks");
	jpoints(b, k->week_days, k->week_values, k->n_weeks, k->is_count);
	jkey(b, &f, "sparkline");
	jpoints(b, k->spark_days, k->spark, k->n_spark, k->is_count);
	jkey(b, &f, "previous");
	if (k->has_prev) {
		bool g = true;
		okra__buf_putc(b, '{');
		jkey(b, &g, "asof");
		jday(b, k->prev_asof);
		jkey(b, &g, "value");
		okra__json_number(b, k->is_count, k->prev_value);
		jkey(b, &g, "score");
		jnum(b, k->prev_score);
		jkey(b, &g, "status");
		jstr(b, okra__light_names[k->prev_light]);
		okra__buf_putc(b, '}');
	} else {
		okra__buf_puts(b, "null");
	}
	jkey(b, &f, "confidence");
	okra__buf_putc(b, '[');
	for (size_t i = 0; i < k->n_confidence; i++)
		okra__buf_printf(b, "%s{\"date\":", i ? "," : ""),
		    jday(b, k->confidence_days[i]),
		    okra__buf_printf(b, ",\"value\":%d}",
		                     k->confidence_values[i]);
	okra__buf_putc(b, ']');
	jkey(b, &f, "hypotheses");
	okra__buf_putc(b, '[');
	bool first = true;
	for (size_t i = 0; i < r->n_learnings; i++) {
		const okra_learning *l = &r->learnings[i];
		if (l->kr != k->kr)
			continue;
		okra__buf_puts(b, first ? "{\"text\":" : ",{\"text\":");
		first = false;
		jstr(b, l->hypothesis);
		okra__buf_puts(b, ",\"experiment\":");
		jstr(b, l->experiment ? l->experiment->id : NULL);
		okra__buf_putc(b, '}');
	}
	okra__buf_putc(b, ']');
	/* The experiments that ran since the last review, read out, and the
	 * forecast if a winner ships. */
	jkey(b, &f, "experiments");
	okra__buf_putc(b, '[');
	first = true;
	for (size_t i = 0; i < r->n_learned; i++) {
		const okra_exp_learned *l = &r->learned[i];
		if (l->k != k)
			continue;
		okra__buf_puts(b, first ? "" : ",");
		first = false;
		if (!l->r) {
			okra__buf_puts(b, "{\"id\":");
			jstr(b, l->x->id);
			okra__buf_puts(b, ",\"error\":");
			jstr(b, l->error);
			okra__buf_putc(b, '}');
			continue;
		}
		okra__exp_json(l->r, b);
		b->len--; /* reopen the object for the ship forecast */
		b->data[b->len] = '\0';
		okra__buf_puts(b, ",\"if_shipped\":");
		if (l->has_ship) {
			okra__buf_puts(b, "{\"shift\":");
			jnum(b, l->ship_shift);
			okra__buf_puts(b, ",\"share_untreated\":");
			jnum(b, l->ship_share_untreated);
			okra__buf_puts(b, ",\"value\":");
			jnum(b, l->ship_value);
			okra__buf_puts(b, ",\"low\":");
			jnum(b, l->ship_lo);
			okra__buf_puts(b, ",\"high\":");
			jnum(b, l->ship_hi);
			okra__buf_putc(b, '}');
		} else {
			okra__buf_puts(b, "null");
		}
		okra__buf_putc(b, '}');
	}
	okra__buf_puts(b, "]}");
}

static void json_dash(okra_buf *b, const okra_dash_row *rows, size_t n)
{
	okra__buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		const okra_dash_row *d = &rows[i];
		okra__buf_puts(b, i ? ",{\"metric\":" : "{\"metric\":");
		jstr(b, d->metric->id);
		okra__buf_puts(b, ",\"current\":");
		okra__json_number(b, d->is_count, d->current);
		okra__buf_puts(b, ",\"target\":");
		jnum(b, d->target);
		okra__buf_puts(b, ",\"benchmark\":");
		jnum(b, d->benchmark);
		okra__buf_puts(b, ",\"status\":");
		jstr(b, isnan(d->target) ? NULL : okra__light_names[d->light]);
		okra__buf_puts(b, ",\"trend\":[");
		for (size_t s = 0; s < d->n_spark; s++) {
			okra__buf_puts(b, s ? "," : "");
			okra__json_number(b, d->is_count, d->spark[s]);
		}
		okra__buf_puts(b, "]}");
	}
	okra__buf_putc(b, ']');
}

void okra__review_json(const okra_review *r, okra_buf *b)
{
	bool f = true;
	okra__buf_putc(b, '{');
	jkey(b, &f, "asof");
	jday(b, r->asof);
	jkey(b, &f, "data_until");
	jday(b, r->data_last);
	jkey(b, &f, "workspace");
	jstr(b, r->ws->settings.name);
	jkey(b, &f, "team");
	jstr(b, r->team);
	jkey(b, &f, "previous_review");
	jday(b, r->has_prev ? r->prev_asof : -1);
	jkey(b, &f, "checkins_after_asof");
	okra__buf_printf(b, "%zu", r->n_late_checkins);
	jkey(b, &f, "north_star");
	if (r->north_star) {
		okra__buf_puts(b, "{\"metric\":");
		jstr(b, r->north_star->id);
		okra__buf_puts(b, ",\"current\":");
		okra__json_number(b, r->ns_is_count, r->ns_current);
		okra__buf_puts(b, "}");
	} else {
		okra__buf_puts(b, "null");
	}
	jkey(b, &f, "objectives");
	okra__buf_putc(b, '[');
	for (size_t i = 0; i < r->n_objectives; i++) {
		const okra_obj_eval *o = &r->objectives[i];
		bool g = true;
		okra__buf_puts(b, i ? ",\n{" : "\n{");
		jkey(b, &g, "id");
		jstr(b, o->obj->id);
		jkey(b, &g, "title");
		jstr(b, o->obj->title.text);
		jkey(b, &g, "team");
		jstr(b, o->obj->team.id);
		jkey(b, &g, "quarter");
		if (o->obj->has_quarter)
			okra__buf_printf(b, "\"%d-Q%d\"", o->obj->quarter.year,
			                 o->obj->quarter.q);
		else
			okra__buf_puts(b, "null");
		jkey(b, &g, "score");
		jnum(b, o->score);
		jkey(b, &g, "no_data");
		okra__buf_printf(b, "%zu", o->n_no_data);
		jkey(b, &g, "key_results");
		okra__buf_putc(b, '[');
		for (size_t j = 0; j < o->n_krs; j++) {
			okra__buf_puts(b, j ? ",\n " : "\n ");
			json_kr(b, r, &o->krs[j]);
		}
		okra__buf_puts(b, "]}");
	}
	okra__buf_puts(b, "]");
	jkey(b, &f, "dashboard");
	okra__buf_puts(b, "{\"leading\":");
	json_dash(b, r->leading, r->n_leading);
	okra__buf_puts(b, ",\"lagging\":");
	json_dash(b, r->lagging, r->n_lagging);
	okra__buf_puts(b, ",\"north_star_inputs\":");
	json_dash(b, r->ns_inputs, r->n_ns_inputs);
	okra__buf_putc(b, '}');
	jkey(b, &f, "suggestions");
	okra__buf_putc(b, '[');
	for (size_t i = 0; i < r->n_suggestions; i++) {
		const okra_suggestion *s = &r->suggestions[i];
		okra__buf_puts(b, i ? ",\n{\"kind\":" : "\n{\"kind\":");
		jstr(b, suggestion_kinds[s->kind]);
		okra__buf_puts(b, ",\"subject\":");
		jstr(b, s->subject);
		okra__buf_puts(b, ",\"text\":");
		jstr(b, s->text);
		okra__buf_putc(b, '}');
	}
	okra__buf_putc(b, ']');
	jkey(b, &f, "findings");
	okra__findings_json(r->findings, b);
	jkey(b, &f, "findings_suppressed");
	json_suppressed(b, r->findings);
	okra__buf_puts(b, "}\n");
}

void okra__summary_json(const okra_review *r, okra_buf *b)
{
	bool f = true;
	okra__buf_putc(b, '{');
	jkey(b, &f, "asof");
	jday(b, r->asof);
	jkey(b, &f, "workspace");
	jstr(b, r->ws->settings.name);
	jkey(b, &f, "team");
	jstr(b, r->team);
	jkey(b, &f, "key_results");
	okra__buf_printf(b, "%zu", r->n_krs);
	jkey(b, &f, "attention");
	okra__buf_putc(b, '[');
	size_t n = 0;
	for (size_t i = 0; i < r->n_krs; i++) {
		if (!okra__kr_attention(&r->krs[i]))
			continue;
		okra__buf_puts(b, n++ ? ",\n " : "\n ");
		json_kr(b, r, &r->krs[i]);
	}
	okra__buf_putc(b, ']');
	jkey(b, &f, "suggestions");
	const okra_suggestion *top[3];
	size_t n_top = okra__review_suggestions(r, top, 3);
	okra__buf_putc(b, '[');
	for (size_t i = 0; i < n_top && i < 3; i++) {
		okra__buf_puts(b, i ? ",\n{\"kind\":" : "\n{\"kind\":");
		jstr(b, suggestion_kinds[top[i]->kind]);
		okra__buf_puts(b, ",\"subject\":");
		jstr(b, top[i]->subject);
		okra__buf_puts(b, ",\"text\":");
		jstr(b, top[i]->text);
		okra__buf_putc(b, '}');
	}
	okra__buf_putc(b, ']');
	jkey(b, &f, "more_suggestions");
	okra__buf_printf(b, "%zu", n_top > 3 ? n_top - 3 : 0);
	jkey(b, &f, "lint");
	okra__buf_printf(
	    b, "{\"errors\":%zu,\"warnings\":%zu,\"infos\":%zu,\"suppressed\":",
	    okra_findings_count_severity(r->findings, OKRA_ERROR),
	    okra_findings_count_severity(r->findings, OKRA_WARNING),
	    okra_findings_count_severity(r->findings, OKRA_INFO));
	json_suppressed(b, r->findings);
	okra__buf_puts(b, "}}\n");
}
