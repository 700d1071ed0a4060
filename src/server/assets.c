/*
 * assets.c - the dashboard's static files: one stylesheet, one small
 * script and the icon (web/, embedded at build time by cmake/embed.cmake),
 * served from memory under fixed paths (there is no file system lookup,
 * so no path can reach a file).
 *
 * The pages work without the script; it only adds tooltips, keyboard
 * navigation (j/k between sections, ? for help) and remembers the token
 * for the tab's session so each check-in form need not ask for it again.
 */
#include "server/server.h"

#include <string.h>

/* web/ as embedded by cmake/embed.cmake (each file ends with a NUL). */
struct okra__embedded {
	const char *path;
	const unsigned char *data;
	size_t len;
};
extern const struct okra__embedded okra__web_files[];

static const struct route {
	const char *path, *file, *content_type;
} routes[] = {
    {"/static/okra.css", "okra.css", "text/css; charset=utf-8"},
    {"/static/okra.js", "okra.js", "text/javascript; charset=utf-8"},
    {"/favicon.svg", "favicon.svg", "image/svg+xml"},
    {"/favicon.ico", "favicon.svg", "image/svg+xml"},
};

static okra_asset assets[OKRA_ARRAY_LEN(routes)];
static pthread_once_t found = PTHREAD_ONCE_INIT;

static void find_files(void)
{
	for (size_t i = 0; i < OKRA_ARRAY_LEN(routes); i++)
		for (size_t k = 0; okra__web_files[k].path; k++)
			if (strcmp(okra__web_files[k].path, routes[i].file) ==
			    0)
				assets[i] = (okra_asset){
				    routes[i].path, routes[i].content_type,
				    (const char *)okra__web_files[k].data};
}

const okra_asset *okra__asset_find(const char *path)
{
	pthread_once(&found, find_files);
	for (size_t i = 0; i < OKRA_ARRAY_LEN(assets); i++)
		if (assets[i].data && strcmp(assets[i].path, path) == 0)
			return &assets[i];
	return NULL;
}
