/*
 * campaigns.c: campaigns: leads, conversions, cost and return per source and
 * campaign.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

struct crow {
	int64_t leads, nnew, n[NSTAGE];
	int64_t amount, cost;	/* cents: sums exact, halves found */
	int costed;
};

/* Money in cents divided by n, to the cent, halves away from zero. */
static const char *
fmt_money(int64_t cents, int64_t n)
{
	char *b = fmtbuf();
	long long c = llround((double)cents / (double)n);

	snprintf(b, FMTLEN, "%s%lld.%02lld", c < 0 ? "-" : "", llabs(c) / 100,
	    llabs(c) % 100);
	return b;
}

/* The row keys of a source and campaign under --by. */
static void
camp_keys(struct report_ctx *ctx, const char *source, const char *campaign,
    const char **k0, const char **k1)
{
	const struct report_opts *opt = ctx->opt;

	*k0 = opt->by == BY_CAMPAIGN ? campaign : source;
	*k1 = opt->by ? NULL : campaign;
}

/* The spend a campaign's lists state, so that it is paid once: an
 * updated report of the same file states its cost again (the latest
 * stands), and a list that states the same cost as another list of the
 * campaign restates it; a list with a cost of its own adds it. */
struct spend {
	size_t g;
	char *file;
	int64_t cost;
};

/* What a list of group g with cost adds to the group's cost. */
static int64_t
spend_add(struct spend **sp, size_t *n, size_t g, const char *file,
    int64_t cost)
{
	for (size_t i = 0; i < *n; i++) {
		struct spend *p = &(*sp)[i];
		int64_t was;

		if (p->g != g)
			continue;
		if (file && p->file && strcmp(file, p->file) == 0) {
			was = p->cost;
			p->cost = cost;
			return cost - was;
		}
		if (p->cost == cost)
			return 0;
	}
	*sp = lead_xrealloc(*sp, (*n + 1) * sizeof **sp);
	(*sp)[*n].g = g;
	(*sp)[*n].file = file ? lead_xstrdup(file) : NULL;
	(*sp)[(*n)++].cost = cost;
	return cost;
}

