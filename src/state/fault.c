/*
 * fault.c - fault injection for the state database (the tests of
 * tests/faults/): a SQLite VFS over the default one that runs out of disk
 * space, or kills the process, at a chosen write.  Inert unless one of
 * these is set in the environment when the first database is opened:
 *
 *   OKRA_FAULT_DISK_FREE=N  the database's files may grow by N bytes in
 *                           all (a file deleted or truncated gives its
 *                           bytes back); a write past that fails as on a
 *                           full disk (SQLITE_FULL, errno ENOSPC)
 *   OKRA_FAULT_KILL_AT=N    the process kills itself with SIGKILL just
 *                           before its Nth write, sync or truncate of a
 *                           database file (main file, journal or WAL)
 *   OKRA_FAULT_NOMEM_AT=N   SQLite's Nth memory allocation fails, and
 *                           every one after it (memory that ran out
 *                           stays out)
 *
 * Unset, okra__state_vfs() gives NULL and SQLite's own VFS and allocator
 * are used as they are: nothing here runs.  Only the database's own files
 * are counted; SQLite's temporary files pass through.
 */
#include "state/state_int.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct fault_file {
	sqlite3_file base;
	sqlite3_file *real; /* right after this struct, szOsFile bytes */
	bool is_counted;    /* main database, journal or WAL */
} fault_file;

static struct {
	pthread_once_t once;
	pthread_mutex_t lock;
	sqlite3_vfs vfs;
	sqlite3_vfs *real;
	bool is_on;
	char bad[160];           /* a variable that is not a number */
	bool has_budget;         /* OKRA_FAULT_DISK_FREE set */
	long long free;          /* bytes the files may still grow by */
	long long kill_at;       /* 0: never */
	long long n_changes;     /* writes, syncs and truncates so far */
	long long nomem_at;      /* 0: never */
	long long n_allocs;      /* SQLite's allocations so far */
	sqlite3_mem_methods mem; /* SQLite's own allocator */
} fault = {.once = PTHREAD_ONCE_INIT, .lock = PTHREAD_MUTEX_INITIALIZER};

#define REAL(f) (((fault_file *)(f))->real)

/* Counts one change of a database file; dies at the chosen one. */
static void count_change(fault_file *f)
{
	if (!f->is_counted || !fault.kill_at)
		return;
	pthread_mutex_lock(&fault.lock);
	long long n = ++fault.n_changes;
	pthread_mutex_unlock(&fault.lock);
	if (n == fault.kill_at)
		kill(getpid(), SIGKILL);
}

/* ---- the file methods: pass through, counting ------------------------- */

static int f_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}

static int f_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), buf, amt, off);
}

