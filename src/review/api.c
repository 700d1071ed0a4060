/*
 * api.c - the public face of review/ (okra.h): run a review against the
 * engine and the state database.  Writing it, in any format, is
 * render/'s (render/review_api.c).
 */
#include "review/review_int.h"

#include "query/query.h"
#include "state/state.h"

#include <stdlib.h>
#include <string.h>

okra_rc okra_review_run(okra_engine *e, const okra_review_request *req,
                        okra_review **out, okra_err *err)
{
	okra_review_options opt = {.asof = -1,
	                           .team = req->team,
	                           .lint = req->lint,
	                           .lint_data = req->lint};
	okra_rc rc0;
	if (req->asof &&
	    (rc0 = okra__engine_day(e, req->asof, "asof", &opt.asof, err)))
		return rc0;
	const okra_workspace *ws = okra__engine_workspace(e);
	okra_state *st = NULL;
	okra_rc rc = okra__state_open(ws, req->save, &st, err);
	if (rc)
		return rc;
	okra_review *r = NULL;
	rc = okra__review_build(e, st, &opt, &r, err);
	if (rc == OKRA_OK && req->save)
		rc = okra__review_save(r, st, err);
	okra__state_close(st);
	if (rc) {
		okra__review_free(r);
		return rc;
	}
	*out = r;
	return OKRA_OK;
}

void okra_review_free(okra_review *r)
{
	okra__review_free(r);
}

okra_rc okra_lint_data(okra_engine *e, const char *asof,
                       okra_findings *findings, okra_err *err)
{
	okra_review_options opt = {.asof = -1, .lint_data = true};
	okra_rc rc0;
	if (asof && (rc0 = okra__engine_day(e, asof, "asof", &opt.asof, err)))
		return rc0;
	okra_review *r = NULL;
	okra_rc rc = okra__review_build(e, NULL, &opt, &r, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < okra_findings_count(r->findings); i++)
		okra__findings_copy(findings,
		                    okra_findings_get(r->findings, i));
	okra__findings_add_suppressed(findings, r->findings);
	if (okra_findings_failed(r->findings))
		rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                   "out of memory while collecting lint "
		                   "findings");
	okra__review_free(r);
	return rc;
}
