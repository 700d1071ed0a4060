/*
 * jsonl.c - the JSON Lines reader: one JSON object per line, flattened
 * into cells (engine/reader.h), with a strict RFC 8259 parser of its own.
 *
 * Nested objects become dotted keys, arrays their compact JSON text.  Each
 * distinct key gets a stable column from a hash table that only grows; a
 * key used twice in one row (also after flattening) is an error.  Values
 * are unescaped into r->vals, never longer than the line, so the parser
 * writes without bounds checks.  A bad line never stops the next one.
 */
#include "engine/reader_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================
 * JSON values: strings, numbers, literals, arrays (compact text)
 * ====================================================================== */

typedef struct json_parser {
	okra_reader *r;
	const char *line, *e; /* the line, without its line end */
	char *v;              /* write position in r->vals */
	okra_cell **cells;    /* where cells go: r->cells (JSON Lines) or */
	size_t *cells_cap;    /* r->xcells (a CSV row with JSON columns) */
	size_t n_cells;
	bool in_field; /* parsing a CSV field's text, not a line */
	size_t n_uses; /* key uses in this row (for r->predict) */
	okra_rc rc;    /* OKRA_ERR_NOMEM, else DATA on error */
	char why[160];
} json_parser;

static const char *jfail(json_parser *j, const char *at, const char *why)
{
	if (at >= j->e)
		snprintf(j->why, sizeof(j->why),
		         "invalid JSON: %s (at the end of the %s)", why,
		         j->in_field ? "value" : "line");
	else
		snprintf(j->why, sizeof(j->why), "invalid JSON: %s (%s %zu)",
		         why, j->in_field ? "character" : "column",
		         (size_t)(at - j->line) + 1);
	return NULL;
}

static const char *jws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* String bytes that need attention: '"', '\\' and control characters. */
#define J1X8 1, 1, 1, 1, 1, 1, 1, 1
static const uint8_t json_str_stop[256] = {
    J1X8, J1X8, J1X8, J1X8, ['"'] = 1, ['\\'] = 1,
};

static int hex4(const char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		int c = (unsigned char)p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* A string after its opening quote: validated, written to *out (unescaped,
 * or as written when raw), *out advanced.  Returns the position after the
 * closing quote, NULL on error.  Unescaped output is never longer than
 * the input. */
static const char *jstring(json_parser *j, const char *p, char **out, bool raw)
{
	const char *e = j->e;
	char *o = *out;
	for (;;) {
		const char *f = p;
		while (p < e && !json_str_stop[(unsigned char)*p])
			p++;
		memcpy(o, f, (size_t)(p - f));
		o += p - f;
		if (p == e)
			return jfail(j, p, "unterminated string");
		if (*p == '"')
			break;
		if (*p != '\\')
			return jfail(j, p,
			             "control character in a string "
			             "(escape it)");
		if (p + 1 == e)
			return jfail(j, p, "unterminated string");
		const char *esc = p;
		char c = p[1], u = 0;
		p += 2;
		switch (c) {
		case '"':
			u = '"';
			break;
		case '\\':
			u = '\\';
			break;
		case '/':
			u = '/';
			break;
		case 'b':
			u = '\b';
			break;
		case 'f':
			u = '\f';
			break;
		case 'n':
			u = '\n';
			break;
		case 'r':
			u = '\r';
			break;
		case 't':
			u = '\t';
			break;
		case 'u':
			break;
		default:
			return jfail(j, esc, "invalid escape in a string");
		}
		if (c != 'u') {
			if (raw) {
				memcpy(o, esc, 2);
				o += 2;
			} else {
				*o++ = u;
			}
			continue;
		}
		int cp = e - p >= 4 ? hex4(p) : -1;
		if (cp < 0)
			return jfail(j, esc, "invalid \\u escape");
		p += 4;
		if (cp >= 0xDC00 && cp <= 0xDFFF)
			return jfail(j, esc, "lone surrogate in a \\u escape");
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			int lo = e - p >= 6 && p[0] == '\\' && p[1] == 'u'
			             ? hex4(p + 2)
			             : -1;
			if (lo < 0xDC00 || lo > 0xDFFF)
				return jfail(j, esc,
				             "lone surrogate in a \\u escape");
			p += 6;
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		}
		if (raw) {
			memcpy(o, esc, (size_t)(p - esc));
			o += p - esc;
		} else if (cp < 0x80) {
			*o++ = (char)cp;
		} else if (cp < 0x800) {
			*o++ = (char)(0xC0 | cp >> 6);
			*o++ = (char)(0x80 | (cp & 0x3F));
		} else if (cp < 0x10000) {
			*o++ = (char)(0xE0 | cp >> 12);
			*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
			*o++ = (char)(0x80 | (cp & 0x3F));
		} else {
			*o++ = (char)(0xF0 | cp >> 18);
			*o++ = (char)(0x80 | (cp >> 12 & 0x3F));
			*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
			*o++ = (char)(0x80 | (cp & 0x3F));
		}
	}
	*out = o;
	return p + 1;
}

