/*
 * yaml.c - libfyaml's event parser into okra's node tree.
 *
 * The only file that includes libfyaml.  Builds a plain tree in the arena
 * (scalars keep their text and whether they were quoted; every node its
 * position).  Rejects what the workspace format has no use for and would
 * only hide mistakes: several documents in one file, anchors and aliases,
 * non-scalar mapping keys, duplicate keys.
 */
#include "yaml.h"

#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH OKRA_MAX_YAML_DEPTH

/* A node under construction: its children in a growable array. */
typedef struct frame {
	okra_ynode *node;
	okra_ynode **kids;
	size_t n, cap;
} frame;

typedef struct parser {
	okra_arena *a;
	const char *file;
	const char *text;
	okra_err *err;
	frame stack[MAX_DEPTH];
	int depth;
	okra_ynode *root;
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
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		okra_ynode **k = realloc(f->kids, cap * sizeof(*k));
		if (!k)
			return false;
		f->kids = k;
		f->cap = cap;
	}
	f->kids[f->n++] = kid;
	(void)p;
	return true;
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
		for (size_t i = 0; i < f->n; i += 2)
			if (strcmp(f->kids[i]->str, node->str) == 0) {
				char msg[256];
				snprintf(msg, sizeof(msg),
				         "duplicate key \"%.80s\" (first at "
				         "line %d)",
				         node->str, f->kids[i]->line);
				return fail(p, node->line, node->col, msg);
			}
	}
	if (!push_child(p, f, node))
		return okra__err_set(p->err, OKRA_ERR_NOMEM, p->file, 0, 0,
		                     "out of memory");
	return OKRA_OK;
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
		return okra__err_set(p->err, OKRA_ERR_NOMEM, p->file, 0, 0,
		                     "out of memory");
	n->kind = kind;
	mark_of(ev, &n->line, &n->col);
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
	f->kids = NULL;
	if (p->a->failed)
		return okra__err_set(p->err, OKRA_ERR_NOMEM, p->file, 0, 0,
		                     "out of memory");
	return attach(p, n);
}

static okra_rc scalar(parser *p, struct fy_event *ev)
{
	okra_ynode *n = okra__arena_alloc(p->a, sizeof(*n));
	if (!n)
		return okra__err_set(p->err, OKRA_ERR_NOMEM, p->file, 0, 0,
		                     "out of memory");
	n->kind = OKRA_Y_SCALAR;
	mark_of(ev, &n->line, &n->col);
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
		 * the first character of the text. */
		const char *t = p->text;
		for (int l = 1; *t && l < n->line; t++)
			if (*t == '\n')
				l++;
		for (; *t == ' '; t++)
			n->col++;
	}
	if (!n->str)
		return okra__err_set(p->err, OKRA_ERR_NOMEM, p->file, 0, 0,
		                     "out of memory");
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

/* Offset of the first byte that is not valid UTF-8, or len.  Workspace
 * files are UTF-8; checking first also keeps libfyaml (0.7.12) away from
 * invalid bytes, on which its directive scanner never returns. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		static const uint32_t min[] = {0, 0x80, 0x800, 0x10000};
		if (cp < min[n] || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n + 1;
	}
	return len;
}

okra_rc okra__yaml_parse(okra_arena *a, const char *file, const char *text,
                         size_t len, okra_ynode **root, okra_err *err)
{
	size_t bad = utf8_invalid_at((const unsigned char *)text, len);
	if (bad < len) {
		int line = 1, col = 1;
		for (size_t i = 0; i < bad; i++) {
			if (text[i] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
				col++;
			}
		}
		return okra__err_set(
		    err, OKRA_ERR_CONFIG, file, line, col,
		    "invalid UTF-8; workspace files must be UTF-8");
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
		int line, col;
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
	while (p.depth > 0)
		free(p.stack[--p.depth].kids);
	if (fyp)
		fy_parser_destroy(fyp);
	if (diag)
		fy_diag_destroy(diag);
	return rc;
}
