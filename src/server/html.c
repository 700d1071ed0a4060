/*
 * html.c - escaping and the frame of every dashboard page.
 *
 * Every text that comes from YAML or data goes through okra__html_esc
 * (base/html.c: text and double-quoted attributes, invalid UTF-8
 * replaced) or okra__url_esc (links); nothing else writes such text.  The
 * pages' content comes from the components of render/html.c, the same as
 * the static review's.  Pages load only /static/okra.css and
 * /static/okra.js, so the Content-Security-Policy can forbid inline
 * script and style.
 */
#include "server/server.h"
#include "base/html.h"
#include "render/html.h"

#include <string.h>

void okra__html_esc(okra_buf *b, const char *s)
{
	okra__buf_html(b, s);
}

void okra__url_esc(okra_buf *b, const char *s)
{
	okra__html_url(b, s);
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
	                  "<meta name=\"color-scheme\" content=\"light dark\">"
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
	    "</head>\n<body class=\"app\"><header class=\"site\">"
	    "<a class=\"brand\" href=\"/\">okra</a> <span class=\"ws\">");
	okra__html_esc(b, name);
	okra__buf_puts(b, "</span><nav aria-label=\"Pages\">");
	tab(b, "/", "Overview", "overview", current);
	tab(b, "/rollup", "Roll-up", "rollup", current);
	tab(b, "/metrics", "Metrics", "metrics", current);
	tab(b, "/trees", "Trees", "trees", current);
	tab(b, "/diagnose", "Diagnose", "diagnose", current);
	tab(b, "/anomalies", "Anomalies", "anomalies", current);
	tab(b, "/experiments", "Experiments", "experiments", current);
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
