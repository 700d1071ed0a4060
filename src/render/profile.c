/*
 * profile.c - writes the profile of okra data (plan/profile.h): aligned
 * text tables, or JSON.  No computation beyond shares of counts.
 *
 * Text from the data (names, values) is shown with control bytes as '?'
 * and cut at 40 characters with "..." (JSON carries it whole).
 */
#include "plan/profile.h"
#include "model/format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {"none", "number", "text", "mixed"};

/* ---------------------------------------------------------------------
 * Text
 * --------------------------------------------------------------------- */

#define MAX_COLS 8
#define SHOWN    40 /* characters of a value from the data in text */

typedef struct row {
	char *cell[MAX_COLS];
} row;

typedef struct table {
	const char *head[MAX_COLS];
	bool right[MAX_COLS];
	size_t n_cols;
	row *rows;
	size_t n_rows, cap;
	bool failed;
} table;

/* s as text may show it: control bytes as '?', at most SHOWN
 * characters, "..." when cut.  Malloc'd (NULL on no memory). */
static char *shown(const char *s)
{
	size_t len = strlen(s), chars = 0, i = 0;
	char *out = malloc(len + 4);
	if (!out)
		return NULL;
	for (; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c & 0xC0) != 0x80 && chars++ == SHOWN)
			break;
		out[i] = c < 0x20 || c == 0x7F ? '?' : (char)c;
	}
	memcpy(out + i, s[i] ? "..." : "", s[i] ? 4 : 1);
	return out;
}

