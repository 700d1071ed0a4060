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

/* The status as markdown tables, and the summary (what needs attention
 * and the top suggestions) as text, markdown and JSON (review_text.c,
 * review_json.c). */
void okra__status_md(const okra_review *r, okra_buf *b);
void okra__summary_text(const okra_review *r, bool color, okra_buf *b);
void okra__summary_md(const okra_review *r, okra_buf *b);
void okra__summary_json(const okra_review *r, okra_buf *b);
/* The review, the status and the summary as a Slack message
 * (review_slack.c). */
void okra__review_slack(const okra_review *r, okra_buf *b);
void okra__status_slack(const okra_review *r, okra_buf *b);
void okra__summary_slack(const okra_review *r, okra_buf *b);

/* ---- shared by the renderers (review_text.c) ---- */

/* A key result's value by its metric's unit, "-" without a metric. */
const char *okra__kr_value(okra_arena *a, const okra_kr_eval *k, double v);
/* "expected 24.4%, target 27.2%, at risk": where a key result should be
 * and where it is heading. */
const char *okra__kr_detail(okra_arena *a, const okra_kr_eval *k);
/* Does a key result need attention: red, yellow, no data, or green but at
 * risk or off track by its forecast? */
bool okra__kr_attention(const okra_kr_eval *k);
/* The suggestions for people, in the review's order (lint findings are
 * counted, not suggested): up to max into out; returns how many there
 * are. */
size_t okra__review_suggestions(const okra_review *r,
                                const okra_suggestion **out, size_t max);
/* "0 errors, 1 warning, 0 infos[; 2 suppressed]" */
void okra__lint_counts(const okra_review *r, okra_buf *b);
/* "2026-Q1, day 69 of 90 (77%)", NULL without a quarter. */
const char *okra__quarter_line(okra_arena *a, const okra_review *r);

#endif
