/*
 * scoring.c: scoring: conversion by score band, by grade, and of the MQLs.
 */
#include <math.h>
#include <stdlib.h>

#include "report.h"

struct scrow {
	double lo;		/* score bands: the band's floor */
	int scored;
	int64_t leads, n[NSTAGE];
};

/* Score bands highest first, the unscored last. */
static int
bandcmp(const struct lead_map *m, size_t a, size_t b)
{
	const struct scrow *x = lead_map_at(m, a);
	const struct scrow *y = lead_map_at(m, b);

	if (x->scored != y->scored)
		return x->scored ? -1 : 1;
	return (x->lo < y->lo) - (x->lo > y->lo);
}

static void
scoring_rows(struct report_ctx *ctx, const char *by, struct lead_map *m,
    size_t *ix)
{
	for (size_t i = 0; i < m->n; i++) {
		struct scrow *r = lead_map_at(m, ix[i]);
		const char *row[] = { by, rows_key(m, ix[i], 0),
		    fmt_int(r->leads),
		    fmt_int(r->n[S_MQL]), fmt_int(r->n[S_SAL]),
		    fmt_int(r->n[S_OPP]), fmt_int(r->n[S_WON]),
		    fmt_pct(r->n[S_MQL], r->leads),
		    fmt_pct(r->n[S_SAL], r->leads),
		    fmt_pct(r->n[S_OPP], r->leads),
		    fmt_pct(r->n[S_WON], r->leads) };

		emit_row(ctx, row);
	}
}

/* A band's name: "50-60" is 50 <= score < 60. */
static const char *
band_name(struct report_ctx *ctx, double lo)
{
	char *b = fmtbuf();

	snprintf(b, FMTLEN, "%.15g-%.15g", lo, lo + ctx->opt->band);
	return b;
}

int
report_scoring(struct report_ctx *ctx)
{
	const struct report_opts *opt = ctx->opt;
	struct lead_map bands = { .size = sizeof(struct scrow) };
	struct lead_map grades = { .size = sizeof(struct scrow) };
	struct lead_map mql = { .size = sizeof(struct scrow) };
	struct lead_stmt *st;
	const char **vals = lead_xcalloc(ctx->fields.nslot + 1, sizeof *vals);
	size_t *ix;
	static const struct col cols[] = {
		{ "by", 0 }, { "band", 0 }, { "leads", 1 }, { "mql", 1 },
		{ "sal", 1 }, { "opportunity", 1 }, { "won", 1 },
		{ "pct_mql", 1 }, { "pct_sal", 1 }, { "pct_opportunity", 1 },
		{ "pct_won", 1 }
	};

	load_masks(ctx);
	rows_idx(&mql, "yes", NULL, NULL);
	rows_idx(&mql, "no", NULL, NULL);
	st = cohort_query(ctx, LEAD_RQ_SCORING, LEAD_RQ_WINDOW);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);
		unsigned mask = stages_reached(ctx, id, col_text(st, 1));
		struct scrow *r[3];
		int scored = lead_column_type(st, 2) != LEAD_NULL;
		double lo = 0;

		if (!where_holds(ctx, st, 4, vals))
			continue;
		if (scored)
			lo = floor(lead_column_double(st, 2) / opt->band) *
			    opt->band;
		r[0] = rows_get(&bands, scored ? band_name(ctx, lo) :
		    NULL, NULL, NULL);
		r[0]->lo = lo;
		r[0]->scored = scored;
		r[1] = rows_get(&grades, col_text(st, 3), NULL, NULL);
		/* Made an MQL: at the mql stage itself at some time; a lead
		 * taken past it directly was not. */
		r[2] = rows_get(&mql, mask & BIT(S_MQL) ? "yes" : "no",
		    NULL, NULL);
		for (int i = 0; i < 3; i++) {
			r[i]->leads++;
			for (int s = S_MQL; s <= S_WON; s++)
				if (REACHED(mask, s))
					r[i]->n[s]++;
		}
	}
	lead_finalize(st);
	free(vals);

	emit_begin(ctx, "scoring", cols, sizeof cols / sizeof *cols,
	    "pct_won", 2, 1, 0);
	ix = lead_map_sorted(&bands, bandcmp);
	scoring_rows(ctx, "score", &bands, ix);
	free(ix);
	ix = rows_sorted(&grades);
	scoring_rows(ctx, "grade", &grades, ix);
	free(ix);
	{
		size_t order[2] = { 0, 1 };

		scoring_rows(ctx, "mql", &mql, order);
	}
	lead_map_free(&bands);
	lead_map_free(&grades);
	lead_map_free(&mql);
	return emit_end(ctx);
}
