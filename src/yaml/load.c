/*
 * load.c - maps YAML node trees onto the workspace model.
 *
 * Owns the workspace format's keys: which keys each kind of node takes, the
 * type of every value, the defaults.  Collects every problem as a finding
 * (key-unknown, key-missing, type-mismatch) and keeps going, so one run
 * shows them all.  References between definitions are resolved afterwards
 * by model/check.c; nothing here does I/O (files arrive as text).
 */
#include "yaml.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct loader {
	okra_workspace *ws;
	okra_findings *f;
	okra_arena *a;
	const okra_source *src;
	size_t cap_metrics, cap_objectives, cap_krs, cap_trees, cap_experiments;
} loader;

/* ---------------------------------------------------------------------
 * Positions and findings
 * --------------------------------------------------------------------- */

static okra_pos pos_of(const loader *L, const okra_ynode *n)
{
	return (okra_pos){.file = L->src->path,
	                  .line = n ? n->line : 0,
	                  .col = n ? n->col : 0};
}

static void report(loader *L, const okra_ynode *n, const char *rule,
                   const char *hint, const char *fmt, ...) OKRA_PRINTF(5, 6);

static void report(loader *L, const okra_ynode *n, const char *rule,
                   const char *hint, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	okra__finding_add(L->f, L->ws, OKRA_ERROR, rule, pos_of(L, n), hint,
	                  "%s", msg);
}

static const char *kind_name(const okra_ynode *n)
{
	if (!n)
		return "nothing";
	switch (n->kind) {
	case OKRA_Y_MAP:
		return "a mapping";
	case OKRA_Y_SEQ:
		return "a list";
	default:
		return n->is_plain ? "a plain value" : "a quoted string";
	}
}

/* ---------------------------------------------------------------------
 * Generic value readers.  Each returns true when the value was read into
 * *out; on a type error it reports and returns false.
 * --------------------------------------------------------------------- */

static bool is_null(const okra_ynode *n)
{
	return n && n->kind == OKRA_Y_SCALAR && n->is_plain &&
	       (n->len == 0 || strcmp(n->str, "~") == 0 ||
	        strcmp(n->str, "null") == 0 || strcmp(n->str, "Null") == 0 ||
	        strcmp(n->str, "NULL") == 0);
}

/* The value of key in map, or NULL when absent or null. */
static okra_ynode *get(const okra_ynode *map, const char *key)
{
	if (!map || map->kind != OKRA_Y_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(okra__ymap_key(map, i)->str, key) == 0) {
			okra_ynode *v = okra__ymap_val(map, i);
			return is_null(v) ? NULL : v;
		}
	return NULL;
}

static bool parse_number(const okra_ynode *n, double *out)
{
	if (!n || n->kind != OKRA_Y_SCALAR || !n->is_plain || n->len == 0)
		return false;
	errno = 0;
	char *end;
	double v = strtod(n->str, &end);
	if (*end || errno == ERANGE || !isfinite(v))
		return false;
	/* strtod also takes hex floats and "infinity": only decimal digits. */
	for (const char *c = n->str; *c; c++)
		if (!strchr("0123456789+-.eE", *c))
			return false;
	*out = v;
	return true;
}

static bool read_number(loader *L, const okra_ynode *n, const char *key,
                        double *out)
{
	if (parse_number(n, out))
		return true;
	const char *hint = NULL;
	if (n && n->kind == OKRA_Y_SCALAR && n->len > 1 &&
	    n->str[n->len - 1] == '%')
		hint = "write shares as fractions: 0.60 for 60%";
	report(L, n, "type-mismatch", hint,
	       "\"%s\" must be a number, not %s%s%s%s", key, kind_name(n),
	       n && n->kind == OKRA_Y_SCALAR ? " \"" : "",
	       n && n->kind == OKRA_Y_SCALAR ? n->str : "",
	       n && n->kind == OKRA_Y_SCALAR ? "\"" : "");
	return false;
}

static bool read_int(loader *L, const okra_ynode *n, const char *key, int lo,
                     int hi, int *out)
{
	double v;
	if (parse_number(n, &v) && v == floor(v) && v >= lo && v <= hi) {
		*out = (int)v;
		return true;
	}
	report(L, n, "type-mismatch", NULL,
	       "\"%s\" must be a whole number from %d to %d, not %s%s%s%s", key,
	       lo, hi, kind_name(n), n && n->kind == OKRA_Y_SCALAR ? " \"" : "",
	       n && n->kind == OKRA_Y_SCALAR ? n->str : "",
	       n && n->kind == OKRA_Y_SCALAR ? "\"" : "");
	return false;
}

static bool read_string(loader *L, const okra_ynode *n, const char *key,
                        const char **out)
{
	if (n && n->kind == OKRA_Y_SCALAR) {
		*out = n->str;
		return true;
	}
	report(L, n, "type-mismatch", NULL,
	       "\"%s\" must be a text value, not %s", key, kind_name(n));
	return false;
}

static bool read_id(loader *L, const okra_ynode *n, const char *key,
                    const char **out)
{
	const char *id;
	if (!read_string(L, n, key, &id))
		return false;
	if (okra__is_id(id)) {
		*out = id;
		return true;
	}
	report(L, n, "type-mismatch",
	       "ids start with a lowercase letter, then lowercase letters, "
	       "digits and _",
	       "\"%s\" must be an id like signup_rate, not \"%s\"", key,
	       n->str);
	return false;
}

/* A ClickHouse database or cluster name: [A-Za-z_][A-Za-z0-9_]*, so it
 * is written into SQL as it is. */
static bool read_id_like(loader *L, const okra_ynode *n, const char *key,
                         const char **out)
{
	const char *name;
	if (!read_string(L, n, key, &name))
		return false;
	bool ok = (name[0] >= 'a' && name[0] <= 'z') ||
	          (name[0] >= 'A' && name[0] <= 'Z') || name[0] == '_';
	for (const char *c = name; ok && *c; c++)
		ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		     (*c >= '0' && *c <= '9') || *c == '_';
	if (ok) {
		*out = name;
		return true;
	}
	report(L, n, "type-mismatch", NULL,
	       "\"%s\" must be a ClickHouse name (letters, digits and _, not "
	       "starting with a digit), not \"%s\"",
	       key, name);
	return false;
}

static bool read_enum(loader *L, const okra_ynode *n, const char *key,
                      const char *const *names, size_t n_names, int *out)
{
	if (n && n->kind == OKRA_Y_SCALAR)
		for (size_t i = 0; i < n_names; i++)
			if (names[i] && strcmp(n->str, names[i]) == 0) {
				*out = (int)i;
				return true;
			}
	char list[512] = "";
	size_t used = 0;
	for (size_t i = 0; i < n_names; i++)
		if (names[i] && used < sizeof(list))
			used += (size_t)snprintf(list + used,
			                         sizeof(list) - used, "%s%s",
			                         used ? ", " : "", names[i]);
	const char *near = n && n->kind == OKRA_Y_SCALAR
	                       ? okra__nearest(n->str, names, n_names)
	                       : NULL;
	char hint[600];
	snprintf(hint, sizeof(hint), "one of: %s", list);
	if (near)
		report(
		    L, n, "type-mismatch", hint,
		    "\"%s\" has an unknown value \"%s\"; did you mean \"%s\"?",
		    key, n->str, near);
	else
		report(L, n, "type-mismatch", hint,
		       "\"%s\" must be one of its names, not %s%s%s%s", key,
		       kind_name(n), n && n->kind == OKRA_Y_SCALAR ? " \"" : "",
		       n && n->kind == OKRA_Y_SCALAR ? n->str : "",
		       n && n->kind == OKRA_Y_SCALAR ? "\"" : "");
	return false;
}

/* true or false. */
static bool read_bool(loader *L, const okra_ynode *n, const char *key,
                      bool *out)
{
	static const char *const names[] = {"false", "true"};
	int k;
	if (!read_enum(L, n, key, names, 2, &k))
		return false;
	*out = k == 1;
	return true;
}

/* A duration "Nd" or "Nw" in days, 1 .. 3660. */
static bool parse_days(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || !(*s >= '0' && *s <= '9') || errno)
		return false;
	if (strcmp(end, "d") == 0)
		;
	else if (strcmp(end, "w") == 0)
		v *= 7;
	else
		return false;
	if (v < 1 || v > 3660)
		return false;
	*out = (int)v;
	return true;
}

static bool read_days(loader *L, const okra_ynode *n, const char *key, int *out)
{
	if (n && n->kind == OKRA_Y_SCALAR && parse_days(n->str, out))
		return true;
	report(L, n, "type-mismatch",
	       "durations are days or weeks: 7d, 28d, 2w",
	       "\"%s\" must be a duration like 14d, not %s%s%s%s", key,
	       kind_name(n), n && n->kind == OKRA_Y_SCALAR ? " \"" : "",
	       n && n->kind == OKRA_Y_SCALAR ? n->str : "",
	       n && n->kind == OKRA_Y_SCALAR ? "\"" : "");
	return false;
}

static bool read_date(loader *L, const okra_ynode *n, const char *key,
                      int32_t *out)
{
	if (n && n->kind == OKRA_Y_SCALAR && okra__parse_date(n->str, out))
		return true;
	report(L, n, "type-mismatch", NULL,
	       "\"%s\" must be a date YYYY-MM-DD, not %s%s%s%s", key,
	       kind_name(n), n && n->kind == OKRA_Y_SCALAR ? " \"" : "",
	       n && n->kind == OKRA_Y_SCALAR ? n->str : "",
	       n && n->kind == OKRA_Y_SCALAR ? "\"" : "");
	return false;
}

