/*
 * velocity.c: velocity: the median days from stage to stage.
 */
#include <stdlib.h>

#include "report.h"

/* The steps measured: from one stage's first arrival to the next's. */
static const int vsteps[][2] = {
	{ S_NEW, S_MQL }, { S_MQL, S_SAL }, { S_SAL, S_SQL }, { S_SQL, S_OPP },
	{ S_OPP, S_WON }, { S_NEW, S_OPP }, { S_NEW, S_WON }
};
#define NVSTEP (sizeof vsteps / sizeof *vsteps)

struct vrow {
	struct samples s[NVSTEP];
};

int
report_velocity(struct report_ctx *ctx)
{
	const struct report_opts *opt = ctx->opt;
	struct lead_map m = { .size = sizeof(struct vrow) };
	struct lead_stmt *st, *hq;
	const char **vals = lead_xcalloc(ctx->fields.nslot + 1, sizeof *vals);
	char buf[16];
	size_t *ix;
	struct col cols[] = { { 0 }, { "from", 0 }, { "to", 0 },
	    { "leads", 1 }, { "median_days", 1 }, { "p90_days", 1 } };
	int k = opt->by ? 1 : 0;

	load_masks(ctx);
	if (!opt->by)
		rows_idx(&m, NULL, NULL, NULL);
	hq = lead_report_lead_moves(ctx->db);
	st = cohort_query(ctx, LEAD_RQ_VELOCITY, LEAD_RQ_WINDOW);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);
		lead_time first[NSTAGE];
		struct vrow *r;

		if (id <= 0 || id > ctx->maxid || ctx->masks[id] == 0 ||
		    !where_holds(ctx, st, 5, vals))
			continue;
		for (int s = 0; s < NSTAGE; s++)
			first[s] = NOTIME;
		first[S_NEW] = ts_or(col_text(st, 1), NOTIME);
		lead_report_lead_moves_of(hq, id);
		while (lead_db_step(hq) == LEAD_ROW) {
			int s = lead_stage_index(col_text(hq, 0));

			if (s > S_NEW && first[s] == NOTIME)
				first[s] = ts_or(col_text(hq, 1), NOTIME);
		}
		lead_reset(hq);
		r = rows_get(&m, by_key(ctx, col_text(st, 2),
		    col_text(st, 3), lead_column_int64(st, 4), col_text(st, 1),
		    buf), NULL, NULL);
		for (size_t i = 0; i < NVSTEP; i++) {
			lead_time a = first[vsteps[i][0]], b =
			    first[vsteps[i][1]];

			if (a != NOTIME && b != NOTIME && b >= a)
				sample_add(&r->s[i], b - a);
		}
	}
	lead_finalize(st);
	lead_finalize(hq);
	free(vals);

	emit_begin_by(ctx, "velocity", cols, sizeof cols / sizeof *cols,
	    "median_days", 2, k);
	ix = rows_sorted(&m);
	for (size_t i = 0; i < m.n; i++) {
		struct vrow *r = lead_map_at(&m, ix[i]);

		for (size_t j = 0; j < NVSTEP; j++) {
			const char *row[6] = { rows_key(&m, ix[i], 0),
			    lead_stage_names[vsteps[j][0]],
			    lead_stage_names[vsteps[j][1]],
			    fmt_int((int64_t)r->s[j].n) };

			fmt_spread(&r->s[j], 0, &row[4], &row[5]);
			emit_row(ctx, row + 1 - k);
			free(r->s[j].v);
		}
	}
	free(ix);
	lead_map_free(&m);
	return emit_end(ctx);
}
