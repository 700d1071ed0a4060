/*
 * html.c - one escape for every string that reaches HTML or SVG output.
 *
 * The same escaping is safe in element text and in quoted attribute values
 * of both HTML and XML, so callers never choose.  Input is any bytes (YAML
 * titles, segment names from data files): the output is always valid
 * UTF-8 without markup characters.  No allocation besides the buffer.
 */
#include "base/html.h"

#include <string.h>

static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

/* Length of the valid UTF-8 sequence at p (1..4), 0 when it is invalid:
 * overlong forms, surrogates and code points past U+10FFFF are refused. */
static size_t utf8_len(const unsigned char *p)
{
	unsigned c = p[0];
	size_t n;
	unsigned cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0; /* also stops at the NUL */
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

void okra__buf_html(okra_buf *b, const char *s)
{
	if (!s)
		return;
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p; /* bytes that need no escaping */
	while (*p) {
		const char *ent = NULL;
		size_t n = 1;
		if (*p == '&') {
			ent = "&amp;";
		} else if (*p == '<') {
			ent = "&lt;";
		} else if (*p == '>') {
			ent = "&gt;";
		} else if (*p == '"') {
			ent = "&quot;";
		} else if (*p == '\'') {
			ent = "&#39;";
		} else if ((*p < 0x20 && !strchr("\t\n\r", *p)) || *p == 0x7f) {
			ent = replacement;
		} else if ((n = utf8_len(p)) == 0) {
			ent = replacement;
			n = 1;
		}
		if (ent) {
			okra__buf_append(b, (const char *)run,
			                 (size_t)(p - run));
			okra__buf_puts(b, ent);
			p += n;
			run = p;
		} else {
			p += n;
		}
	}
	okra__buf_append(b, (const char *)run, (size_t)(p - run));
}
