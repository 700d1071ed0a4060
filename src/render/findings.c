/*
 * findings.c - prints findings like a compiler, or as JSON.
 *
 * Text: "file:line:col: severity: message [rule]", the source line with a
 * caret under the column, then the hint.  JSON: the array of SPEC 5.
 * No computation here: the findings arrive complete and sorted.
 */
#include "okra_int.h"

#include <string.h>

static const char *const severity_names[] = {"info", "warning", "error"};

#define C_RESET "\033[0m"
#define C_BOLD  "\033[1m"

static const char *severity_color(okra_severity s)
{
	switch (s) {
	case OKRA_ERROR:
		return "\033[1;31m";
	case OKRA_WARNING:
		return "\033[1;33m";
	default:
		return "\033[1;36m";
	}
}

static void write_text(const okra_finding *it, bool color, okra_buf *b)
{
	const char *on = color ? C_BOLD : "", *off = color ? C_RESET : "";
	okra__buf_puts(b, on);
	if (it->file && it->file[0]) {
		okra__buf_puts(b, it->file);
		if (it->line > 0)
			okra__buf_printf(b, ":%d:%d", it->line, it->col);
		okra__buf_puts(b, ": ");
	}
	okra__buf_puts(b, off);
	okra__buf_printf(
	    b, "%s%s:%s %s [%s]\n", color ? severity_color(it->severity) : "",
	    severity_names[it->severity], off, it->message, it->rule);
	if (it->source_line && it->line > 0) {
		okra__buf_printf(b, "%5d | %s\n", it->line, it->source_line);
		okra__buf_puts(b, "      | ");
		/* Tabs stay tabs so the caret lines up under any tab width. */
		for (int i = 1; i < it->col && it->source_line[i - 1]; i++)
			okra__buf_putc(b, it->source_line[i - 1] == '\t' ? '\t'
			                                                 : ' ');
		okra__buf_printf(b, "%s^%s\n",
		                 color ? severity_color(it->severity) : "",
		                 off);
	}
	if (it->hint)
		okra__buf_printf(b, "      = hint: %s\n", it->hint);
}

static void write_json(const okra_finding *it, okra_buf *b)
{
	okra__buf_puts(b, "{\"rule\":");
	okra__buf_json_str(b, it->rule);
	okra__buf_puts(b, ",\"severity\":");
	okra__buf_json_str(b, severity_names[it->severity]);
	okra__buf_puts(b, ",\"file\":");
	okra__buf_json_str(b, it->file ? it->file : "");
	okra__buf_printf(b, ",\"line\":%d,\"column\":%d,\"message\":", it->line,
	                 it->col);
	okra__buf_json_str(b, it->message);
	okra__buf_puts(b, ",\"hint\":");
	if (it->hint)
		okra__buf_json_str(b, it->hint);
	else
		okra__buf_puts(b, "null");
	okra__buf_putc(b, '}');
}

void okra__findings_json(const okra_findings *f, okra_buf *b)
{
	okra__buf_putc(b, '[');
	for (size_t i = 0; i < okra_findings_count(f); i++) {
		okra__buf_puts(b, i ? ",\n " : "");
		write_json(okra_findings_get(f, i), b);
	}
	okra__buf_putc(b, ']');
}

void okra_findings_write(const okra_findings *f, okra_format format, bool color,
                         FILE *out)
{
	okra_buf b = {0};
	if (format == OKRA_FORMAT_JSON) {
		okra__findings_json(f, &b);
		okra__buf_putc(&b, '\n');
	} else {
		for (size_t i = 0; i < okra_findings_count(f); i++)
			write_text(okra_findings_get(f, i), color, &b);
	}
	if (b.len)
		fwrite(b.data, 1, b.len, out);
	okra__buf_free(&b);
}
