/*
 * test_rules.c - the rule catalogue (src/base/rules.c) and the findings
 * list (src/base/findings.c).
 *
 * The catalogue is well formed; every rule id the sources pass to a
 * finding is in it (the sources are read, so a new id is caught without
 * running the code that emits it); every registered rule is emitted
 * somewhere, except the ones listed as not emitted yet; and a findings
 * list that runs out of memory says so, and lint refuses to read it as a
 * result.
 */
/* cmocka needs these, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "okra_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The out-of-memory test asks for an impossible allocation; under ASan
 * that must fail with NULL as it does without. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

/* Registered, but no code reports them yet (none today).  The test fails
 * once one is emitted, so this list only shrinks with the code. */
static const char *const NOT_EMITTED_YET[] = {NULL};

static bool is_rule_id(const char *s, size_t len)
{
	bool dash = false;
	if (len < 3 || s[0] < 'a' || s[0] > 'z' || s[len - 1] == '-')
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '-') {
			if (s[i - 1] == '-')
				return false;
			dash = true;
		} else if (!((s[i] >= 'a' && s[i] <= 'z') ||
		             (s[i] >= '0' && s[i] <= '9')))
			return false;
	}
	return dash;
}

static void test_catalogue(void **state)
{
	(void)state;
	size_t n = okra_rule_count();
	assert_int_equal(n, OKRA_RULE_COUNT);
	assert_null(okra_rule_at(n));
	for (size_t i = 0; i < n; i++) {
		const okra_rule *r = okra_rule_at(i);
		assert_non_null(r);
		assert_ptr_equal(r, okra__rule((okra_rule_id)i));
		assert_true(is_rule_id(r->id, strlen(r->id)));
		assert_ptr_equal(okra_rule_find(r->id), r);
		assert_true(r->severity <= OKRA_ERROR);
		assert_true(r->severities & (1u << r->severity));
		assert_int_equal(r->severities & ~7u, 0);
		/* the default severity is the worst one it reports */
		assert_true(r->severities < (2u << r->severity));
		assert_non_null(r->group);
		assert_true(r->group[0]);
		/* one line each, no trailing space, sentences end with '.' */
		const char *texts[] = {r->summary, r->details, r->fix};
		for (size_t t = 0; t < 3; t++) {
			size_t len = strlen(texts[t]);
			assert_true(len > 10);
			assert_null(strchr(texts[t], '\n'));
			assert_true(texts[t][len - 1] != ' ');
		}
		assert_true(strlen(r->summary) < 160);
		assert_true(r->summary[strlen(r->summary) - 1] != '.');
		assert_true(r->details[strlen(r->details) - 1] == '.');
		assert_true(r->fix[strlen(r->fix) - 1] == '.');
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(okra_rule_at(j)->id, r->id);
		/* a group's rules stay together */
		if (i > 0 && strcmp(okra_rule_at(i - 1)->group, r->group))
			for (size_t j = 0; j + 1 < i; j++)
				assert_string_not_equal(okra_rule_at(j)->group,
				                        r->group);
	}
	assert_null(okra_rule_find("kr-activty"));
	assert_null(okra_rule_find(NULL));
	assert_string_equal(okra__rule_nearest("kr-activty"), "kr-activity");
	assert_string_equal(okra__rule_nearest("ref-unkown"), "ref-unknown");
	assert_null(okra__rule_nearest("completely-different-words"));
}

static void test_explain(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	okra_err err = {0};
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	assert_int_equal(
	    okra_rule_explain("kr-few-hypotheses", OKRA_FORMAT_TEXT, out, &err),
	    OKRA_OK);
	fclose(out);
	assert_non_null(
	    strstr(text, "kr-few-hypotheses: warning/info (key results)\n"));
	for (char *line = text; *line;) {
		size_t l = strcspn(line, "\n");
		assert_true(l <= 78); /* wrapped */
		line += l + (line[l] == '\n');
	}
	free(text);
	assert_int_equal(
	    okra_rule_explain("kr-no-targt", OKRA_FORMAT_TEXT, stdout, &err),
	    OKRA_ERR_USAGE);
	assert_string_equal(
	    err.msg,
	    "unknown rule \"kr-no-targt\"; did you mean \"kr-no-target\"?");
}

/* ----------------------------------------------------------------------
 * Every id the sources use
 * ---------------------------------------------------------------------- */

