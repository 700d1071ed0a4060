/*
 * experiment.c - the engine-independent part of an experiment's
 * measurement (plan/experiment.h): how long the window of an outcome is.
 */
#include "plan/experiment.h"

int okra__exp_window_days(const okra_metric *m)
{
	switch (m->type) {
	case OKRA_METRIC_COUNT:
	case OKRA_METRIC_SUM:
	case OKRA_METRIC_AVG:
	case OKRA_METRIC_ACTIVE:
	case OKRA_METRIC_THRESHOLD:
		return m->window.kind == OKRA_WINDOW_DAYS ? m->window.days : 0;
	case OKRA_METRIC_CONVERSION:
		return m->within_days;
	case OKRA_METRIC_RETENTION:
		return m->has_between ? m->between_hi : m->day_n;
	default:
		return 0;
	}
}