static bool read_quarter(loader *L, const okra_ynode *n, const char *key,
                         okra_quarter *out)
{
	if (n && n->kind == OKRA_Y_SCALAR &&
	    okra__parse_quarter(n->str, L->ws->settings.fiscal_start_month,
	                        out))
		return true;
	report(L, n, "type-mismatch", NULL,
	       "\"%s\" must be a quarter like 2026-Q4, not %s%s%s%s", key,
	       kind_name(n), n && n->kind == OKRA_Y_SCALAR ? " \"" : "",
	       n && n->kind == OKRA_Y_SCALAR ? n->str : "",
	       n && n->kind == OKRA_Y_SCALAR ? "\"" : "");
	return false;
}

static bool expect_map(loader *L, const okra_ynode *n, const char *what)
{
	if (n && n->kind == OKRA_Y_MAP)
		return true;
	report(L, n, "type-mismatch", NULL, "%s must be a mapping, not %s",
	       what, kind_name(n));
	return false;
}

/* A list of scalars; a single scalar counts as a list of one. */
static bool read_str_list(loader *L, const okra_ynode *n, const char *key,
                          bool ids, const char ***out, size_t *n_out,
                          okra_pos **positions)
{
	size_t count = n && n->kind == OKRA_Y_SEQ ? n->n : 1;
	const char **list = okra__arena_alloc(L->a, count * sizeof(*list) + 1);
	okra_pos *pos = positions
	                    ? okra__arena_alloc(L->a, count * sizeof(*pos) + 1)
	                    : NULL;
	if (!list || (positions && !pos))
		return false;
	bool ok = true;
	for (size_t i = 0; i < count; i++) {
		const okra_ynode *it =
		    n && n->kind == OKRA_Y_SEQ ? n->items[i] : n;
		ok &= ids ? read_id(L, it, key, &list[i])
		          : read_string(L, it, key, &list[i]);
		if (pos)
			pos[i] = pos_of(L, it);
	}
	if (!ok)
		return false;
	*out = list;
	*n_out = count;
	if (positions)
		*positions = pos;
	return true;
}

static bool read_refs(loader *L, const okra_ynode *n, const char *key,
                      okra_ref **out, size_t *n_out)
{
	const char **ids;
	okra_pos *pos;
	size_t count;
	if (!read_str_list(L, n, key, true, &ids, &count, &pos))
		return false;
	okra_ref *refs = okra__arena_alloc(L->a, count * sizeof(*refs) + 1);
	if (!refs)
		return false;
	for (size_t i = 0; i < count; i++)
		refs[i] = (okra_ref){.id = ids[i], .index = -1, .pos = pos[i]};
	*out = refs;
	*n_out = count;
	return true;
}

static bool read_ref(loader *L, const okra_ynode *n, const char *key,
                     okra_ref *out)
{
	const char *id;
	if (!read_id(L, n, key, &id))
		return false;
	*out = (okra_ref){.id = id, .index = -1, .pos = pos_of(L, n)};
	return true;
}

/* The last line of the file that node n's text reaches: a block scalar's
 * last line, a mapping's or list's last item's.  lint_ignore reaches the
 * findings from a definition's first line to this one. */
static int last_line(const okra_ynode *n)
{
	if (!n)
		return 0;
	int last = n->line;
	if (n->kind == OKRA_Y_SCALAR) {
		for (size_t i = 0; i < n->len; i++)
			last += n->str[i] == '\n';
		return last;
	}
	size_t k = n->kind == OKRA_Y_MAP ? 2 * n->n : n->n;
	for (size_t i = 0; i < k; i++) {
		int l = last_line(n->items[i]);
		last = l > last ? l : last;
	}
	return last;
}

/* A list of rule ids (lint: {disable: ...}, lint_ignore): each must be in
 * the catalogue (the nearest suggested) and not structural, since a
 * structural error stops every command until it is fixed. */
static void read_rules(loader *L, const okra_ynode *n, const char *key,
                       const char ***out, size_t *n_out)
{
	const char **rules;
	okra_pos *pos;
	size_t count;
	if (!read_str_list(L, n, key, false, &rules, &count, &pos))
		return;
	size_t kept = 0;
	for (size_t i = 0; i < count; i++) {
		const okra_ynode *it = n->kind == OKRA_Y_SEQ ? n->items[i] : n;
		const okra_rule *r = okra_rule_find(rules[i]);
		const char *near = r ? NULL : okra__rule_nearest(rules[i]);
		char hint[160];
		snprintf(hint, sizeof(hint), "did you mean \"%s\"?",
		         near ? near : "");
		if (!r)
			report(
			    L, it, "ref-unknown",
			    near ? hint : "okra lint --explain lists the rules",
			    "\"%s\" names unknown rule \"%s\"", key, rules[i]);
		else if (strcmp(r->group, "structure") == 0)
			report(L, it, "type-mismatch",
			       "fix the problem instead: nothing is computed "
			       "until it is",
			       "\"%s\" cannot name rule \"%s\": structural "
			       "errors are never suppressed",
			       key, rules[i]);
		else
			rules[kept++] = rules[i];
	}
	*out = rules;
	*n_out = kept;
}

/* ---------------------------------------------------------------------
 * Key checking: every key of a mapping must be known.
 * --------------------------------------------------------------------- */

/* Reports unknown keys of map; allowed is NULL-terminated.  other, if given,
 * lists keys valid elsewhere (another metric type, okra.yaml); for those
 * the message is 'key "k" <other_why>' ("does not apply to a count metric"). */
static bool check_keys(loader *L, const okra_ynode *map, const char *what,
                       const char *const *allowed, const char *const *other,
                       const char *other_why)
{
	bool ok = true;
	size_t n_allowed = 0;
	while (allowed[n_allowed])
		n_allowed++;
	for (size_t i = 0; i < map->n; i++) {
		const okra_ynode *k = okra__ymap_key(map, i);
		bool known = false;
		for (size_t j = 0; j < n_allowed && !known; j++)
			known = strcmp(k->str, allowed[j]) == 0;
		if (known)
			continue;
		ok = false;
		bool elsewhere = false;
		for (size_t j = 0; other && other[j] && !elsewhere; j++)
			elsewhere = strcmp(k->str, other[j]) == 0;
		const char *near = okra__nearest(k->str, allowed, n_allowed);
		if (elsewhere)
			report(L, k, "key-unknown", NULL, "key \"%s\" %s",
			       k->str, other_why);
		else if (near)
			report(L, k, "key-unknown", NULL,
			       "unknown key \"%s\" in %s; did you mean \"%s\"?",
			       k->str, what, near);
		else
			report(L, k, "key-unknown", NULL,
			       "unknown key \"%s\" in %s", k->str, what);
	}
	return ok;
}

/* The key node named key in map, for findings about the key itself. */
static const okra_ynode *key_named(const okra_ynode *map, const char *key)
{
	for (size_t i = 0; i < map->n; i++) {
		const okra_ynode *k = okra__ymap_key(map, i);
		if (strcmp(k->str, key) == 0)
			return k;
	}
	return NULL;
}

static void missing(loader *L, const okra_ynode *map, const char *what,
                    const char *key, const char *hint)
{
	report(L, map, "key-missing", hint, "%s needs \"%s\"", what, key);
}

/* Arrays of the workspace grow with realloc; indices stay valid. */
static void *grow(void *arr, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return arr;
	size_t c = *cap ? *cap * 2 : 16;
	void *p = realloc(arr, c * size);
	if (!p)
		return NULL;
	memset((char *)p + *cap * size, 0, (c - *cap) * size);
	*cap = c;
	return p;
}

/* ---------------------------------------------------------------------
 * Filters and where
 * --------------------------------------------------------------------- */

static bool read_value(loader *L, const okra_ynode *n, const char *key,
                       okra_value *out)
{
	if (!n || n->kind != OKRA_Y_SCALAR) {
		report(L, n, "type-mismatch", NULL,
		       "\"%s\" must be a value or a list of values, not %s",
		       key, kind_name(n));
		return false;
	}
	out->text = n->str;
	out->is_number = parse_number(n, &out->number);
	return true;
}

static bool read_where(loader *L, const okra_ynode *n, okra_where **out,
                       size_t *n_out)
{
	if (!expect_map(L, n, "\"where\""))
		return false;
	okra_where *w = okra__arena_alloc(L->a, n->n * sizeof(*w) + 1);
	if (!w)
		return false;
	bool ok = true;
	for (size_t i = 0; i < n->n; i++) {
		const okra_ynode *k = okra__ymap_key(n, i),
		                 *v = okra__ymap_val(n, i);
		w[i].key = k->str;
		w[i].pos = pos_of(L, k);
		size_t count = v->kind == OKRA_Y_SEQ ? v->n : 1;
		if (count == 0) {
			report(L, v, "type-mismatch", NULL,
			       "\"where\" value of \"%s\" is an empty list",
			       k->str);
			ok = false;
			continue;
		}
		w[i].values =
		    okra__arena_alloc(L->a, count * sizeof(okra_value));
		if (!w[i].values)
			return false;
		w[i].n_values = count;
		for (size_t j = 0; j < count; j++)
			ok &= read_value(
			    L, v->kind == OKRA_Y_SEQ ? v->items[j] : v, k->str,
			    &w[i].values[j]);
	}
	*out = w;
	*n_out = n->n;
	return ok;
}