typedef struct scan {
	char ids[256][40]; /* rule ids passed to a finding call */
	size_t n_ids;
	char *text; /* every source file, concatenated */
	size_t len, cap;
} scan;

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size + 1))) {
		*len = fread(buf, 1, (size_t)size, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

static void add_id(scan *s, const char *p, size_t len)
{
	for (size_t i = 0; i < s->n_ids; i++)
		if (strlen(s->ids[i]) == len && !memcmp(s->ids[i], p, len))
			return;
	assert_true(s->n_ids < OKRA_ARRAY_LEN(s->ids) &&
	            len < sizeof(s->ids[0]));
	memcpy(s->ids[s->n_ids], p, len);
	s->ids[s->n_ids++][len] = '\0';
}

/* The rule-id literals inside the argument lists of the calls that add a
 * finding: okra__finding_add, okra__finding_vadd, okra__findings_vadd and
 * the loader's report(). */
static void scan_calls(scan *s, const char *text)
{
	static const char *const calls[] = {
	    "okra__finding_add(",
	    "okra__finding_vadd(",
	    "okra__findings_vadd(",
	    "report(",
	};
	for (size_t c = 0; c < OKRA_ARRAY_LEN(calls); c++)
		for (const char *p = text; (p = strstr(p, calls[c]));) {
			/* not a longer name ending the same way */
			bool whole =
			    p == text ||
			    !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z'));
			p += strlen(calls[c]);
			int depth = 1;
			for (; whole && *p && depth > 0; p++) {
				if (*p == '(')
					depth++;
				else if (*p == ')')
					depth--;
				else if (*p == '"') {
					const char *end = p + 1;
					while (*end && *end != '"')
						end += end[0] == '\\' ? 2 : 1;
					if (is_rule_id(p + 1,
					               (size_t)(end - p - 1)))
						add_id(s, p + 1,
						       (size_t)(end - p - 1));
					p = *end ? end : end - 1;
				}
			}
		}
}

static void scan_dir(scan *s, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;
		size_t n = strlen(e->d_name), len = 0;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			scan_dir(s, path);
			continue;
		}
		if (n < 3 || strcmp(e->d_name + n - 2, ".c") ||
		    !strcmp(e->d_name, "rules.c"))
			continue;
		char *text = read_all(path, &len);
		assert_non_null(text);
		scan_calls(s, text);
		if (s->len + len + 2 > s->cap) {
			s->cap = (s->len + len + 2) * 2;
			s->text = realloc(s->text, s->cap);
			assert_non_null(s->text);
		}
		memcpy(s->text + s->len, text, len);
		s->len += len;
		s->text[s->len++] = '\n';
		s->text[s->len] = '\0';
		free(text);
	}
	closedir(d);
}

/* OKRA_RULE_KR_ACTIVITY for "kr-activity" */
static void enum_name(const char *id, char *out, size_t cap)
{
	size_t n = (size_t)snprintf(out, cap, "OKRA_RULE_");
	for (; *id && n + 1 < cap; id++)
		out[n++] = *id == '-' ? '_' : (char)(*id - 'a' + 'A');
	out[n] = '\0';
}

static void test_every_id_registered(void **state)
{
	(void)state;
	const char *dir = getenv("SRCDIR");
	char src[4096];
	scan *s = calloc(1, sizeof(*s));
	assert_non_null(s);
	snprintf(src, sizeof src, "%s/src", dir && *dir ? dir : ".");
	scan_dir(s, src);
	/* the scan itself works: the loader's and checker's ids are found */
	assert_true(s->n_ids >= 7);
	for (size_t i = 0; i < s->n_ids; i++) {
		if (!okra_rule_find(s->ids[i]))
			printf("  unregistered rule id in src/: \"%s\"\n",
			       s->ids[i]);
		assert_non_null(okra_rule_find(s->ids[i]));
	}
	/* and every registered rule is emitted, by literal or by enum */
	for (size_t r = 0; r < okra_rule_count(); r++) {
		const char *id = okra_rule_at(r)->id;
		char name[64];
		bool used = false, exempt = false;
		enum_name(id, name, sizeof name);
		for (size_t i = 0; i < s->n_ids; i++)
			used |= !strcmp(s->ids[i], id);
		used |= strstr(s->text, name) != NULL;
		for (size_t k = 0; k < OKRA_ARRAY_LEN(NOT_EMITTED_YET); k++)
			exempt |= NOT_EMITTED_YET[k] &&
			          !strcmp(NOT_EMITTED_YET[k], id);
		if (used == exempt)
			printf("  rule \"%s\" is %s\n", id,
			       used ? "emitted: drop it from NOT_EMITTED_YET"
			            : "registered but never emitted");
		assert_true(used != exempt);
	}
	free(s->text);
	free(s);
}

