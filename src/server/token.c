/*
 * token.c - the bearer token that guards the server's writes.
 *
 * The token comes from OKRA_TOKEN (passed in by the caller), else from
 * .okra/token, else 32 random bytes (getrandom) are written there as hex
 * with mode 0600, created exclusively so two starts cannot race.  A
 * token file that others can read, or that is not a regular file of
 * ours, is refused rather than trusted.  Comparison is constant-time.
 */
#include "server/server.h"
#include "base/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define TOKEN_MIN 16

/* 16..128 visible ASCII characters, no spaces. */
static bool valid(const char *t, size_t len)
{
	if (len < TOKEN_MIN || len >= sizeof(((okra_server *)0)->token))
		return false;
	for (size_t i = 0; i < len; i++)
		if (t[i] <= ' ' || t[i] > '~')
			return false;
	return true;
}

static okra_rc use(okra_server *s, const char *t, size_t len)
{
	memcpy(s->token, t, len);
	s->token[len] = '\0';
	s->token_len = len;
	return OKRA_OK;
}

static okra_rc read_token(okra_server *s, int fd, const char *path,
                          okra_err *err)
{
	struct stat st;
	char text[256];
	if (fstat(fd, &st) != 0)
		return okra__err_set(err, OKRA_ERR_IO, path, 0, 0,
		                     "cannot stat: %s", strerror(errno));
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid())
		return okra__err_set(
		    err, OKRA_ERR_USAGE, path, 0, 0,
		    "the token file is not a regular file owned by this user");
	if (st.st_mode & 077)
		return okra__err_set(
		    err, OKRA_ERR_USAGE, path, 0, 0,
		    "the token file can be read by others (mode %03o); "
		    "run chmod 600 on it",
		    (unsigned)(st.st_mode & 0777));
	ssize_t n = read(fd, text, sizeof(text) - 1);
	if (n < 0)
		return okra__err_set(err, OKRA_ERR_IO, path, 0, 0,
		                     "cannot read: %s", strerror(errno));
	size_t len = (size_t)n;
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r' ||
	               text[len - 1] == ' '))
		len--;
	if (!valid(text, len))
		return okra__err_set(
		    err, OKRA_ERR_USAGE, path, 0, 0,
		    "the token must be %d to %zu visible ASCII characters",
		    TOKEN_MIN, sizeof(s->token) - 1);
	return use(s, text, len);
}

static okra_rc generate(okra_server *s, int fd, const char *path, okra_err *err)
{
	unsigned char raw[32];
	char hex[sizeof(raw) * 2 + 2];
	size_t got = 0;
	while (got < sizeof(raw)) {
		ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return okra__err_set(
			    err, OKRA_ERR_IO, NULL, 0, 0,
			    "no random bytes for the token: %s",
			    strerror(errno));
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(hex + i * 2, 3, "%02x", raw[i]);
	hex[sizeof(raw) * 2] = '\n';
	size_t len = sizeof(raw) * 2 + 1;
	if (write(fd, hex, len) != (ssize_t)len || fsync(fd) != 0)
		return okra__err_set(err, OKRA_ERR_IO, path, 0, 0,
		                     "cannot write: %s", strerror(errno));
	s->token_generated = true;
	return use(s, hex, len - 1);
}

okra_rc okra__token_init(okra_server *s, const char *given, okra_err *err)
{
	if (given && given[0]) {
		if (!valid(given, strlen(given)))
			return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
			                     "OKRA_TOKEN must be %d to %zu "
			                     "visible ASCII characters",
			                     TOKEN_MIN, sizeof(s->token) - 1);
		return use(s, given, strlen(given));
	}
	char dir[4200], path[4300];
	snprintf(dir, sizeof(dir), "%s/.okra", s->root);
	snprintf(path, sizeof(path), "%s/token", dir);
	okra_rc rc = okra__mkdir_p(dir, err);
	if (rc)
		return rc;
	int fd = open(
	    path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0) {
		rc = generate(s, fd, path, err);
		close(fd);
		if (rc)
			unlink(path);
		return rc;
	}
	if (errno != EEXIST)
		return okra__err_set(err, OKRA_ERR_IO, path, 0, 0,
		                     "cannot create: %s", strerror(errno));
	/* O_NONBLOCK: a FIFO planted there must not hang the start (it is
	 * refused below as not a regular file). */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return okra__err_set(err, OKRA_ERR_IO, path, 0, 0,
		                     "cannot read: %s", strerror(errno));
	rc = read_token(s, fd, path, err);
	close(fd);
	return rc;
}

bool okra__token_equal(const okra_server *s, const char *given, size_t len)
{
	/* Time depends only on the token's length, never on where given
	 * differs: every byte is compared, and the length difference is
	 * folded into the same accumulator. */
	volatile unsigned char diff = (unsigned char)(len != s->token_len);
	for (size_t i = 0; i < s->token_len; i++) {
		unsigned char g = i < len ? (unsigned char)given[i] : 0;
		diff |= (unsigned char)(g ^ (unsigned char)s->token[i]);
	}
	return diff == 0;
}
