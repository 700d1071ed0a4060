/*
 * experiment.h - the embedded engine's experiment measurement
 * (engine/experiment.c), behind the backend operation of plan/backend.h.
 */
#ifndef OKRA_ENGINE_EXPERIMENT_H
#define OKRA_ENGINE_EXPERIMENT_H

#include "engine/data.h"
#include "plan/experiment.h"

/* Fills out for q over d in one walk over the entities of the kinds
 * q's outcomes need; arrays and variant names in a. */
okra_rc okra__experiment_measure(okra_data *d, const okra_exp_query *q,
                                 okra_arena *a, okra_exp_data *out,
                                 okra_err *err);

#endif
