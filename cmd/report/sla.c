/*
 * sla.c: sla: per rep, assigned, accepted, time to first touch, within the SLA.
 */
#include <stdlib.h>

#include "report.h"

struct srow {
	int64_t assigned, accepted, rejected, touched, due_n, within;
	int64_t overdue, never;
	int64_t nocontext;	/* touches logged without the protocol's context */
	struct samples tt;	/* seconds to first touch */
};

int
report_sla(struct report_ctx *ctx)
{
	const struct report_opts *opt = ctx->opt;
	struct lead_map m = { .size = sizeof(struct srow) };
	struct lead_stmt *st;
	char buf[16], rb[32];
	size_t *ix;
	struct col cols[] = { { 0 }, { "rep", 0 }, { "assigned", 1 },
	    { "accepted", 1 }, { "rejected", 1 }, { "touched", 1 },
	    { "median_hours_to_touch", 1 }, { "p90_hours_to_touch", 1 },
	    { "within_sla_pct", 1 }, { "overdue", 1 }, { "never_touched", 1 },
	    { "touches_without_context", 1 } };
	int k = opt->by == BY_MONTH || opt->by == BY_WEEK;

	build_cohort(ctx);
	if (!k) {
		st = lead_report_active_reps(ctx->db);
		while (lead_db_step(st) == LEAD_ROW)
			rows_idx(&m, col_text(st, 0), NULL, NULL);
		lead_finalize(st);
	}
	st = lead_report_assignments(ctx->db, opt->from, opt->to);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t rep = lead_column_int64(st, 1);
		const char *name = rep_name(ctx, rep), *at = col_text(st, 2);
		lead_time t = ts_or(at, NOTIME);
		lead_time due = ts_or(col_text(st, 3), NOTIME);
		lead_time ft = ts_or(col_text(st, 4), NOTIME);
		int ended = lead_column_type(st, 7) != LEAD_NULL;
		int s = lead_stage_index(col_text(st, 9));
		struct srow *r;

		if (!kept(ctx, lead_column_int64(st, 0)) || t == NOTIME)
			continue;
		if (name == NULL) {
			snprintf(rb, sizeof rb, "#%lld", (long long)rep);
			name = rb;
		}
		r = k ? rows_get(&m, period(ctx, at, buf), name, NULL) :
		    rows_get(&m, name, NULL, NULL);
		r->assigned++;
		r->accepted += lead_column_type(st, 5) != LEAD_NULL;
		r->rejected += lead_column_type(st, 6) != LEAD_NULL;
		if (ft != NOTIME) {
			r->touched++;
			sample_add(&r->tt, ft > t ? ft - t : 0);
			if (due != NOTIME) {
				r->due_n++;
				r->within += ft <= due;
			}
		} else {
			if (due != NOTIME && due < ctx->now)
				r->due_n++;
			if (!ended && due != NOTIME && due < ctx->now &&
			    lead_column_int64(st, 8) == rep &&
			    s >= S_MQL && s <= S_OPP)
				r->overdue++;
			if (ended || (due != NOTIME && due < ctx->now))
				r->never++;
		}
	}
	lead_finalize(st);
	/* The touches in the period kept without the context the protocol
	 * asks (an imported history), by who logged them. */
	st = lead_report_bare_touches(ctx->db, opt->from, opt->to);
	while (lead_db_step(st) == LEAD_ROW) {
		const char *name = col_text(st, 0), *at = col_text(st, 1);
		struct srow *r;

		if (!kept(ctx, lead_column_int64(st, 2)))
			continue;
		r = k ? rows_get(&m, period(ctx, at, buf), name, NULL) :
		    rows_get(&m, name, NULL, NULL);
		r->nocontext++;
	}
	lead_finalize(st);

	emit_begin_by(ctx, "sla", cols, sizeof cols / sizeof *cols,
	    "median_hours_to_touch", 1, k);
	ix = rows_sorted(&m);
	for (size_t i = 0; i < m.n; i++) {
		struct srow *r = lead_map_at(&m, ix[i]);
		const char *row[12] = { rows_key(&m, ix[i], 0),
		    rows_key(&m, ix[i], k),
		    fmt_int(r->assigned), fmt_int(r->accepted),
		    fmt_int(r->rejected), fmt_int(r->touched) };

		fmt_spread(&r->tt, 1, &row[6], &row[7]);
		row[8] = fmt_pct(r->within, r->due_n);
		row[9] = fmt_int(r->overdue);
		row[10] = fmt_int(r->never);
		row[11] = fmt_int(r->nocontext);
		emit_row(ctx, row + 1 - k);
		free(r->tt.v);
	}
	free(ix);
	lead_map_free(&m);
	return emit_end(ctx);
}
