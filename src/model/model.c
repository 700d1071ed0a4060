/*
 * model.c - lookups over a loaded workspace, and freeing it.
 *
 * The model is plain data: arrays of definitions with indices between
 * them.  Lookups are linear; workspaces hold tens to hundreds of ids.
 */
#include "okra_int.h"

#include <stdlib.h>
#include <string.h>

#define FIND(arr, n, id)                                                       \
	do {                                                                   \
		for (size_t i_ = 0; id && i_ < (n); i_++)                      \
			if ((arr)[i_].id && strcmp((arr)[i_].id, id) == 0)     \
				return (int)i_;                                \
		return -1;                                                     \
	} while (0)

int okra__find_metric(const okra_workspace *ws, const char *id)
{
	FIND(ws->metrics, ws->n_metrics, id);
}

int okra__find_team(const okra_workspace *ws, const char *id)
{
	FIND(ws->teams, ws->n_teams, id);
}

int okra__find_key_result(const okra_workspace *ws, const char *id)
{
	FIND(ws->key_results, ws->n_key_results, id);
}

int okra__find_objective(const okra_workspace *ws, const char *id)
{
	FIND(ws->objectives, ws->n_objectives, id);
}

const char *okra__source_line(const okra_workspace *ws, const char *file,
                              int line, size_t *len)
{
	for (size_t i = 0; i < ws->n_sources; i++) {
		const okra_source *s = &ws->sources[i];
		if (strcmp(s->path, file) != 0)
			continue;
		const char *p = s->text, *end = s->text + s->len;
		for (int l = 1; l < line && p < end; l++) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			p = nl ? nl + 1 : end;
		}
		if (p >= end && line > 1)
			return NULL;
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		*len = (size_t)((nl ? nl : end) - p);
		if (*len && p[*len - 1] == '\r')
			(*len)--;
		return p;
	}
	return NULL;
}

void okra_workspace_free(okra_workspace *ws)
{
	if (!ws)
		return;
	free(ws->metrics);
	free(ws->objectives);
	free(ws->key_results);
	free(ws->trees);
	free(ws->experiments);
	okra__arena_free(&ws->arena);
	free(ws);
}

const char *okra_workspace_root(const okra_workspace *ws)
{
	return ws->root;
}

const char *okra_workspace_name(const okra_workspace *ws)
{
	return ws->settings.name ? ws->settings.name : "";
}

bool okra__metric_is_leading(const okra_metric *m)
{
	return m->indicator == OKRA_INDICATOR_LEADING ||
	       (m->indicator == OKRA_INDICATOR_NONE && m->level >= 3);
}

bool okra__metric_is_lagging(const okra_metric *m)
{
	return m->indicator == OKRA_INDICATOR_LAGGING ||
	       (m->indicator == OKRA_INDICATOR_NONE && m->level >= 1 &&
	        m->level <= 2);
}

bool okra_workspace_has_data(const okra_workspace *ws)
{
	return ws->settings.events.is_set;
}