static bool jdigit(const char *p, const char *e)
{
	return p < e && (unsigned)(*p - '0') <= 9;
}

/* A number per the JSON grammar, copied as written. */
static const char *jnumber(json_parser *j, const char *p)
{
	const char *e = j->e, *s = p;
	if (p < e && *p == '-')
		p++;
	if (p < e && *p == '0')
		p++;
	else if (jdigit(p, e) && *p != '0')
		while (jdigit(p, e))
			p++;
	else
		return jfail(j, s, "invalid number");
	if (p < e && *p == '.') {
		if (!jdigit(++p, e))
			return jfail(j, s, "invalid number");
		while (jdigit(p, e))
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (!jdigit(p, e))
			return jfail(j, s, "invalid number");
		while (jdigit(p, e))
			p++;
	}
	/* A number ends at a delimiter: "01", "1.5.2", "0x10" are invalid. */
	if (p < e && !strchr(" \t\r\n,]}", *p))
		return jfail(j, s, "invalid number");
	memcpy(j->v, s, (size_t)(p - s));
	j->v += p - s;
	return p;
}

/* true, false or null; copied as written. */
static const char *jliteral(json_parser *j, const char *p)
{
	static const char *const words[] = {"true", "false", "null"};
	size_t avail = (size_t)(j->e - p);
	for (size_t i = 0; i < OKRA_ARRAY_LEN(words); i++) {
		size_t n = strlen(words[i]);
		if (avail >= n && memcmp(p, words[i], n) == 0 &&
		    (avail == n ||
		     !((p[n] | 0x20) >= 'a' && (p[n] | 0x20) <= 'z'))) {
			memcpy(j->v, p, n);
			j->v += n;
			return p + n;
		}
	}
	return jfail(j, p, "invalid literal (true, false or null)");
}

/* A scalar: number, true, false or null. */
static const char *jscalar(json_parser *j, const char *p)
{
	if (*p == '-' || jdigit(p, j->e))
		return jnumber(j, p);
	if (*p == 't' || *p == 'f' || *p == 'n')
		return jliteral(j, p);
	return jfail(j, p, "expected a value");
}