static const char *const filter_keys[] = {"event", "events", "where", NULL};

/* The event/events/where keys of a mapping (a metric or a filter map). */
static bool read_filter_keys(loader *L, const okra_ynode *map, okra_filter *out)
{
	bool ok = true;
	const okra_ynode *ev = get(map, "event"), *evs = get(map, "events"),
	                 *wh = get(map, "where");
	out->pos = pos_of(L, map);
	if (ev && evs) {
		report(L, evs, "type-mismatch",
		       "use events: [a, b] for any of several",
		       "give either \"event\" or \"events\", not both");
		ok = false;
	} else if (ev || evs) {
		ok &= read_str_list(L, ev ? ev : evs, ev ? "event" : "events",
		                    false, &out->events, &out->n_events, NULL);
		out->is_set = true;
	}
	if (wh) {
		ok &= read_where(L, wh, &out->where, &out->n_where);
		out->is_set = true;
	}
	return ok;
}

/* A filter written as an event name or as {event|events, where}. */
static bool read_filter(loader *L, const okra_ynode *n, const char *key,
                        okra_filter *out)
{
	if (n && n->kind == OKRA_Y_SCALAR) {
		out->events = okra__arena_alloc(L->a, sizeof(*out->events));
		if (!out->events)
			return false;
		out->events[0] = n->str;
		out->n_events = 1;
		out->is_set = true;
		out->pos = pos_of(L, n);
		return true;
	}
	if (!n || n->kind != OKRA_Y_MAP) {
		report(L, n, "type-mismatch", NULL,
		       "\"%s\" must be an event name or {event: ..., where: "
		       "...}, not %s",
		       key, kind_name(n));
		return false;
	}
	char what[64];
	snprintf(what, sizeof(what), "\"%s\"", key);
	bool ok = check_keys(L, n, what, filter_keys, NULL, NULL);
	ok &= read_filter_keys(L, n, out);
	if (ok && !out->n_events && !out->n_where)
		out->is_set = false;
	return ok;
}

static bool read_window(loader *L, const okra_ynode *n, okra_window *out)
{
	static const struct {
		const char *name;
		okra_window_kind kind;
	} cal[] = {
	    {"week", OKRA_WINDOW_WEEK},
	    {"month", OKRA_WINDOW_MONTH},
	    {"quarter", OKRA_WINDOW_QUARTER},
	    {"all", OKRA_WINDOW_ALL},
	};
	out->pos = pos_of(L, n);
	out->is_set = true;
	if (n && n->kind == OKRA_Y_SCALAR) {
		for (size_t i = 0; i < OKRA_ARRAY_LEN(cal); i++)
			if (strcmp(n->str, cal[i].name) == 0) {
				out->kind = cal[i].kind;
				return true;
			}
		if (parse_days(n->str, &out->days)) {
			out->kind = OKRA_WINDOW_DAYS;
			return true;
		}
	}
	report(
	    L, n, "type-mismatch",
	    "a trailing window 7d / 28d, or a calendar window week, month, "
	    "quarter, or all",
	    "\"window\" must be a duration or a calendar period, not %s%s%s%s",
	    kind_name(n), n && n->kind == OKRA_Y_SCALAR ? " \"" : "",
	    n && n->kind == OKRA_Y_SCALAR ? n->str : "",
	    n && n->kind == OKRA_Y_SCALAR ? "\"" : "");
	return false;
}

/* ---------------------------------------------------------------------
 * Metrics
 * --------------------------------------------------------------------- */

static const char *const common_metric_keys[] = {
    "id",         "title",     "description", "type",    "entity",
    "unit",       "direction", "indicator",   "level",   "owner",
    "segments",   "frequency", "benchmark",   "targets", "related",
    "guardrails", NULL,
};

/* Every type's keys, once each: a key outside the metric's type is then
 * "does not apply to a count metric", not "unknown". */
static size_t all_type_keys(const char **out, size_t cap)
{
	size_t n = 0;
	for (int t = 0; t < OKRA_METRIC_TYPE_COUNT; t++)
		for (const char *const *k = okra__metric_types[t].keys; *k;
		     k++) {
			bool seen = false;
			for (size_t i = 0; i < n && !seen; i++)
				seen = strcmp(out[i], *k) == 0;
			if (!seen && n + 1 < cap)
				out[n++] = *k;
		}
	out[n] = NULL;
	return n;
}

static bool read_anchor(loader *L, okra_metric *m, const okra_ynode *n)
{
	if (n->kind == OKRA_Y_SCALAR && strcmp(n->str, "created") == 0) {
		m->anchor_created = true;
		return true;
	}
	if (n->kind == OKRA_Y_MAP) {
		bool ok = read_filter(L, n, "anchor", &m->anchor);
		if (ok && m->anchor.n_events == 0) {
			report(L, n, "key-missing", NULL,
			       "\"anchor\" needs \"event\"");
			ok = false;
		}
		return ok;
	}
	report(L, n, "type-mismatch",
	       "anchor: created, or anchor: {event: signup}",
	       "\"anchor\" must be created or {event: name}, not %s",
	       kind_name(n));
	return false;
}

static bool read_stat(loader *L, okra_metric *m, const okra_ynode *n)
{
	int p = 0;
	if (n->kind == OKRA_Y_SCALAR) {
		if (strcmp(n->str, "median") == 0)
			p = 50;
		else if (n->str[0] == 'p' && n->len >= 2 && n->len <= 3 &&
		         strspn(n->str + 1, "0123456789") == n->len - 1)
			p = atoi(n->str + 1);
	}
	if (p < 1 || p > 99) {
		report(L, n, "type-mismatch",
		       "median, p75, p90 (any p1 .. p99)",
		       "\"stat\" must be a quantile, not %s%s%s%s",
		       kind_name(n), n->kind == OKRA_Y_SCALAR ? " \"" : "",
		       n->kind == OKRA_Y_SCALAR ? n->str : "",
		       n->kind == OKRA_Y_SCALAR ? "\"" : "");
		return false;
	}
	m->stat = n->str;
	m->quantile = p / 100.0;
	return true;
}

static bool read_measure(loader *L, okra_metric *m, const okra_ynode *n)
{
	static const char *const hint =
	    "{count: {event: x}}, distinct_users, active_days, or {ratio_to: "
	    "seats_limit, of: distinct_users}";
	if (n->kind == OKRA_Y_SCALAR) {
		if (strcmp(n->str, "distinct_users") == 0) {
			m->measure = OKRA_MEASURE_DISTINCT_USERS;
			return true;
		}
		if (strcmp(n->str, "active_days") == 0) {
			m->measure = OKRA_MEASURE_ACTIVE_DAYS;
			return true;
		}
	} else if (n->kind == OKRA_Y_MAP) {
		const okra_ynode *c = get(n, "count"), *r = get(n, "ratio_to");
		if (c && n->n == 1) {
			m->measure = OKRA_MEASURE_COUNT;
			return read_filter(L, c, "count", &m->measure_filter);
		}
		if (r) {
			static const char *const keys[] = {"ratio_to", "of",
			                                   NULL};
			bool ok =
			    check_keys(L, n, "\"measure\"", keys, NULL, NULL);
			const okra_ynode *of = get(n, "of");
			if (of && (of->kind != OKRA_Y_SCALAR ||
			           strcmp(of->str, "distinct_users") != 0)) {
				report(L, of, "type-mismatch", NULL,
				       "\"of\" must be distinct_users");
				ok = false;
			}
			m->measure = OKRA_MEASURE_RATIO_TO;
			return read_string(L, r, "ratio_to", &m->ratio_to) &&
			       ok;
		}
	}
	report(L, n, "type-mismatch", hint,
	       "\"measure\" of a threshold metric must be a count, "
	       "distinct_users, active_days or ratio_to");
	return false;
}

static bool read_formula(loader *L, okra_metric *m, const okra_ynode *n)
{
	if (!read_string(L, n, "expr", &m->expr_text))
		return false;
	m->expr_pos = pos_of(L, n);
	/* Columns inside the text are exact for one-line plain scalars, and
	 * for quoted ones past the quote (escapes aside). */
	m->expr_inline = !memchr(n->str, '\n', n->len);
	if (!n->is_plain && !n->is_block)
		m->expr_pos.col++;
	int off = 0;
	char msg[256];
	m->expr =
	    okra__formula_parse(L->a, m->expr_text, &off, msg, sizeof(msg));
	if (m->expr)
		return true;
	okra_ynode at = *n;
	at.col = m->expr_pos.col + (m->expr_inline ? off : 0);
	report(L, &at, "type-mismatch", NULL, "invalid formula: %s", msg);
	return false;
}

/* ---- the fields every metric has ------------------------------------ */

static void read_targets(loader *L, okra_metric *m, const okra_ynode *v)
{
	if (v->kind != OKRA_Y_SEQ) {
		report(
		    L, v, "type-mismatch", NULL,
		    "\"targets\" must be a list of {period, target, stretch}");
		return;
	}
	m->targets = okra__arena_alloc(L->a, v->n * sizeof(okra_target) + 1);
	for (size_t i = 0; m->targets && i < v->n; i++) {
		static const char *const keys[] = {"period", "target",
		                                   "stretch", NULL};
		const okra_ynode *t = v->items[i], *x;
		if (!expect_map(L, t, "a target") ||
		    !check_keys(L, t, "a target", keys, NULL, NULL))
			continue;
		okra_target *tg = &m->targets[m->n_targets];
		tg->pos = pos_of(L, t);
		bool ok = true;
		if ((x = get(t, "period")))
			ok &= read_quarter(L, x, "period", &tg->period);
		else
			missing(L, t, "a target", "period", NULL), ok = false;
		if ((x = get(t, "target")))
			ok &= read_number(L, x, "target", &tg->target);
		else
			missing(L, t, "a target", "target", NULL), ok = false;
		if ((x = get(t, "stretch")))
			ok &= tg->has_stretch =
			    read_number(L, x, "stretch", &tg->stretch);
		m->n_targets += ok;
	}
}

