/*
 * yaml.c - libfyaml's event parser into okra's node tree.
 *
 * The only file that includes libfyaml.  Builds a plain tree in the arena
 * (scalars keep their text and whether they were quoted; every node its
 * position).  Rejects what the workspace format has no use for and would
 * only hide mistakes: several documents in one file, anchors and aliases,
 * non-scalar mapping keys, duplicate keys, NUL bytes.  Bounded: nesting,
 * keys per mapping and nodes per file have named limits (okra_limits.h),
 * and every step is linear in the file's size (duplicate keys are found
 * with a hash table per open mapping).
 */
#include "yaml.h"

#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH OKRA_MAX_YAML_DEPTH
#define MAX_KEYS  OKRA_MAX_YAML_KEYS
#define MAX_NODES OKRA_MAX_YAML_NODES

/* A node under construction: its children in a growable array; a
 * mapping's keys also in an open-addressing table (index + 1, 0 empty). */
typedef struct frame {
	okra_ynode *node;
	okra_ynode **kids;
	size_t n, cap;
	uint32_t *slots;
	size_t n_slots;
} frame;

typedef struct parser {
	okra_arena *a;
	const char *file;
	const char *text;
	okra_err *err;
	frame stack[MAX_DEPTH];
	int depth;
	okra_ynode *root;
	size_t n_nodes;
	int cur_line; /* the line that cur starts (block scalars) */
	const char *cur;
	char diag_msg[512];
	int diag_line, diag_col;
	bool has_diag;
} parser;

/* libfyaml reports errors through this callback: keep the first one. */
static void on_diag(struct fy_diag *diag, void *user, const char *buf,
                    size_t len)
{
	(void)diag;
	parser *p = user;
	if (p->has_diag)
		return;
	p->has_diag = true;
	snprintf(p->diag_msg, sizeof(p->diag_msg), "%.*s", (int)len, buf);
}

static void mark_of(struct fy_event *ev, int *line, int *col)
{
	const struct fy_mark *m = fy_event_start_mark(ev);
	*line = m ? m->line + 1 : 0;
	*col = m ? m->column + 1 : 0;
}

static okra_rc fail(parser *p, int line, int col, const char *msg)
{
	return okra__err_set(p->err, OKRA_ERR_CONFIG, p->file, line, col, "%s",
	                     msg);
}

static bool push_child(parser *p, frame *f, okra_ynode *kid)
{
	okra_ynode **k = okra__grow(f->kids, &f->cap, f->n, sizeof(*k), 8);
	if (!k)
		return false;
	f->kids = k;
	f->kids[f->n++] = kid;
	(void)p;
	return true;
}

static uint32_t key_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Adds key (the f->n-th kid, not yet pushed) to f's key table; *first is
 * the earlier key with the same text, if any.  False when out of memory. */
static bool key_insert(frame *f, okra_ynode *key, okra_ynode **first)
{
	*first = NULL;
	size_t n_keys = f->n / 2 + 1;
	if (n_keys * 2 > f->n_slots) {
		size_t n_slots = f->n_slots ? f->n_slots * 2 : 16;
		uint32_t *slots = calloc(n_slots, sizeof(*slots));
		if (!slots)
			return false;
		for (size_t k = 0; k < f->n; k += 2) {
			uint32_t h = key_hash(f->kids[k]->str, f->kids[k]->len);
			size_t i = h & (n_slots - 1);
			while (slots[i])
				i = (i + 1) & (n_slots - 1);
			slots[i] = (uint32_t)k + 1;
		}
		free(f->slots);
		f->slots = slots;
		f->n_slots = n_slots;
	}
	size_t i = key_hash(key->str, key->len) & (f->n_slots - 1);
	for (; f->slots[i]; i = (i + 1) & (f->n_slots - 1)) {
		okra_ynode *k = f->kids[f->slots[i] - 1];
		if (k->len == key->len &&
		    memcmp(k->str, key->str, k->len) == 0) {
			*first = k;
			return true;
		}
	}
	f->slots[i] = (uint32_t)f->n + 1;
	return true;
}

static okra_rc nomem(parser *p)
{
	return okra__err_set(p->err, OKRA_ERR_NOMEM, p->file, 0, 0,
	                     "out of memory");
}

