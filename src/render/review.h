/*
 * review.h - the renderers of the weekly review (render/review_*.c).
 *
 * They read the okra_review that review/ builds (review/review.h) and
 * compute nothing; review/ never calls them.  The public writers
 * (okra_review_render, okra_review_write, okra_status_write in okra.h)
 * live in render/review_api.c.
 */
#ifndef OKRA_RENDER_REVIEW_H
#define OKRA_RENDER_REVIEW_H

#include "review/review.h"

/* Status: one line per key result (text). */
void okra__status_text(const okra_review *r, bool color, okra_buf *b);
/* The review as text (aligned tables, optional ANSI colour) and markdown
 * (review_text.c). */
void okra__review_text(const okra_review *r, bool color, okra_buf *b);
void okra__review_md(const okra_review *r, okra_buf *b);
/* The review as JSON (review_json.c). */
void okra__review_json(const okra_review *r, okra_buf *b);
/* The review as one self-contained page: inline CSS and SVG, no script,
 * no external request (review_html.c). */
void okra__review_html(const okra_review *r, okra_buf *b);

#endif