static void read_related(loader *L, okra_metric *m, const okra_ynode *v)
{
	static const char *const keys[] = {"leading", "lagging", NULL};
	if (!expect_map(L, v, "\"related\"") ||
	    !check_keys(L, v, "\"related\"", keys, NULL, NULL))
		return;
	const okra_ynode *x;
	if ((x = get(v, "leading")))
		read_refs(L, x, "leading", &m->related_leading,
		          &m->n_related_leading);
	if ((x = get(v, "lagging")))
		read_refs(L, x, "lagging", &m->related_lagging,
		          &m->n_related_lagging);
}

static void read_frequency(loader *L, okra_metric *m, const okra_ynode *v)
{
	static const char *const keys[] = {"calculation", "review", NULL};
	if (!expect_map(L, v, "\"frequency\"") ||
	    !check_keys(L, v, "\"frequency\"", keys, NULL, NULL))
		return;
	const okra_ynode *c;
	if ((c = get(v, "calculation")))
		read_string(L, c, "calculation", &m->calculation);
	if ((c = get(v, "review")))
		read_string(L, c, "review", &m->review);
}

/* Title, unit, direction, owner, targets...: the keys of every type.
 * Returns whether a unit was written. */
static bool read_common(loader *L, okra_metric *m, const okra_ynode *n)
{
	static const char *const entities[] = {"account", "user"};
	static const char *const units[] = {
	    "", "percent", "count", "currency", "hours", "ratio", "score"};
	static const char *const directions[] = {"up", "down"};
	static const char *const indicators[] = {"", "leading", "lagging"};
	const okra_ynode *v;
	int e;
	if ((v = get(n, "title")))
		read_string(L, v, "title", &m->title);
	if ((v = get(n, "description")))
		read_string(L, v, "description", &m->description);
	if ((v = get(n, "entity")) &&
	    read_enum(L, v, "entity", entities, 2, &e))
		m->entity = (okra_entity)e;
	bool unit_given = (v = get(n, "unit")) != NULL;
	if (unit_given && read_enum(L, v, "unit", units, 7, &e))
		m->unit = (okra_unit)e;
	if ((v = get(n, "direction")) &&
	    read_enum(L, v, "direction", directions, 2, &e))
		m->direction = (okra_direction)e;
	if ((v = get(n, "indicator")) &&
	    read_enum(L, v, "indicator", indicators, 3, &e))
		m->indicator = (okra_indicator)e;
	if ((v = get(n, "level")))
		read_int(L, v, "level", 1, 4, &m->level);
	if ((v = get(n, "owner")))
		read_ref(L, v, "owner", &m->owner);
	if ((v = get(n, "segments")) &&
	    read_str_list(L, v, "segments", false, &m->segments, &m->n_segments,
	                  &m->segments_pos) &&
	    m->n_segments > OKRA_MAX_SEGMENT_ATTRS) {
		report(L, v, "type-mismatch",
		       "segment by the attributes a reader compares; any other "
		       "is one --by away",
		       "a metric lists at most %d segment attributes, not %zu",
		       OKRA_MAX_SEGMENT_ATTRS, m->n_segments);
		m->n_segments = 0;
	}
	if ((v = get(n, "frequency")))
		read_frequency(L, m, v);
	if ((v = get(n, "benchmark")))
		m->has_benchmark =
		    read_number(L, v, "benchmark", &m->benchmark);
	if ((v = get(n, "targets")))
		read_targets(L, m, v);
	if ((v = get(n, "related")))
		read_related(L, m, v);
	if ((v = get(n, "guardrails")))
		read_refs(L, v, "guardrails", &m->guardrails, &m->n_guardrails);
	return unit_given;
}

/* ---- the parameters of each type ------------------------------------- */

typedef void (*params_fn)(loader *L, okra_metric *m, const okra_ynode *n,
                          const char *what);

/* count, sum, avg, active: an event filter, and for sum and avg a
 * property. */
static void event_params(loader *L, okra_metric *m, const okra_ynode *n,
                         const char *what)
{
	const okra_ynode *v;
	read_filter_keys(L, n, &m->filter);
	if (m->type == OKRA_METRIC_SUM || m->type == OKRA_METRIC_AVG) {
		if ((v = get(n, "property")))
			read_string(L, v, "property", &m->property);
		else
			missing(L, n, what, "property",
			        "the numeric event property to add up, e.g. "
			        "property: duration_s");
		if ((v = get(n, "per"))) {
			static const char *const pers[] = {"active"};
			int p;
			m->per_active = read_enum(L, v, "per", pers, 1, &p);
		}
	}
	if (m->type == OKRA_METRIC_ACTIVE) {
		if ((v = get(n, "min_events")))
			read_int(L, v, "min_events", 1, 1000000,
			         &m->min_events);
		if ((v = get(n, "min_days")))
			read_int(L, v, "min_days", 1, 3660, &m->min_days);
	}
}

/* conversion, retention, time_to: an anchor and a cohort. */
static void cohort_params(loader *L, okra_metric *m, const okra_ynode *n,
                          const char *what)
{
	const okra_ynode *v;
	if ((v = get(n, "anchor")))
		read_anchor(L, m, v);
	else
		missing(L, n, what, "anchor",
		        "anchor: created, or anchor: {event: signup}");
	if ((v = get(n, "cohort")))
		read_days(L, v, "cohort", &m->cohort_days);
	if (m->type == OKRA_METRIC_RETENTION)
		return;
	if ((v = get(n, "within")))
		read_days(L, v, "within", &m->within_days);
	else
		missing(L, n, what, "within",
		        "the conversion window, e.g. within: 14d");
}

static void read_steps(loader *L, okra_metric *m, const okra_ynode *s)
{
	if (s->kind != OKRA_Y_SEQ || s->n == 0) {
		report(L, s, "type-mismatch", NULL,
		       "\"steps\" must be a non-empty list of events");
		return;
	}
	if (s->n > OKRA_MAX_FUNNEL_STEPS) {
		report(L, s, "type-mismatch",
		       "split the funnel, or measure its stages as separate "
		       "conversion metrics",
		       "a funnel has at most %d steps, not %zu",
		       OKRA_MAX_FUNNEL_STEPS, s->n);
		return;
	}
	m->steps = okra__arena_alloc(L->a, s->n * sizeof(okra_filter));
	m->n_steps = m->steps ? s->n : 0;
	for (size_t i = 0; i < m->n_steps; i++)
		read_filter(L, s->items[i], "steps", &m->steps[i]);
}

static void conversion_params(loader *L, okra_metric *m, const okra_ynode *n,
                              const char *what)
{
	cohort_params(L, m, n, what);
	const okra_ynode *t = get(n, "target"), *s = get(n, "steps");
	if (t && s)
		report(L, s, "type-mismatch", NULL,
		       "give either \"target\" or \"steps\", not both");
	else if (t)
		read_filter(L, t, "target", &m->target);
	else if (s)
		read_steps(L, m, s);
	else
		missing(L, n, what, "target",
		        "target: first_report, or steps: [a, b, c] for a "
		        "funnel");
}

static void time_to_params(loader *L, okra_metric *m, const okra_ynode *n,
                           const char *what)
{
	const okra_ynode *v;
	cohort_params(L, m, n, what);
	if ((v = get(n, "target")))
		read_filter(L, v, "target", &m->target);
	else
		missing(L, n, what, "target", NULL);
	if ((v = get(n, "stat")))
		read_stat(L, m, v);
}

static void retention_params(loader *L, okra_metric *m, const okra_ynode *n,
                             const char *what)
{
	cohort_params(L, m, n, what);
	const okra_ynode *d = get(n, "day"), *b = get(n, "between"), *v;
	if (d && b)
		report(L, b, "type-mismatch", NULL,
		       "give either \"day\" or \"between\", not both");
	else if (d)
		read_int(L, d, "day", 0, 3660, &m->day_n);
	else if (b && b->kind == OKRA_Y_SEQ && b->n == 2) {
		m->has_between = read_int(L, b->items[0], "between", 0, 3660,
		                          &m->between_lo) &&
		                 read_int(L, b->items[1], "between", 0, 3660,
		                          &m->between_hi);
		if (m->has_between && m->between_lo > m->between_hi) {
			report(L, b, "type-mismatch", NULL,
			       "\"between\" must be [first day, last day] with "
			       "first <= last");
			m->has_between = false;
		}
	} else if (b)
		report(L, b, "type-mismatch", NULL,
		       "\"between\" must be a list of two days [N1, N2]");
	else
		missing(L, n, what, "day", "day: 30, or between: [28, 35]");
	if ((v = get(n, "activity")))
		read_filter(L, v, "activity", &m->filter);
}