int
report_campaigns(struct report_ctx *ctx)
{
	const struct report_opts *opt = ctx->opt;
	struct lead_map m = { .size = sizeof(struct crow) };
	struct lead_map seen = { 0 };
	struct lead_stmt *st;
	const char **vals = lead_xcalloc(ctx->fields.nslot + 1, sizeof *vals);
	const char *k0, *k1;
	uint32_t *newrow, *brow;
	int64_t maxb;
	size_t *ix, nsp = 0;
	struct spend *sp = NULL;
	static const struct col cols[] = {
		{ "source", 0 }, { "campaign", 0 }, { "leads", 1 },
		{ "new", 1 }, { "mql", 1 }, { "sal", 1 },
		{ "opportunity", 1 }, { "won", 1 }, { "won_amount", 1 },
		{ "cost", 1 }, { "cost_per_lead", 1 }, { "cost_per_mql", 1 },
		{ "cost_per_won", 1 }, { "roi_pct", 1 }
	};
	struct col use[14];
	size_t nc = 0;
	int nk = opt->by ? 1 : 2;

	for (size_t i = 0; i < 14; i++)
		if (!(i == 0 && opt->by == BY_CAMPAIGN) &&
		    !(i == 1 && opt->by == BY_SOURCE))
			use[nc++] = cols[i];

	load_masks(ctx);
	build_cohort(ctx);
	newrow = lead_xcalloc((size_t)ctx->maxid + 1, sizeof *newrow);

	/* The imports of the period (not undone): their rows, and cost.  A
	 * batch whose every record was rejected bought no leads: its list
	 * is imported again, corrected, with the same cost (lead-import(1)
	 * does not take such a batch for imported content either). */
	maxb = lead_report_max_id(ctx->db, "batch");
	brow = lead_xcalloc((size_t)maxb + 1, sizeof *brow);
	st = lead_report_batches(ctx->db, opt->from, opt->to);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t b = lead_column_int64(st, 0);
		size_t g;

		camp_keys(ctx, col_text(st, 1), col_text(st, 2), &k0, &k1);
		g = rows_idx(&m, k0, k1, NULL);
		if (b > 0 && b <= maxb)
			brow[b] = (uint32_t)g + 1;
		if (lead_column_type(st, 3) != LEAD_NULL) {
			struct crow *r = lead_map_at(&m, g);

			r->cost += spend_add(&sp, &nsp, g, col_text(st, 4),
			    lead_db_cents(st, 3));
			r->costed = 1;
		}
	}
	lead_finalize(st);
	for (size_t i = 0; i < nsp; i++)
		free(sp[i].file);
	free(sp);

	/* The leads each campaign brought first (first touch, created in
	 * the period), and the leads an import created, whatever source
	 * their own records gave them. */
	st = cohort_query(ctx, LEAD_RQ_CAMPAIGNS, 0);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);
		int64_t fb = lead_column_int64(st, 6);
		const char *created = col_text(st, 5);
		unsigned mask = stages_reached(ctx, id, col_text(st, 1));
		size_t g = SIZE_MAX;

		if (id <= 0 || id > ctx->maxid ||
		    !where_holds(ctx, st, 7, vals))
			continue;
		if (created && strcmp(created, opt->from) >= 0 &&
		    strcmp(created, opt->to) < 0) {
			struct crow *r;

			camp_keys(ctx, col_text(st, 2), col_text(st, 3), &k0,
			    &k1);
			g = rows_idx(&m, k0, k1, NULL);
			r = lead_map_at(&m, g);
			r->leads++;
			r->nnew++;
			for (int s = 0; s < NSTAGE; s++)
				if (REACHED(mask, s))
					r->n[s]++;
			r->amount += lead_db_cents(st, 4);
			newrow[id] = (uint32_t)g + 1;
		}
		if (fb > 0 && fb <= maxb && brow[fb] && brow[fb] - 1 != g &&
		    pair_add(&seen, brow[fb] - 1, id))
			((struct crow *)lead_map_at(&m, brow[fb] - 1))->leads++;
	}
	lead_finalize(st);
	free(vals);

	/* The known leads its imports named again. */
	st = lead_report_batch_leads(ctx->db);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t b = lead_column_int64(st, 0);
		int64_t id = lead_column_int64(st, 1);
		size_t g;

		if (b <= 0 || b > maxb || !brow[b] || id <= 0 ||
		    id > ctx->maxid || !kept(ctx, id))
			continue;
		g = brow[b] - 1;
		if (newrow[id] != g + 1 && pair_add(&seen, g, id))
			((struct crow *)lead_map_at(&m, g))->leads++;
	}
	lead_finalize(st);
	free(newrow);
	free(brow);
	lead_map_free(&seen);

	emit_begin(ctx, "campaigns", use, nc, "leads", nk, 0, 0);
	ix = rows_sorted(&m);
	for (size_t i = 0; i < m.n; i++) {
		struct crow *r = lead_map_at(&m, ix[i]);
		int64_t c = r->cost;
		const char *row[14];
		size_t n = 0;

		/* With a lead filter, a campaign none of whose leads it
		 * keeps has nothing to say. */
		if (filtered(ctx) && r->leads == 0)
			continue;
		row[n++] = rows_key(&m, ix[i], 0);
		if (!opt->by)
			row[n++] = rows_key(&m, ix[i], 1);
		row[n++] = fmt_int(r->leads);
		row[n++] = fmt_int(r->nnew);
		row[n++] = fmt_int(r->n[S_MQL]);
		row[n++] = fmt_int(r->n[S_SAL]);
		row[n++] = fmt_int(r->n[S_OPP]);
		row[n++] = fmt_int(r->n[S_WON]);
		row[n++] = fmt_money(r->amount, 1);
		row[n++] = r->costed ? fmt_money(c, 1) : NULL;
		row[n++] = r->costed && r->leads ? fmt_money(c, r->leads) :
		    NULL;
		row[n++] = r->costed && r->n[S_MQL] ? fmt_money(c,
		    r->n[S_MQL]) : NULL;
		row[n++] = r->costed && r->n[S_WON] ? fmt_money(c,
		    r->n[S_WON]) : NULL;
		/* In tenths of a percent, from the exact cents. */
		row[n++] = r->costed && c > 0 ? fmt_fixed((double)llround(1000.0 *
		    (double)(r->amount - c) / (double)c) / 10, 1) : NULL;
		emit_row(ctx, row);
	}
	free(ix);
	lead_map_free(&m);
	return emit_end(ctx);
}
