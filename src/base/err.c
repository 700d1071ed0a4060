/*
 * err.c - filling and printing okra_err.
 *
 * A message is one line without a trailing newline; the position parts are
 * printed only when they exist, like a compiler does.
 */
#include "okra_int.h"

#include <stdio.h>
#include <string.h>

okra_rc okra__err_set(okra_err *err, okra_rc rc, const char *file, int line,
                      int col, const char *fmt, ...)
{
	if (!err)
		return rc;
	err->rc = rc;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	err->col = col;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return rc;
}

okra_rc okra__nomem(okra_err *err)
{
	return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

void okra_err_print(const okra_err *err, FILE *out)
{
	if (err->file[0]) {
		fputs(err->file, out);
		if (err->line > 0) {
			fprintf(out, ":%d", err->line);
			if (err->col > 0)
				fprintf(out, ":%d", err->col);
		}
		fputs(": ", out);
	}
	fprintf(out, "error: %s\n", err->msg);
}

const char *okra_version(void)
{
	return OKRA_VERSION;
}