static void threshold_params(loader *L, okra_metric *m, const okra_ynode *n,
                             const char *what)
{
	const okra_ynode *v;
	if ((v = get(n, "activity")))
		read_filter(L, v, "activity", &m->filter);
	if ((v = get(n, "measure")))
		read_measure(L, m, v);
	else
		missing(L, n, what, "measure",
		        "{count: {event: x}}, distinct_users, active_days, or "
		        "{ratio_to: seats_limit, of: distinct_users}");
	if ((v = get(n, "at_least")))
		read_number(L, v, "at_least", &m->at_least);
	else
		missing(L, n, what, "at_least", NULL);
}

static void ratio_params(loader *L, okra_metric *m, const okra_ynode *n,
                         const char *what)
{
	const okra_ynode *v;
	if ((v = get(n, "numerator")))
		read_ref(L, v, "numerator", &m->numerator);
	else
		missing(L, n, what, "numerator", NULL);
	if ((v = get(n, "denominator")))
		read_ref(L, v, "denominator", &m->denominator);
	else
		missing(L, n, what, "denominator", NULL);
}

static void formula_params(loader *L, okra_metric *m, const okra_ynode *n,
                           const char *what)
{
	const okra_ynode *v;
	if ((v = get(n, "expr")))
		read_formula(L, m, v);
	else
		missing(L, n, what, "expr",
		        "e.g. expr: new_mrr + expansion_mrr - churned_mrr");
}

static void revenue_params(loader *L, okra_metric *m, const okra_ynode *n,
                           const char *what)
{
	const char *names[OKRA_REV_MEASURE_COUNT];
	for (int i = 0; i < OKRA_REV_MEASURE_COUNT; i++)
		names[i] = okra__revenue_measures[i].name;
	const okra_ynode *v, *measure = get(n, "measure");
	int r = -1;
	if (measure) {
		if (read_enum(L, measure, "measure", names,
		              OKRA_REV_MEASURE_COUNT, &r))
			m->revenue_measure = (okra_revenue_measure)r;
	} else {
		missing(L, n, what, "measure",
		        "mrr, arr, nrr, grr, logo_churn, ...");
	}
	if (!(v = get(n, "lookback")) || r < 0)
		return;
	if (m->revenue_measure != OKRA_REV_NRR &&
	    m->revenue_measure != OKRA_REV_GRR)
		report(L, v, "key-unknown", NULL,
		       "\"lookback\" applies only to the nrr and grr measures");
	else
		read_int(L, v, "lookback", 1, 120, &m->lookback);
}

static void no_params(loader *L, okra_metric *m, const okra_ynode *n,
                      const char *what)
{
}

/* The loader of each type's parameters, beside okra__metric_types. */
static const params_fn type_params[OKRA_METRIC_TYPE_COUNT] = {
    [OKRA_METRIC_COUNT] = event_params,
    [OKRA_METRIC_SUM] = event_params,
    [OKRA_METRIC_AVG] = event_params,
    [OKRA_METRIC_ACTIVE] = event_params,
    [OKRA_METRIC_CONVERSION] = conversion_params,
    [OKRA_METRIC_RETENTION] = retention_params,
    [OKRA_METRIC_TIME_TO] = time_to_params,
    [OKRA_METRIC_THRESHOLD] = threshold_params,
    [OKRA_METRIC_RATIO] = ratio_params,
    [OKRA_METRIC_FORMULA] = formula_params,
    [OKRA_METRIC_REVENUE] = revenue_params,
    [OKRA_METRIC_MANUAL] = no_params,
};

/* "type": one of the table's names; -1 when missing or unknown. */
static int read_type(loader *L, const okra_ynode *n, const char *what)
{
	const char *names[OKRA_METRIC_TYPE_COUNT];
	char list[256] = "";
	size_t used = 0;
	for (int t = 0; t < OKRA_METRIC_TYPE_COUNT; t++) {
		names[t] = okra__metric_types[t].name;
		used +=
		    (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
		                     t == 0                            ? ""
		                     : t == OKRA_METRIC_TYPE_COUNT - 1 ? " or "
		                                                       : ", ",
		                     names[t]);
	}
	const okra_ynode *v = get(n, "type");
	int type = -1;
	if (v)
		read_enum(L, v, "type", names, OKRA_METRIC_TYPE_COUNT, &type);
	else
		missing(L, n, what, "type", list);
	return type;
}

static void load_metric(loader *L, const okra_ynode *n)
{
	if (!expect_map(L, n, "a metric"))
		return;
	okra_workspace *ws = L->ws;
	okra_metric *arr =
	    grow(ws->metrics, ws->n_metrics, &L->cap_metrics, sizeof(*arr));
	if (!arr) {
		L->a->failed = true;
		return;
	}
	ws->metrics = arr;
	okra_metric *m = &arr[ws->n_metrics];
	memset(m, 0, sizeof(*m));
	m->pos = pos_of(L, n);
	m->owner.index = m->numerator.index = m->denominator.index = -1;
	m->min_events = m->min_days = 1;
	m->cohort_days = 28;
	m->lookback = 12;
	m->quantile = 0.5;
	m->stat = "median";
	m->money = &ws->settings.money;

	const okra_ynode *v;
	char what[160] = "a metric";
	if ((v = get(n, "id")) && read_id(L, v, "id", &m->id)) {
		snprintf(what, sizeof(what), "metric \"%s\"", m->id);
		m->id_pos = pos_of(L, v);
	} else if (!v) {
		missing(L, n, "a metric", "id", NULL);
	}
	int type = read_type(L, n, what);
	v = get(n, "type");
	m->type_pos = pos_of(L, v ? v : n);

	/* Keys: the common ones plus the type's (all when the type is bad). */
	const char *allowed[96], *any_type[64];
	size_t na = 0;
	all_type_keys(any_type, OKRA_ARRAY_LEN(any_type));
	for (size_t i = 0; common_metric_keys[i]; i++)
		allowed[na++] = common_metric_keys[i];
	const char *const *tk =
	    type >= 0 ? okra__metric_types[type].keys : any_type;
	for (size_t i = 0; tk[i] && na + 1 < OKRA_ARRAY_LEN(allowed); i++)
		allowed[na++] = tk[i];
	allowed[na] = NULL;
	char why[96] = "";
	if (type >= 0) {
		const char *t = okra__metric_types[type].name;
		snprintf(why, sizeof(why), "does not apply to a%s %s metric",
		         strchr("aeiou", t[0]) ? "n" : "", t);
	}
	check_keys(L, n, what, allowed, any_type, why);
	if (type < 0) {
		ws->n_metrics++;
		return;
	}
	m->type = (okra_metric_type)type;
	bool unit_given = read_common(L, m, n);
	if ((v = get(n, "window")))
		read_window(L, v, &m->window);
	else
		m->window = (okra_window){
		    .kind = OKRA_WINDOW_DAYS,
		    .days = okra__metric_types[type].window_days
		                ? okra__metric_types[type].window_days
		                : 7};
	type_params[type](L, m, n, what);
	if (!unit_given)
		m->unit = okra__metric_default_unit(m);
	ws->n_metrics++;
}

/* ---------------------------------------------------------------------
 * Objectives and key results
 * --------------------------------------------------------------------- */

static const char *const kr_keys[] = {
    "id",       "title",       "kind",    "metric",      "where",
    "baseline", "target",      "stretch", "measurement", "hypotheses",
    "due",      "lint_ignore", NULL,
};

static void load_key_result(loader *L, const okra_ynode *n, int objective)
{
	if (!expect_map(L, n, "a key result"))
		return;
	okra_workspace *ws = L->ws;
	okra_key_result *arr =
	    grow(ws->key_results, ws->n_key_results, &L->cap_krs, sizeof(*arr));
	if (!arr) {
		L->a->failed = true;
		return;
	}
	ws->key_results = arr;
	okra_key_result *kr = &arr[ws->n_key_results];
	memset(kr, 0, sizeof(*kr));
	kr->pos = pos_of(L, n);
	kr->objective = objective;
	kr->metric.index = -1;
	kr->due = -1;
	char what[160] = "a key result";
	const okra_ynode *v;
	if ((v = get(n, "id")) && read_id(L, v, "id", &kr->id)) {
		snprintf(what, sizeof(what), "key result \"%s\"", kr->id);
		kr->id_pos = pos_of(L, v);
	} else if (!v) {
		missing(L, n, "a key result", "id", NULL);
	}
	check_keys(L, n, what, kr_keys, NULL, NULL);
	if ((v = get(n, "title")) &&
	    read_string(L, v, "title", &kr->title.text))
		kr->title.pos = pos_of(L, v);
	else if (!v)
		missing(L, n, what, "title", NULL);
	static const char *const kinds[] = {"move", "stay_above", "stay_below",
	                                    "milestone"};
	int k;
	if ((v = get(n, "kind")) && read_enum(L, v, "kind", kinds, 4, &k))
		kr->kind = (okra_kr_kind)k;
	if ((v = get(n, "metric")))
		read_ref(L, v, "metric", &kr->metric);
	if ((v = get(n, "where")))
		read_where(L, v, &kr->where, &kr->n_where);
	if ((v = get(n, "baseline"))) {
		kr->baseline_pos = pos_of(L, v);
		if (v->kind == OKRA_Y_SCALAR && strcmp(v->str, "auto") == 0)
			kr->baseline_kind = OKRA_BASELINE_AUTO;
		else if (parse_number(v, &kr->baseline))
			kr->baseline_kind = OKRA_BASELINE_NUMBER;
		else
			report(L, v, "type-mismatch", NULL,
			       "\"baseline\" must be a number or auto, not "
			       "%s%s%s%s",
			       kind_name(v),
			       v->kind == OKRA_Y_SCALAR ? " \"" : "",
			       v->kind == OKRA_Y_SCALAR ? v->str : "",
			       v->kind == OKRA_Y_SCALAR ? "\"" : "");
	}
	if ((v = get(n, "target"))) {
		kr->target_pos = pos_of(L, v);
		kr->has_target = read_number(L, v, "target", &kr->target);
	}
	if ((v = get(n, "stretch")))
		kr->has_stretch = read_number(L, v, "stretch", &kr->stretch);
	if ((v = get(n, "measurement")))
		read_string(L, v, "measurement", &kr->measurement);
	/* A milestone's due date grades it: red once overdue and not done.
	 * Other kinds have no due date (their quarter is their deadline). */
	if ((v = get(n, "due"))) {
		if (kr->kind == OKRA_KR_MILESTONE)
			read_date(L, v, "due", &kr->due);
		else
			report(L, key_named(n, "due"), "key-unknown",
			       "a key result that moves a metric is due at the "
			       "end of its objective's quarter",
			       "%s: \"due\" applies only to a milestone "
			       "(kind: milestone)",
			       what);
	}
	if ((v = get(n, "hypotheses"))) {
		kr->hypotheses_pos = pos_of(L, v);
		if (v->kind != OKRA_Y_SEQ) {
			report(L, v, "type-mismatch", NULL,
			       "\"hypotheses\" must be a list of sentences");
		} else {
			kr->hypotheses = okra__arena_alloc(
			    L->a, v->n * sizeof(okra_text) + 1);
			for (size_t i = 0; kr->hypotheses && i < v->n; i++)
				if (read_string(
				        L, v->items[i], "hypotheses",
				        &kr->hypotheses[kr->n_hypotheses].text))
					kr->hypotheses[kr->n_hypotheses++].pos =
					    pos_of(L, v->items[i]);
		}
	} else {
		kr->hypotheses_pos = kr->pos;
	}
	if ((v = get(n, "lint_ignore")))
		read_rules(L, v, "lint_ignore", &kr->lint_ignore,
		           &kr->n_lint_ignore);
	kr->last_line = last_line(n);
	ws->n_key_results++;
}

