/*
 * output.c - the demo's output files: a temporary file beside the final
 * name, a write buffer, and for the big events table a writer thread.
 *
 * With a writer thread the generator fills one buffer while the thread
 * writes the previous ones, so formatting and write() overlap on two
 * cores.  Only the thread touches the fd until close; only the caller
 * touches f->buf.  The first write error sticks and is reported by close.
 */
#include "demo/demo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes a whole buffer; 0 or an errno. */
static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t k = write(fd, p, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? errno : EIO;
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

static void *writer(void *arg)
{
	okra_demo_file *f = arg;
	pthread_mutex_lock(&f->lock);
	for (;;) {
		while (f->n_queued == 0 && !f->stop)
			pthread_cond_wait(&f->cond, &f->lock);
		if (f->n_queued == 0)
			break;
		int k = f->queue[f->head];
		f->head = (f->head + 1) % OKRA_DEMO_BUFFERS;
		f->n_queued--;
		int werr = f->werr;
		pthread_mutex_unlock(&f->lock);
		if (!werr)
			werr = write_all(f->fd, f->bufs[k], f->lens[k]);
		pthread_mutex_lock(&f->lock);
		if (werr && !f->werr)
			f->werr = werr;
		f->free_list[f->n_free++] = k;
		pthread_cond_broadcast(&f->cond);
	}
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

okra_rc okra__demo_file_open(okra_demo_file *f, const char *dir,
                             const char *rel, size_t cap, bool threaded,
                             okra_err *err)
{
	int w = snprintf(f->path, sizeof(f->path), "%s/%s", dir, rel);
	if (w < 0 || (size_t)w >= sizeof(f->path))
		return okra__err_set(err, OKRA_ERR_IO, dir, 0, 0,
		                     "path too long");
	snprintf(f->tmp, sizeof(f->tmp), "%s.okra-demo-%ld.tmp", f->path,
	         (long)getpid());
	int n = threaded ? OKRA_DEMO_BUFFERS : 1;
	for (int k = 0; k < n; k++) {
		f->bufs[k] = malloc(cap);
		if (!f->bufs[k])
			return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
			                     "out of memory");
	}
	f->buf = f->bufs[0];
	f->current = 0;
	f->cap = cap;
	f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (f->fd < 0)
		return okra__err_set(err, OKRA_ERR_IO, f->path, 0, 0,
		                     "cannot write: %s", strerror(errno));
	if (!threaded)
		return OKRA_OK;
	for (int k = 1; k < n; k++)
		f->free_list[f->n_free++] = k;
	if (pthread_mutex_init(&f->lock, NULL) != 0)
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	if (pthread_cond_init(&f->cond, NULL) != 0) {
		pthread_mutex_destroy(&f->lock);
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	}
	if (pthread_create(&f->thread, NULL, writer, f) != 0) {
		pthread_cond_destroy(&f->cond);
		pthread_mutex_destroy(&f->lock);
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "cannot start the writer thread");
	}
	f->threaded = true;
	return OKRA_OK;
}

void okra__demo_flush(okra_demo_file *f)
{
	if (!f->threaded) {
		if (!f->failed && (f->error = write_all(f->fd, f->buf, f->len)))
			f->failed = true;
		f->bytes += f->len;
		f->len = 0;
		return;
	}
	if (f->len == 0)
		return;
	pthread_mutex_lock(&f->lock);
	int tail = (f->head + f->n_queued) % OKRA_DEMO_BUFFERS;
	f->queue[tail] = f->current;
	f->lens[f->current] = f->len;
	f->n_queued++;
	pthread_cond_broadcast(&f->cond);
	while (f->n_free == 0)
		pthread_cond_wait(&f->cond, &f->lock);
	f->current = f->free_list[--f->n_free];
	if (f->werr && !f->failed) {
		f->failed = true;
		f->error = f->werr;
	}
	pthread_mutex_unlock(&f->lock);
	f->bytes += f->len;
	f->buf = f->bufs[f->current];
	f->len = 0;
}

void okra__demo_put(okra_demo_file *f, const char *s, size_t len)
{
	while (len > 0) {
		if (f->len == f->cap)
			okra__demo_flush(f);
		size_t k = f->cap - f->len < len ? f->cap - f->len : len;
		memcpy(f->buf + f->len, s, k);
		f->len += k;
		s += k;
		len -= k;
	}
}

/* Stops the writer thread after it wrote everything queued. */
static void stop_writer(okra_demo_file *f)
{
	if (!f->threaded)
		return;
	pthread_mutex_lock(&f->lock);
	f->stop = true;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
	pthread_join(f->thread, NULL);
	pthread_cond_destroy(&f->cond);
	pthread_mutex_destroy(&f->lock);
	f->threaded = false;
	if (f->werr && !f->failed) {
		f->failed = true;
		f->error = f->werr;
	}
}

okra_rc okra__demo_file_close(okra_demo_file *f, bool sync, okra_err *err)
{
	if (f->fd < 0)
		return OKRA_OK;
	okra__demo_flush(f);
	stop_writer(f);
	if (!f->failed && sync && fsync(f->fd) != 0) {
		f->failed = true;
		f->error = errno;
	}
	if (close(f->fd) != 0 && !f->failed) {
		f->failed = true;
		f->error = errno;
	}
	f->fd = -1;
	okra__demo_file_free(f);
	if (f->failed)
		return okra__err_set(err, OKRA_ERR_IO, f->path, 0, 0,
		                     "cannot write: %s", strerror(f->error));
	return OKRA_OK;
}

void okra__demo_file_free(okra_demo_file *f)
{
	stop_writer(f);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	for (int k = 0; k < OKRA_DEMO_BUFFERS; k++) {
		free(f->bufs[k]);
		f->bufs[k] = NULL;
	}
	f->buf = NULL;
}
