/*
 * fuzz_http_query.c - fuzzes the request target and form parser of okra
 * serve (src/server/query.c).
 *
 * The input, up to its first NUL, is parsed as a request target; the
 * whole input (NULs included) as a form body.  Each parse is checked
 * against a reference parser written here from the rules (split at '?'
 * and '&', '%' and two hex digits, '+' a space outside the path, no NUL
 * decoded or raw, the limits), and every accepted parse must survive a
 * round trip: encoded again with okra__url_esc and parsed, it gives the
 * same path and parameters.  Without libFuzzer, main() replays files and
 * can run a seeded random driver over them (--random N SEED).
 */
#include "server/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
			        __LINE__, #c);                                 \
			abort();                                               \
		}                                                              \
	} while (0)

/* ---- the reference: the rules, written plainly ----------------------------
 */

static int hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes s[0..len) into out (len + 1 bytes); false when it breaks a
 * rule. */
static bool ref_decode(const char *s, size_t len, bool plus, char *out,
                       size_t *out_len)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i];
		if (c == 0)
			return false;
		if (c == '%') {
			if (len - i < 3 || hex(s[i + 1]) < 0 ||
			    hex(s[i + 2]) < 0)
				return false;
			c = hex(s[i + 1]) * 16 + hex(s[i + 2]);
			if (c == 0)
				return false;
			i += 2;
		} else if (c == '+' && plus) {
			c = ' ';
		}
		out[o++] = (char)c;
	}
	out[o] = '\0';
	*out_len = o;
	return true;
}

typedef struct ref_pairs {
	char *key[64], *value[64];
	size_t n;
} ref_pairs;

static void ref_free(ref_pairs *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->key[i]);
		free(r->value[i]);
	}
	r->n = 0;
}

/* The pairs of s[0..len): false when the parser must refuse them. */
static bool ref_pairs_parse(const char *s, size_t len, size_t max_value,
                            size_t cap, ref_pairs *r)
{
	r->n = 0;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '&')
			continue;
		size_t plen = i - start;
		const char *p = s + start;
		start = i + 1;
		if (plen == 0)
			continue;
		const char *eq = memchr(p, '=', plen);
		if (r->n == cap || r->n == 64 || !eq || eq == p)
			return false;
		size_t klen = (size_t)(eq - p), kd, vd;
		char *k = malloc(klen + 1), *v = malloc(plen - klen);
		CHECK(k && v);
		r->key[r->n] = k;
		r->value[r->n] = v;
		r->n++;
		if (!ref_decode(p, klen, true, k, &kd) ||
		    !ref_decode(eq + 1, plen - klen - 1, true, v, &vd) ||
		    kd > max_value || vd > max_value)
			return false;
		for (size_t j = 0; j + 1 < r->n; j++)
			if (strcmp(r->key[j], k) == 0)
				return false;
	}
	return true;
}

/* ---- the checks ---------------------------------------------------------- */

static void same_pairs(const okra_srv_param *params, size_t n,
                       const ref_pairs *r)
{
	CHECK(n == r->n);
	for (size_t i = 0; i < n; i++) {
		CHECK(strcmp(params[i].key, r->key[i]) == 0);
		CHECK(strcmp(params[i].value, r->value[i]) == 0);
	}
}

static void check_target(const char *target)
{
	okra_arena a = {0};
	okra_srv_target t;
	char why[160] = "";
	bool ok = okra__srv_parse_target(target, &a, &t, why, sizeof(why));

	/* The reference. */
	size_t len = strlen(target);
	const char *q = strchr(target, '?');
	size_t plen = q ? (size_t)(q - target) : len;
	char *path = malloc(plen + 1);
	size_t path_len;
	ref_pairs r = {0};
	CHECK(path);
	bool want =
	    target[0] == '/' &&
	    ref_decode(target, plen, false, path, &path_len) &&
	    (!q || ref_pairs_parse(q + 1, len - plen - 1, OKRA_SRV_MAX_VALUE,
	                           OKRA_SRV_MAX_PARAMS, &r));
	CHECK(ok == want);
	if (!ok) {
		CHECK(why[0] != '\0');
		goto out;
	}
	CHECK(t.path && t.path[0] == '/');
	CHECK(strcmp(t.path, path) == 0 && strlen(t.path) == path_len);
	same_pairs(t.params, t.n_params, &r);

	/* Round trip: encoded again, the same target. */
	okra_buf b = {0};
	okra__buf_putc(&b, '/');
	okra__url_esc(&b, t.path + 1);
	for (size_t i = 0; i < t.n_params; i++) {
		okra__buf_putc(&b, i ? '&' : '?');
		okra__url_esc(&b, t.params[i].key);
		okra__buf_putc(&b, '=');
		okra__url_esc(&b, t.params[i].value);
	}
	CHECK(!b.failed);
	okra_srv_target again;
	CHECK(okra__srv_parse_target(b.data, &a, &again, why, sizeof(why)));
	CHECK(strcmp(again.path, t.path) == 0);
	CHECK(again.n_params == t.n_params);
	for (size_t i = 0; i < t.n_params; i++) {
		CHECK(strcmp(again.params[i].key, t.params[i].key) == 0);
		CHECK(strcmp(again.params[i].value, t.params[i].value) == 0);
	}
	okra__buf_free(&b);
out:
	ref_free(&r);
	free(path);
	okra__arena_free(&a);
}