static int cmp_key_ref(const void *a, const void *b)
{
	const key_ref *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/*
 * Any value inside an array: validated and written compactly (no
 * whitespace, strings as written).  Objects here are not flattened; their
 * keys are unescaped into r->akeys and checked for duplicates when the
 * object closes.
 */
static const char *jcompact(json_parser *j, const char *p, int depth,
                            char **akey)
{
	okra_reader *r = j->r;
	const char *e = j->e;
	if (p == e)
		return jfail(j, p, "expected a value");
	if (*p == '"') {
		*j->v++ = '"';
		p = jstring(j, p + 1, &j->v, true);
		if (p)
			*j->v++ = '"';
		return p;
	}
	if (*p != '[' && *p != '{')
		return jscalar(j, p);
	if (depth > MAX_DEPTH)
		return jfail(j, p, "nesting deeper than 32 levels");
	if (*p == '[') {
		*j->v++ = '[';
		p = jws(p + 1, e);
		if (p < e && *p == ']') {
			*j->v++ = ']';
			return p + 1;
		}
		for (;;) {
			p = jcompact(j, p, depth + 1, akey);
			if (!p)
				return NULL;
			p = jws(p, e);
			if (p < e && *p == ',') {
				*j->v++ = ',';
				p = jws(p + 1, e);
				continue;
			}
			if (p < e && *p == ']') {
				*j->v++ = ']';
				return p + 1;
			}
			return jfail(j, p, "expected ',' or ']' in an array");
		}
	}
	*j->v++ = '{';
	size_t first = r->n_krefs;
	p = jws(p + 1, e);
	if (p < e && *p == '}') {
		*j->v++ = '}';
		return p + 1;
	}
	for (;;) {
		if (p == e || *p != '"')
			return jfail(j, p, "expected a string key");
		const char *key = p + 1;
		*j->v++ = '"';
		p = jstring(j, key, &j->v, true);
		if (!p)
			return NULL;
		*j->v++ = '"';
		/* Unescape the (now validated) key for the duplicate check. */
		char *k0 = *akey;
		jstring(j, key, akey, false);
		if (!okra__reader_grow(&r->krefs, &r->krefs_cap, r->n_krefs + 1,
		                       sizeof(key_ref))) {
			j->rc = OKRA_ERR_NOMEM;
			return NULL;
		}
		r->krefs[r->n_krefs++] = (key_ref){k0, (size_t)(*akey - k0)};
		p = jws(p, e);
		if (p == e || *p != ':')
			return jfail(j, p, "expected ':' after an object key");
		*j->v++ = ':';
		p = jcompact(j, jws(p + 1, e), depth + 1, akey);
		if (!p)
			return NULL;
		p = jws(p, e);
		if (p < e && *p == ',') {
			*j->v++ = ',';
			p = jws(p + 1, e);
			continue;
		}
		if (p < e && *p == '}')
			break;
		return jfail(j, p, "expected ',' or '}' in an object");
	}
	size_t n = r->n_krefs - first;
	key_ref *k = r->krefs + first;
	if (n > 1) {
		qsort(k, n, sizeof(*k), cmp_key_ref);
		for (size_t i = 1; i < n; i++)
			if (cmp_key_ref(&k[i - 1], &k[i]) == 0) {
				char m[64];
				okra__reader_key_for_msg(k[i].s, k[i].len, m);
				snprintf(
				    j->why, sizeof(j->why),
				    "duplicate key \"%s\" in an object inside "
				    "an array",
				    m);
				return NULL;
			}
	}
	r->n_krefs = first;
	*j->v++ = '}';
	return p + 1;
}

/* ======================================================================
 * The key table: one entry per distinct dotted key
 * ====================================================================== */

static uint32_t key_hash(const char *s, size_t len)
{
	uint64_t h = UINT64_C(0x9E3779B97F4A7C15) ^ len;
	for (; len >= 8; s += 8, len -= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * UINT64_C(0xBF58476D1CE4E5B9);
		h ^= h >> 31;
	}
	if (len) {
		uint64_t w = 0;
		memcpy(&w, s, len);
		h = (h ^ w) * UINT64_C(0x94D049BB133111EB);
		h ^= h >> 29;
	}
	h *= UINT64_C(0xBF58476D1CE4E5B9);
	return (uint32_t)(h ^ h >> 32);
}

static bool keys_rehash(okra_reader *r, size_t n_slots)
{
	uint32_t *slots = calloc(n_slots, sizeof(*slots));
	if (!slots)
		return false;
	for (size_t i = 0; i < r->n_keys; i++) {
		size_t s = r->keys[i].hash & (n_slots - 1);
		while (slots[s])
			s = (s + 1) & (n_slots - 1);
		slots[s] = (uint32_t)i + 1;
	}
	free(r->slots);
	r->slots = slots;
	r->n_slots = n_slots;
	return true;
}

/*
 * The key table entry for the dotted path in r->path[0, len), added when
 * new; a leaf gets a column.  Marks the key used by this row: a second use
 * in one row is a duplicate (the same key twice, or a dotted key that
 * collides with a nested one).  The previous row's keys in the same order
 * are tried first, which spares the hash on typical event streams.
 */
static key_entry *jkey(json_parser *j, size_t len, bool leaf, const char *at)
{
	okra_reader *r = j->r;
	const char *path = r->path;
	key_entry *k = NULL;
	size_t use = j->n_uses++;
	if (use < r->n_predict) {
		key_entry *g = &r->keys[r->predict[use]];
		if (g->len == len && memcmp(g->name, path, len) == 0)
			k = g;
	}
	if (!k) {
		uint32_t h = key_hash(path, len);
		size_t s = h & (r->n_slots - 1);
		for (; r->slots[s]; s = (s + 1) & (r->n_slots - 1)) {
			key_entry *g = &r->keys[r->slots[s] - 1];
			if (g->hash == h && g->len == len &&
			    memcmp(g->name, path, len) == 0) {
				k = g;
				break;
			}
		}
		if (!k) {
			if (r->n_keys >= MAX_KEYS) {
				snprintf(j->why, sizeof(j->why),
				         "more than %d distinct keys",
				         MAX_KEYS);
				return NULL;
			}
			const char *name =
			    okra__arena_strndup(&r->arena, path, len);
			if (!name || !okra__reader_grow(&r->keys, &r->keys_cap,
			                                r->n_keys + 1,
			                                sizeof(key_entry))) {
				j->rc = OKRA_ERR_NOMEM;
				return NULL;
			}
			r->slots[s] = (uint32_t)r->n_keys + 1;
			k = &r->keys[r->n_keys++];
			*k = (key_entry){name, (uint32_t)len, h, -1, 0};
			if (r->n_keys * 2 > r->n_slots &&
			    !keys_rehash(r, r->n_slots * 2)) {
				j->rc = OKRA_ERR_NOMEM;
				return NULL;
			}
		}
	}
	if (!okra__reader_grow(&r->predict, &r->predict_cap, use + 1,
	                       sizeof(uint32_t))) {
		j->rc = OKRA_ERR_NOMEM;
		return NULL;
	}
	r->predict[use] = (uint32_t)(k - r->keys);
	if (use >= r->n_predict)
		r->n_predict = use + 1;
	if (k->seen == r->gen) {
		char m[64];
		okra__reader_key_for_msg(path, len, m);
		snprintf(j->why, sizeof(j->why),
		         "duplicate key \"%s\"%s (%s %zu)", m,
		         memchr(path, '.', len) ? " after flattening" : "",
		         j->in_field ? "character" : "column",
		         (size_t)(at - j->line) + 1);
		return NULL;
	}
	k->seen = r->gen;
	if (leaf && k->column < 0) {
		if (r->n_names >= MAX_COLUMNS) {
			snprintf(j->why, sizeof(j->why),
			         "more than %d distinct keys", MAX_COLUMNS);
			return NULL;
		}
		if (!okra__reader_grow(&r->names, &r->names_cap, r->n_names + 1,
		                       sizeof(*r->names))) {
			j->rc = OKRA_ERR_NOMEM;
			return NULL;
		}
		k->column = (int32_t)r->n_names;
		r->names[r->n_names++] = k->name;
	}
	return k;
}

/* ======================================================================
 * Objects, flattened, and lines
 * ====================================================================== */

/*
 * The members of an object after its '{', flattened: a nested object's
 * members get the dotted key "outer.inner", any other value becomes a
 * cell.  r->path[0, prefix) holds the object's own dotted key.
 */
static const char *jobject(json_parser *j, const char *p, size_t prefix,
                           int depth)
{
	okra_reader *r = j->r;
	const char *e = j->e;
	p = jws(p, e);
	if (p < e && *p == '}')
		return p + 1;
	for (;;) {
		if (p == e || *p != '"')
			return jfail(j, p, "expected a string key");
		const char *key_at = p;
		size_t start = prefix ? prefix + 1 : 0;
		if (prefix)
			r->path[prefix] = '.';
		char *kd = r->path + start;
		p = jstring(j, p + 1, &kd, false);
		if (!p)
			return NULL;
		size_t len = (size_t)(kd - r->path);
		if (memchr(r->path + start, '\0', len - start))
			return jfail(j, key_at, "\\u0000 in an object key");
		p = jws(p, e);
		if (p == e || *p != ':')
			return jfail(j, p, "expected ':' after an object key");
		p = jws(p + 1, e);
		if (p == e)
			return jfail(j, p, "expected a value");
		if (*p == '{') {
			if (depth + 1 > MAX_DEPTH)
				return jfail(j, p,
				             "nesting deeper than 32 levels");
			if (!jkey(j, len, false, key_at))
				return NULL;
			p = jobject(j, p + 1, len, depth + 1);
			if (!p)
				return NULL;
		} else {
			key_entry *k = jkey(j, len, true, key_at);
			if (!k)
				return NULL;
			char *vs = j->v;
			uint8_t type;
			if (*p == '"') {
				/* "" is absent, as an empty CSV field is. */
				p = jstring(j, p + 1, &j->v, false);
				type = j->v == vs ? OKRA_CELL_ABSENT
				                  : OKRA_CELL_STRING;
			} else if (*p == '[') {
				type = OKRA_CELL_STRING;
				char *akey = r->akeys;
				r->n_krefs = 0;
				p = jcompact(j, p, depth + 1, &akey);
			} else if (*p == '-' || jdigit(p, e)) {
				type = OKRA_CELL_NUMBER;
				p = jnumber(j, p);
			} else {
				p = jscalar(j, p);
				type = vs[0] == 'n' ? OKRA_CELL_ABSENT
				                    : OKRA_CELL_BOOL;
				if (type == OKRA_CELL_ABSENT)
					j->v = vs;
			}
			if (!p)
				return NULL;
			if (!okra__reader_grow(j->cells, j->cells_cap,
			                       j->n_cells + 1,
			                       sizeof(okra_cell))) {
				j->rc = OKRA_ERR_NOMEM;
				return NULL;
			}
			okra_cell *c = &(*j->cells)[j->n_cells++];
			c->key = k->name;
			c->key_len = k->len;
			c->val = vs;
			c->val_len = (uint32_t)(j->v - vs);
			c->type = type;
			c->column = (uint16_t)k->column;
			*j->v++ = '\0';
		}
		p = jws(p, e);
		if (p < e && *p == ',') {
			p = jws(p + 1, e);
			continue;
		}
		if (p < e && *p == '}')
			return p + 1;
		return jfail(j, p, "expected ',' or '}' in an object");
	}
}

/* What a line holds instead of an object, for the message; NULL when it
 * is not even the start of a JSON value. */
static const char *not_an_object(const char *p, const char *e)
{
	size_t n = (size_t)(e - p);
	if (*p == '[')
		return "an array";
	if (*p == '"')
		return "a string";
	if (*p == '-' || jdigit(p, e))
		return "a number";
	if ((n >= 4 && memcmp(p, "true", 4) == 0) ||
	    (n >= 5 && memcmp(p, "false", 5) == 0))
		return "a boolean";
	if (n >= 4 && memcmp(p, "null", 4) == 0)
		return "null";
	return NULL;
}

/* Parses the line [s, e) (non-blank) into cells.  Returns OKRA_OK, or
 * DATA with the reason in why, or NOMEM. */
static okra_rc jsonl_parse(okra_reader *r, const char *s, const char *e,
                           char *why, size_t why_cap)
{
	size_t len = (size_t)(e - s);
	if (!okra__reader_grow(&r->vals, &r->vals_cap, len + SLACK, 1) ||
	    !okra__reader_grow(&r->path, &r->path_cap, len + MAX_DEPTH + 16,
	                       1) ||
	    !okra__reader_grow(&r->akeys, &r->akeys_cap, len + 16, 1))
		return OKRA_ERR_NOMEM;
	if (++r->gen == 0) { /* wrapped: forget every mark */
		for (size_t i = 0; i < r->n_keys; i++)
			r->keys[i].seen = 0;
		r->gen = 1;
	}
	json_parser j = {.r = r,
	                 .line = s,
	                 .e = e,
	                 .v = r->vals,
	                 .cells = &r->cells,
	                 .cells_cap = &r->cells_cap};
	const char *p = jws(s, e);
	if (*p != '{') {
		const char *what = not_an_object(p, e);
		if (what)
			snprintf(why, why_cap,
			         "expected a JSON object, found %s", what);
		else
			snprintf(
			    why, why_cap,
			    "invalid JSON: expected an object (column %zu)",
			    (size_t)(p - s) + 1);
		return OKRA_ERR_DATA;
	}
	p = jobject(&j, p + 1, 0, 1);
	if (p && (p = jws(p, e)) != e) {
		snprintf(
		    j.why, sizeof(j.why),
		    "trailing characters after the JSON object (column %zu)",
		    (size_t)(p - s) + 1);
		p = NULL;
	}
	if (!p) {
		if (j.rc == OKRA_ERR_NOMEM)
			return OKRA_ERR_NOMEM;
		snprintf(why, why_cap, "%s", j.why);
		return OKRA_ERR_DATA;
	}
	r->row.cells = r->cells;
	r->row.n_cells = j.n_cells;
	return OKRA_OK;
}

okra_rc okra__jsonl_init(okra_reader *r, okra_err *err)
{
	r->n_slots = 64;
	r->slots = calloc(r->n_slots, sizeof(*r->slots));
	return r->slots ? OKRA_OK : okra__reader_nomem(r, err);
}

okra_rc okra__jsonl_next(okra_reader *r, okra_row **row, okra_err *err)
{
	okra_rc rc;
	for (;;) {
		const char *s = r->buf + r->pos, *e = r->buf + r->end;
		const char *nl =
		    memchr(s + r->scanned, '\n', (size_t)(e - s) - r->scanned);
		if (!nl && !r->eof) {
			r->scanned = (size_t)(e - s);
			if (r->skip_line) {
				r->pos = r->end;
				r->scanned = 0;
			} else if (r->end - r->pos > MAX_RECORD + 1) {
				/* Report now, drop the rest next time. */
				int64_t line = r->line++;
				r->skip_line = true;
				r->pos = r->end;
				r->scanned = 0;
				return okra__reader_bad_row(
				    r, row, err, line, s, MAX_RECORD,
				    "line longer than 16 MiB");
			}
			if (r->limit) {
				r->scanned = 0;
				return okra__reader_at_limit(row);
			}
			if ((rc = okra__reader_fill(r, err)))
				return rc;
			continue;
		}
		r->scanned = 0;
		if (!nl && s == e) {
			*row = NULL;
			return OKRA_OK;
		}
		const char *le = nl ? nl : e;
		r->pos = (size_t)((nl ? nl + 1 : e) - r->buf);
		if (r->skip_line) {
			r->skip_line = false;
			continue;
		}
		int64_t line = r->line++;
		if (le > s && le[-1] == '\r')
			le--;
		const char *p = jws(s, le);
		if (p == le)
			continue; /* blank line */
		size_t raw_len = (size_t)(le - s);
		if (raw_len > MAX_RECORD)
			return okra__reader_bad_row(r, row, err, line, s,
			                            MAX_RECORD,
			                            "line longer than 16 MiB");
		if (!okra__utf8_valid(s, raw_len))
			return okra__reader_bad_row(r, row, err, line, s,
			                            raw_len, "invalid UTF-8");
		char why[sizeof(err->msg)];
		rc = jsonl_parse(r, s, le, why, sizeof(why));
		if (rc == OKRA_ERR_NOMEM)
			return okra__reader_nomem(r, err);
		if (rc)
			return okra__reader_bad_row(r, row, err, line, s,
			                            raw_len, "%s", why);
		r->row.line = line;
		r->row.raw = s;
		r->row.raw_len = raw_len;
		*row = &r->row;
		return OKRA_OK;
	}
}

/* ======================================================================
 * JSON columns of a CSV file
 * ====================================================================== */

okra_rc okra__csv_json_init(okra_reader *r, const bool *is_json, okra_err *err)
{
	r->json_col = calloc(r->n_cols ? r->n_cols : 1, 1);
	if (!r->json_col || okra__jsonl_init(r, err) != OKRA_OK)
		return okra__reader_nomem(r, err);
	for (size_t i = 0; i < r->n_cols; i++)
		r->json_col[i] = is_json[i];
	/* The header's names are keys too: a flattened key that equals a
	 * column's name is a duplicate, as in a JSON line. */
	for (size_t i = 0; i < r->n_cols; i++) {
		size_t len = strlen(r->names[i]);
		uint32_t h = key_hash(r->names[i], len);
		if (!okra__reader_grow(&r->keys, &r->keys_cap, r->n_keys + 1,
		                       sizeof(key_entry)))
			return okra__reader_nomem(r, err);
		r->keys[r->n_keys++] =
		    (key_entry){r->names[i], (uint32_t)len, h, (int32_t)i, 0};
	}
	size_t n_slots = r->n_slots;
	while (n_slots < 2 * (r->n_keys + 1))
		n_slots *= 2;
	if (!keys_rehash(r, n_slots))
		return okra__reader_nomem(r, err);
	return OKRA_OK;
}

/* What a JSON column's text holds instead of an object. */
static const char *field_not_object(const char *p, const char *e)
{
	const char *what = not_an_object(p, e);
	return what ? what : "text that is not JSON";
}

okra_rc okra__csv_json_row(okra_reader *r, char *why, size_t why_cap)
{
	size_t n_cols = r->n_cols, longest = 0, path = 0;
	for (size_t i = 0; i < n_cols; i++) {
		if (!r->json_col[i])
			continue;
		size_t len = r->cells[i].val_len;
		if (len > longest)
			longest = len;
		if (len + strlen(r->names[i]) > path)
			path = len + strlen(r->names[i]);
	}
	if (!okra__reader_grow(&r->xcells, &r->xcells_cap, n_cols + 1,
	                       sizeof(okra_cell)) ||
	    !okra__reader_grow(&r->path, &r->path_cap, path + MAX_DEPTH + 16,
	                       1) ||
	    !okra__reader_grow(&r->akeys, &r->akeys_cap, longest + 16, 1))
		return OKRA_ERR_NOMEM;
	if (++r->gen == 0) {
		for (size_t i = 0; i < r->n_keys; i++)
			r->keys[i].seen = 0;
		r->gen = 1;
	}
	/* The plain columns keep their cells; the JSON values are written
	 * after the last of them (csv_vals_room left room). */
	size_t n = 0;
	char *v = r->vals;
	for (size_t i = 0; i < n_cols; i++) {
		const okra_cell *c = &r->cells[i];
		if (c->val + c->val_len + 1 > v)
			v = (char *)c->val + c->val_len + 1;
		r->keys[i].seen = r->gen;
		if (!r->json_col[i])
			r->xcells[n++] = *c;
	}
	json_parser j = {.r = r,
	                 .v = v,
	                 .cells = &r->xcells,
	                 .cells_cap = &r->xcells_cap,
	                 .n_cells = n,
	                 .in_field = true};
	for (size_t i = 0; i < n_cols; i++) {
		const okra_cell *c = &r->cells[i];
		if (!r->json_col[i] || c->type == OKRA_CELL_ABSENT)
			continue;
		const char *s = c->val, *e = c->val + c->val_len;
		const char *p = jws(s, e);
		char name[64];
		okra__reader_key_for_msg(r->names[i], strlen(r->names[i]),
		                         name);
		if (p == e || (e - p == 4 && memcmp(p, "null", 4) == 0))
			continue; /* no properties */
		if (*p != '{') {
			snprintf(why, why_cap,
			         "column \"%s\": expected a JSON object, found "
			         "%s",
			         name, field_not_object(p, e));
			return OKRA_ERR_DATA;
		}
		size_t prefix = strlen(r->names[i]);
		memcpy(r->path, r->names[i], prefix);
		j.line = s;
		j.e = e;
		p = jobject(&j, p + 1, prefix, 1);
		if (p && (p = jws(p, e)) != e) {
			snprintf(j.why, sizeof(j.why),
			         "trailing characters after the JSON object "
			         "(character %zu)",
			         (size_t)(p - s) + 1);
			p = NULL;
		}
		if (!p) {
			if (j.rc == OKRA_ERR_NOMEM)
				return OKRA_ERR_NOMEM;
			snprintf(why, why_cap, "column \"%s\": %s", name,
			         j.why);
			return OKRA_ERR_DATA;
		}
	}
	r->row.cells = r->xcells;
	r->row.n_cells = j.n_cells;
	return OKRA_OK;
}