static int f_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
	fault_file *ff = (fault_file *)f;
	count_change(ff);
	if (ff->is_counted && fault.has_budget) {
		sqlite3_int64 size = 0;
		int rc = REAL(f)->pMethods->xFileSize(REAL(f), &size);
		if (rc != SQLITE_OK)
			return rc;
		long long grow = off + amt > size ? off + amt - size : 0;
		pthread_mutex_lock(&fault.lock);
		bool fits = grow <= fault.free;
		if (fits)
			fault.free -= grow;
		pthread_mutex_unlock(&fault.lock);
		if (!fits) {
			errno = ENOSPC;
			return SQLITE_FULL;
		}
	}
	return REAL(f)->pMethods->xWrite(REAL(f), buf, amt, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	fault_file *ff = (fault_file *)f;
	count_change(ff);
	sqlite3_int64 before = 0;
	if (ff->is_counted && fault.has_budget &&
	    REAL(f)->pMethods->xFileSize(REAL(f), &before) == SQLITE_OK &&
	    before > size) {
		pthread_mutex_lock(&fault.lock);
		fault.free += before - size;
		pthread_mutex_unlock(&fault.lock);
	}
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
	count_change((fault_file *)f);
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int f_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int f_lock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int f_unlock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int f_check_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int f_file_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int f_sector_size(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int f_device(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

/* The methods of version 2 and 3, which a real file may lack: then as
 * SQLite does without them (no shared memory, no memory map). */
#define HAS(f, m, v)                                                           \
	(REAL(f)->pMethods->iVersion >= (v) && REAL(f)->pMethods->m)

static int f_shm_map(sqlite3_file *f, int region, int size, int extend,
                     void volatile **out)
{
	if (!HAS(f, xShmMap, 2))
		return SQLITE_IOERR_SHMMAP;
	return REAL(f)->pMethods->xShmMap(REAL(f), region, size, extend, out);
}

static int f_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	if (!HAS(f, xShmLock, 2))
		return SQLITE_IOERR_SHMLOCK;
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void f_shm_barrier(sqlite3_file *f)
{
	if (HAS(f, xShmBarrier, 2))
		REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int f_shm_unmap(sqlite3_file *f, int delete_flag)
{
	if (!HAS(f, xShmUnmap, 2))
		return SQLITE_OK;
	return REAL(f)->pMethods->xShmUnmap(REAL(f), delete_flag);
}

static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **out)
{
	*out = NULL;
	if (!HAS(f, xFetch, 3))
		return SQLITE_OK;
	return REAL(f)->pMethods->xFetch(REAL(f), off, amt, out);
}

static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	if (!HAS(f, xUnfetch, 3))
		return SQLITE_OK;
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods fault_methods = {
    .iVersion = 3,
    .xClose = f_close,
    .xRead = f_read,
    .xWrite = f_write,
    .xTruncate = f_truncate,
    .xSync = f_sync,
    .xFileSize = f_file_size,
    .xLock = f_lock,
    .xUnlock = f_unlock,
    .xCheckReservedLock = f_check_reserved,
    .xFileControl = f_file_control,
    .xSectorSize = f_sector_size,
    .xDeviceCharacteristics = f_device,
    .xShmMap = f_shm_map,
    .xShmLock = f_shm_lock,
    .xShmBarrier = f_shm_barrier,
    .xShmUnmap = f_shm_unmap,
    .xFetch = f_fetch,
    .xUnfetch = f_unfetch,
};

/* ---- the VFS: open and delete count, the rest passes through ----------- */

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f,
                  int flags, int *out_flags)
{
	fault_file *ff = (fault_file *)f;
	(void)vfs;
	memset(ff, 0, sizeof(*ff));
	ff->real = (sqlite3_file *)(ff + 1);
	ff->is_counted =
	    (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_MAIN_JOURNAL |
	              SQLITE_OPEN_WAL)) != 0;
	int rc =
	    fault.real->xOpen(fault.real, name, ff->real, flags, out_flags);
	/* A file that failed to open has no methods (SQLite's rule). */
	ff->base.pMethods = rc == SQLITE_OK ? &fault_methods : NULL;
	return rc;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	struct stat st;
	(void)vfs;
	if (fault.has_budget && name && stat(name, &st) == 0) {
		pthread_mutex_lock(&fault.lock);
		fault.free += st.st_size;
		pthread_mutex_unlock(&fault.lock);
	}
	return fault.real->xDelete(fault.real, name, sync_dir);
}

static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return fault.real->xAccess(fault.real, name, flags, out);
}

static int v_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return fault.real->xFullPathname(fault.real, name, n, out);
}

static void *v_dl_open(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return fault.real->xDlOpen(fault.real, name);
}

static void v_dl_error(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	fault.real->xDlError(fault.real, n, msg);
}

static void (*v_dl_sym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return fault.real->xDlSym(fault.real, h, sym);
}

static void v_dl_close(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	fault.real->xDlClose(fault.real, h);
}

static int v_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return fault.real->xRandomness(fault.real, n, out);
}

static int v_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return fault.real->xSleep(fault.real, us);
}

static int v_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return fault.real->xCurrentTime(fault.real, out);
}

static int v_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return fault.real->xGetLastError(fault.real, n, out);
}

static int v_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return fault.real->xCurrentTimeInt64(fault.real, out);
}

static int v_set_syscall(sqlite3_vfs *vfs, const char *name,
                         sqlite3_syscall_ptr p)
{
	(void)vfs;
	return fault.real->xSetSystemCall(fault.real, name, p);
}

static sqlite3_syscall_ptr v_get_syscall(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return fault.real->xGetSystemCall(fault.real, name);
}

static const char *v_next_syscall(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return fault.real->xNextSystemCall(fault.real, name);
}

/* ---- the allocator: counts, and fails from the chosen allocation on ---- */

