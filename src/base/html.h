/* html.h - escaping text for HTML and XML/SVG output (base/html.c). */
#ifndef OKRA_HTML_H
#define OKRA_HTML_H

#include "okra_int.h"

/* Appends s escaped for HTML and XML text and attribute values alike:
 * & < > " ' become entities, invalid UTF-8 and control characters other
 * than tab and line breaks become U+FFFD.  NULL appends nothing. */
void okra__buf_html(okra_buf *b, const char *s);

#endif
