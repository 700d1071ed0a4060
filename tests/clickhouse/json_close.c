/*
 * json_close.c - do two JSON documents agree as the two engines must?
 * Usage: json_close A B.  The same shape, the same strings, integers
 * equal, other numbers within 1e-9 relative (1e-12 absolute near 0).
 * Exit 0 when they agree, 1 (with the first difference) when not, 2 when
 * a file is not JSON.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int differ(const json_t *a, const json_t *b, char *path, size_t len,
                  size_t cap)
{
	if (json_is_number(a) && json_is_number(b)) {
		double x = json_number_value(a), y = json_number_value(b);
		if (json_is_integer(a) && json_is_integer(b))
			return x == y ? 0
			              : (printf("%s: %.17g != %.17g\n", path, x,
			                        y),
			                 1);
		double scale = fabs(x) > fabs(y) ? fabs(x) : fabs(y);
		if (fabs(x - y) <= 1e-9 * scale || fabs(x - y) <= 1e-12)
			return 0;
		printf("%s: %.17g != %.17g\n", path, x, y);
		return 1;
	}
	if (json_typeof(a) != json_typeof(b)) {
		printf("%s: different types\n", path);
		return 1;
	}
	if (json_is_string(a)) {
		if (strcmp(json_string_value(a), json_string_value(b)) == 0)
			return 0;
		printf("%s: \"%s\" != \"%s\"\n", path, json_string_value(a),
		       json_string_value(b));
		return 1;
	}
	if (json_is_array(a)) {
		if (json_array_size(a) != json_array_size(b)) {
			printf("%s: %zu != %zu items\n", path,
			       json_array_size(a), json_array_size(b));
			return 1;
		}
		for (size_t i = 0; i < json_array_size(a); i++) {
			int n = snprintf(path + len, cap - len, "[%zu]", i);
			if (differ(json_array_get(a, i), json_array_get(b, i),
			           path, len + (size_t)n, cap))
				return 1;
			path[len] = '\0';
		}
		return 0;
	}
	if (json_is_object(a)) {
		const char *key;
		json_t *v;
		if (json_object_size(a) != json_object_size(b)) {
			printf("%s: different keys\n", path);
			return 1;
		}
		json_object_foreach((json_t *)a, key, v)
		{
			json_t *w = json_object_get(b, key);
			int n = snprintf(path + len, cap - len, ".%s", key);
			if (!w) {
				printf("%s: missing\n", path);
				return 1;
			}
			if (differ(v, w, path, len + (size_t)n, cap))
				return 1;
			path[len] = '\0';
		}
		return 0;
	}
	return json_equal((json_t *)a, (json_t *)b) ? 0
	                                            : (printf("%s\n", path), 1);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fputs("usage: json_close A B\n", stderr);
		return 2;
	}
	json_error_t e;
	json_t *a = json_load_file(argv[1], JSON_DECODE_ANY, &e);
	json_t *b = a ? json_load_file(argv[2], JSON_DECODE_ANY, &e) : NULL;
	if (!a || !b) {
		printf("not JSON: %s\n", e.text);
		return 2;
	}
	char path[4096] = "$";
	int rc = differ(a, b, path, 1, sizeof(path));
	json_decref(a);
	json_decref(b);
	return rc;
}
