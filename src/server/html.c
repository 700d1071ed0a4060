/*
 * html.c - escaping and the frame of every dashboard page.
 *
 * Every text that comes from YAML or data goes through okra__html_esc
 * (base/html.c: text and double-quoted attributes, invalid UTF-8
 * replaced) or okra__url_esc (links); nothing else writes such text.  Pages
 * load only /static/okra.css and /static/okra.js, so the
 * Content-Security-Policy can forbid inline script.
 */
#include "server/server.h"
#include "base/html.h"
#include "render/svg.h"

#include <string.h>

void okra__html_esc(okra_buf *b, const char *s)
{
	okra__buf_html(b, s);
}

void okra__url_esc(okra_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.~", *p))
			okra__buf_putc(b, (char)*p);
		else
			okra__buf_printf(b, "%%%c%c", hex[*p >> 4],
			                 hex[*p & 15]);
	}
}

static void tab(okra_buf *b, const char *href, const char *label,
                const char *name, const char *current)
{
	okra__buf_printf(b, "<a href=\"%s\"%s>%s</a>", href,
	                 current && strcmp(name, current) == 0
	                     ? " aria-current=\"page\""
	                     : "",
	                 label);
}

void okra__html_begin(okra_buf *b, const okra_server *s, const char *title,
                      const char *current)
{
	const char *name = s->model.ws ? okra_workspace_name(s->model.ws) : "";
	okra__buf_puts(b, "<!doctype html>\n<html lang=\"en\"><head>"
	                  "<meta charset=\"utf-8\">"
	                  "<meta name=\"viewport\" "
	                  "content=\"width=device-width, initial-scale=1\">"
	                  "<title>");
	okra__html_esc(b, title);
	if (name[0]) {
		okra__buf_puts(b, " · ");
		okra__html_esc(b, name);
	}
	okra__buf_puts(
	    b,
	    "</title>"
	    "<link rel=\"stylesheet\" href=\"/static/okra.css\">"
	    "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">"
	    "<script src=\"/static/okra.js\" defer></script>"
	    "</head>\n<body><header class=\"top\">"
	    "<a class=\"brand\" href=\"/\">okra</a> <span class=\"ws\">");
	okra__html_esc(b, name);
	okra__buf_puts(b, "</span><nav>");
	tab(b, "/", "Overview", "overview", current);
	tab(b, "/metrics", "Metrics", "metrics", current);
	tab(b, "/lint", "Lint", "lint", current);
	okra__buf_puts(b, "</nav></header>\n<main id=\"main\">\n");
}

void okra__html_end(okra_buf *b)
{
	okra__buf_printf(b,
	                 "</main>\n<footer>okra %s · "
	                 "<a href=\"/api/review\">JSON API</a></footer>\n"
	                 "</body></html>\n",
	                 okra_version());
}

void okra__html_value(okra_buf *b, const okra_metric *m, double v)
{
	okra__svg_format_value(b, m ? m->unit : OKRA_UNIT_NONE, v);
}

void okra__html_light(okra_buf *b, const char *light)
{
	char cls[16];
	size_t i = 0;
	for (; light[i] && i < sizeof(cls) - 1; i++)
		cls[i] = light[i] == ' ' ? '-' : light[i];
	cls[i] = '\0';
	okra__buf_puts(b, "<span class=\"light ");
	okra__html_esc(b, cls);
	okra__buf_puts(b, "\">");
	okra__html_esc(b, light);
	okra__buf_puts(b, "</span>");
}
