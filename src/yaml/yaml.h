/*
 * yaml.h - the YAML node tree of one file (internal to src/yaml).
 *
 * yaml.c turns a file into this tree with libfyaml's event parser, keeping
 * every node's line and column; load.c maps the tree onto the model.
 */
#ifndef OKRA_YAML_H
#define OKRA_YAML_H

#include "okra_int.h"

typedef enum { OKRA_Y_SCALAR = 0, OKRA_Y_MAP, OKRA_Y_SEQ } okra_ykind;

typedef struct okra_ynode {
	okra_ykind kind;
	const char *str; /* scalar text, NUL-terminated */
	size_t len;
	bool is_block; /* literal | or folded > block scalar */
	bool is_plain; /* unquoted scalar: may be a number or null */
	int line, col; /* 1-based */
	size_t n;      /* seq items; map pairs */
	struct okra_ynode **items; /* seq: items; map: key, value, key, ... */
} okra_ynode;

/* Parses text (len bytes) of file (a display path) into a tree allocated in
 * a.  An empty document gives NULL root with OKRA_OK.  On a syntax error
 * returns OKRA_ERR_CONFIG with err holding the position. */
okra_rc okra__yaml_parse(okra_arena *a, const char *file, const char *text,
                         size_t len, okra_ynode **root, okra_err *err);

static inline okra_ynode *okra__ymap_key(const okra_ynode *m, size_t i)
{
	return m->items[2 * i];
}
static inline okra_ynode *okra__ymap_val(const okra_ynode *m, size_t i)
{
	return m->items[2 * i + 1];
}

#endif
