/*
 * content.c: content: the assets seen by leads that progressed, and by
 * those that did not.
 */
#include <stdlib.h>

#include "report.h"

struct ctrow {
	int64_t leads, progressed;
};

int
report_content(struct report_ctx *ctx)
{
	struct lead_map m = { .size = sizeof(struct ctrow) };
	struct lead_map seen = { 0 };
	struct lead_stmt *st;
	const char **vals = lead_xcalloc(ctx->fields.nslot + 1, sizeof *vals);
	uint8_t *flag = lead_xcalloc((size_t)ctx->maxid + 1, 1);
	int64_t all = 0, prog = 0;
	int goal = lead_stage_index(ctx->opt->goal);
	size_t *ix;
	static const struct col cols[] = {
		{ "content", 0 }, { "leads", 1 }, { "progressed", 1 },
		{ "not_progressed", 1 }, { "pct_of_progressed", 1 },
		{ "pct_of_not_progressed", 1 }, { "pct_progressed", 1 },
		{ "lift", 1 }
	};

	load_masks(ctx);
	st = cohort_query(ctx, LEAD_RQ_STAGE, LEAD_RQ_WINDOW);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);

		if (id <= 0 || id > ctx->maxid ||
		    !where_holds(ctx, st, 2, vals))
			continue;
		flag[id] = 1;
		all++;
		if (REACHED(stages_reached(ctx, id, col_text(st, 1)), goal)) {
			flag[id] |= 2;
			prog++;
		}
	}
	lead_finalize(st);
	free(vals);

	st = lead_report_contents(ctx->db);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);
		size_t g;
		struct ctrow *r;

		if (id <= 0 || id > ctx->maxid || !flag[id])
			continue;
		g = rows_idx(&m, col_text(st, 1), NULL, NULL);
		if (!pair_add(&seen, g, id))
			continue;
		r = lead_map_at(&m, g);
		r->leads++;
		r->progressed += (flag[id] & 2) != 0;
	}
	lead_finalize(st);
	lead_map_free(&seen);
	free(flag);

	emit_begin(ctx, "content", cols, sizeof cols / sizeof *cols,
	    "progressed", 1, 0, 0);
	ix = rows_sorted(&m);
	for (size_t i = 0; i < m.n; i++) {
		struct ctrow *r = lead_map_at(&m, ix[i]);
		int64_t not = r->leads - r->progressed;
		const char *row[] = { rows_key(&m, ix[i], 0), fmt_int(r->leads),
		    fmt_int(r->progressed), fmt_int(not),
		    fmt_pct(r->progressed, prog), fmt_pct(not, all - prog),
		    fmt_pct(r->progressed, r->leads),
		    prog && r->leads ? fmt_fixed(((double)r->progressed /
		    (double)r->leads) / ((double)prog / (double)all), 2) :
		    NULL };

		emit_row(ctx, row);
	}
	free(ix);
	lead_map_free(&m);
	return emit_end(ctx);
}
