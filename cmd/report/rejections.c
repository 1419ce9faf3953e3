/*
 * rejections.c: rejections: why sales rejected leads, by source and campaign.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

struct rrow {
	int64_t n, disq;
	char *shown;		/* the reason as first written */
	size_t group;		/* its row in the totals */
	size_t rank;		/* its group's place among the groups */
};

/* By group, then the most frequent reason first. */
static int
rejcmp(const struct lead_map *m, size_t a, size_t b)
{
	const struct rrow *x = lead_map_at(m, a);
	const struct rrow *y = lead_map_at(m, b);

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(rows_key(m, a, 2), rows_key(m, b, 2));
}

/* A reason as grouped: trimmed, ASCII lower case, runs of space one. */
static char *
reason_key(const char *s)
{
	struct lead_buf b = { 0 };
	int sp = 0;

	lead_buf_adds(&b, "");
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			sp = b.len > 0;
			continue;
		}
		if (sp)
			lead_buf_addc(&b, ' ');
		sp = 0;
		lead_buf_addc(&b, c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	return lead_buf_take(&b);
}

int
report_rejections(struct report_ctx *ctx)
{
	const struct report_opts *opt = ctx->opt;
	struct lead_map m = { .size = sizeof(struct rrow) };
	struct lead_map tot = { .size = sizeof(int64_t) };
	struct lead_stmt *st;
	char buf[16], rb[32];
	size_t *ix, *rank, nc = 0;
	struct col cols[6];
	int nk = opt->by ? 1 : 2;

	build_cohort(ctx);
	st = lead_report_rejections(ctx->db, opt->from, opt->to);
	while (lead_db_step(st) == LEAD_ROW) {
		const char *k0, *k1 = NULL, *why = col_text(st, 2);
		char *rk;
		size_t g;
		struct rrow *r;

		if (!kept(ctx, lead_column_int64(st, 0)))
			continue;
		switch (opt->by) {
		case BY_NONE:
			k0 = col_text(st, 3);
			k1 = col_text(st, 4);
			break;
		case BY_SOURCE:
			k0 = col_text(st, 3);
			break;
		case BY_CAMPAIGN:
			k0 = col_text(st, 4);
			break;
		case BY_OWNER:
			if ((k0 = rep_name(ctx, lead_column_int64(st, 5))) ==
			    NULL) {
				snprintf(rb, sizeof rb, "#%lld", (long long)
				    lead_column_int64(st, 5));
				k0 = rb;
			}
			break;
		default:
			k0 = period(ctx, col_text(st, 1), buf);
		}
		rk = reason_key(why);
		g = rows_idx(&tot, k0, k1, NULL);
		(*(int64_t *)lead_map_at(&tot, g))++;
		r = rows_get(&m, k0, k1, rk);
		if (r->shown == NULL) {
			char *t = lead_xstrdup(why ? why : "");

			r->shown = lead_xstrdup(lead_trim(t));
			free(t);
		}
		r->group = g;
		r->n++;
		r->disq += lead_stage_index(col_text(st, 6)) == S_DISQ;
		free(rk);
	}
	lead_finalize(st);

	if (opt->by)
		cols[nc++] = (struct col){ bynames[opt->by], 0 };
	else {
		cols[nc++] = (struct col){ "source", 0 };
		cols[nc++] = (struct col){ "campaign", 0 };
	}
	cols[nc++] = (struct col){ "reason", 0 };
	cols[nc++] = (struct col){ "rejected", 1 };
	cols[nc++] = (struct col){ "pct_of_group", 1 };
	cols[nc++] = (struct col){ "disqualified", 1 };
	emit_begin(ctx, "rejections", cols, nc, "rejected", nk + 1, 1, 0);
	ix = rows_sorted(&tot);
	rank = lead_xcalloc(tot.n + 1, sizeof *rank);
	for (size_t i = 0; i < tot.n; i++)
		rank[ix[i]] = i;
	for (size_t i = 0; i < m.n; i++) {
		struct rrow *r = lead_map_at(&m, i);

		r->rank = rank[r->group];
	}
	free(rank);
	free(ix);
	ix = lead_map_sorted(&m, rejcmp);
	for (size_t i = 0; i < m.n; i++) {
		struct rrow *r = lead_map_at(&m, ix[i]);
		const char *row[6];
		size_t n = 0;

		row[n++] = rows_key(&m, ix[i], 0);
		if (!opt->by)
			row[n++] = rows_key(&m, ix[i], 1);
		row[n++] = r->shown;
		row[n++] = fmt_int(r->n);
		row[n++] = fmt_pct(r->n, *(int64_t *)lead_map_at(&tot,
		    r->group));
		row[n++] = fmt_int(r->disq);
		emit_row(ctx, row);
	}
	for (size_t i = 0; i < m.n; i++)
		free(((struct rrow *)lead_map_at(&m, i))->shown);
	free(ix);
	lead_map_free(&m);
	lead_map_free(&tot);
	return emit_end(ctx);
}
