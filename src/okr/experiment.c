/*
 * experiment.c - the readout of an experiment (SPEC 14) from the data and
 * the state database, and the public calls of okra.h that run one or all
 * and record a team's decision.
 *
 * Plans each compared metric (the primary and its guardrails) as per-unit
 * outcomes, lets the engine measure them all in one pass
 * (okra__engine_experiment), summarises each variant with two passes over
 * the units (exact moments, no cancellation), and hands the summaries to
 * the statistics of exp_stats.c.  Prints nothing: render/experiment.c
 * writes a readout.
 */
#include "okr/experiment.h"

#include "query/query.h"
#include "state/state.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static okra_rc nomem(okra_err *err)
{
	return okra__nomem(err);
}

/* ---------------------------------------------------------------------
 * Planning: a metric as per-unit outcomes
 * --------------------------------------------------------------------- */

/* A compared metric: its outcomes in the query (one, or a ratio's
 * numerator and denominator). */
typedef struct planned {
	const okra_metric *m;
	okra_exp_kind kind;
	okra_entity entity;
	size_t first, n;
} planned;

static const char *const type_names[] = {
    "count",   "sum",       "avg",   "active",  "conversion", "retention",
    "time_to", "threshold", "ratio", "formula", "revenue",    "manual"};

static okra_rc unmeasurable(const okra_experiment *x, const okra_metric *m,
                            okra_pos at, const char *why, okra_err *err)
{
	return okra__err_set(err, OKRA_ERR_CONFIG, at.file, at.line, at.col,
	                     "experiment \"%s\" cannot compare metric \"%s\": "
	                     "%s",
	                     x->id, m->id, why);
}

/* A metric with one outcome per unit: its kind, or an error. */
static okra_rc simple(const okra_experiment *x, const okra_metric *m,
                      okra_pos at, okra_exp_kind *kind, okra_err *err)
{
	char why[256];
	switch (m->type) {
	case OKRA_METRIC_COUNT:
	case OKRA_METRIC_SUM:
		*kind = OKRA_EXP_MEAN;
		break;
	case OKRA_METRIC_ACTIVE:
	case OKRA_METRIC_CONVERSION:
	case OKRA_METRIC_RETENTION:
	case OKRA_METRIC_THRESHOLD:
		*kind = OKRA_EXP_PROPORTION;
		break;
	default:
		snprintf(why, sizeof(why),
		         "a %s metric is not an outcome of one %s; an "
		         "experiment compares count, sum, avg, active, "
		         "conversion, retention, threshold and ratio metrics",
		         type_names[m->type],
		         m->entity == OKRA_ENTITY_USER ? "user" : "account");
		return unmeasurable(x, m, at, why, err);
	}
	if (okra__exp_window_days(m) <= 0)
		return unmeasurable(x, m, at,
		                    "its window is a calendar period or all "
		                    "time; an experiment measures each unit "
		                    "over a trailing window from its exposure, "
		                    "such as window: 7d",
		                    err);
	return OKRA_OK;
}

static okra_rc plan_metric(const okra_workspace *ws, const okra_experiment *x,
                           const okra_metric *m, okra_pos at,
                           okra_exp_outcome *outs, size_t *n_outs, planned *p,
                           okra_err *err)
{
	okra_rc rc;
	p->m = m;
	p->first = *n_outs;
	p->entity = m->entity;
	bool sum_ratio = (m->type == OKRA_METRIC_SUM && m->per_active) ||
	                 m->type == OKRA_METRIC_AVG;
	if (sum_ratio) {
		if (okra__exp_window_days(m) <= 0)
			return unmeasurable(x, m, at,
			                    "its window is a calendar period "
			                    "or all time; an experiment "
			                    "measures over a trailing window",
			                    err);
		p->kind = OKRA_EXP_RATIO;
		outs[(*n_outs)++] = (okra_exp_outcome){m, OKRA_EXP_OUTCOME};
		outs[(*n_outs)++] = (okra_exp_outcome){
		    m, m->per_active ? OKRA_EXP_ANY_EVENT : OKRA_EXP_N_VALUES};
	} else if (m->type == OKRA_METRIC_RATIO) {
		const okra_metric *num = m->numerator.index >= 0
		                             ? &ws->metrics[m->numerator.index]
		                             : NULL;
		const okra_metric *den =
		    m->denominator.index >= 0
		        ? &ws->metrics[m->denominator.index]
		        : NULL;
		okra_exp_kind k;
		if (!num || !den)
			return unmeasurable(x, m, at, "its inputs are unknown",
			                    err);
		if ((rc = simple(x, num, at, &k, err)) ||
		    (rc = simple(x, den, at, &k, err)))
			return rc;
		if (num->entity != den->entity)
			return unmeasurable(x, m, at,
			                    "its numerator and denominator "
			                    "count different entities",
			                    err);
		p->kind = OKRA_EXP_RATIO;
		p->entity = num->entity;
		outs[(*n_outs)++] = (okra_exp_outcome){num, OKRA_EXP_OUTCOME};
		outs[(*n_outs)++] = (okra_exp_outcome){den, OKRA_EXP_OUTCOME};
	} else {
		if ((rc = simple(x, m, at, &p->kind, err)))
			return rc;
		outs[(*n_outs)++] = (okra_exp_outcome){m, OKRA_EXP_OUTCOME};
	}
	p->n = *n_outs - p->first;
	return OKRA_OK;
}

