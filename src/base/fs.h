/* fs.h - file-system helpers (base/fs.c).  See fs.c. */
#ifndef OKRA_FS_H
#define OKRA_FS_H

#include "okra_int.h"

#include <sys/stat.h>

/* Opens path for reading when it is a regular file: a FIFO, a device, a
 * socket or a folder is refused (OKRA_ERR_IO naming what it is) without
 * blocking.  *fd (close it) and *st are set on success; display is the
 * name used in errors. */
okra_rc okra__open_regular(const char *path, const char *display, int *fd,
                           struct stat *st, okra_err *err);
/* "a FIFO", "a folder", ... for a file mode that is not a regular file. */
const char *okra__file_kind(mode_t mode);

/* Reads path (a regular file of at most max bytes, else OKRA_ERR_IO)
 * into the arena, NUL-terminated.  display is the name used in errors. */
okra_rc okra__read_file(okra_arena *a, const char *path, const char *display,
                        size_t max, char **out, size_t *len, okra_err *err);
/* Every *.yaml below root, relative, sorted; hidden folders and folders
 * holding their own okra.yaml (nested workspaces) are skipped. */
okra_rc okra__list_yaml(okra_arena *a, const char *root, const char ***out,
                        size_t *n, okra_err *err);
/* Writes beside path, fsyncs, renames over path. */
okra_rc okra__write_file_atomic(const char *path, const char *data, size_t len,
                                okra_err *err);
okra_rc okra__mkdir_p(const char *path, okra_err *err);
/* Makes dir/.gitignore ignore okra's own state (.okra/): writes text
 * (len bytes) as the file when there is none, appends it when the file
 * has no line naming .okra, and otherwise changes nothing.  Never
 * removes or rewrites a line of the user's. */
okra_rc okra__gitignore_state(const char *dir, const char *text, size_t len,
                              okra_err *err);

#endif
