/* fs.h - file-system helpers (base/fs.c).  See fs.c. */
#ifndef OKRA_FS_H
#define OKRA_FS_H

#include "okra_int.h"

/* Reads path (at most max bytes) into the arena, NUL-terminated.  display
 * is the name used in errors. */
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

#endif
