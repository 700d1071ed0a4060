/*
 * profile.c - okra_data_profile: the backend's profile of its data, in
 * a profile of its own (plan/profile.h); render/profile.c writes it.
 */
#include "query/query.h"

#include <stdlib.h>

okra_rc okra_data_profile(okra_engine *e, okra_profile **out, okra_err *err)
{
	okra_profile *p = calloc(1, sizeof(*p));
	if (!p)
		return okra__nomem(err);
	okra_rc rc = okra__engine_profile(e, p, err);
	if (rc) {
		okra_profile_free(p);
		return rc;
	}
	*out = p;
	return OKRA_OK;
}

void okra_profile_free(okra_profile *p)
{
	if (!p)
		return;
	okra__arena_free(&p->arena);
	free(p);
}