/* ---------------------------------------------------------------------
 * Variants: the control first, then the split's order or the names
 * ---------------------------------------------------------------------
 */

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int name_index(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

/* The readout's variants and, per data variant, its readout index. */
static okra_rc order_variants(const okra_experiment *x,
                              const okra_exp_data *data, okra_arena *a,
                              okra_exp_readout *r, int *map, okra_err *err)
{
	enum { MAX = OKRA_MAX_EXPERIMENT_VARIANTS };
	const char *names[2 * MAX + 1];
	double weights[2 * MAX + 1];
	size_t n = 0;
	names[n] = x->control;
	weights[n++] = 1;
	if (x->n_split) {
		for (size_t i = 0; i < x->n_split; i++)
			if (strcmp(x->split_names[i], x->control) != 0)
				names[n++] = x->split_names[i];
		for (size_t i = 0; i < n; i++)
			weights[i] = x->split_weights[name_index(
			    x->split_names, x->n_split, names[i])];
		for (size_t v = 0; v < data->n_variants; v++)
			if (name_index(names, n, data->variants[v]) < 0)
				return okra__err_set(
				    err, OKRA_ERR_CONFIG, x->split_pos.file,
				    x->split_pos.line, x->split_pos.col,
				    "experiment \"%s\": the data shows variant "
				    "\"%s\", which \"split\" does not name",
				    x->id, data->variants[v]);
	} else {
		size_t first = n;
		for (size_t v = 0; v < data->n_variants; v++)
			if (strcmp(data->variants[v], x->control) != 0) {
				names[n] = data->variants[v];
				weights[n++] = 1;
			}
		qsort(names + first, n - first, sizeof(*names), cmp_name);
	}
	if (n > MAX)
		return okra__err_set(
		    err, OKRA_ERR_DATA, x->exposure.pos.file,
		    x->exposure.pos.line, x->exposure.pos.col,
		    "experiment \"%s\" has %zu variants with its control; at "
		    "most %d are read out (OKRA_MAX_EXPERIMENT_VARIANTS)",
		    x->id, n, MAX);
	double W = 0;
	for (size_t i = 0; i < n; i++)
		W += weights[i];
	r->variants = okra__arena_alloc(a, n * sizeof(*r->variants));
	if (!r->variants)
		return nomem(err);
	for (size_t i = 0; i < n; i++)
		r->variants[i] = (okra_exp_variant){.name = names[i],
		                                    .weight = weights[i] / W,
		                                    .conversions = NAN,
		                                    .value = NAN,
		                                    .sd = NAN,
		                                    .low = NAN,
		                                    .high = NAN};
	r->n_variants = n;
	for (size_t v = 0; v < data->n_variants; v++)
		map[v] = name_index(names, n, data->variants[v]);
	return OKRA_OK;
}

/* ---------------------------------------------------------------------
 * Summaries: the moments of each variant, two passes
 * --------------------------------------------------------------------- */

/* Unit i's outcome(s) of p: false when immature. */
static bool unit_values(const okra_exp_units *u, size_t K, const planned *p,
                        size_t i, double *y, double *x, double *d)
{
	*y = u->y[i * K + p->first];
	*x = u->x[i * K + p->first];
	*d = p->kind == OKRA_EXP_RATIO ? u->y[i * K + p->first + 1] : 0;
	return !isnan(*y) && !isnan(*d);
}

static void moments(const okra_exp_units *u, size_t K, const planned *p,
                    const int *map, size_t nv, okra_exp_arm *arms)
{
	long double sy[OKRA_MAX_EXPERIMENT_VARIANTS] = {0},
	            sx[OKRA_MAX_EXPERIMENT_VARIANTS] = {0},
	            sd[OKRA_MAX_EXPERIMENT_VARIANTS] = {0},
	            vy[OKRA_MAX_EXPERIMENT_VARIANTS] = {0},
	            vx[OKRA_MAX_EXPERIMENT_VARIANTS] = {0},
	            vd[OKRA_MAX_EXPERIMENT_VARIANTS] = {0},
	            cxy[OKRA_MAX_EXPERIMENT_VARIANTS] = {0},
	            cyd[OKRA_MAX_EXPERIMENT_VARIANTS] = {0};
	double n[OKRA_MAX_EXPERIMENT_VARIANTS] = {0};
	double y, x, d;
	for (size_t i = 0; i < u->n; i++) {
		int v = map[u->variant[i]];
		if (!unit_values(u, K, p, i, &y, &x, &d))
			continue;
		n[v]++;
		sy[v] += y;
		sx[v] += x;
		sd[v] += d;
	}
	for (size_t v = 0; v < nv; v++)
		arms[v] = (okra_exp_arm){
		    .n = n[v],
		    .my = n[v] > 0 ? (double)(sy[v] / n[v]) : NAN,
		    .mx = n[v] > 0 ? (double)(sx[v] / n[v]) : NAN,
		    .md = n[v] > 0 && p->kind == OKRA_EXP_RATIO
		              ? (double)(sd[v] / n[v])
		              : NAN};
	for (size_t i = 0; i < u->n; i++) {
		int v = map[u->variant[i]];
		if (!unit_values(u, K, p, i, &y, &x, &d))
			continue;
		double dy = y - arms[v].my, dx = x - arms[v].mx,
		       dd = p->kind == OKRA_EXP_RATIO ? d - arms[v].md : 0;
		vy[v] += dy * dy;
		vx[v] += dx * dx;
		cxy[v] += dx * dy;
		vd[v] += dd * dd;
		cyd[v] += dy * dd;
	}
	for (size_t v = 0; v < nv; v++) {
		double k = n[v] - 1;
		arms[v].vy = k > 0 ? (double)(vy[v] / k) : NAN;
		arms[v].vx = k > 0 ? (double)(vx[v] / k) : NAN;
		arms[v].cxy = k > 0 ? (double)(cxy[v] / k) : NAN;
		arms[v].vd = k > 0 ? (double)(vd[v] / k) : NAN;
		arms[v].cyd = k > 0 ? (double)(cyd[v] / k) : NAN;
	}
}

static double arm_value(okra_exp_kind kind, const okra_exp_arm *a)
{
	if (!(a->n > 0))
		return NAN;
	return kind == OKRA_EXP_RATIO ? (a->md != 0 ? a->my / a->md : NAN)
	                              : a->my;
}

static void compare(okra_exp_kind kind, const okra_exp_arm *c,
                    const okra_exp_arm *t, double mde, okra_exp_cmp *out)
{
	switch (kind) {
	case OKRA_EXP_PROPORTION:
		okra__exp_proportions(c, t, mde, out);
		break;
	case OKRA_EXP_MEAN:
		okra__exp_means(c, t, mde, out);
		break;
	default:
		okra__exp_ratios(c, t, mde, out);
	}
}

/* A variant's own value with its 95% interval (the chart's whisker). */
static void variant_summary(okra_exp_kind kind, const okra_exp_arm *a,
                            okra_exp_variant *v)
{
	v->entities = (size_t)a->n;
	v->value = arm_value(kind, a);
	if (kind == OKRA_EXP_PROPORTION && a->n > 0)
		v->conversions = round(a->my * a->n);
	if (kind == OKRA_EXP_MEAN && a->n > 1)
		v->sd = sqrt(a->vy);
	okra__exp_interval(kind, a, &v->low, &v->high);
}

/* ---------------------------------------------------------------------
 * The readout
 * --------------------------------------------------------------------- */

okra_rc okra__exp_find(const okra_workspace *ws, const char *id,
                       const okra_experiment **out, okra_err *err)
{
	for (size_t i = 0; id && i < ws->n_experiments; i++)
		if (ws->experiments[i].id &&
		    strcmp(ws->experiments[i].id, id) == 0) {
			*out = &ws->experiments[i];
			return OKRA_OK;
		}
	if (!ws->n_experiments)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "unknown experiment \"%s\": the workspace "
		                     "defines no experiments",
		                     id ? id : "");
	const char *near =
	    okra__nearest_id(id ? id : "", ws->experiments, ws->n_experiments,
	                     sizeof(*ws->experiments));
	if (near)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "unknown experiment \"%s\"; did you mean "
		                     "\"%s\"?",
		                     id ? id : "", near);
	return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
	                     "unknown experiment \"%s\"", id ? id : "");
}