static char *cellf(table *t, const char *fmt, ...) OKRA_PRINTF(2, 3);
static char *cellf(table *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (!s) {
		t->failed = true;
		return NULL;
	}
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static row *add_row(table *t)
{
	row *rows = okra__grow(t->rows, &t->cap, t->n_rows, sizeof(*rows), 16);
	if (!rows) {
		t->failed = true;
		return NULL;
	}
	t->rows = rows;
	return &t->rows[t->n_rows++];
}

static void table_write(okra_buf *b, table *t, bool color)
{
	size_t w[MAX_COLS] = {0};
	for (size_t c = 0; c < t->n_cols; c++) {
		w[c] = okra__text_width(t->head[c]);
		for (size_t i = 0; i < t->n_rows; i++)
			if (t->rows[i].cell[c] &&
			    okra__text_width(t->rows[i].cell[c]) > w[c])
				w[c] = okra__text_width(t->rows[i].cell[c]);
	}
	for (size_t i = 0; i <= t->n_rows; i++) {
		okra__buf_puts(b, i == 0 && color ? "  \033[2m" : "  ");
		for (size_t c = 0; c < t->n_cols; c++) {
			const char *s = i ? t->rows[i - 1].cell[c] : t->head[c];
			s = s ? s : "";
			size_t pad = w[c] - okra__text_width(s);
			bool last = c + 1 == t->n_cols;
			if (t->right[c])
				okra__buf_printf(b, "%*s", (int)pad, "");
			okra__buf_puts(b, s);
			if (!t->right[c] && !last)
				okra__buf_printf(b, "%*s", (int)pad, "");
			if (!last)
				okra__buf_puts(b, "  ");
		}
		okra__buf_puts(b, i == 0 && color ? "\033[0m\n" : "\n");
	}
}

static void table_free(table *t)
{
	for (size_t i = 0; i < t->n_rows; i++)
		for (size_t c = 0; c < MAX_COLS; c++)
			free(t->rows[i].cell[c]);
	free(t->rows);
}

static void date_or_none(int32_t day, char out[11])
{
	if (day < 0)
		snprintf(out, 11, "-");
	else
		okra__format_date(day, out);
}

static char *thousands(table *t, uint64_t v)
{
	okra_buf b = {0};
	okra__thousands(&b, (double)v);
	char *s = cellf(t, "%s", b.data ? b.data : "0");
	okra__buf_free(&b);
	return s;
}

static char *share(table *t, uint64_t part, uint64_t whole)
{
	return whole ? cellf(t, "%.1f%%", 100.0 * (double)part / (double)whole)
	             : cellf(t, "-");
}

/* The values column of a key: the range of its numbers, its commonest
 * text. */
static char *values_cell(table *t, const okra_profile_key *k)
{
	char range[96] = "", *top = NULL;
	if (!isnan(k->min))
		snprintf(range, sizeof(range),
		         k->min == k->max ? "%.6g" : "%.6g .. %.6g", k->min,
		         k->max);
	if (k->top && k->kind != OKRA_VALUES_NUMBER) {
		top = shown(k->top);
		if (!top) {
			t->failed = true;
			return NULL;
		}
	}
	/* A commonest value that occurs once is only an example. */
	char *s = cellf(t, "%s%s%s%s%s%s", range, range[0] && top ? "; " : "",
	                top && k->top_count == 1 ? "e.g. " : "",
	                top ? "\"" : "", top ? top : "", top ? "\"" : "");
	if (s && top && k->top_count > 1) {
		char *count = thousands(t, k->top_count);
		char *with = count ? cellf(t, "%s x%s", s, count) : NULL;
		free(count);
		free(s);
		s = with;
	}
	free(top);
	return s;
}

static void keys_table(okra_buf *b, const okra_profile_key *keys, size_t n,
                       uint64_t whole, bool color, bool *ok)
{
	table t = {.head = {"key", "type", "filled", "share", "distinct",
	                    "values (commonest)"},
	           .right = {false, false, true, true, true, false},
	           .n_cols = 6};
	for (size_t i = 0; i < n; i++) {
		const okra_profile_key *k = &keys[i];
		row *r = add_row(&t);
		if (!r)
			break;
		r->cell[0] = shown(k->name);
		r->cell[1] = cellf(&t, "%s", kind_names[k->kind]);
		r->cell[2] = thousands(&t, k->filled);
		r->cell[3] = share(&t, k->filled, whole);
		r->cell[4] = thousands(&t, k->distinct);
		r->cell[5] = values_cell(&t, k);
		t.failed |= !r->cell[0];
	}
	table_write(b, &t, color);
	*ok &= !t.failed;
	table_free(&t);
	/* A CSV column of JSON objects read as text: say how to read its
	 * keys instead. */
	for (size_t i = 0; i < n; i++) {
		const char *top = keys[i].top;
		size_t len = top ? strlen(top) : 0;
		if (keys[i].kind != OKRA_VALUES_TEXT || len < 2 ||
		    top[0] != '{' || top[len - 1] != '}' ||
		    strchr(keys[i].name, '.'))
			continue;
		char *name = shown(keys[i].name);
		okra__buf_printf(b,
		                 "  note: \"%s\" holds JSON objects as text; "
		                 "json_columns: [%s] in okra.yaml reads their "
		                 "keys\n",
		                 name ? name : "", name ? name : "");
		*ok &= name != NULL;
		free(name);
	}
}

static void entities_text(okra_buf *b, const char *name, const char *one,
                          const okra_profile_entities *e, uint64_t n_events,
                          bool color, bool *ok)
{
	char first[11], last[11];
	date_or_none(e->first, first);
	date_or_none(e->last, last);
	okra__buf_printf(b, "\n%s%s%s", color ? "\033[1m" : "", name,
	                 color ? "\033[0m" : "");
	if (!e->has_table) {
		okra__buf_printf(b,
		                 ": no %s table in okra.yaml; the events name "
		                 "%llu %s%s\n",
		                 name, (unsigned long long)e->in_events, one,
		                 e->in_events == 1 ? "" : "s");
		return;
	}
	okra__buf_printf(b, ": %llu row%s", (unsigned long long)e->rows,
	                 e->rows == 1 ? "" : "s");
	if (e->first >= 0)
		okra__buf_printf(b, ", created %s .. %s", first, last);
	okra__buf_puts(b, "\n");
	if (n_events) {
		okra__buf_printf(b, "  the events name %llu %s%s",
		                 (unsigned long long)e->in_events, one,
		                 e->in_events == 1 ? "" : "s");
		if (e->missing) {
			okra__buf_printf(b, "; %s%llu not in the %s table%s: ",
			                 color ? "\033[33m" : "",
			                 (unsigned long long)e->missing, name,
			                 color ? "\033[0m" : "");
			for (size_t i = 0; i < e->n_examples; i++) {
				char *s = shown(e->examples[i]);
				okra__buf_printf(b, "%s%s", i ? ", " : "",
				                 s ? s : "");
				*ok &= s != NULL;
				free(s);
			}
			if (e->missing > e->n_examples)
				okra__buf_printf(
				    b, " and %llu more",
				    (unsigned long long)(e->missing -
				                         e->n_examples));
		} else {
			okra__buf_printf(b, ", every one in the %s table",
			                 name);
		}
		okra__buf_puts(b, "\n");
	}
	if (e->n_attrs) {
		okra__buf_printf(b, "  attributes: %zu\n", e->n_attrs);
		keys_table(b, e->attrs, e->n_attrs, e->rows, color, ok);
	}
}

static void month_text(int32_t m, char out[16])
{
	if (m == INT32_MAX)
		snprintf(out, 16, "running");
	else
		snprintf(out, 16, "%04d-%02d", 1970 + m / 12, m % 12 + 1);
}

static bool text_profile(const okra_profile *p, bool color, okra_buf *b)
{
	bool ok = true;
	const char *bold = color ? "\033[1m" : "",
	           *off = color ? "\033[0m" : "";
	char first[11], last[11];
	date_or_none(p->first, first);
	date_or_none(p->last, last);

	okra__buf_printf(b, "%sfiles%s (%s engine)\n", bold, off, p->backend);
	table f = {.head = {"table", "file", "bytes"},
	           .right = {false, false, true},
	           .n_cols = 3};
	/* A server engine knows its tables, not the files they came from. */
	if (!p->n_files)
		okra__buf_printf(b,
		                 "  not known: the %s engine reads the tables "
		                 "okra push (or a pipeline) loaded\n",
		                 p->backend);
	for (size_t i = 0; i < p->n_files; i++) {
		row *r = add_row(&f);
		if (!r)
			break;
		r->cell[0] = cellf(&f, "%s", p->files[i].table);
		r->cell[1] = shown(p->files[i].path);
		r->cell[2] = thousands(&f, p->files[i].bytes);
	}
	if (p->n_files)
		table_write(b, &f, color);
	ok &= !f.failed;
	table_free(&f);

	okra_buf count = {0};
	okra__thousands(&count, (double)p->n_events);
	okra__buf_printf(b, "\n%sevents%s: %s", bold, off,
	                 count.data ? count.data : "0");
	ok &= !count.failed;
	okra__buf_free(&count);
	if (p->n_events)
		okra__buf_printf(b, ", %s .. %s (%d days)", first, last,
		                 p->last - p->first + 1);
	okra__buf_puts(b, "\n");
	if (p->n_events) {
		table t = {.head = {"", "events", "share"},
		           .right = {false, true, true},
		           .n_cols = 3};
		row *r = add_row(&t);
		if (r) {
			r->cell[0] = cellf(&t, "without an account");
			r->cell[1] = thousands(&t, p->no_account);
			r->cell[2] = share(&t, p->no_account, p->n_events);
		}
		if ((r = add_row(&t))) {
			r->cell[0] = cellf(&t, "without a user");
			r->cell[1] = thousands(&t, p->no_user);
			r->cell[2] = share(&t, p->no_user, p->n_events);
		}
		table_write(b, &t, color);
		ok &= !t.failed;
		table_free(&t);
	}
	if (p->n_names) {
		okra__buf_printf(b, "\n%sevent names%s: %zu\n", bold, off,
		                 p->n_names);
		table t = {.head = {"name", "events", "share", "first", "last"},
		           .right = {false, true, true, false, false},
		           .n_cols = 5};
		for (size_t i = 0; i < p->n_names; i++) {
			const okra_profile_event *e = &p->names[i];
			row *r = add_row(&t);
			if (!r)
				break;
			date_or_none(e->first, first);
			date_or_none(e->last, last);
			r->cell[0] = shown(e->name);
			r->cell[1] = thousands(&t, e->count);
			r->cell[2] = share(&t, e->count, p->n_events);
			r->cell[3] = cellf(&t, "%s", first);
			r->cell[4] = cellf(&t, "%s", last);
			t.failed |= !r->cell[0];
		}
		table_write(b, &t, color);
		ok &= !t.failed;
		table_free(&t);
	}
	if (p->n_props) {
		okra__buf_printf(b, "\n%sevent properties%s: %zu\n", bold, off,
		                 p->n_props);
		keys_table(b, p->props, p->n_props, p->n_events, color, &ok);
	}
	entities_text(b, "accounts", "account", &p->accounts, p->n_events,
	              color, &ok);
	entities_text(b, "users", "user", &p->users, p->n_events, color, &ok);
	okra__buf_printf(b, "\n%srevenue%s: ", bold, off);
	if (!p->has_revenue) {
		okra__buf_puts(b, "no revenue table in okra.yaml\n");
	} else {
		char m0[16], m1[16];
		month_text(p->revenue_first, m0);
		month_text(p->revenue_last, m1);
		okra__buf_printf(b, "%llu monthly row%s",
		                 (unsigned long long)p->revenue_rows,
		                 p->revenue_rows == 1 ? "" : "s");
		if (p->revenue_rows) {
			okra_buf mrr = {0};
			okra__thousands(&mrr, p->revenue_last_mrr);
			okra__buf_printf(
			    b,
			    ", %s .. %s, %llu paying account%s, "
			    "MRR in the last month %s",
			    m0, m1, (unsigned long long)p->revenue_accounts,
			    p->revenue_accounts == 1 ? "" : "s",
			    mrr.data ? mrr.data : "0");
			okra__buf_free(&mrr);
		}
		okra__buf_puts(b, "\n");
	}
	return ok;
}

/* ---------------------------------------------------------------------
 * JSON
 * --------------------------------------------------------------------- */

static void json_day(okra_buf *b, int32_t day)
{
	if (day < 0) {
		okra__buf_puts(b, "null");
		return;
	}
	char s[11];
	okra__format_date(day, s);
	okra__buf_printf(b, "\"%s\"", s);
}

static void json_keys(okra_buf *b, const okra_profile_key *keys, size_t n,
                      uint64_t whole)
{
	okra__buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		const okra_profile_key *k = &keys[i];
		okra__buf_puts(b, i ? ",\n  {\"key\":" : "\n  {\"key\":");
		okra__buf_json_str(b, k->name);
		okra__buf_printf(
		    b, ",\"type\":\"%s\",\"filled\":%llu,\"share\":",
		    kind_names[k->kind], (unsigned long long)k->filled);
		okra__json_number(
		    b, false, whole ? (double)k->filled / (double)whole : NAN);
		okra__buf_printf(b, ",\"distinct\":%llu,\"min\":",
		                 (unsigned long long)k->distinct);
		okra__json_number(b, false, k->min);
		okra__buf_puts(b, ",\"max\":");
		okra__json_number(b, false, k->max);
		okra__buf_puts(b, ",\"commonest\":");
		if (k->top) {
			okra__buf_json_str(b, k->top);
			okra__buf_printf(b, ",\"commonest_count\":%llu}",
			                 (unsigned long long)k->top_count);
		} else {
			okra__buf_puts(b, "null,\"commonest_count\":0}");
		}
	}
	okra__buf_puts(b, n ? "\n ]" : "]");
}

