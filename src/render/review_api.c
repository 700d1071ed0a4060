/*
 * review_api.c - the public writers of the review (okra.h): the review as
 * text, markdown, Slack, HTML or JSON, okra status, and the summary.  render/
 * is the only module that renders; review/ builds the data these read.
 */
#include "render/review.h"
#include "review/rollup.h"

#include <stdio.h>

/* Which formats each part of the review is written in. */
static okra_rc render_part(const okra_review *r, okra_review_part part,
                           okra_format format, bool color, okra_buf *b,
                           okra_err *err)
{
	static const char *const formats[] = {
	    "the review is written as text, md, slack, html or json",
	    "the status is written as text, md, slack or json",
	    "the summary is written as text, md, slack or json",
	    "the roll-up is written as text or json",
	};
	if (format == OKRA_FORMAT_JSON && part != OKRA_REVIEW_ROLLUP)
		part == OKRA_REVIEW_SUMMARY ? okra__summary_json(r, b)
		                            : okra__review_json(r, b);
	else if (part == OKRA_REVIEW_FULL && format == OKRA_FORMAT_TEXT)
		okra__review_text(r, color, b);
	else if (part == OKRA_REVIEW_FULL && format == OKRA_FORMAT_MD)
		okra__review_md(r, b);
	else if (part == OKRA_REVIEW_FULL && format == OKRA_FORMAT_SLACK)
		okra__review_slack(r, b);
	else if (part == OKRA_REVIEW_FULL && format == OKRA_FORMAT_HTML)
		okra__review_html(r, b);
	else if (part == OKRA_REVIEW_STATUS && format == OKRA_FORMAT_TEXT)
		okra__status_text(r, color, b);
	else if (part == OKRA_REVIEW_STATUS && format == OKRA_FORMAT_MD)
		okra__status_md(r, b);
	else if (part == OKRA_REVIEW_STATUS && format == OKRA_FORMAT_SLACK)
		okra__status_slack(r, b);
	else if (part == OKRA_REVIEW_SUMMARY && format == OKRA_FORMAT_TEXT)
		okra__summary_text(r, color, b);
	else if (part == OKRA_REVIEW_SUMMARY && format == OKRA_FORMAT_MD)
		okra__summary_md(r, b);
	else if (part == OKRA_REVIEW_SUMMARY && format == OKRA_FORMAT_SLACK)
		okra__summary_slack(r, b);
	else if (part == OKRA_REVIEW_ROLLUP &&
	         (format == OKRA_FORMAT_TEXT || format == OKRA_FORMAT_JSON)) {
		okra_arena a = {0};
		okra_rollup u;
		okra_rc rc = okra__rollup(r, &a, &u, err);
		if (!rc && format == OKRA_FORMAT_JSON)
			okra__rollup_json(r, &u, b);
		else if (!rc)
			okra__rollup_text(r, &u, b);
		okra__arena_free(&a);
		return rc;
	} else
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0, "%s",
		                     (unsigned)part < 4 ? formats[part]
		                                        : formats[0]);
	return OKRA_OK;
}

okra_rc okra_review_render(const okra_review *r, okra_format format, bool color,
                           char **text, size_t *len, okra_err *err)
{
	okra_buf b = {0};
	okra_rc rc = render_part(r, OKRA_REVIEW_FULL, format, color, &b, err);
	if (rc) {
		okra__buf_free(&b);
		return rc;
	}
	if (b.failed || !b.data) {
		okra__buf_free(&b);
		return okra__nomem(err);
	}
	*text = b.data;
	*len = b.len;
	return OKRA_OK;
}

okra_rc okra_review_write(const okra_review *r, okra_format format, bool color,
                          FILE *out, okra_err *err)
{
	char *text = NULL;
	size_t len = 0;
	okra_rc rc = okra_review_render(r, format, color, &text, &len, err);
	if (rc)
		return rc;
	okra_buf b = {.data = text, .len = len, .cap = len + 1};
	return okra__buf_write(&b, out, err);
}

okra_rc okra_status_write(const okra_review *r, okra_format format, bool color,
                          FILE *out, okra_err *err)
{
	return okra_review_write_part(r, OKRA_REVIEW_STATUS, format, color, out,
	                              err);
}

okra_rc okra_review_write_part(const okra_review *r, okra_review_part part,
                               okra_format format, bool color, FILE *out,
                               okra_err *err)
{
	okra_buf b = {0};
	okra_rc rc = render_part(r, part, format, color, &b, err);
	if (rc) {
		okra__buf_free(&b);
		return rc;
	}
	return okra__buf_write(&b, out, err);
}