static const char *const objective_keys[] = {
    "id",          "title",       "why",    "team",        "quarter", "parent",
    "key_results", "lint_ignore", "status", "maintenance", "level",   NULL,
};

static void load_objective(loader *L, const okra_ynode *n)
{
	if (!expect_map(L, n, "an objective"))
		return;
	okra_workspace *ws = L->ws;
	okra_objective *arr = grow(ws->objectives, ws->n_objectives,
	                           &L->cap_objectives, sizeof(*arr));
	if (!arr) {
		L->a->failed = true;
		return;
	}
	ws->objectives = arr;
	int index = (int)ws->n_objectives++;
	okra_objective *o = &arr[index];
	memset(o, 0, sizeof(*o));
	o->pos = pos_of(L, n);
	o->team.index = -1;
	o->parent_kr = -1;
	char what[160] = "an objective";
	const okra_ynode *v;
	if ((v = get(n, "id")) && read_id(L, v, "id", &o->id)) {
		snprintf(what, sizeof(what), "objective \"%s\"", o->id);
		o->id_pos = pos_of(L, v);
	} else if (!v) {
		missing(L, n, "an objective", "id", NULL);
	}
	check_keys(L, n, what, objective_keys, NULL, NULL);
	if ((v = get(n, "title")) && read_string(L, v, "title", &o->title.text))
		o->title.pos = pos_of(L, v);
	else if (!v)
		missing(L, n, what, "title", NULL);
	if ((v = get(n, "why")))
		read_string(L, v, "why", &o->why);
	if ((v = get(n, "team")))
		read_ref(L, v, "team", &o->team);
	if ((v = get(n, "quarter"))) {
		o->quarter_pos = pos_of(L, v);
		o->has_quarter = read_quarter(L, v, "quarter", &o->quarter);
	}
	if ((v = get(n, "parent")) && read_id(L, v, "parent", &o->parent)) {
		o->parent_pos = pos_of(L, v);
		o->parent_is_north_star = strcmp(o->parent, "north_star") == 0;
	}
	static const char *const statuses[] = {"draft", "review", "final"};
	int k;
	if ((v = get(n, "status")) &&
	    read_enum(L, v, "status", statuses, 3, &k)) {
		o->status = (okra_plan_status)(k + 1);
		o->status_pos = pos_of(L, v);
	}
	if ((v = get(n, "maintenance")))
		read_bool(L, v, "maintenance", &o->is_maintenance);
	static const char *const levels[] = {"team", "company"};
	if ((v = get(n, "level")) && read_enum(L, v, "level", levels, 2, &k))
		o->is_company = k == 1;
	if ((v = get(n, "lint_ignore")))
		read_rules(L, v, "lint_ignore", &o->lint_ignore,
		           &o->n_lint_ignore);
	o->last_line = last_line(n);
	o->first_kr = (int)ws->n_key_results;
	if ((v = get(n, "key_results"))) {
		if (v->kind != OKRA_Y_SEQ)
			report(L, v, "type-mismatch", NULL,
			       "\"key_results\" must be a list");
		else
			for (size_t i = 0; i < v->n; i++)
				load_key_result(L, v->items[i], index);
	}
	ws->objectives[index].n_krs = ws->n_key_results - (size_t)o->first_kr;
}

/* ---------------------------------------------------------------------
 * Trees and experiments
 * --------------------------------------------------------------------- */

static void load_tree(loader *L, const okra_ynode *n)
{
	static const char *const keys[] = {"id", "title", "root", "children",
	                                   NULL};
	if (!expect_map(L, n, "a tree"))
		return;
	okra_workspace *ws = L->ws;
	okra_tree *arr =
	    grow(ws->trees, ws->n_trees, &L->cap_trees, sizeof(*arr));
	if (!arr) {
		L->a->failed = true;
		return;
	}
	ws->trees = arr;
	okra_tree *t = &arr[ws->n_trees++];
	memset(t, 0, sizeof(*t));
	t->pos = pos_of(L, n);
	t->root.index = -1;
	const okra_ynode *v;
	if ((v = get(n, "id")) && read_id(L, v, "id", &t->id))
		t->id_pos = pos_of(L, v);
	else if (!v)
		missing(L, n, "a tree", "id", NULL);
	check_keys(L, n, "tree", keys, NULL, NULL);
	if ((v = get(n, "title")))
		read_string(L, v, "title", &t->title);
	if ((v = get(n, "root")))
		read_ref(L, v, "root", &t->root);
	else
		missing(L, n, "a tree", "root",
		        "the metric at the top of the tree");
	if ((v = get(n, "children")) && expect_map(L, v, "\"children\"")) {
		t->links =
		    okra__arena_alloc(L->a, v->n * sizeof(*t->links) + 1);
		for (size_t i = 0; t->links && i < v->n; i++) {
			okra_tree_link *l = &t->links[t->n_links];
			const okra_ynode *k = okra__ymap_key(v, i);
			if (read_ref(L, k, "children", &l->parent) &&
			    read_refs(L, okra__ymap_val(v, i), "children",
			              &l->children, &l->n_children))
				t->n_links++;
		}
	}
}

