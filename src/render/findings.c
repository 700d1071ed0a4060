/*
 * findings.c - prints findings like a compiler, as JSON, or as SARIF.
 *
 * Text: "file:line:col: severity: message [rule]", the source line with a
 * caret under the column, then the hint; past the error limit, one line
 * counts the errors not shown.  JSON: every finding.  SARIF 2.1.0: the
 * rule catalogue as the tool's rules and every finding a result with its
 * location, for code scanning in pull requests (an info is SARIF's
 * "note").  Also the rule catalogue of `okra lint --explain`.  No
 * computation here: the findings arrive complete and sorted.
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

/* ---------------------------------------------------------------------
 * SARIF 2.1.0
 * --------------------------------------------------------------------- */

static const char *const sarif_levels[] = {"note", "warning", "error"};

static void sarif_rule(const okra_rule *r, okra_buf *b)
{
	okra__buf_puts(b, "{\"id\":");
	okra__buf_json_str(b, r->id);
	okra__buf_puts(b, ",\"shortDescription\":{\"text\":");
	okra__buf_json_str(b, r->summary);
	okra__buf_puts(b, "},\"fullDescription\":{\"text\":");
	okra__buf_json_str(b, r->details);
	okra__buf_puts(b, "},\"help\":{\"text\":");
	okra__buf_json_str(b, r->fix);
	okra__buf_puts(b, "},\"defaultConfiguration\":{\"level\":");
	okra__buf_json_str(b, sarif_levels[r->severity]);
	okra__buf_puts(b, "},\"properties\":{\"tags\":[");
	okra__buf_json_str(b, r->group);
	okra__buf_puts(b, "]}}");
}

static void sarif_result(const okra_finding *it, okra_buf *b)
{
	size_t index = 0;
	while (index < okra_rule_count() &&
	       strcmp(okra_rule_at(index)->id, it->rule) != 0)
		index++;
	okra__buf_puts(b, "{\"ruleId\":");
	okra__buf_json_str(b, it->rule);
	if (index < okra_rule_count())
		okra__buf_printf(b, ",\"ruleIndex\":%zu", index);
	okra__buf_puts(b, ",\"level\":");
	okra__buf_json_str(b, sarif_levels[it->severity]);
	okra__buf_puts(b, ",\"message\":{\"text\":");
	okra__buf_json_str(b, it->message);
	okra__buf_putc(b, '}');
	if (it->file && it->file[0]) {
		okra__buf_puts(b, ",\"locations\":[{\"physicalLocation\":"
		                  "{\"artifactLocation\":{\"uri\":");
		okra__buf_json_str(b, it->file);
		okra__buf_putc(b, '}');
		if (it->line > 0)
			okra__buf_printf(b,
			                 ",\"region\":{\"startLine\":%d,"
			                 "\"startColumn\":%d}",
			                 it->line, it->col > 0 ? it->col : 1);
		okra__buf_puts(b, "}}]");
	}
	if (it->hint) {
		okra__buf_puts(b, ",\"properties\":{\"hint\":");
		okra__buf_json_str(b, it->hint);
		okra__buf_putc(b, '}');
	}
	okra__buf_putc(b, '}');
}

/* One run of okra: the tool with every rule of the catalogue, the
 * results, and the findings suppressed by the workspace, counted. */
static void sarif(const okra_findings *f, okra_buf *b)
{
	okra__buf_puts(b, "{\"$schema\":\"https://json.schemastore.org/"
	                  "sarif-2.1.0.json\",\"version\":\"2.1.0\",\n"
	                  "\"runs\":[{\"tool\":{\"driver\":{\"name\":"
	                  "\"okra\",\"version\":");
	okra__buf_json_str(b, okra_version());
	okra__buf_puts(b, ",\"rules\":[");
	for (size_t i = 0; i < okra_rule_count(); i++) {
		okra__buf_puts(b, i ? ",\n " : "\n ");
		sarif_rule(okra_rule_at(i), b);
	}
	okra__buf_puts(b, "]}},\n\"results\":[");
	for (size_t i = 0; i < okra_findings_count(f); i++) {
		okra__buf_puts(b, i ? ",\n " : "\n ");
		sarif_result(okra_findings_get(f, i), b);
	}
	okra__buf_printf(
	    b,
	    "],\n\"properties\":{\"suppressed\":{\"lint.disable\":%zu,"
	    "\"lint_ignore\":%zu}}}]}\n",
	    okra_findings_suppressed(f, OKRA_SUPPRESSED_DISABLE),
	    okra_findings_suppressed(f, OKRA_SUPPRESSED_IGNORE));
}

void okra_findings_write_max(const okra_findings *f, okra_format format,
                             bool color, size_t max_errors, FILE *out)
{
	okra_buf b = {0};
	if (format == OKRA_FORMAT_SARIF) {
		sarif(f, &b);
	} else if (format == OKRA_FORMAT_JSON) {
		okra__findings_json(f, &b);
		okra__buf_putc(&b, '\n');
	} else {
		size_t shown = 0, hidden = 0;
		for (size_t i = 0; i < okra_findings_count(f); i++) {
			const okra_finding *it = okra_findings_get(f, i);
			if (it->severity == OKRA_ERROR && max_errors &&
			    shown == max_errors) {
				hidden++;
				continue;
			}
			shown += it->severity == OKRA_ERROR;
			write_text(it, color, &b);
		}
		if (hidden)
			okra__buf_printf(
			    &b,
			    "\xE2\x80\xA6 and %zu more error%s "
			    "(okra lint --max-errors 0 shows all)\n",
			    hidden, hidden == 1 ? "" : "s");
	}
	if (b.len)
		fwrite(b.data, 1, b.len, out);
	okra__buf_free(&b);
}

