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

/* A lead's first arrival at each stage after new. */
struct arrivals {
	lead_time first[NSTAGE];
};

/* Every moved lead's first arrivals, read at once (a query a lead
 * would be a round trip a lead on a server). */
static void
load_arrivals(struct report_ctx *ctx, struct lead_map *a)
{
	struct lead_stmt *st = lead_report_arrivals(ctx->db);

	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);
		int s = lead_stage_index(col_text(st, 1));
		lead_time t = ts_or(col_text(st, 2), NOTIME);
		size_t n = a->n;
		struct arrivals *r;

		if (s <= S_NEW || t == NOTIME)
			continue;
		r = lead_map_put(a, &id, sizeof id);
		if (a->n > n)
			for (int k = 0; k < NSTAGE; k++)
				r->first[k] = NOTIME;
		if (r->first[s] == NOTIME || t < r->first[s])
			r->first[s] = t;
	}
	lead_finalize(st);
}

int
report_velocity(struct report_ctx *ctx)
{
	const struct report_opts *opt = ctx->opt;
	struct lead_map m = { .size = sizeof(struct vrow) };
	struct lead_map arr = { .size = sizeof(struct arrivals) };
	struct lead_stmt *st;
	const char **vals = lead_xcalloc(ctx->fields.nslot + 1, sizeof *vals);
	char buf[16];
	size_t *ix;
	struct col cols[] = { { 0 }, { "from", 0 }, { "to", 0 },
	    { "leads", 1 }, { "median_days", 1 }, { "p90_days", 1 } };
	int k = opt->by ? 1 : 0;

	load_masks(ctx);
	if (!opt->by)
		rows_idx(&m, NULL, NULL, NULL);
	load_arrivals(ctx, &arr);
	st = cohort_query(ctx, LEAD_RQ_VELOCITY, LEAD_RQ_WINDOW);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);
		lead_time first[NSTAGE];
		const struct arrivals *got;
		struct vrow *r;

		if (id <= 0 || id > ctx->maxid || ctx->masks[id] == 0 ||
		    !where_holds(ctx, st, 5, vals))
			continue;
		got = lead_map_get(&arr, &id, sizeof id);
		for (int s = 0; s < NSTAGE; s++)
			first[s] = got ? got->first[s] : NOTIME;
		first[S_NEW] = ts_or(col_text(st, 1), NOTIME);
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
	lead_map_free(&arr);
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