/* Attaches a finished node to its parent (or makes it the root). */
static okra_rc attach(parser *p, okra_ynode *node)
{
	if (p->depth == 0) {
		p->root = node;
		return OKRA_OK;
	}
	frame *f = &p->stack[p->depth - 1];
	if (f->node->kind == OKRA_Y_MAP && f->n % 2 == 0) {
		if (node->kind != OKRA_Y_SCALAR)
			return fail(p, node->line, node->col,
			            "a mapping key must be a plain name");
		if (f->n / 2 == MAX_KEYS) {
			char msg[160];
			snprintf(msg, sizeof(msg),
			         "more than %d keys in one mapping (the "
			         "mapping starts at line %d)",
			         MAX_KEYS, f->node->line);
			return fail(p, node->line, node->col, msg);
		}
		okra_ynode *first;
		if (!key_insert(f, node, &first))
			return nomem(p);
		if (first) {
			char msg[256];
			snprintf(msg, sizeof(msg),
			         "duplicate key \"%.80s\" (first at line %d)",
			         node->str, first->line);
			return fail(p, node->line, node->col, msg);
		}
	}
	if (!push_child(p, f, node))
		return nomem(p);
	return OKRA_OK;
}

/* Counts a node against the file's limit. */
static okra_rc count_node(parser *p, int line, int col)
{
	if (++p->n_nodes <= MAX_NODES)
		return OKRA_OK;
	char msg[128];
	snprintf(msg, sizeof(msg),
	         "more than %d YAML nodes in one file; split it into "
	         "several files",
	         MAX_NODES);
	return fail(p, line, col, msg);
}

static okra_rc open_node(parser *p, okra_ykind kind, struct fy_event *ev)
{
	if (p->depth == MAX_DEPTH) {
		int line, col;
		mark_of(ev, &line, &col);
		return fail(p, line, col, "nesting deeper than 64 levels");
	}
	okra_ynode *n = okra__arena_alloc(p->a, sizeof(*n));
	if (!n)
		return nomem(p);
	n->kind = kind;
	mark_of(ev, &n->line, &n->col);
	okra_rc rc = count_node(p, n->line, n->col);
	if (rc)
		return rc;
	p->stack[p->depth++] = (frame){.node = n};
	return OKRA_OK;
}

static okra_rc close_node(parser *p)
{
	frame *f = &p->stack[--p->depth];
	okra_ynode *n = f->node;
	n->n = n->kind == OKRA_Y_MAP ? f->n / 2 : f->n;
	if (f->n) {
		n->items = okra__arena_alloc(p->a, f->n * sizeof(*n->items));
		if (n->items)
			memcpy(n->items, f->kids, f->n * sizeof(*n->items));
	}
	free(f->kids);
	free(f->slots);
	f->kids = NULL;
	f->slots = NULL;
	if (p->a->failed)
		return nomem(p);
	return attach(p, n);
}

static okra_rc scalar(parser *p, struct fy_event *ev)
{
	okra_ynode *n = okra__arena_alloc(p->a, sizeof(*n));
	if (!n)
		return nomem(p);
	n->kind = OKRA_Y_SCALAR;
	mark_of(ev, &n->line, &n->col);
	okra_rc rc = count_node(p, n->line, n->col);
	if (rc)
		return rc;
	size_t len = 0;
	const char *text = fy_token_get_text(ev->scalar.value, &len);
	if (!text) {
		text = "";
		len = 0;
	}
	if (memchr(text, '\0', len))
		return fail(p, n->line, n->col, "a NUL byte inside a scalar");
	n->str = okra__arena_strndup(p->a, text, len);
	n->len = len;
	enum fy_scalar_style style = fy_token_scalar_style(ev->scalar.value);
	n->is_plain = style == FYSS_PLAIN;
	/* A quoted scalar's mark is past its opening quote. */
	if ((style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED) &&
	    n->col > 1)
		n->col--;
	n->is_block = style == FYSS_LITERAL || style == FYSS_FOLDED;
	if (n->is_block) {
		/* The mark is column 1 of the first content line: move it to
		 * the first character of the text.  Nodes come in document
		 * order, so the line cursor only moves forward. */
		if (!p->cur || p->cur_line > n->line) {
			p->cur = p->text;
			p->cur_line = 1;
		}
		for (; *p->cur && p->cur_line < n->line; p->cur++)
			if (*p->cur == '\n')
				p->cur_line++;
		for (const char *t = p->cur; *t == ' '; t++)
			n->col++;
	}
	if (!n->str)
		return nomem(p);
	return attach(p, n);
}