static void json_entities(okra_buf *b, const char *name,
                          const okra_profile_entities *e)
{
	okra__buf_printf(
	    b, ",\n \"%s\":{\"table\":%s,\"rows\":%llu,\"first\":", name,
	    e->has_table ? "true" : "false", (unsigned long long)e->rows);
	json_day(b, e->first);
	okra__buf_puts(b, ",\"last\":");
	json_day(b, e->last);
	okra__buf_printf(b,
	                 ",\"in_events\":%llu,\"missing\":%llu,"
	                 "\"missing_examples\":[",
	                 (unsigned long long)e->in_events,
	                 (unsigned long long)e->missing);
	for (size_t i = 0; i < e->n_examples; i++) {
		if (i)
			okra__buf_putc(b, ',');
		okra__buf_json_str(b, e->examples[i]);
	}
	okra__buf_puts(b, "],\"attributes\":");
	json_keys(b, e->attrs, e->n_attrs, e->rows);
	okra__buf_putc(b, '}');
}

static void json_month(okra_buf *b, int32_t m)
{
	char s[16];
	if (m < 0) {
		okra__buf_puts(b, "null");
		return;
	}
	month_text(m, s);
	okra__buf_printf(b, "\"%s\"", s);
}

static void json_profile(const okra_profile *p, okra_buf *b)
{
	okra__buf_printf(b, "{\"backend\":\"%s\",\n \"files\":[", p->backend);
	for (size_t i = 0; i < p->n_files; i++) {
		okra__buf_printf(b,
		                 "%s{\"table\":\"%s\",\"path\":", i ? "," : "",
		                 p->files[i].table);
		okra__buf_json_str(b, p->files[i].path);
		okra__buf_printf(b, ",\"bytes\":%llu}",
		                 (unsigned long long)p->files[i].bytes);
	}
	okra__buf_printf(b, "],\n \"events\":{\"rows\":%llu,\"first\":",
	                 (unsigned long long)p->n_events);
	json_day(b, p->first);
	okra__buf_puts(b, ",\"last\":");
	json_day(b, p->last);
	okra__buf_printf(b, ",\"without_account\":%llu,\"without_user\":%llu,",
	                 (unsigned long long)p->no_account,
	                 (unsigned long long)p->no_user);
	okra__buf_puts(b, "\"names\":[");
	for (size_t i = 0; i < p->n_names; i++) {
		const okra_profile_event *e = &p->names[i];
		okra__buf_puts(b, i ? ",\n  {\"name\":" : "\n  {\"name\":");
		okra__buf_json_str(b, e->name);
		okra__buf_printf(b, ",\"count\":%llu,\"first\":",
		                 (unsigned long long)e->count);
		json_day(b, e->first);
		okra__buf_puts(b, ",\"last\":");
		json_day(b, e->last);
		okra__buf_putc(b, '}');
	}
	okra__buf_puts(b, p->n_names ? "\n ],\"properties\":"
	                             : "],\"properties\":");
	json_keys(b, p->props, p->n_props, p->n_events);
	okra__buf_putc(b, '}');
	json_entities(b, "accounts", &p->accounts);
	json_entities(b, "users", &p->users);
	okra__buf_printf(b,
	                 ",\n \"revenue\":{\"table\":%s,\"rows\":%llu,"
	                 "\"first_month\":",
	                 p->has_revenue ? "true" : "false",
	                 (unsigned long long)p->revenue_rows);
	json_month(b, p->revenue_first);
	okra__buf_puts(b, ",\"last_month\":");
	json_month(b, p->revenue_last);
	okra__buf_printf(b, ",\"accounts\":%llu,\"last_month_mrr\":",
	                 (unsigned long long)p->revenue_accounts);
	okra__json_number(b, false,
	                  p->revenue_rows ? p->revenue_last_mrr : NAN);
	okra__buf_puts(b, "}}\n");
}

okra_rc okra_profile_print(const okra_profile *p, okra_format format,
                           bool color, FILE *out, okra_err *err)
{
	okra_buf b = {0};
	bool ok = true;
	if (format == OKRA_FORMAT_JSON)
		json_profile(p, &b);
	else
		ok = text_profile(p, color, &b);
	b.failed |= !ok;
	return okra__buf_write(&b, out, err);
}
