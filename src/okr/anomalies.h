/*
 * anomalies.h - okra anomalies (SPEC 13): the robust seasonal check of
 * every event metric's daily series, with the segment that explains each
 * deviation.
 *
 * A day's value is compared with the same weekday of the 8 weeks before
 * it: the median and a robust sigma (1.4826 x the median absolute
 * deviation, or 1.2533 x the mean absolute deviation when that is 0), a
 * z score, an anomaly beyond k sigmas.  The statistics are pure functions
 * (unit-tested without data); okra__anomalies_eval feeds them the daily
 * series of every metric and segment from one engine pass.  The
 * renderers (render/anomalies.c) only read the okra_anomalies list.  NaN
 * is null everywhere.
 */
#ifndef OKRA_ANOMALIES_H
#define OKRA_ANOMALIES_H

#include "okra_int.h"

#define OKRA_ANOMALY_WEEKS        8   /* baseline: d-7 .. d-56 */
#define OKRA_ANOMALY_MIN_VALUES   6   /* fewer non-null: the day is skipped */
#define OKRA_ANOMALY_DEFAULT_K    3.5 /* --k */
#define OKRA_ANOMALY_DEFAULT_DAYS 28  /* --days */

/* One value against its baseline. */
typedef struct okra_anomaly_stat {
	double median;
	double sigma;    /* 0: a flat baseline */
	double z;        /* (x - median) / sigma; NaN when flat */
	double low;      /* median - k sigma */
	double high;     /* median + k sigma */
	double change;   /* (x - median) / |median|; NaN when median is 0 */
	bool is_up;      /* x > median */
	bool is_anomaly; /* |z| > k, or x != median on a flat baseline */
} okra_anomaly_stat;

/* ---- pure arithmetic -------------------------------------------------- */

/* The median of the n non-NaN values of v (NaN when none); v is not
 * changed. */
double okra__anomaly_median(const double *v, size_t n);

/* Checks x against its baseline (n values, NaN = null) with threshold k.
 * False (the day is skipped) when x is NaN or the baseline holds fewer
 * than OKRA_ANOMALY_MIN_VALUES values. */
bool okra__anomaly_stat(double x, const double *baseline, size_t n, double k,
                        okra_anomaly_stat *out);

/* Which of n segments explains most of a deviation dev = x - median:
 * for an additive metric the largest share seg_dev[s] / dev that is
 * positive (*share receives it), for the others the largest |seg_z[s]|
 * of dev's sign (*share is NaN).  NaN entries are skipped.  -1 when no
 * segment qualifies. */
int okra__anomaly_explain(bool additive, double dev, const double *seg_dev,
                          const double *seg_z, size_t n, double *share);

/* ---- the list ------------------------------------------------------- */

typedef struct okra_anomaly {
	int metric;     /* index into ws->metrics */
	const char *id; /* borrowed from the workspace */
	int32_t date;
	double value;
	okra_anomaly_stat st;
	/* The explaining segment; attr NULL when there is none. */
	const char *seg_attr, *seg_value;
	double seg_deviation, seg_share, seg_z;
} okra_anomaly;

/* What to check (the parsed okra_anomaly_request, or the review's). */
typedef struct okra_anomaly_opts {
	int32_t asof;
	int days; /* the days asof - days + 1 .. asof */
	double k;
	const char *const *ids; /* NULL/0: every event metric */
	size_t n_ids;
	const char *by;        /* explain by this attribute; NULL: each
	                          metric's segments */
	const okra_where *pin; /* only this segment; borrowed */
	size_t n_pin;
	int direction;     /* +1 up, -1 down, 0 both */
	double min_change; /* |change| at least this; NaN: no filter */
	bool no_segments;  /* skip the explanation (charts) */
} okra_anomaly_opts;

/* The public okra_anomalies (okra.h). */
struct okra_anomalies {
	const okra_workspace *ws;
	int32_t asof;
	int days;
	double k;
	const char *by; /* as asked, or NULL */
	int direction;  /* the filters, as okra_anomaly_opts */
	double min_change;
	size_t n_metrics;    /* metrics checked */
	int32_t data_last;   /* the last day with events, -1 when none: the
	                        days after it are not checked */
	okra_anomaly *items; /* latest date first, then |z|, then id */
	size_t n_items;
	okra_arena arena; /* items and every string */
};

/* Is m checked: an event metric, not revenue or manual, nor a ratio or
 * formula that reads one (they are monthly or sparse)?  why (may be
 * NULL) says why not, in a. */
bool okra__anomaly_checks(const okra_workspace *ws, const okra_metric *m,
                          okra_arena *a, const char **why);

/* Checks the metrics of o over their daily series from one engine pass
 * (the window and 8 weeks before it, every segment of o->by or of each
 * metric), keeps the anomalies that pass the filters, sorted.  A metric
 * named in o->ids that is not checked is a usage error.  Free with
 * okra_anomalies_free; borrows e's workspace. */
okra_rc okra__anomalies_eval(okra_engine *e, const okra_anomaly_opts *o,
                             okra_anomalies **out, okra_err *err);

/* "Wednesday" for day. */
const char *okra__weekday_name(int32_t day);

/* ---- words: how every output describes an anomaly --------------------- */

/* a's value into value and its usual band low..high into band, in m's
 * unit: the band clamped to the values m can take (no "-3..12" for a
 * count, a count's band the whole numbers inside it), the median alone
 * on a flat baseline, and as many more decimals as it takes for the
 * value not to read as a bound. */
void okra__anomaly_value_band(okra_buf *value, okra_buf *band,
                              const okra_metric *m, const okra_anomaly *a);
/* z with one decimal and a real minus sign: "−9.8". */
void okra__anomaly_z(okra_buf *b, double z);
/* "down 31%", "up 40%", "up from 0". */
void okra__anomaly_change(okra_buf *b, const okra_anomaly_stat *st);
/* "region=eu explains 94%" (additive) or "region=eu moved most (z
 * −12.1)"; a must have a segment. */
void okra__anomaly_segment(okra_buf *b, const okra_anomaly *a);
/* "850, usually 1,150..1,300 on a Wednesday (z −9.8), down 31%; region=eu
 * explains 94%": what the text line says after the date and the id. */
void okra__anomaly_describe(okra_buf *b, const okra_workspace *ws,
                            const okra_anomaly *a);

#endif