static void load_experiment(loader *L, const okra_ynode *n)
{
	static const char *const keys[] = {
	    "id",    "title",  "key_result", "hypothesis",
	    "start", "end",    "exposure",   "control",
	    "split", "metric", "guardrails", "minimum_detectable_effect",
	    NULL,
	};
	if (!expect_map(L, n, "an experiment"))
		return;
	okra_workspace *ws = L->ws;
	okra_experiment *arr = grow(ws->experiments, ws->n_experiments,
	                            &L->cap_experiments, sizeof(*arr));
	if (!arr) {
		L->a->failed = true;
		return;
	}
	ws->experiments = arr;
	okra_experiment *x = &arr[ws->n_experiments++];
	memset(x, 0, sizeof(*x));
	x->pos = pos_of(L, n);
	x->key_result.index = x->metric.index = -1;
	x->start = x->end = -1;
	char what[160] = "an experiment";
	const okra_ynode *v;
	if ((v = get(n, "id")) && read_id(L, v, "id", &x->id)) {
		snprintf(what, sizeof(what), "experiment \"%s\"", x->id);
		x->id_pos = pos_of(L, v);
	} else if (!v) {
		missing(L, n, "an experiment", "id", NULL);
	}
	check_keys(L, n, what, keys, NULL, NULL);
	if ((v = get(n, "title")))
		read_string(L, v, "title", &x->title);
	if ((v = get(n, "key_result")))
		read_ref(L, v, "key_result", &x->key_result);
	else
		missing(L, n, what, "key_result", NULL);
	if ((v = get(n, "hypothesis")))
		read_string(L, v, "hypothesis", &x->hypothesis);
	if ((v = get(n, "start")))
		read_date(L, v, "start", &x->start);
	else
		missing(L, n, what, "start", NULL);
	if ((v = get(n, "end")))
		read_date(L, v, "end", &x->end);
	if (x->start >= 0 && x->end >= 0 && x->end < x->start)
		report(L, v, "type-mismatch", NULL,
		       "\"end\" is before \"start\"");
	if ((v = get(n, "exposure"))) {
		static const char *const ekeys[] = {"event", "events", "where",
		                                    "variant_property", NULL};
		if (expect_map(L, v, "\"exposure\"")) {
			check_keys(L, v, "\"exposure\"", ekeys, NULL, NULL);
			read_filter_keys(L, v, &x->exposure);
			const okra_ynode *p = get(v, "variant_property");
			if (p)
				read_string(L, p, "variant_property",
				            &x->variant_property);
			else
				missing(L, v, "\"exposure\"",
				        "variant_property", NULL);
			if (!x->exposure.n_events)
				missing(L, v, "\"exposure\"", "event", NULL);
		}
	} else {
		missing(L, n, what, "exposure",
		        "{event: experiment_exposure, where: {...}, "
		        "variant_property: variant}");
	}
	if ((v = get(n, "control")) &&
	    read_string(L, v, "control", &x->control))
		x->control_pos = pos_of(L, v);
	else if (!v)
		missing(L, n, what, "control", "the control variant's name");
	/* split: {variant: weight}, each weight above 0; the control needs
	 * one.  Equal over the variants seen when absent. */
	if ((v = get(n, "split")) && expect_map(L, v, "\"split\"")) {
		x->split_pos = pos_of(L, v);
		if (v->n > OKRA_MAX_EXPERIMENT_VARIANTS)
			report(L, v, "type-mismatch", NULL,
			       "\"split\" names %zu variants; an experiment "
			       "has at most %d (OKRA_MAX_EXPERIMENT_VARIANTS)",
			       v->n, OKRA_MAX_EXPERIMENT_VARIANTS);
		x->split_names =
		    okra__arena_alloc(L->a, (v->n + 1) * sizeof(char *));
		x->split_weights =
		    okra__arena_alloc(L->a, (v->n + 1) * sizeof(double));
		bool has_control = false;
		for (size_t i = 0;
		     x->split_names && x->split_weights && i < v->n &&
		     v->n <= OKRA_MAX_EXPERIMENT_VARIANTS;
		     i++) {
			const okra_ynode *k = okra__ymap_key(v, i);
			const okra_ynode *w = okra__ymap_val(v, i);
			double weight;
			if (!read_number(L, w, k->str, &weight))
				continue;
			if (weight <= 0) {
				report(L, w, "type-mismatch",
				       "a weight is a share of the traffic, "
				       "e.g. 0.5",
				       "the split weight of \"%s\" must be "
				       "above 0, not %s",
				       k->str, w->str);
				continue;
			}
			has_control |=
			    x->control && strcmp(k->str, x->control) == 0;
			x->split_names[x->n_split] = k->str;
			x->split_weights[x->n_split++] = weight;
		}
		if (x->control && x->n_split == v->n && !has_control)
			report(L, v, "ref-unknown", NULL,
			       "\"split\" gives the control \"%s\" no weight",
			       x->control);
	}
	if ((v = get(n, "metric")))
		read_ref(L, v, "metric", &x->metric);
	if ((v = get(n, "guardrails")))
		read_refs(L, v, "guardrails", &x->guardrails, &x->n_guardrails);
	if ((v = get(n, "minimum_detectable_effect")))
		x->has_mde = read_number(L, v, "minimum_detectable_effect",
		                         &x->minimum_detectable_effect);
}

/* ---------------------------------------------------------------------
 * okra.yaml settings
 * --------------------------------------------------------------------- */

/* json_columns: the CSV columns whose text is a JSON object, read as
 * the dotted keys inside it (as JSON Lines nest). */
static void load_json_columns(loader *L, const okra_ynode *v,
                              okra_table_source *t)
{
	const char **names;
	size_t n;
	if (!read_str_list(L, v, "json_columns", false, &names, &n, NULL))
		return;
	for (size_t i = 0; i < n; i++) {
		const okra_ynode *it = v->kind == OKRA_Y_SEQ ? v->items[i] : v;
		if (!names[i][0] || strchr(names[i], '.')) {
			report(L, it, "type-mismatch", NULL,
			       "json_columns names whole CSV columns, not the "
			       "path \"%s\"",
			       names[i]);
			return;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(names[i], names[j]) == 0) {
				report(L, it, "id-duplicate", NULL,
				       "json_columns lists \"%s\" twice",
				       names[i]);
				return;
			}
	}
	t->json_columns = names;
	t->n_json_columns = n;
}

static void load_table(loader *L, const okra_ynode *n, const char *name,
                       const char *const *columns, okra_table_source *t)
{
	t->pos = pos_of(L, n);
	if (n->kind == OKRA_Y_SCALAR) {
		t->path = n->str;
		t->is_set = true;
		return;
	}
	char what[64];
	snprintf(what, sizeof(what), "data table \"%s\"", name);
	if (!expect_map(L, n, what))
		return;
	bool revenue = strcmp(name, "revenue") == 0;
	static const char *const keys[] = {"path", "columns", "json_columns",
	                                   NULL};
	static const char *const rkeys[] = {"path", "columns", "periods",
	                                    "json_columns", NULL};
	check_keys(L, n, what, revenue ? rkeys : keys, NULL, NULL);
	const okra_ynode *v = get(n, "path");
	if (v)
		t->is_set = read_string(L, v, "path", &t->path);
	else
		missing(L, n, what, "path", NULL);
	if ((v = get(n, "json_columns")))
		load_json_columns(L, v, t);
	const okra_ynode *c = get(n, "columns"),
	                 *p = revenue ? get(n, "periods") : NULL;
	if (c && p) {
		report(L, p, "type-mismatch", NULL,
		       "give either \"columns\" or \"periods\", not both");
		return;
	}
	static const char *const period_columns[] = {"account_id", "start",
	                                             "end", "mrr", NULL};
	const okra_ynode *map = c ? c : p;
	if (!map || !expect_map(L, map, p ? "\"periods\"" : "\"columns\""))
		return;
	t->is_periods = p != NULL;
	const char *const *allowed = p ? period_columns : columns;
	check_keys(L, map, p ? "\"periods\"" : "\"columns\"", allowed, NULL,
	           NULL);
	t->column_names = okra__arena_alloc(L->a, map->n * sizeof(char *) + 1);
	t->column_sources =
	    okra__arena_alloc(L->a, map->n * sizeof(char *) + 1);
	for (size_t i = 0; t->column_names && t->column_sources && i < map->n;
	     i++) {
		const okra_ynode *k = okra__ymap_key(map, i);
		if (read_string(L, okra__ymap_val(map, i), k->str,
		                &t->column_sources[t->n_columns]))
			t->column_names[t->n_columns++] = k->str;
	}
	if (p)
		for (size_t i = 0; period_columns[i]; i++)
			if (!get(map, period_columns[i]) &&
			    strcmp(period_columns[i], "end") != 0)
				missing(L, map, "\"periods\"",
				        period_columns[i], NULL);
	/* A JSON column is read as the keys inside it: mapping the column
	 * itself would hand its whole text over as one value. */
	for (size_t i = 0; i < t->n_columns; i++)
		for (size_t j = 0; j < t->n_json_columns; j++)
			if (strcmp(t->column_sources[i], t->json_columns[j]) ==
			    0)
				report(L, okra__ymap_val(map, i),
				       "type-mismatch", NULL,
				       "\"%s\" is one of json_columns: map a "
				       "key inside it (%s.key), not the "
				       "column itself",
				       t->json_columns[j], t->json_columns[j]);
}

