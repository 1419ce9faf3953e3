/*
 * aging.c: aging: the leads in each open stage, and those stuck in it.
 */
#include <stdlib.h>

#include "report.h"

#define NOPEN (S_OPP + 1)	/* the open stages: new .. opportunity */

struct arow {
	int64_t n[NOPEN], stuck[NOPEN], max[NOPEN];
	struct samples age[NOPEN];
};

int
report_aging(struct report_ctx *ctx)
{
	const struct report_opts *opt = ctx->opt;
	struct lead_map m = { .size = sizeof(struct arow) };
	struct lead_stmt *st;
	const char **vals = lead_xcalloc(ctx->fields.nslot + 1, sizeof *vals);
	char buf[16];
	size_t *ix;
	struct col cols[] = { { 0 }, { "stage", 0 }, { "leads", 1 },
	    { "stuck", 1 }, { "pct_stuck", 1 }, { "median_days", 1 },
	    { "p90_days", 1 }, { "max_days", 1 } };
	int k = opt->by ? 1 : 0;

	if (!opt->by)
		rows_idx(&m, NULL, NULL, NULL);
	st = cohort_query(ctx, LEAD_RQ_AGING, LEAD_RQ_WINDOW);
	while (lead_db_step(st) == LEAD_ROW) {
		int s = lead_stage_index(col_text(st, 1));
		lead_time since = ts_or(col_text(st, 2), NOTIME);
		int64_t age;
		struct arow *r;

		if (s < 0 || s >= NOPEN || since == NOTIME ||
		    !where_holds(ctx, st, 7, vals))
			continue;
		age = ctx->now > since ? ctx->now - since : 0;
		r = rows_get(&m, by_key(ctx, col_text(st, 3),
		    col_text(st, 4), lead_column_int64(st, 5), col_text(st, 6),
		    buf), NULL, NULL);
		r->n[s]++;
		r->stuck[s] += age > opt->stuck;
		if (age > r->max[s])
			r->max[s] = age;
		sample_add(&r->age[s], age);
	}
	lead_finalize(st);
	free(vals);

	emit_begin_by(ctx, "aging", cols, sizeof cols / sizeof *cols,
	    "stuck", 1, k);
	ix = rows_sorted(&m);
	for (size_t i = 0; i < m.n; i++) {
		struct arow *r = lead_map_at(&m, ix[i]);

		for (int s = 0; s < NOPEN; s++) {
			const char *row[8] = { rows_key(&m, ix[i], 0),
			    lead_stage_names[s],
			    fmt_int(r->n[s]), fmt_int(r->stuck[s]),
			    fmt_pct(r->stuck[s], r->n[s]) };

			fmt_spread(&r->age[s], 0, &row[5], &row[6]);
			row[7] = r->n[s] ? fmt_days(r->max[s]) : NULL;
			emit_row(ctx, row + 1 - k);
			free(r->age[s].v);
		}
	}
	free(ix);
	lead_map_free(&m);
	return emit_end(ctx);
}
