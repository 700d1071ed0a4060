/*
 * ingest_append.c - rows appended while okra ingest runs are never lost
 * and never counted twice.
 *
 * A writer thread appends rows to a data file throughout `okra ingest`,
 * in chunks that cut lines anywhere (as a block-buffered collector
 * does), so the ingest meets half-written last lines.  Over many trials:
 * the ingest succeeds and keeps at most the rows written; once the writer
 * has stopped, the next command (okra metrics, which re-ingests only when
 * the cache is stale) counts exactly the rows written, and so does the
 * one after it.  Two tables: events (read in byte ranges by worker
 * threads) and revenue (read as a stream).
 *
 * Usage: ingest_append OKRA [TRIALS]   (exit 0 when every check passed)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *okra;
static char ws[4096];
static int failures, checks;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		checks++;                                                      \
		if (!(cond)) {                                                 \
			failures++;                                            \
			printf("FAIL: ");                                      \
			printf(__VA_ARGS__);                                   \
			printf("\n");                                          \
		}                                                              \
	} while (0)

/* ---- the writer -------------------------------------------------------- */

typedef struct writer {
	const char *path;
	bool revenue;        /* rows of revenue, else of events */
	uint64_t next;       /* the number of the next row */
	atomic_bool stop;    /* finish the current line and return */
	atomic_ulong writes; /* write() calls so far */
	uint32_t seed;
} writer;

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static int row_text(const writer *w, uint64_t i, char *buf, size_t cap)
{
	if (w->revenue)
		return snprintf(buf, cap, "r%llu,2026-01,1\n",
		                (unsigned long long)i);
	return snprintf(
	    buf, cap, "2026-01-05T10:%02llu:%02lluZ,ping,a%llu,u%llu\n",
	    (unsigned long long)(i / 60 % 60), (unsigned long long)(i % 60),
	    (unsigned long long)(i % 97), (unsigned long long)i);
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			perror("write");
			exit(2);
		}
		p += k;
		n -= (size_t)k;
	}
}

/* Appends rows in chunks of 1..400 bytes, cut anywhere, until told to
 * stop; then completes the line it is in. */
static void *writer_main(void *arg)
{
	writer *w = arg;
	int fd = open(w->path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0) {
		perror(w->path);
		exit(2);
	}
	char line[128];
	int len = row_text(w, w->next, line, sizeof(line)), at = 0;
	for (;;) {
		bool stop = atomic_load(&w->stop);
		int n = stop ? len - at : 1 + (int)(rnd(&w->seed) % 400);
		/* A chunk: the rest of this line and the next ones. */
		char chunk[1024];
		int used = 0;
		while (used < n) {
			int take = len - at < n - used ? len - at : n - used;
			memcpy(chunk + used, line + at, (size_t)take);
			used += take;
			at += take;
			if (at == len) {
				w->next++;
				if (stop)
					break;
				len = row_text(w, w->next, line, sizeof(line));
				at = 0;
			}
		}
		write_all(fd, chunk, (size_t)used);
		atomic_fetch_add(&w->writes, 1);
		if (stop)
			break;
		struct timespec pause = {0, 20000 + rnd(&w->seed) % 60000};
		nanosleep(&pause, NULL);
	}
	close(fd);
	return NULL;
}

/* ---- running okra ------------------------------------------------------ */

/* Runs okra -C ws with args (NULL-ended, at most 8); its output into out
 * (cap bytes, NUL-ended); returns the exit status. */
static int run_okra(char *out, size_t cap, const char *const *args)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/.out", ws);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0) {
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			_exit(127);
		dup2(fd, 1);
		dup2(fd, 2);
		const char *argv[12] = {"okra", "-C", ws};
		for (int i = 0; i < 8 && args[i]; i++)
			argv[3 + i] = args[i];
		execv(okra, (char *const *)argv);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(out, 1, cap - 1, f) : 0;
	out[n] = '\0';
	if (f)
		fclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The value of the metric in okra metrics --format json, or -1. */
static long long metric_value(const char *out)
{
	const char *v = strstr(out, "\"value\":");
	return v ? strtoll(v + 8, NULL, 10) : -1;
}

/* The rows the ingest summary says it kept of the table, or -1. */
static long long ingested(const char *out, bool revenue)
{
	const char *s = strstr(out, "ingested ");
	if (!s)
		return -1;
	long long events, accounts, users, rev;
	if (sscanf(s,
	           "ingested %lld events, %lld accounts, %lld users, %lld "
	           "revenue rows",
	           &events, &accounts, &users, &rev) != 4)
		return -1;
	return revenue ? rev : events;
}

