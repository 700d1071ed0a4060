/*
 * list.c - okra list: what a workspace defines (metrics, objectives, key
 * results, trees, experiments, teams) as an aligned table, JSON, or one
 * id a line.  Reads the loaded model only: no data, no computation.
 */
#include "model/format.h"

#include <string.h>

static const char *const kind_names[OKRA_LIST_KIND_COUNT] = {
    "metrics", "objectives", "key-results", "trees", "experiments", "teams",
};

static const char *const unit_names[] = {
    "", "percent", "count", "currency", "hours", "ratio", "score"};
static const char *const kr_kinds[] = {"move", "stay_above", "stay_below",
                                       "milestone"};
static const char *const team_types[] = {"activation", "core", "expansion",
                                         "platform"};

const char *okra_list_kind_name(okra_list_kind kind)
{
	return (unsigned)kind < OKRA_LIST_KIND_COUNT ? kind_names[kind] : NULL;
}

/* ---- one row per definition ---------------------------------------------
 * Each kind fills the same cells: the text table prints them aligned,
 * JSON writes them as named fields (NULL = null, or a number when the
 * column is numeric). */

#define MAX_CELLS 7

typedef struct row {
	const char *cell[MAX_CELLS];
	okra_pos pos;
} row;

typedef struct columns {
	size_t n;
	const char *head[MAX_CELLS]; /* text headers */
	const char *key[MAX_CELLS];  /* JSON keys */
	bool number[MAX_CELLS];      /* JSON: a number, not a string */
} columns;

static const char *quarter_text(okra_arena *a, bool has, const okra_quarter *q)
{
	return has ? okra__arena_printf(a, "%d-Q%d", q->year, q->q) : NULL;
}

static const char *number_text(okra_arena *a, double v)
{
	char text[32];
	okra__shortest(text, v);
	return okra__arena_strdup(a, text);
}

static const char *day_text(okra_arena *a, int32_t day)
{
	char s[11];
	if (day < 0)
		return NULL;
	okra__format_date(day, s);
	return okra__arena_strdup(a, s);
}

static size_t rows_of(const okra_workspace *ws, okra_list_kind kind,
                      okra_arena *a, columns *c, row *rows)
{
	size_t n = 0;
	switch (kind) {
	case OKRA_LIST_METRICS:
		*c =
		    (columns){6,
		              {"id", "type", "unit", "level", "owner", "title"},
		              {"id", "type", "unit", "level", "owner", "title"},
		              {[3] = true}};
		for (size_t i = 0; i < ws->n_metrics; i++) {
			const okra_metric *m = &ws->metrics[i];
			rows[n++] = (row){
			    {m->id, okra__metric_types[m->type].name,
			     unit_names[m->unit],
			     m->level ? okra__arena_printf(a, "%d", m->level)
			              : NULL,
			     m->owner.id, m->title},
			    m->pos};
		}
		break;
	case OKRA_LIST_OBJECTIVES:
		*c =
		    (columns){5,
		              {"id", "team", "quarter", "key results", "title"},
		              {"id", "team", "quarter", "key_results", "title"},
		              {[3] = true}};
		for (size_t i = 0; i < ws->n_objectives; i++) {
			const okra_objective *o = &ws->objectives[i];
			rows[n++] =
			    (row){{o->id, o->team.id,
			           quarter_text(a, o->has_quarter, &o->quarter),
			           okra__arena_printf(a, "%zu", o->n_krs),
			           o->title.text},
			          o->pos};
		}
		break;
	case OKRA_LIST_KEY_RESULTS:
		*c = (columns){
		    6,
		    {"id", "objective", "kind", "metric", "target", "title"},
		    {"id", "objective", "kind", "metric", "target", "title"},
		    {[4] = true}};
		for (size_t i = 0; i < ws->n_key_results; i++) {
			const okra_key_result *kr = &ws->key_results[i];
			rows[n++] = (row){
			    {kr->id, ws->objectives[kr->objective].id,
			     kr_kinds[kr->kind], kr->metric.id,
			     kr->has_target ? number_text(a, kr->target) : NULL,
			     kr->title.text},
			    kr->pos};
		}
		break;
	case OKRA_LIST_TREES:
		*c = (columns){3,
		               {"id", "root", "title"},
		               {"id", "root", "title"},
		               {false}};
		for (size_t i = 0; i < ws->n_trees; i++) {
			const okra_tree *t = &ws->trees[i];
			rows[n++] =
			    (row){{t->id, t->root.id, t->title}, t->pos};
		}
		break;
	case OKRA_LIST_EXPERIMENTS:
		*c = (columns){
		    5,
		    {"id", "key result", "start", "end", "hypothesis"},
		    {"id", "key_result", "start", "end", "hypothesis"},
		    {false}};
		for (size_t i = 0; i < ws->n_experiments; i++) {
			const okra_experiment *x = &ws->experiments[i];
			rows[n++] = (row){{x->id, x->key_result.id,
			                   day_text(a, x->start),
			                   day_text(a, x->end), x->hypothesis},
			                  x->pos};
		}
		break;
	default:
		*c = (columns){3,
		               {"id", "type", "objectives"},
		               {"id", "type", "objectives"},
		               {[2] = true}};
		for (size_t i = 0; i < ws->n_teams; i++) {
			const okra_team *t = &ws->teams[i];
			size_t k = 0;
			for (size_t j = 0; j < ws->n_objectives; j++)
				k += ws->objectives[j].team.index == (int)i;
			rows[n++] = (row){{t->id, team_types[t->type],
			                   okra__arena_printf(a, "%zu", k)},
			                  t->pos};
		}
	}
	return n;
}

