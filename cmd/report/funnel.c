/*
 * funnel.c: the funnel: leads reaching each stage, and stage-to-stage
 * conversion.
 */
#include <stdlib.h>

#include "report.h"

/* The stages a funnel row shows, and the one before each (-1: none). */
static const int funnel_rows[] = {
	S_NEW, S_MQL, S_SAL, S_SQL, S_OPP, S_WON, S_NURTURE, S_LOST, S_DISQ
};
static const int funnel_prev[] = { -1, S_NEW, S_MQL, S_SAL, S_SQL, S_OPP,
	-1, -1, -1 };

struct frow {
	int64_t n[NSTAGE];	/* [S_NEW]: the cohort; others: reached */
};

int
report_funnel(struct report_ctx *ctx)
{
	const struct report_opts *opt = ctx->opt;
	struct lead_map m = { .size = sizeof(struct frow) };
	struct lead_stmt *st;
	const char **vals = lead_xcalloc(ctx->fields.nslot + 1, sizeof *vals);
	char buf[16];
	size_t *ix;
	struct col cols[5] = { { 0 }, { "stage", 0 }, { "leads", 1 },
	    { "pct_of_cohort", 1 }, { "pct_of_previous", 1 } };
	int k = opt->by ? 1 : 0;

	load_masks(ctx);
	if (!opt->by)
		rows_idx(&m, NULL, NULL, NULL);
	st = cohort_query(ctx, LEAD_RQ_FUNNEL, LEAD_RQ_WINDOW);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);
		unsigned mask = stages_reached(ctx, id, col_text(st, 1));
		struct frow *r;

		if (!where_holds(ctx, st, 6, vals))
			continue;
		r = rows_get(&m, by_key(ctx, col_text(st, 2),
		    col_text(st, 3), lead_column_int64(st, 4), col_text(st, 5),
		    buf), NULL, NULL);
		for (int s = 0; s < NSTAGE; s++)
			if (REACHED(mask, s))
				r->n[s]++;
	}
	lead_finalize(st);
	free(vals);

	emit_begin_by(ctx, "funnel", cols, 5, "leads", 1, k);
	ix = rows_sorted(&m);
	for (size_t i = 0; i < m.n; i++) {
		struct frow *r = lead_map_at(&m, ix[i]);

		for (size_t j = 0; j < sizeof funnel_rows / sizeof *funnel_rows;
		    j++) {
			int s = funnel_rows[j], p = funnel_prev[j];
			const char *row[5] = { rows_key(&m, ix[i], 0),
			    lead_stage_names[s],
			    fmt_int(r->n[s]), fmt_pct(r->n[s], r->n[S_NEW]),
			    p >= 0 ? fmt_pct(r->n[s], r->n[p]) : NULL };

			emit_row(ctx, row + 1 - k);
		}
	}
	free(ix);
	lead_map_free(&m);
	return emit_end(ctx);
}