static void write_file(const char *name, const char *text)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", ws, name);
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		exit(2);
	}
}

/* ---- the trials -------------------------------------------------------- */

static void variant(bool revenue, int trials)
{
	const char *table = revenue ? "revenue" : "events";
	char path[4200], out[1 << 16];
	snprintf(path, sizeof(path), "%s/data/%s.csv", ws, table);
	writer w = {.path = path, .revenue = revenue, .seed = 12345u};
	int overlapped = 0, partial = 0;
	for (int t = 0; t < trials; t++) {
		if (t % 10 == 0) {
			/* A fresh file of 20,000 rows every ten trials. */
			FILE *f = fopen(path, "w");
			fputs(revenue ? "account_id,month,mrr\n"
			              : "timestamp,event,account_id,user_id\n",
			      f);
			char line[128];
			for (w.next = 0; w.next < 20000; w.next++) {
				row_text(&w, w.next, line, sizeof(line));
				fputs(line, f);
			}
			fclose(f);
		}
		uint64_t before = w.next;
		atomic_store(&w.stop, false);
		atomic_store(&w.writes, 0);
		pthread_t th;
		if (pthread_create(&th, NULL, writer_main, &w) != 0) {
			perror("pthread_create");
			exit(2);
		}
		/* Let the writer start, then ingest while it writes. */
		while (atomic_load(&w.writes) < 3)
			usleep(100);
		unsigned long at_start = atomic_load(&w.writes);
		static const char *const ingest[] = {"ingest", NULL};
		int status = run_okra(out, sizeof(out), ingest);
		unsigned long during = atomic_load(&w.writes) - at_start;
		atomic_store(&w.stop, true);
		pthread_join(th, NULL);
		uint64_t written = w.next;
		overlapped += during > 0;
		CHECK(status == 0, "%s trial %d: okra ingest exited %d: %s",
		      table, t, status, out);
		long long kept = ingested(out, revenue);
		partial += kept >= 0 && (uint64_t)kept < written;
		CHECK(kept >= (long long)before && kept <= (long long)written,
		      "%s trial %d: the ingest kept %lld rows, %llu were "
		      "there at its start and %llu when it ended",
		      table, t, kept, (unsigned long long)before,
		      (unsigned long long)written);
		/* The next command sees every row once, and so does the
		 * one after it (from the cache). */
		for (int k = 0; k < 2; k++) {
			static const char *const metrics[] = {
			    "metrics",  "--asof", "2026-01-31",
			    "--format", "json",   NULL};
			status = run_okra(out, sizeof(out), metrics);
			long long v = metric_value(out);
			CHECK(status == 0 && v == (long long)written,
			      "%s trial %d: command %d after the ingest "
			      "counts %lld rows, %llu were written (exit "
			      "%d): %.300s",
			      table, t, k + 1, v, (unsigned long long)written,
			      status, out);
		}
	}
	printf("%s: %d trials, %d with rows appended during the ingest, %d "
	       "where the ingest ended before the last row\n",
	       table, trials, overlapped, partial);
	CHECK(overlapped * 2 >= trials,
	      "%s: the writer wrote during only %d of %d ingests", table,
	      overlapped, trials);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: ingest_append OKRA [TRIALS]\n");
		return 2;
	}
	okra = argv[1];
	int trials = argc > 2 ? atoi(argv[2]) : 40;
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(ws, sizeof(ws), "%s/okra-append-XXXXXX", tmp);
	if (!mkdtemp(ws)) {
		perror("mkdtemp");
		return 2;
	}
	char dir[4200];
	snprintf(dir, sizeof(dir), "%s/data", ws);
	mkdir(dir, 0755);
	/* Small ranges, two threads: the events file is cut in many. */
	setenv("OKRA_INGEST_MIN_RANGE", "65536", 1);
	setenv("OKRA_THREADS", "2", 1);
	setenv("NO_COLOR", "1", 1);
	write_file("okra.yaml", "workspace: append\n"
	                        "data:\n"
	                        "  events: data/events.csv\n"
	                        "  revenue: data/revenue.csv\n"
	                        "metrics:\n"
	                        "  - {id: pings, type: count, window: all}\n");
	write_file("data/revenue.csv", "account_id,month,mrr\nr0,2026-01,0\n");
	variant(false, trials);
	write_file("okra.yaml", "workspace: append\n"
	                        "data:\n"
	                        "  revenue: data/revenue.csv\n"
	                        "metrics:\n"
	                        "  - {id: mrr, type: revenue, measure: mrr}\n");
	variant(true, trials);
	char cmd[4300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", ws);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", ws);
	printf("%d passed, %d failed\n", checks - failures, failures);
	return failures ? 1 : 0;
}