static void load_settings(loader *L, const okra_ynode *root)
{
	okra_workspace_settings *s = &L->ws->settings;
	const okra_ynode *v, *x;
	if ((v = get(root, "workspace")))
		read_string(L, v, "workspace", &s->name);
	if ((v = get(root, "calendar")) && expect_map(L, v, "\"calendar\"")) {
		static const char *const keys[] = {"fiscal_year_start_month",
		                                   "week_start", NULL};
		static const char *const days[] = {
		    "monday", "tuesday",  "wednesday", "thursday",
		    "friday", "saturday", "sunday"};
		check_keys(L, v, "\"calendar\"", keys, NULL, NULL);
		if ((x = get(v, "fiscal_year_start_month")))
			read_int(L, x, "fiscal_year_start_month", 1, 12,
			         &s->fiscal_start_month);
		if ((x = get(v, "week_start")))
			read_enum(L, x, "week_start", days, 7, &s->week_start);
	}
	if ((v = get(root, "status")) && expect_map(L, v, "\"status\"")) {
		static const char *const keys[] = {"yellow_gap", "red_gap",
		                                   NULL};
		check_keys(L, v, "\"status\"", keys, NULL, NULL);
		if ((x = get(v, "yellow_gap")))
			read_number(L, x, "yellow_gap", &s->yellow_gap);
		if ((x = get(v, "red_gap")))
			read_number(L, x, "red_gap", &s->red_gap);
		if (s->yellow_gap < 0 || s->red_gap < s->yellow_gap ||
		    s->red_gap > 1)
			report(L, v, "type-mismatch", NULL,
			       "status gaps must satisfy 0 <= yellow_gap <= "
			       "red_gap <= 1");
	}
	if ((v = get(root, "data")) && expect_map(L, v, "\"data\"")) {
		static const char *const keys[] = {"events", "accounts",
		                                   "users", "revenue", NULL};
		static const char *const ev[] = {"timestamp", "event",
		                                 "account_id", "user_id", NULL};
		static const char *const ac[] = {"account_id", "created_at",
		                                 NULL};
		static const char *const us[] = {"user_id", "account_id",
		                                 "created_at", NULL};
		static const char *const rv[] = {"account_id", "month", "mrr",
		                                 "currency", NULL};
		check_keys(L, v, "\"data\"", keys, NULL, NULL);
		if ((x = get(v, "events")))
			load_table(L, x, "events", ev, &s->events);
		if ((x = get(v, "accounts")))
			load_table(L, x, "accounts", ac, &s->accounts);
		if ((x = get(v, "users")))
			load_table(L, x, "users", us, &s->users);
		if ((x = get(v, "revenue")))
			load_table(L, x, "revenue", rv, &s->revenue);
	}
	if ((v = get(root, "engine"))) {
		if (v->kind == OKRA_Y_SCALAR &&
		    strcmp(v->str, "embedded") == 0) {
			s->engine_clickhouse = false;
		} else if (v->kind == OKRA_Y_MAP && get(v, "clickhouse")) {
			static const char *const keys[] = {"clickhouse", NULL};
			static const char *const ckeys[] = {
			    "url",     "database",  "user", "password_env",
			    "cluster", "timeout_s", NULL};
			check_keys(L, v, "\"engine\"", keys, NULL, NULL);
			x = get(v, "clickhouse");
			s->engine_clickhouse = true;
			s->has_clickhouse = true;
			s->engine_pos = pos_of(L, v);
			s->clickhouse_pos = pos_of(L, x);
			if (expect_map(L, x, "\"clickhouse\"")) {
				check_keys(L, x, "\"clickhouse\"", ckeys, NULL,
				           NULL);
				const okra_ynode *y;
				if ((y = get(x, "url")) &&
				    read_string(L, y, "url",
				                &s->clickhouse_url) &&
				    strncmp(s->clickhouse_url, "http://", 7) !=
				        0 &&
				    strncmp(s->clickhouse_url, "https://", 8) !=
				        0)
					report(L, y, "type-mismatch",
					       "the HTTP interface, e.g. "
					       "http://127.0.0.1:8123",
					       "\"url\" must start with "
					       "http:// or "
					       "https://, not \"%s\"",
					       s->clickhouse_url);
				else if (!y)
					missing(L, x, "\"clickhouse\"", "url",
					        NULL);
				if ((y = get(x, "database")))
					read_id_like(L, y, "database",
					             &s->clickhouse_database);
				if ((y = get(x, "user")))
					read_string(L, y, "user",
					            &s->clickhouse_user);
				if ((y = get(x, "password_env")))
					read_string(
					    L, y, "password_env",
					    &s->clickhouse_password_env);
				if ((y = get(x, "cluster")))
					read_id_like(L, y, "cluster",
					             &s->clickhouse_cluster);
				if ((y = get(x, "timeout_s")))
					read_int(L, y, "timeout_s", 1, 86400,
					         &s->clickhouse_timeout_s);
			}
		} else {
			report(
			    L, v, "type-mismatch",
			    "engine: embedded, or engine: {clickhouse: {url: "
			    "http://127.0.0.1:8123, database: analytics}}",
			    "\"engine\" must be embedded or {clickhouse: "
			    "{...}}");
		}
	}
	if ((v = get(root, "lint")) && expect_map(L, v, "\"lint\"")) {
		static const char *const keys[] = {"disable", NULL};
		check_keys(L, v, "\"lint\"", keys, NULL, NULL);
		if ((x = get(v, "disable")))
			read_rules(L, x, "disable", &s->lint_disable,
			           &s->n_lint_disable);
	}
	if ((v = get(root, "currency")) && expect_map(L, v, "\"currency\"")) {
		static const char *const keys[] = {"symbol", "compact", NULL};
		check_keys(L, v, "\"currency\"", keys, NULL, NULL);
		if ((x = get(v, "symbol")) &&
		    read_string(L, x, "symbol", &s->money.symbol) &&
		    strlen(s->money.symbol) > OKRA_MAX_CURRENCY_SYMBOL_BYTES) {
			report(L, x, "type-mismatch",
			       "a symbol like $, €, CHF or kr",
			       "\"symbol\" is %zu bytes long; at most %d",
			       strlen(s->money.symbol),
			       OKRA_MAX_CURRENCY_SYMBOL_BYTES);
			s->money.symbol = NULL;
		}
		if ((x = get(v, "compact"))) {
			bool is_bool = x->kind == OKRA_Y_SCALAR &&
			               (strcmp(x->str, "true") == 0 ||
			                strcmp(x->str, "false") == 0);
			if (is_bool)
				s->money.full = strcmp(x->str, "false") == 0;
			else
				report(L, x, "type-mismatch",
				       "compact: true gives $1.84M, false "
				       "$1,841,916.00",
				       "\"compact\" must be true or false, not "
				       "%s%s%s%s",
				       kind_name(x),
				       x->kind == OKRA_Y_SCALAR ? " \"" : "",
				       x->kind == OKRA_Y_SCALAR ? x->str : "",
				       x->kind == OKRA_Y_SCALAR ? "\"" : "");
		}
	}
	if ((v = get(root, "north_star")) &&
	    expect_map(L, v, "\"north_star\"")) {
		static const char *const keys[] = {"metric", "outputs",
		                                   "inputs", NULL};
		s->north_star_pos = pos_of(L, v);
		check_keys(L, v, "\"north_star\"", keys, NULL, NULL);
		if ((x = get(v, "metric")))
			read_ref(L, x, "metric", &s->north_star);
		else
			missing(L, v, "\"north_star\"", "metric", NULL);
		if ((x = get(v, "outputs")))
			read_refs(L, x, "outputs", &s->ns_outputs,
			          &s->n_ns_outputs);
		if ((x = get(v, "inputs")))
			read_refs(L, x, "inputs", &s->ns_inputs,
			          &s->n_ns_inputs);
	}
	if ((v = get(root, "teams"))) {
		static const char *const keys[] = {"id", "type", "title", NULL};
		static const char *const types[] = {"activation", "core",
		                                    "expansion", "platform"};
		if (v->kind != OKRA_Y_SEQ) {
			report(L, v, "type-mismatch", NULL,
			       "\"teams\" must be a list");
			return;
		}
		okra_workspace *ws = L->ws;
		ws->teams =
		    okra__arena_alloc(L->a, v->n * sizeof(okra_team) + 1);
		for (size_t i = 0; ws->teams && i < v->n; i++) {
			const okra_ynode *t = v->items[i];
			if (!expect_map(L, t, "a team"))
				continue;
			check_keys(L, t, "team", keys, NULL, NULL);
			okra_team *team = &ws->teams[ws->n_teams];
			team->pos = pos_of(L, t);
			int type = 0;
			if ((x = get(t, "id"))) {
				read_id(L, x, "id", &team->id);
				team->id_pos = pos_of(L, x);
			} else {
				missing(L, t, "a team", "id", NULL);
			}
			if ((x = get(t, "type")))
				read_enum(L, x, "type", types, 4, &type);
			else
				missing(
				    L, t, "a team", "type",
				    "activation, core, expansion or platform");
			team->type = (okra_team_type)type;
			/* A team with a bad type still exists for references.
			 */
			ws->n_teams += team->id != NULL;
		}
	}
}

/* ---------------------------------------------------------------------
 * Files
 * --------------------------------------------------------------------- */

static const char *const list_keys[] = {"metrics", "objectives", "trees",
                                        "experiments", NULL};
static const char *const settings_keys[] = {
    "workspace",  "calendar", "status",      "data",  "engine",
    "lint",       "currency", "north_star",  "teams", "metrics",
    "objectives", "trees",    "experiments", NULL,
};

okra_rc okra__load_file(okra_workspace *ws, okra_findings *f,
                        const okra_source *src, const okra_ynode *root,
                        bool is_settings);

/* Maps one file's tree onto ws.  is_settings: this is okra.yaml. */
okra_rc okra__load_file(okra_workspace *ws, okra_findings *f,
                        const okra_source *src, const okra_ynode *root,
                        bool is_settings)
{
	loader L = {.ws = ws,
	            .f = f,
	            .a = &ws->arena,
	            .src = src,
	            .cap_metrics = ws->n_metrics,
	            .cap_objectives = ws->n_objectives,
	            .cap_krs = ws->n_key_results,
	            .cap_trees = ws->n_trees,
	            .cap_experiments = ws->n_experiments};
	if (!root)
		return OKRA_OK;
	if (root->kind != OKRA_Y_MAP) {
		report(&L, root, "type-mismatch", NULL,
		       "a workspace file must be a mapping of %s, not %s",
		       is_settings
		           ? "settings"
		           : "metrics:, objectives:, trees:, experiments:",
		       kind_name(root));
		return OKRA_OK;
	}
	check_keys(&L, root, is_settings ? "okra.yaml" : "a workspace file",
	           is_settings ? settings_keys : list_keys, settings_keys,
	           "belongs in okra.yaml");
	if (is_settings)
		load_settings(&L, root);
	static const struct {
		const char *key;
		void (*load)(loader *, const okra_ynode *);
	} lists[] = {
	    {"metrics", load_metric},
	    {"objectives", load_objective},
	    {"trees", load_tree},
	    {"experiments", load_experiment},
	};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(lists); i++) {
		const okra_ynode *v = get(root, lists[i].key);
		if (!v)
			continue;
		if (v->kind != OKRA_Y_SEQ) {
			report(&L, v, "type-mismatch", NULL,
			       "\"%s\" must be a list", lists[i].key);
			continue;
		}
		for (size_t j = 0; j < v->n; j++)
			lists[i].load(&L, v->items[j]);
	}
	return ws->arena.failed ? OKRA_ERR_NOMEM : OKRA_OK;
}