const char *okra__exp_metric_phrase(okra_arena *a, const okra_metric *m)
{
	const char *t = m->title && *m->title ? m->title : m->id;
	size_t len = strlen(t);
	const char *paren = strrchr(t, '(');
	if (paren && paren > t && t[len - 1] == ')')
		len = (size_t)(paren - t);
	while (len && t[len - 1] == ' ')
		len--;
	char *s = okra__arena_strndup(a, t, len);
	/* "Onboarding completion" -> "onboarding completion"; "ARR" stays. */
	if (s && s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z'))
		s[0] = (char)(s[0] - 'A' + 'a');
	return s ? s : m->id;
}

/* The latest decision recorded on or before asof; reading the present
 * (asof at or past the data's last day), the latest of all, so a decision
 * made today shows before today's data arrives. */
static okra_rc recorded(okra_engine *e, okra_state *st, okra_exp_readout *r,
                        okra_arena *a, okra_err *err)
{
	okra_decision *d = NULL;
	size_t n = 0;
	okra_rc rc = okra__state_decisions(st, r->x->id, a, &d, &n, err);
	if (rc)
		return rc;
	int32_t cutoff =
	    r->asof >= okra__engine_last_day(e) ? INT32_MAX : r->asof;
	for (size_t i = n; i-- > 0;)
		if (d[i].day <= cutoff) {
			r->has_recorded = true;
			r->recorded_day = d[i].day;
			r->recorded = d[i].decision;
			r->recorded_note = d[i].note;
			r->recorded_computed = d[i].computed;
			break;
		}
	return OKRA_OK;
}

okra_rc okra__exp_readout(okra_engine *e, okra_state *st,
                          const okra_experiment *x, int32_t asof, okra_arena *a,
                          okra_exp_readout **out, okra_err *err)
{
	const okra_workspace *ws = okra__engine_workspace(e);
	okra_rc rc;
	size_t n_planned = 1 + x->n_guardrails;
	okra_exp_outcome *outs =
	    okra__arena_alloc(a, 2 * n_planned * sizeof(*outs));
	planned *plans = okra__arena_alloc(a, n_planned * sizeof(*plans));
	okra_exp_readout *r = okra__arena_alloc(a, sizeof(*r));
	if (!outs || !plans || !r)
		return nomem(err);
	r->x = x;
	r->asof = asof;
	r->kr = x->key_result.index >= 0 ? &ws->key_results[x->key_result.index]
	                                 : NULL;
	if (x->metric.index < 0)
		return okra__err_set(
		    err, OKRA_ERR_CONFIG, x->pos.file, x->pos.line, x->pos.col,
		    "experiment \"%s\" has no metric: name one with metric:, "
		    "or bind its key result to a metric",
		    x->id);
	r->metric = &ws->metrics[x->metric.index];
	r->last_day = x->end >= 0 && x->end < asof ? x->end : asof;
	r->status = asof < x->start                 ? OKRA_EXP_NOT_STARTED
	            : x->end >= 0 && asof >= x->end ? OKRA_EXP_ENDED
	                                            : OKRA_EXP_RUNNING;
	r->days_left =
	    r->status == OKRA_EXP_RUNNING && x->end >= 0 ? x->end - asof : -1;

	/* What to measure: the primary metric, then each guardrail. */
	size_t n_outs = 0;
	if ((rc = plan_metric(ws, x, r->metric, x->metric.pos, outs, &n_outs,
	                      &plans[0], err)))
		return rc;
	for (size_t g = 0; g < x->n_guardrails; g++) {
		const okra_ref *ref = &x->guardrails[g];
		if (ref->index < 0)
			return okra__err_set(
			    err, OKRA_ERR_CONFIG, ref->pos.file, ref->pos.line,
			    ref->pos.col, "unknown guardrail metric \"%s\"",
			    ref->id);
		if ((rc = plan_metric(ws, x, &ws->metrics[ref->index], ref->pos,
		                      outs, &n_outs, &plans[1 + g], err)))
			return rc;
	}
	r->kind = plans[0].kind;
	r->entity = plans[0].entity;

	okra_exp_data data;
	okra_exp_query q = {.x = x,
	                    .last_day = r->last_day,
	                    .outcomes = outs,
	                    .n_outcomes = n_outs};
	if ((rc = okra__engine_experiment(e, &q, a, &data, err)))
		return rc;
	int map[OKRA_MAX_EXPERIMENT_VARIANTS];
	if ((rc = order_variants(x, &data, a, r, map, err)))
		return rc;
	size_t nv = r->n_variants;
	const okra_exp_units *pu = &data.units[r->entity];
	r->excluded_multi = pu->excluded_multi;
	r->no_variant = pu->no_variant;

	/* Assignment (for SRM) counts every unit, mature or not. */
	double assigned[OKRA_MAX_EXPERIMENT_VARIANTS] = {0},
	       weights[OKRA_MAX_EXPERIMENT_VARIANTS];
	for (size_t i = 0; i < pu->n; i++) {
		assigned[map[pu->variant[i]]]++;
		double y, xv, d;
		if (!unit_values(pu, n_outs, &plans[0], i, &y, &xv, &d))
			r->immature++;
	}
	for (size_t v = 0; v < nv; v++) {
		r->variants[v].assigned = (size_t)assigned[v];
		weights[v] = r->variants[v].weight;
	}
	okra__exp_srm(assigned, weights, nv, &r->srm_chi2, &r->srm_p);
	r->srm_flagged = isfinite(r->srm_p) && r->srm_p < 0.001;

	/* The primary comparison, raw and with CUPED. */
	double mde = x->has_mde ? x->minimum_detectable_effect : NAN;
	okra_exp_arm arms[OKRA_MAX_EXPERIMENT_VARIANTS];
	moments(pu, n_outs, &plans[0], map, nv, arms);
	r->n_cmp = nv > 1 ? nv - 1 : 0;
	r->cmp = okra__arena_alloc(a, (r->n_cmp + 1) * sizeof(*r->cmp));
	r->cuped = okra__arena_alloc(a, (r->n_cmp + 1) * sizeof(*r->cuped));
	if (!r->cmp || !r->cuped)
		return nomem(err);
	for (size_t v = 0; v < nv; v++)
		variant_summary(r->kind, &arms[v], &r->variants[v]);
	for (size_t v = 1; v < nv; v++)
		compare(r->kind, &arms[0], &arms[v], mde, &r->cmp[v - 1]);
	r->theta = r->variance_reduction = NAN;
	if (r->kind == OKRA_EXP_RATIO)
		r->no_cuped = "CUPED is not applied to a ratio metric";
	else if (!okra__exp_cuped_theta(arms, nv, &r->theta,
	                                &r->variance_reduction))
		r->no_cuped = "the units' outcome before exposure does not "
		              "vary, so it explains nothing";
	else
		r->has_cuped = true;
	for (size_t v = 1; r->has_cuped && v < nv; v++)
		okra__exp_cuped(&arms[0], &arms[v], r->theta, mde,
		                &r->cuped[v - 1]);

	/* Guardrails: each against its own direction, for every variant. */
	r->n_guardrails = x->n_guardrails * r->n_cmp;
	r->guardrails = okra__arena_alloc(a, (r->n_guardrails + 1) *
	                                         sizeof(*r->guardrails));
	if (!r->guardrails)
		return nomem(err);
	bool worse_first = false;
	for (size_t g = 0; g < x->n_guardrails; g++) {
		const planned *p = &plans[1 + g];
		okra_exp_arm garms[OKRA_MAX_EXPERIMENT_VARIANTS];
		moments(&data.units[p->entity], n_outs, p, map, nv, garms);
		for (size_t v = 1; v < nv; v++) {
			okra_exp_guardrail *gr =
			    &r->guardrails[g * r->n_cmp + v - 1];
			gr->metric = p->m;
			gr->variant = r->variants[v].name;
			gr->control_value = arm_value(p->kind, &garms[0]);
			gr->value = arm_value(p->kind, &garms[v]);
			compare(p->kind, &garms[0], &garms[v], NAN, &gr->cmp);
			double lift = gr->cmp.lift;
			gr->worse =
			    isfinite(gr->cmp.p) && gr->cmp.p < 0.05 &&
			    (p->m->direction == OKRA_DIR_DOWN ? lift > 0
			                                      : lift < 0);
			worse_first |= gr->worse && v == 1;
		}
	}
	r->n_tests = r->n_cmp * (1 + x->n_guardrails);

	okra_exp_decide_in in = {
	    .srm_flagged = r->srm_flagged,
	    .is_final = x->end >= 0 && r->last_day >= x->end,
	    .lift = r->n_cmp ? r->cmp[0].lift : NAN,
	    .p = r->n_cmp ? r->cmp[0].p : NAN,
	    .power = r->n_cmp ? r->cmp[0].power : NAN,
	    .metric_down = r->metric->direction == OKRA_DIR_DOWN,
	    .guardrail_worse = worse_first};
	r->decision = okra__exp_decide(&in, &r->reason);
	if (r->status == OKRA_EXP_NOT_STARTED)
		r->reason = "not started yet";
	else if (!r->n_cmp || !(arms[0].n > 0) || !(arms[1].n > 0))
		if (r->decision == OKRA_EXP_KEEP_RUNNING)
			r->reason = "no mature units in the control or the "
			            "first variant yet";
	if ((rc = recorded(e, st, r, a, err)))
		return rc;
	if (a->failed)
		return nomem(err);
	*out = r;
	return OKRA_OK;
}

/* ---------------------------------------------------------------------
 * The public calls (okra.h)
 * --------------------------------------------------------------------- */

static okra_rc parse_asof(okra_engine *e, const char *asof, int32_t *day,
                          okra_err *err)
{
	*day = okra__engine_last_day(e);
	if (asof && !okra__parse_date(asof, day))
		return okra__err_set(
		    err, OKRA_ERR_USAGE, NULL, 0, 0,
		    "asof must be a date YYYY-MM-DD, not \"%s\"", asof);
	return OKRA_OK;
}

okra_rc okra_experiment_run(okra_engine *e, const char *id, const char *asof,
                            okra_experiment_readout **out, okra_err *err)
{
	const okra_workspace *ws = okra__engine_workspace(e);
	const okra_experiment *x;
	int32_t day;
	okra_state *st = NULL;
	okra_rc rc;
	if ((rc = okra__exp_find(ws, id, &x, err)) ||
	    (rc = parse_asof(e, asof, &day, err)))
		return rc;
	okra_experiment_readout *h = calloc(1, sizeof(*h));
	if (!h)
		return nomem(err);
	h->ws = ws;
	if ((rc = okra__state_open(ws, false, &st, err)) == OKRA_OK)
		rc = okra__exp_readout(e, st, x, day, &h->arena, &h->r, err);
	okra__state_close(st);
	if (rc) {
		okra_experiment_readout_free(h);
		return rc;
	}
	*out = h;
	return OKRA_OK;
}

void okra_experiment_readout_free(okra_experiment_readout *r)
{
	if (!r)
		return;
	okra__arena_free(&r->arena);
	free(r);
}

okra_rc okra_experiments_run(okra_engine *e, const char *asof,
                             okra_experiment_list **out, okra_err *err)
{
	const okra_workspace *ws = okra__engine_workspace(e);
	okra_state *st = NULL;
	int32_t day;
	okra_rc rc = parse_asof(e, asof, &day, err);
	if (rc)
		return rc;
	okra_experiment_list *l = calloc(1, sizeof(*l));
	if (!l)
		return nomem(err);
	l->ws = ws;
	l->asof = day;
	l->items = okra__arena_alloc(&l->arena, (ws->n_experiments + 1) *
	                                            sizeof(*l->items));
	if (!l->items)
		rc = nomem(err);
	if (rc == OKRA_OK)
		rc = okra__state_open(ws, false, &st, err);
	for (size_t i = 0; rc == OKRA_OK && i < ws->n_experiments; i++)
		rc = okra__exp_readout(e, st, &ws->experiments[i], day,
		                       &l->arena, &l->items[l->n++], err);
	okra__state_close(st);
	if (rc) {
		okra_experiment_list_free(l);
		return rc;
	}
	*out = l;
	return OKRA_OK;
}

void okra_experiment_list_free(okra_experiment_list *l)
{
	if (!l)
		return;
	okra__arena_free(&l->arena);
	free(l);
}

okra_rc okra__exp_record(okra_engine *e, okra_state *st,
                         const okra_experiment *x, const char *decision,
                         int32_t day, const char *note, const char **computed,
                         okra_err *err)
{
	okra_rc rc;
	if ((rc = okra__exp_record_check(decision, day, note, err)))
		return rc;
	/* What the readout says as of the decision's day (the data's last
	 * day when the decision is today's). */
	int32_t asof = day >= 0 ? day : okra__engine_last_day(e);
	okra_arena a = {0};
	okra_exp_readout *r = NULL;
	rc = okra__exp_readout(e, NULL, x, asof, &a, &r, err);
	const char *name =
	    rc == OKRA_OK ? okra__exp_decision_names[r->decision] : NULL;
	if (rc == OKRA_OK)
		rc = okra__state_decision_record(st, x->id, decision, day, note,
		                                 name, err);
	if (rc == OKRA_OK && computed)
		*computed = name; /* a static string */
	okra__arena_free(&a);
	return rc;
}

okra_rc okra__exp_record_check(const char *decision, int32_t day,
                               const char *note, okra_err *err)
{
	if (!decision ||
	    (strcmp(decision, "ship") != 0 && strcmp(decision, "stop") != 0 &&
	     strcmp(decision, "iterate") != 0))
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "a decision is ship, stop or iterate, not "
		                     "\"%s\"",
		                     decision ? decision : "");
	if (day > okra__state_today()) {
		char text[11];
		okra__format_date(day, text);
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "date %s is in the future", text);
	}
	if (note && strlen(note) > OKRA_MAX_NOTE_BYTES)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "the note is %zu bytes; at most %d are "
		                     "kept (OKRA_MAX_NOTE_BYTES)",
		                     strlen(note), OKRA_MAX_NOTE_BYTES);
	if (note && !okra__state_is_utf8(note))
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "the note is not valid UTF-8");
	return OKRA_OK;
}

