/*
 * cache_kill_at.c - an LD_PRELOAD library that kills its process with
 * SIGKILL at one step of writing a file: creating it, each write(), its
 * close() or its rename().
 *
 * KILL_PATH: the files watched (a part of their path, e.g.
 * "data.okc.tmp."); KILL_AT: the step (1-based) at which to die, before
 * the step is done; KILL_STEPS: a file that gets the number of steps the
 * process took, when it exits normally (so a driver knows when it has
 * tried every step).  Test tooling only: never linked into okra.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_FDS 1024

static atomic_long steps;
static atomic_bool watched[MAX_FDS];

static bool is_watched(const char *path)
{
	const char *part = getenv("KILL_PATH");
	return path && part && *part && strstr(path, part) != NULL;
}

static void step(void)
{
	long n = atomic_fetch_add(&steps, 1) + 1;
	const char *at = getenv("KILL_AT");
	if (at && n == atol(at))
		kill(getpid(), SIGKILL);
}

__attribute__((destructor)) static void report(void)
{
	const char *path = getenv("KILL_STEPS");
	FILE *f = path ? fopen(path, "w") : NULL;
	if (f) {
		fprintf(f, "%ld\n", atomic_load(&steps));
		fclose(f);
	}
}

static int opened(const char *path, int flags, int fd)
{
	if (fd >= 0 && fd < MAX_FDS)
		atomic_store(&watched[fd],
		             (flags & O_CREAT) && is_watched(path));
	return fd;
}

typedef int (*open_fn)(const char *, int, ...);

static int open_with(const char *name, const char *path, int flags, mode_t mode)
{
	open_fn real = (open_fn)dlsym(RTLD_NEXT, name);
	if ((flags & O_CREAT) && is_watched(path))
		step();
	return opened(path, flags, real(path, flags, mode));
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	return open_with("open", path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;
	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	return open_with("open64", path, flags, mode);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);
	if (!real)
		real = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT,
		                                                    "write");
	if (fd >= 0 && fd < MAX_FDS && atomic_load(&watched[fd]))
		step();
	return real(fd, buf, n);
}

int close(int fd)
{
	static int (*real)(int);
	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "close");
	if (fd >= 0 && fd < MAX_FDS && atomic_exchange(&watched[fd], false))
		step();
	return real(fd);
}

int rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);
	if (!real)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT,
		                                                  "rename");
	if (is_watched(from))
		step();
	return real(from, to);
}
