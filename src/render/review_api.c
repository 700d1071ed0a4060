/*
 * review_api.c - the public writers of the review (okra.h): the review as
 * text, markdown, HTML or JSON, and okra status.  render/ is the only
 * module that renders; review/ builds the data these read.
 */
#include "render/review.h"

#include <stdio.h>

okra_rc okra_review_render(const okra_review *r, okra_format format, bool color,
                           char **text, size_t *len, okra_err *err)
{
	okra_buf b = {0};
	switch (format) {
	case OKRA_FORMAT_TEXT:
		okra__review_text(r, color, &b);
		break;
	case OKRA_FORMAT_MD:
		okra__review_md(r, &b);
		break;
	case OKRA_FORMAT_HTML:
		okra__review_html(r, &b);
		break;
	case OKRA_FORMAT_JSON:
		okra__review_json(r, &b);
		break;
	default:
		return okra__err_set(
		    err, OKRA_ERR_USAGE, NULL, 0, 0,
		    "the review is written as text, md, html or json");
	}
	if (b.failed || !b.data) {
		okra__buf_free(&b);
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	}
	*text = b.data;
	*len = b.len;
	return OKRA_OK;
}

static okra_rc put(okra_buf *b, FILE *out, okra_err *err)
{
	okra_rc rc = OKRA_OK;
	if (b->failed)
		rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                   "out of memory");
	else if (b->len && fwrite(b->data, 1, b->len, out) != b->len)
		rc = okra__err_set(err, OKRA_ERR_IO, NULL, 0, 0,
		                   "cannot write the output");
	okra__buf_free(b);
	return rc;
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
	return put(&b, out, err);
}

okra_rc okra_status_write(const okra_review *r, okra_format format, bool color,
                          FILE *out, okra_err *err)
{
	if (format != OKRA_FORMAT_TEXT)
		return okra_review_write(r, format, color, out, err);
	okra_buf b = {0};
	okra__status_text(r, color, &b);
	return put(&b, out, err);
}