okra_rc okra_experiment_decide(okra_engine *e, const char *id,
                               const char *decision, const char *date,
                               const char *note, char date_out[11],
                               okra_err *err)
{
	const okra_workspace *ws = okra__engine_workspace(e);
	const okra_experiment *x;
	okra_rc rc;
	int32_t day = -1;
	if ((rc = okra__exp_find(ws, id, &x, err)))
		return rc;
	if (date && !okra__parse_date(date, &day))
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "date \"%s\" is not a date YYYY-MM-DD",
		                     date);
	okra_arena a = {0};
	okra_exp_readout *r = NULL;
	okra_state *st = NULL;
	/* Everything checked, and the readout run, before the database is
	 * opened: refused input creates no file. */
	if ((rc = okra__exp_record_check(decision, day, note, err)) ||
	    (rc = okra__exp_readout(e, NULL, x,
	                            day >= 0 ? day : okra__engine_last_day(e),
	                            &a, &r, err)) ||
	    (rc = okra__state_open(ws, true, &st, err)) ||
	    (rc = okra__exp_record(e, st, x, decision, day, note, NULL, err)))
		goto out;
	if (date_out)
		okra__format_date(day >= 0 ? day : okra__state_today(),
		                  date_out);
out:
	okra__state_close(st);
	okra__arena_free(&a);
	return rc;
}