void okra_findings_write(const okra_findings *f, okra_format format, bool color,
                         FILE *out)
{
	okra_findings_write_max(f, format, color, OKRA_FINDINGS_SHOWN_ERRORS,
	                        out);
}

/* ---------------------------------------------------------------------
 * The rule catalogue: okra lint --explain [RULE]
 * --------------------------------------------------------------------- */

/* "error", "warning/info": every severity the rule reports, worst first. */
static void severities_text(const okra_rule *r, okra_buf *b)
{
	bool first = true;
	for (int s = OKRA_ERROR; s >= OKRA_INFO; s--)
		if (r->severities & (1u << s)) {
			okra__buf_printf(b, "%s%s", first ? "" : "/",
			                 severity_names[s]);
			first = false;
		}
}

static void rule_json(const okra_rule *r, okra_buf *b)
{
	okra__buf_puts(b, "{\"id\":");
	okra__buf_json_str(b, r->id);
	okra__buf_puts(b, ",\"severity\":");
	okra__buf_json_str(b, severity_names[r->severity]);
	okra__buf_puts(b, ",\"severities\":[");
	bool first = true;
	for (int s = OKRA_ERROR; s >= OKRA_INFO; s--)
		if (r->severities & (1u << s)) {
			okra__buf_puts(b, first ? "" : ",");
			okra__buf_json_str(b, severity_names[s]);
			first = false;
		}
	okra__buf_puts(b, "],\"group\":");
	okra__buf_json_str(b, r->group);
	okra__buf_puts(b, ",\"summary\":");
	okra__buf_json_str(b, r->summary);
	okra__buf_puts(b, ",\"details\":");
	okra__buf_json_str(b, r->details);
	okra__buf_puts(b, ",\"fix\":");
	okra__buf_json_str(b, r->fix);
	okra__buf_putc(b, '}');
}

/* Appends text word-wrapped at 78 columns, each line indented by two
 * spaces; label (may be "") opens the first line. */
static void wrap(okra_buf *b, const char *label, const char *text)
{
	enum { WIDTH = 78, INDENT = 2 };
	size_t col = INDENT + strlen(label);
	bool line_start = true;
	okra__buf_printf(b, "  %s", label);
	for (const char *p = text; *p;) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (!len)
			break;
		if (!line_start && col + 1 + len > WIDTH) {
			okra__buf_puts(b, "\n  ");
			col = INDENT;
		} else if (!line_start) {
			okra__buf_putc(b, ' ');
			col++;
		}
		okra__buf_append(b, p, len);
		col += len;
		p += len;
		line_start = false;
	}
	okra__buf_putc(b, '\n');
}

void okra_rules_write(okra_format format, FILE *out)
{
	okra_buf b = {0};
	size_t n = okra_rule_count();
	if (format == OKRA_FORMAT_JSON) {
		okra__buf_putc(&b, '[');
		for (size_t i = 0; i < n; i++) {
			okra__buf_puts(&b, i ? ",\n " : "");
			rule_json(okra_rule_at(i), &b);
		}
		okra__buf_puts(&b, "]\n");
	} else {
		const char *group = NULL;
		for (size_t i = 0; i < n; i++) {
			const okra_rule *r = okra_rule_at(i);
			if (!group || strcmp(group, r->group) != 0)
				okra__buf_printf(&b, "%s%s:\n",
				                 group ? "\n" : "", r->group);
			group = r->group;
			okra_buf sev = {0};
			severities_text(r, &sev);
			okra__buf_printf(&b, "  %-21s %-13s %s\n", r->id,
			                 sev.data ? sev.data : "", r->summary);
			okra__buf_free(&sev);
		}
		okra__buf_printf(
		    &b,
		    "\n%zu rules; okra lint --explain RULE explains "
		    "one\n",
		    n);
	}
	if (b.len)
		fwrite(b.data, 1, b.len, out);
	okra__buf_free(&b);
}

okra_rc okra_rule_explain(const char *id, okra_format format, FILE *out,
                          okra_err *err)
{
	const okra_rule *r = okra_rule_find(id);
	if (!r) {
		const char *near = okra__rule_nearest(id ? id : "");
		if (near)
			return okra__err_set(
			    err, OKRA_ERR_USAGE, NULL, 0, 0,
			    "unknown rule \"%s\"; did you mean "
			    "\"%s\"?",
			    id ? id : "", near);
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "unknown rule \"%s\" (okra lint --explain "
		                     "lists them)",
		                     id ? id : "");
	}
	okra_buf b = {0};
	if (format == OKRA_FORMAT_JSON) {
		rule_json(r, &b);
		okra__buf_putc(&b, '\n');
	} else {
		okra__buf_printf(&b, "%s: ", r->id);
		severities_text(r, &b);
		okra__buf_printf(&b, " (%s)\n", r->group);
		wrap(&b, "fires when: ", r->summary);
		okra__buf_putc(&b, '\n');
		wrap(&b, "", r->details);
		okra__buf_putc(&b, '\n');
		wrap(&b, "fix: ", r->fix);
	}
	return okra__buf_write(&b, out, err);
}
