/*
 * finding.c - findings about the workspace: a finding with its source line.
 *
 * The one place where a finding's position is turned into the text of its
 * line (okra__source_line), so base/findings.c needs nothing of the model.
 * Used by the loader, the checker and the lint rules.  Also where the
 * workspace's suppressions apply: a finding of a rule that okra.yaml
 * disables (lint: {disable: [...]}), or that an objective or key result
 * ignores (lint_ignore: [...]) inside its own definition, is counted
 * instead of added.  Structural rules are never suppressed.
 */
#include "okra_int.h"

#include <string.h>

static bool listed(const char *rule, const char *const *rules, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rules[i], rule) == 0)
			return true;
	return false;
}

/* Is pos inside the definition that starts at start and ends on last? */
static bool inside(okra_pos pos, okra_pos start, int last)
{
	return pos.file && start.file && strcmp(pos.file, start.file) == 0 &&
	       pos.line >= start.line && pos.line <= last;
}

/* How rule's finding at pos is suppressed in ws; -1 when it is not. */
static int suppression(const okra_workspace *ws, const char *rule, okra_pos pos)
{
	const okra_rule *r = okra_rule_find(rule);
	if (!ws || !r || strcmp(r->group, "structure") == 0)
		return -1;
	const okra_workspace_settings *s = &ws->settings;
	if (listed(rule, s->lint_disable, s->n_lint_disable))
		return OKRA_SUPPRESSED_DISABLE;
	for (size_t i = 0; i < ws->n_objectives; i++) {
		const okra_objective *o = &ws->objectives[i];
		if (!inside(pos, o->pos, o->last_line))
			continue;
		if (listed(rule, o->lint_ignore, o->n_lint_ignore))
			return OKRA_SUPPRESSED_IGNORE;
		for (size_t k = 0; k < o->n_krs; k++) {
			const okra_key_result *kr =
			    &ws->key_results[o->first_kr + k];
			if (inside(pos, kr->pos, kr->last_line) &&
			    listed(rule, kr->lint_ignore, kr->n_lint_ignore))
				return OKRA_SUPPRESSED_IGNORE;
		}
	}
	return -1;
}

void okra__finding_vadd(okra_findings *f, const okra_workspace *ws,
                        okra_severity sev, const char *rule, okra_pos pos,
                        const char *hint, const char *fmt, va_list ap)
{
	int by = suppression(ws, rule, pos);
	if (by >= 0) {
		okra__findings_suppress(f, (okra_suppression)by);
		return;
	}
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
