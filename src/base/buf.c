/*
 * buf.c - growable byte buffer for building output text.
 *
 * data is always NUL-terminated once anything was appended.  Allocation
 * failure is sticky (b->failed): later appends are no-ops and the caller
 * checks once when it is done.
 */
#include "okra_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool reserve(okra_buf *b, size_t extra)
{
	if (b->failed)
		return false;
	if (b->len + extra + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1) {
		if (cap > SIZE_MAX / 2) {
			b->failed = true;
			return false;
		}
		cap *= 2;
	}
	char *p = realloc(b->data, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

void okra__buf_append(okra_buf *b, const char *s, size_t len)
{
	if (!reserve(b, len))
		return;
	memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
}

/* A NULL string is what a failed allocation hands on: the buffer is then
 * failed too, so the failure is reported where the text is used. */
void okra__buf_puts(okra_buf *b, const char *s)
{
	if (!s) {
		b->failed = true;
		return;
	}
	okra__buf_append(b, s, strlen(s));
}

void okra__buf_putc(okra_buf *b, char c)
{
	okra__buf_append(b, &c, 1);
}

void okra__buf_vprintf(okra_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || !reserve(b, (size_t)n))
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void okra__buf_printf(okra_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	okra__buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void okra__buf_json_str(okra_buf *b, const char *s)
{
	okra__buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			okra__buf_puts(b, "\\\"");
			break;
		case '\\':
			okra__buf_puts(b, "\\\\");
			break;
		case '\n':
			okra__buf_puts(b, "\\n");
			break;
		case '\r':
			okra__buf_puts(b, "\\r");
			break;
		case '\t':
			okra__buf_puts(b, "\\t");
			break;
		default:
			if (*p < 0x20)
				okra__buf_printf(b, "\\u%04x", *p);
			else
				okra__buf_putc(b, (char)*p);
		}
	}
	okra__buf_putc(b, '"');
}

void okra__buf_free(okra_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

okra_rc okra__buf_write(okra_buf *b, FILE *out, okra_err *err)
{
	okra_rc rc = OKRA_OK;
	if (b->failed)
		rc = okra__nomem(err);
	else if (b->len && fwrite(b->data, 1, b->len, out) != b->len)
		rc = okra__err_set(err, OKRA_ERR_IO, NULL, 0, 0,
		                   "cannot write the output");
	okra__buf_free(b);
	return rc;
}

void okra__buf_pad(okra_buf *b, const char *s, size_t width, bool right)
{
	size_t len = okra__text_width(s);
	for (size_t i = len; right && i < width; i++)
		okra__buf_putc(b, ' ');
	okra__buf_puts(b, s ? s : "");
	for (size_t i = len; !right && i < width; i++)
		okra__buf_putc(b, ' ');
}

void okra__buf_cat(okra_buf *b, okra_buf *src)
{
	if (src->failed)
		b->failed = true;
	else if (src->len)
		okra__buf_append(b, src->data, src->len);
	okra__buf_free(src);
}