/* ----------------------------------------------------------------------
 * The findings list
 * ---------------------------------------------------------------------- */

static void add(okra_findings *f, okra_severity sev, const char *rule,
                const char *src, size_t src_len, const char *fmt, ...)
{
	va_list ap;
	okra_pos pos = {.file = "okra.yaml", .line = 3, .col = 5};
	va_start(ap, fmt);
	okra__findings_vadd(f, sev, rule, pos, src, src_len, NULL, fmt, ap);
	va_end(ap);
}

static void test_findings_keep_everything(void **state)
{
	(void)state;
	okra_findings *f = okra_findings_new(), *copy = okra_findings_new();
	char long_msg[5000];
	assert_non_null(f);
	assert_non_null(copy);
	/* no cap on errors: a company with 150 key results gets them all */
	for (int i = 0; i < 150; i++)
		add(f, OKRA_ERROR, "kr-no-baseline", NULL, 0,
		    "key result \"kr_%d\" has no baseline", i);
	assert_int_equal(okra_findings_count(f), 150);
	assert_int_equal(okra_findings_count_severity(f, OKRA_ERROR), 150);
	/* no cut message */
	memset(long_msg, 'x', sizeof long_msg - 1);
	long_msg[sizeof long_msg - 1] = '\0';
	add(f, OKRA_WARNING, "kr-lagging", "  metric: arr", 13, "%s", long_msg);
	assert_string_equal(okra_findings_get(f, 150)->message, long_msg);
	/* a copy keeps the source line */
	okra__findings_copy(copy, okra_findings_get(f, 150));
	assert_string_equal(okra_findings_get(copy, 0)->source_line,
	                    "  metric: arr");
	assert_string_equal(okra_findings_get(copy, 0)->message, long_msg);
	assert_false(okra_findings_failed(f));
	assert_false(okra_findings_failed(copy));
	okra_findings_free(f);
	okra_findings_free(copy);
}

static const char WORKSPACE[] =
    "workspace: t\n"
    "objectives:\n"
    "  - id: o\n"
    "    title: Make reporting a weekly habit for new pro accounts\n";

static void test_findings_out_of_memory(void **state)
{
	(void)state;
	okra_findings *f = okra_findings_new();
	okra_workspace *ws = NULL;
	okra_err err = {0};
	okra_source src = {"okra.yaml", WORKSPACE, sizeof WORKSPACE - 1};
	assert_non_null(f);
	assert_int_equal(
	    okra__workspace_from_sources("/t", &src, 1, f, &ws, &err), OKRA_OK);
	/* a clean list lints, with findings */
	assert_int_equal(okra_lint(ws, f, &err), OKRA_OK);
	size_t n = okra_findings_count(f);
	assert_true(n > 0);
	/* a source line no allocator can copy: the list fails, loudly */
	add(f, OKRA_ERROR, "kr-no-baseline", WORKSPACE, SIZE_MAX / 4, "m");
	assert_true(okra_findings_failed(f));
	assert_int_equal(okra_findings_count(f), n);
	/* and stays failed: nothing more is added, lint reports it */
	add(f, OKRA_ERROR, "kr-no-baseline", NULL, 0, "after");
	assert_int_equal(okra_findings_count(f), n);
	memset(&err, 0, sizeof err);
	assert_int_equal(okra_lint(ws, f, &err), OKRA_ERR_NOMEM);
	assert_int_equal(err.rc, OKRA_ERR_NOMEM);
	assert_non_null(strstr(err.msg, "out of memory"));
	okra_workspace_free(ws);
	okra_findings_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_catalogue),
	    cmocka_unit_test(test_explain),
	    cmocka_unit_test(test_every_id_registered),
	    cmocka_unit_test(test_findings_keep_everything),
	    cmocka_unit_test(test_findings_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
