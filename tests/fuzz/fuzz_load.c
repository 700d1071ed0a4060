/*
 * fuzz_load.c - fuzzes the workspace loader and lint end to end.
 *
 * The input is split at "\n%%\n" into okra.yaml and up to three more
 * files, so cross-file references and duplicates get exercised too.  Every
 * input must end in either a workspace that lints or a clean error; the
 * sanitizers catch the rest.  Builds with libFuzzer (make fuzz) or, without
 * it, as a plain program that runs the files named on the command line.
 */
#include "okra_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char *const names[] = {"okra.yaml", "metrics.yaml",
	                                    "okrs/q4.yaml", "more.yaml"};
	okra_source srcs[4];
	size_t n = 0;
	const char *p = (const char *)data, *end = p + size;
	while (n < 4) {
		const char *cut = NULL;
		for (const char *q = p; n < 3 && q + 4 <= end; q++)
			if (memcmp(q, "\n%%\n", 4) == 0) {
				cut = q;
				break;
			}
		srcs[n] =
		    (okra_source){names[n], p, (size_t)((cut ? cut : end) - p)};
		n++;
		if (!cut)
			break;
		p = cut + 4;
	}
	okra_findings *f = okra_findings_new();
	okra_workspace *ws = NULL;
	okra_err err = {0};
	if (f && okra__workspace_from_sources("/fuzz", srcs, n, f, &ws, &err) ==
	             OKRA_OK) {
		okra_lint(ws, f, &err);
		okra_workspace_free(ws);
	}
	if (f) {
		okra_findings_sort(f);
		FILE *null = fopen("/dev/null", "w");
		if (null) {
			okra_findings_write(f, OKRA_FORMAT_TEXT, false, null);
			okra_findings_write(f, OKRA_FORMAT_JSON, false, null);
			fclose(null);
		}
	}
	okra_findings_free(f);
	return 0;
}

#if !defined(OKRA_LIBFUZZER)
/* Without libFuzzer: run each file named on the command line once. */
int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		if (!fp) {
			perror(argv[i]);
			return 1;
		}
		static unsigned char buf[1 << 20];
		size_t len = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		LLVMFuzzerTestOneInput(buf, len);
	}
	return 0;
}
#endif
