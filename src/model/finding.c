/*
 * finding.c - findings about the workspace: a finding with its source line.
 *
 * The one place where a finding's position is turned into the text of its
 * line (okra__source_line), so base/findings.c needs nothing of the model.
 * Used by the loader, the checker and the lint rules.
 */
#include "okra_int.h"

void okra__finding_vadd(okra_findings *f, const okra_workspace *ws,
                        okra_severity sev, const char *rule, okra_pos pos,
                        const char *hint, const char *fmt, va_list ap)
{
	size_t len = 0;
	const char *src = ws && pos.file
	                      ? okra__source_line(ws, pos.file, pos.line, &len)
	                      : NULL;
	okra__findings_vadd(f, sev, rule, pos, src, len, hint, fmt, ap);
}

void okra__finding_add(okra_findings *f, const okra_workspace *ws,
                       okra_severity sev, const char *rule, okra_pos pos,
                       const char *hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	okra__finding_vadd(f, ws, sev, rule, pos, hint, fmt, ap);
	va_end(ap);
}

void okra__finding_rule(okra_findings *f, const okra_workspace *ws,
                        okra_rule_id id, okra_pos pos, const char *hint,
                        const char *fmt, ...)
{
	const okra_rule *r = okra__rule(id);
	va_list ap;
	va_start(ap, fmt);
	okra__finding_vadd(f, ws, r->severity, r->id, pos, hint, fmt, ap);
	va_end(ap);
}