/* Turns libfyaml's "<source>:L:C: error: msg" text into our error. */
static okra_rc syntax_error(parser *p)
{
	const char *msg = p->diag_msg;
	int line = 0, col = 0;
	const char *e = strstr(msg, "error: ");
	if (e) {
		for (const char *c = msg; c < e; c++)
			if (*c == ':' && sscanf(c, ":%d:%d:", &line, &col) == 2)
				break;
		msg = e + strlen("error: ");
	}
	char clean[512];
	snprintf(clean, sizeof(clean), "%s", msg);
	size_t n = strlen(clean);
	while (n && (clean[n - 1] == '\n' || clean[n - 1] == ' '))
		clean[--n] = '\0';
	char out[600];
	snprintf(out, sizeof(out), "invalid YAML: %s",
	         n ? clean : "syntax error");
	return fail(p, line, col, out);
}

/* Line and column (in characters) of byte offset off. */
static void position_of(const char *text, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			++*col;
		}
	}
}

/* Past the quoted scalar that starts at s[i] (a ' or "), or len when it
 * never closes (libfyaml then reports it). */
static size_t skip_quoted(const char *s, size_t len, size_t i)
{
	char q = s[i++];
	while (i < len) {
		if (q == '"' && s[i] == '\\') {
			i += 2;
			continue;
		}
		if (s[i] == q) {
			if (q == '\'' && i + 1 < len && s[i + 1] == '\'') {
				i += 2;
				continue;
			}
			return i + 1;
		}
		i++;
	}
	return len;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Offset of the first [ or { that opens a flow collection deeper than
 * MAX_DEPTH, or len.  Checked before libfyaml sees the text: its scanner
 * keeps every token of an open flow collection (which may turn out to be
 * a key) until the collection closes, so deep nesting would cost memory
 * in proportion to the file before any event reaches us.  A light scan:
 * quoted scalars, comments and block scalars are skipped, and in block
 * context a bracket opens a collection only where a node may start.
 */
static size_t flow_too_deep(const char *s, size_t len)
{
	int depth = 0;
	int block_indent = -1; /* inside a block scalar below this indent */
	bool node_start = true;
	size_t i = 0;
	while (i < len) {
		/* A line: its indentation first. */
		size_t line_start = i;
		int indent = 0;
		while (i < len && s[i] == ' ') {
			i++;
			indent++;
		}
		if (block_indent >= 0) {
			if (i < len && s[i] != '\n' && s[i] != '\r' &&
			    indent <= block_indent) {
				block_indent = -1;
			} else {
				while (i < len && s[i] != '\n')
					i++;
				i += i < len;
				continue;
			}
		}
		if (depth == 0)
			node_start = true;
		while (i < len && s[i] != '\n') {
			char c = s[i];
			bool after_blank =
			    i == line_start || is_blank(s[i - 1]);
			if (c == '#' && after_blank) {
				while (i < len && s[i] != '\n')
					i++;
				break;
			}
			if (depth > 0) {
				if (c == '[' || c == '{') {
					if (++depth > MAX_DEPTH)
						return i;
					node_start = true;
				} else if (c == ']' || c == '}') {
					depth--;
					node_start = false;
				} else if (c == ',' || c == ':') {
					node_start = true;
				} else if ((c == '"' || c == '\'') &&
				           node_start) {
					i = skip_quoted(s, len, i);
					node_start = false;
					continue;
				} else if (!is_blank(c)) {
					node_start = false;
				}
				i++;
				continue;
			}
			bool indicator = (c == '-' || c == '?' || c == ':') &&
			                 (i + 1 >= len || is_blank(s[i + 1]));
			if (indicator) {
				node_start = true;
			} else if (is_blank(c)) {
				/* nothing: a node may still start */
			} else if (node_start && (c == '[' || c == '{')) {
				depth = 1;
			} else if (node_start && (c == '"' || c == '\'')) {
				i = skip_quoted(s, len, i);
				node_start = false;
				continue;
			} else if (node_start && (c == '|' || c == '>')) {
				block_indent = indent;
				while (i < len && s[i] != '\n')
					i++;
				break;
			} else {
				node_start = false;
			}
			i++;
		}
		i += i < len;
	}
	return len;
}

okra_rc okra__yaml_parse(okra_arena *a, const char *file, const char *text,
                         size_t len, okra_ynode **root, okra_err *err)
{
	int line, col;
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		position_of(text, (size_t)(nul - text), &line, &col);
		return okra__err_set(err, OKRA_ERR_CONFIG, file, line, col,
		                     "a NUL byte; workspace files are text");
	}
	size_t bad = okra__utf8_invalid_at(text, len);
	if (bad < len) {
		position_of(text, bad, &line, &col);
		return okra__err_set(
		    err, OKRA_ERR_CONFIG, file, line, col,
		    "invalid UTF-8; workspace files must be UTF-8");
	}
	size_t deep = flow_too_deep(text, len);
	if (deep < len) {
		position_of(text, deep, &line, &col);
		return okra__err_set(err, OKRA_ERR_CONFIG, file, line, col,
		                     "nesting deeper than %d levels",
		                     MAX_DEPTH);
	}

	parser p = {.a = a, .file = file, .text = text, .err = err};
	okra_rc rc = OKRA_OK;
	struct fy_diag_cfg dcfg;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = on_diag;
	dcfg.user = &p;
	dcfg.colorize = false;
	dcfg.show_source = false;
	dcfg.show_position = true;
	dcfg.show_type = true;
	dcfg.show_module = false;
	struct fy_diag *diag = fy_diag_create(&dcfg);
	struct fy_parse_cfg cfg = {
	    .flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2, .diag = diag};
	struct fy_parser *fyp = diag ? fy_parser_create(&cfg) : NULL;
	if (!fyp || fy_parser_set_string(fyp, text, len) != 0) {
		rc = okra__err_set(err, OKRA_ERR_NOMEM, file, 0, 0,
		                   "cannot start the YAML parser");
		goto out;
	}
	int documents = 0;
	struct fy_event *ev;
	while (rc == OKRA_OK && (ev = fy_parser_parse(fyp)) != NULL) {
		switch (ev->type) {
		case FYET_DOCUMENT_START:
			if (++documents > 1) {
				mark_of(ev, &line, &col);
				rc = fail(&p, line, col,
				          "a second YAML document; put one "
				          "document in a file");
			}
			break;
		case FYET_MAPPING_START:
		case FYET_SEQUENCE_START: {
			struct fy_token *anchor =
			    ev->type == FYET_MAPPING_START
			        ? ev->mapping_start.anchor
			        : ev->sequence_start.anchor;
			if (anchor) {
				const struct fy_mark *am =
				    fy_token_start_mark(anchor);
				line =
				    am->line + 1; /* the mark is past the '&' */
				col = am->column;
				rc = fail(&p, line, col,
				          "YAML anchors and aliases are not "
				          "supported; write the value out");
				break;
			}
			rc = open_node(&p,
			               ev->type == FYET_MAPPING_START
			                   ? OKRA_Y_MAP
			                   : OKRA_Y_SEQ,
			               ev);
			break;
		}
		case FYET_MAPPING_END:
		case FYET_SEQUENCE_END:
			rc = close_node(&p);
			break;
		case FYET_SCALAR:
			if (ev->scalar.anchor) {
				const struct fy_mark *am =
				    fy_token_start_mark(ev->scalar.anchor);
				line = am->line + 1;
				col = am->column;
				rc = fail(&p, line, col,
				          "YAML anchors and aliases are not "
				          "supported; write the value out");
				break;
			}
			rc = scalar(&p, ev);
			break;
		case FYET_ALIAS:
			mark_of(ev, &line, &col);
			col--; /* the mark is past the '*' */
			rc = fail(&p, line, col,
			          "YAML anchors and aliases are not supported; "
			          "write the value out");
			break;
		default:
			break;
		}
		fy_parser_event_free(fyp, ev);
	}
	if (rc == OKRA_OK && (fy_parser_get_stream_error(fyp) || p.has_diag)) {
		rc = syntax_error(&p);
		if (strstr(p.diag_msg, "quoted scalar without closing quote") &&
		    p.err->col > 1)
			p.err->col--;
		/* An unclosed bracket is reported past the end: point at it. */
		if (strstr(p.diag_msg, "without a closing") && p.depth > 0) {
			okra_ynode *open = p.stack[p.depth - 1].node;
			p.err->line = open->line;
			p.err->col = open->col;
		}
	}
	if (rc == OKRA_OK)
		*root = p.root;
out:
	while (p.depth > 0) {
		p.depth--;
		free(p.stack[p.depth].kids);
		free(p.stack[p.depth].slots);
	}
	if (fyp)
		fy_parser_destroy(fyp);
	if (diag)
		fy_diag_destroy(diag);
	return rc;
}
