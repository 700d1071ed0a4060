/*
 * query.c - the request target and form body parser of okra serve: the
 * path and the query as the client sent them, percent-decoded into the
 * request's arena.  libmicrohttpd's own decoding is not used: it cuts a
 * value at a decoded NUL ("/api/lint%00.html" would be "/api/lint") and
 * leaves bad escapes as they are.  Here every escape is two hex digits,
 * %00 is refused anywhere, and the limits of okra_limits.h hold.
 *
 * Pure functions of their input (no libmicrohttpd, no model), so
 * tests/fuzz/fuzz_http_query.c drives them directly.
 */
#include "server/server.h"

#include <stdio.h>
#include <string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes text[0..len) into the arena: %XX always, '+' as a space when
 * plus_is_space (a query or a form, not a path).  NULL with the reason in
 * why when an escape is bad or decodes to NUL. */
static char *decode(const char *text, size_t len, bool plus_is_space,
                    okra_arena *a, char *why, size_t cap)
{
	char *out = okra__arena_alloc(a, len + 1);
	size_t o = 0;
	if (!out) {
		snprintf(why, cap, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (c == '%') {
			int hi = i + 2 < len ? hexval(text[i + 1]) : -1;
			int lo = hi >= 0 ? hexval(text[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				snprintf(why, cap,
				         "a bad percent-escape: '%%' must be "
				         "followed by two hex digits");
				return NULL;
			}
			c = (char)(hi * 16 + lo);
			if (c == '\0') {
				snprintf(why, cap,
				         "a percent-encoded NUL "
				         "(%%00) is refused");
				return NULL;
			}
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		} else if (c == '\0') {
			/* A form body is bytes: a raw NUL would cut the value
			 * short as surely as %00. */
			snprintf(why, cap, "a NUL byte is refused");
			return NULL;
		}
		out[o++] = c;
	}
	out[o] = '\0';
	return out;
}

bool okra__srv_parse_pairs(const char *text, size_t len, const char *noun,
                           size_t max_value, okra_arena *a,
                           okra_srv_param *params, size_t cap, size_t *n,
                           char *why, size_t why_cap)
{
	*n = 0;
	for (size_t at = 0; at < len;) {
		const char *piece = text + at;
		const char *amp = memchr(piece, '&', len - at);
		size_t plen = amp ? (size_t)(amp - piece) : len - at;
		at += plen + (amp ? 1 : 0);
		if (plen == 0)
			continue; /* "a=1&&b=2", a trailing '&' */
		const char *eq = memchr(piece, '=', plen);
		size_t klen = eq ? (size_t)(eq - piece) : plen;
		if (*n == cap) {
			snprintf(why, why_cap, "too many %ss (at most %zu)",
			         noun, cap);
			return false;
		}
		if (!eq || klen == 0) {
			snprintf(why, why_cap, "a %s has no %s", noun,
			         eq ? "name" : "value");
			return false;
		}
		char *key = decode(piece, klen, true, a, why, why_cap);
		char *value =
		    key ? decode(eq + 1, plen - klen - 1, true, a, why, why_cap)
		        : NULL;
		if (!value)
			return false;
		if (strlen(key) > max_value || strlen(value) > max_value) {
			snprintf(why, why_cap, "a %s is longer than %zu bytes",
			         noun, max_value);
			return false;
		}
		for (size_t i = 0; i < *n; i++)
			if (strcmp(params[i].key, key) == 0) {
				snprintf(why, why_cap, "a %s is given twice",
				         noun);
				return false;
			}
		params[(*n)++] = (okra_srv_param){key, value};
	}
	return true;
}

bool okra__srv_parse_target(const char *target, okra_arena *a,
                            okra_srv_target *out, char *why, size_t cap)
{
	out->path = NULL;
	out->n_params = 0;
	if (target[0] != '/') {
		snprintf(why, cap,
		         "the request target must be a path "
		         "starting with '/'");
		return false;
	}
	const char *q = strchr(target, '?');
	size_t plen = q ? (size_t)(q - target) : strlen(target);
	char *path = decode(target, plen, false, a, why, cap);
	if (!path)
		return false;
	if (q && !okra__srv_parse_pairs(q + 1, strlen(q + 1), "query parameter",
	                                OKRA_SRV_MAX_VALUE, a, out->params,
	                                OKRA_SRV_MAX_PARAMS, &out->n_params,
	                                why, cap))
		return false;
	out->path = path;
	return true;
}