static size_t count_of(const okra_workspace *ws, okra_list_kind kind)
{
	switch (kind) {
	case OKRA_LIST_METRICS:
		return ws->n_metrics;
	case OKRA_LIST_OBJECTIVES:
		return ws->n_objectives;
	case OKRA_LIST_KEY_RESULTS:
		return ws->n_key_results;
	case OKRA_LIST_TREES:
		return ws->n_trees;
	case OKRA_LIST_EXPERIMENTS:
		return ws->n_experiments;
	default:
		return ws->n_teams;
	}
}

/* ---- writers ------------------------------------------------------------- */

/* One line of a title: a newline in a folded title reads as a blank. */
static void cell_text(okra_buf *b, const char *s)
{
	for (; s && *s; s++)
		okra__buf_putc(b, *s == '\n' || *s == '\t' ? ' ' : *s);
}

static void write_text(const columns *c, const row *rows, size_t n,
                       okra_list_kind kind, okra_buf *b)
{
	if (!n) {
		okra__buf_printf(b, "no %s\n",
		                 kind == OKRA_LIST_KEY_RESULTS
		                     ? "key results"
		                     : kind_names[kind]);
		return;
	}
	size_t w[MAX_CELLS];
	for (size_t k = 0; k < c->n; k++) {
		w[k] = okra__text_width(c->head[k]);
		for (size_t i = 0; i < n; i++) {
			size_t x = okra__text_width(
			    rows[i].cell[k] ? rows[i].cell[k] : "-");
			w[k] = x > w[k] ? x : w[k];
		}
	}
	for (size_t i = 0; i <= n; i++) {
		okra_buf line = {0};
		for (size_t k = 0; k < c->n; k++) {
			const char *s = i == 0 ? c->head[k]
			                : rows[i - 1].cell[k]
			                    ? rows[i - 1].cell[k]
			                    : "-";
			okra__buf_puts(&line, k ? "  " : "");
			cell_text(&line, s);
			for (size_t p = okra__text_width(s);
			     k + 1 < c->n && p < w[k]; p++)
				okra__buf_putc(&line, ' ');
		}
		while (line.len && line.data[line.len - 1] == ' ')
			line.data[--line.len] = '\0';
		okra__buf_putc(&line, '\n');
		okra__buf_cat(b, &line);
	}
}

static void write_json(const columns *c, const row *rows, size_t n,
                       okra_list_kind kind, okra_buf *b)
{
	okra__buf_printf(b, "{\"%s\":[",
	                 kind == OKRA_LIST_KEY_RESULTS ? "key_results"
	                                               : kind_names[kind]);
	for (size_t i = 0; i < n; i++) {
		okra__buf_puts(b, i ? ",\n {" : "\n {");
		for (size_t k = 0; k < c->n; k++) {
			const char *s = rows[i].cell[k];
			okra__buf_printf(b, "%s\"%s\":", k ? "," : "",
			                 c->key[k]);
			if (!s)
				okra__buf_puts(b, "null");
			else if (c->number[k])
				okra__buf_puts(b, s);
			else
				okra__buf_json_str(b, s);
		}
		okra__buf_puts(b, ",\"file\":");
		okra__buf_json_str(b, rows[i].pos.file ? rows[i].pos.file : "");
		okra__buf_printf(b, ",\"line\":%d}", rows[i].pos.line);
	}
	okra__buf_puts(b, n ? "\n]}\n" : "]}\n");
}

okra_rc okra_list_write(const okra_workspace *ws, okra_list_kind kind,
                        okra_format format, bool ids_only, FILE *out,
                        okra_err *err)
{
	if ((unsigned)kind >= OKRA_LIST_KIND_COUNT)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "nothing to list of kind %d", (int)kind);
	if (format != OKRA_FORMAT_TEXT && format != OKRA_FORMAT_JSON)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "okra list writes text or json");
	okra_arena a = {0};
	okra_buf b = {0};
	size_t n = count_of(ws, kind);
	row *rows = okra__arena_alloc(&a, (n + 1) * sizeof(*rows));
	columns c;
	if (rows) {
		n = rows_of(ws, kind, &a, &c, rows);
		if (ids_only)
			for (size_t i = 0; i < n; i++)
				okra__buf_printf(
				    &b, "%s\n",
				    rows[i].cell[0] ? rows[i].cell[0] : "-");
		else if (format == OKRA_FORMAT_JSON)
			write_json(&c, rows, n, kind, &b);
		else
			write_text(&c, rows, n, kind, &b);
	}
	b.failed |= a.failed;
	okra_rc rc = okra__buf_write(&b, out, err);
	okra__arena_free(&a);
	return rc;
}
