/*
 * profile.h - the embedded engine's profile of its dataset (okra data),
 * behind the backend's profile operation (internal to src/engine).
 */
#ifndef OKRA_ENGINE_PROFILE_H
#define OKRA_ENGINE_PROFILE_H

#include "engine/data.h"
#include "plan/profile.h"

/* Fills p (zeroed, its arena ready) from d and the tables ws names. */
okra_rc okra__profile(const okra_data *d, const okra_workspace *ws,
                      okra_profile *p, okra_err *err);

#endif