static void check_form(const char *body, size_t len)
{
	okra_arena a = {0};
	okra_srv_param params[OKRA_SRV_MAX_FORM];
	size_t n = 0;
	char why[160] = "";
	bool ok =
	    okra__srv_parse_pairs(body, len, "form field", 300, &a, params,
	                          OKRA_SRV_MAX_FORM, &n, why, sizeof(why));
	ref_pairs r = {0};
	bool want = ref_pairs_parse(body, len, 300, OKRA_SRV_MAX_FORM, &r);
	CHECK(ok == want);
	if (ok)
		same_pairs(params, n, &r);
	else
		CHECK(why[0] != '\0');
	ref_free(&r);
	okra__arena_free(&a);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *text = malloc(size + 1);
	CHECK(text);
	memcpy(text, data, size);
	text[size] = '\0';
	check_target(text); /* up to the first NUL, as a target can hold */
	check_form(text, size);
	free(text);
	return 0;
}

#if !defined(OKRA_LIBFUZZER)
/* ---- without libFuzzer: replay, and a seeded random driver ----------------
 */

static unsigned long long rng_state;

static unsigned rnd(unsigned n)
{
	/* xorshift64*: the same seed gives the same inputs everywhere. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned)((rng_state * 2685821657736338717ull) >> 33) % n;
}

/* Mutates buf (len bytes, room for cap) as a fuzzer would, favouring the
 * bytes the parser cares about; returns the new length. */
static size_t mutate(unsigned char *buf, size_t len, size_t cap)
{
	static const char *const tokens[] = {
	    "%", "%00", "%0", "%2F", "%25", "%zz", "%C3%A9", "+",
	    "&", "=",   "?",  "/",   "&&",  "==",  "%09"};
	for (unsigned k = 1 + rnd(4); k > 0; k--) {
		unsigned op = rnd(5);
		if (op == 0 && len) { /* flip a byte */
			buf[rnd((unsigned)len)] = (unsigned char)rnd(256);
		} else if (op == 1 && len) { /* drop a byte */
			size_t at = rnd((unsigned)len);
			memmove(buf + at, buf + at + 1, len - at - 1);
			len--;
		} else { /* insert a token or a byte */
			const char *t = tokens[rnd(OKRA_ARRAY_LEN(tokens))];
			char one[2] = {(char)rnd(256), 0};
			if (op == 2)
				t = one;
			size_t tl = op == 2 ? 1 : strlen(t);
			if (len + tl > cap)
				continue;
			size_t at = len ? rnd((unsigned)len + 1) : 0;
			memmove(buf + at + tl, buf + at, len - at);
			memcpy(buf + at, t, tl);
			len += tl;
		}
	}
	return len;
}

/* Plain program: `fuzz_http_query FILE...` runs each file once;
 * `fuzz_http_query --random N SEED FILE...` then runs N inputs mutated
 * from those files with a seeded generator (CTest runs it briefly, under
 * the sanitizers in the ASan build). */
int main(int argc, char **argv)
{
	static unsigned char seeds[64][4096];
	static size_t seed_len[64];
	size_t n_seeds = 0;
	unsigned long long runs = 0;
	int first = 1;
	if (argc > 3 && strcmp(argv[1], "--random") == 0) {
		runs = strtoull(argv[2], NULL, 10);
		rng_state = strtoull(argv[3], NULL, 10) | 1;
		first = 4;
	}
	for (int i = first; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		if (!fp) {
			perror(argv[i]);
			return 1;
		}
		static unsigned char buf[1 << 20];
		size_t len = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		LLVMFuzzerTestOneInput(buf, len);
		if (n_seeds < OKRA_ARRAY_LEN(seeds) &&
		    len <= sizeof(seeds[0])) {
			memcpy(seeds[n_seeds], buf, len);
			seed_len[n_seeds++] = len;
		}
	}
	static unsigned char input[4096];
	for (unsigned long long r = 0; r < runs && n_seeds; r++) {
		size_t pick = rnd((unsigned)n_seeds);
		memcpy(input, seeds[pick], seed_len[pick]);
		size_t len = mutate(input, seed_len[pick], sizeof(input));
		LLVMFuzzerTestOneInput(input, len);
	}
	if (runs)
		printf("%llu random inputs from %zu seeds: no failure\n", runs,
		       n_seeds);
	return 0;
}
#endif