static bool alloc_fails(void)
{
	pthread_mutex_lock(&fault.lock);
	bool fails = ++fault.n_allocs >= fault.nomem_at;
	pthread_mutex_unlock(&fault.lock);
	return fails;
}

static void *m_malloc(int n)
{
	return alloc_fails() ? NULL : fault.mem.xMalloc(n);
}

static void *m_realloc(void *p, int n)
{
	return alloc_fails() ? NULL : fault.mem.xRealloc(p, n);
}

static void m_free(void *p)
{
	fault.mem.xFree(p);
}

static int m_size(void *p)
{
	return fault.mem.xSize(p);
}

static int m_roundup(int n)
{
	return fault.mem.xRoundup(n);
}

static int m_init(void *app)
{
	return fault.mem.xInit(app);
}

static void m_shutdown(void *app)
{
	fault.mem.xShutdown(app);
}

/* Puts the counting allocator under SQLite; it must come before SQLite
 * initialises itself, so before any other SQLite call of the process. */
static void setup_nomem(void)
{
	static sqlite3_mem_methods counting = {m_malloc,   m_free,    m_realloc,
	                                       m_size,     m_roundup, m_init,
	                                       m_shutdown, NULL};
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &fault.mem) != SQLITE_OK ||
	    (counting.pAppData = fault.mem.pAppData,
	     sqlite3_config(SQLITE_CONFIG_MALLOC, &counting) != SQLITE_OK))
		snprintf(fault.bad, sizeof(fault.bad),
		         "OKRA_FAULT_NOMEM_AT: SQLite was already in use");
}

/* A variable of the environment as a count >= 1 (0 when unset); a value
 * that is not one is remembered as an error. */
static long long env_count(const char *name)
{
	const char *v = getenv(name);
	char *end;
	if (!v)
		return 0;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (!*v || *end || errno || n < 0 ||
	    (n == 0 && strcmp(name, "OKRA_FAULT_DISK_FREE") != 0)) {
		snprintf(fault.bad, sizeof(fault.bad),
		         "%s must be a whole number of %s, not \"%.40s\"", name,
		         strcmp(name, "OKRA_FAULT_DISK_FREE") == 0 ? "bytes"
		         : strcmp(name, "OKRA_FAULT_NOMEM_AT") == 0
		             ? "allocations"
		             : "writes",
		         v);
		return 0;
	}
	return n;
}

static void setup(void)
{
	fault.has_budget = getenv("OKRA_FAULT_DISK_FREE") != NULL;
	fault.free = env_count("OKRA_FAULT_DISK_FREE");
	fault.kill_at = env_count("OKRA_FAULT_KILL_AT");
	fault.nomem_at = env_count("OKRA_FAULT_NOMEM_AT");
	if (fault.nomem_at && !fault.bad[0])
		setup_nomem();
	if (fault.bad[0] || (!fault.has_budget && !fault.kill_at))
		return;
	fault.real = sqlite3_vfs_find(NULL);
	if (!fault.real)
		return;
	sqlite3_vfs *v = &fault.vfs;
	v->iVersion = fault.real->iVersion < 3 ? fault.real->iVersion : 3;
	v->szOsFile = (int)sizeof(fault_file) + fault.real->szOsFile;
	v->mxPathname = fault.real->mxPathname;
	v->zName = "okra-fault";
	v->xOpen = v_open;
	v->xDelete = v_delete;
	v->xAccess = v_access;
	v->xFullPathname = v_full_pathname;
	v->xDlOpen = v_dl_open;
	v->xDlError = v_dl_error;
	v->xDlSym = v_dl_sym;
	v->xDlClose = v_dl_close;
	v->xRandomness = v_randomness;
	v->xSleep = v_sleep;
	v->xCurrentTime = v_current_time;
	v->xGetLastError = v_last_error;
	v->xCurrentTimeInt64 = v_current_time64;
	v->xSetSystemCall = v_set_syscall;
	v->xGetSystemCall = v_get_syscall;
	v->xNextSystemCall = v_next_syscall;
	fault.is_on = sqlite3_vfs_register(v, 0) == SQLITE_OK;
}

okra_rc okra__state_vfs(const char **name, okra_err *err)
{
	pthread_once(&fault.once, setup);
	if (fault.bad[0])
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0, "%s",
		                     fault.bad);
	*name = fault.is_on ? fault.vfs.zName : NULL;
	return OKRA_OK;
}
