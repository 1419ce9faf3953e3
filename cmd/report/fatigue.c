/*
 * fatigue.c: fatigue: the leads at or over a contact cap now.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define MAXCAPS 16

struct fat {
	struct lead_cap caps[MAXCAPS];
	int ncaps;
	lead_time from[MAXCAPS];	/* each cap's window starts after */
	long n[MAXCAPS];
	char last[MAXCAPS][LEAD_TIME_LEN];
	struct lead_stmt *lq;
};

/* The rows of one lead: each cap it is at or over. */
static void
fatigue_flush(struct report_ctx *ctx, struct fat *f, int64_t id)
{
	const char *email = NULL, *dnc = NULL;
	int found = 0;

	for (int i = 0; i < f->ncaps; i++) {
		const char *row[7];

		if (f->n[i] < f->caps[i].max || f->n[i] == 0)
			continue;
		if (!found) {
			lead_report_lead_dnc_of(f->lq, id);
			if (lead_db_step(f->lq) == LEAD_ROW) {
				email = col_text(f->lq, 0);
				dnc = col_text(f->lq, 1);
			}
			found = 1;
		}
		/* A forgotten lead has no address to contact. */
		if (email == NULL)
			break;
		row[0] = email;
		row[1] = f->caps[i].channel;
		row[2] = fmt_int(f->n[i]);
		row[3] = f->caps[i].spec;
		row[4] = f->n[i] > f->caps[i].max ? "over" : "at";
		row[5] = f->last[i];
		row[6] = dnc;
		emit_row(ctx, row);
	}
	if (found)
		lead_reset(f->lq);
	memset(f->n, 0, sizeof f->n);
}

int
report_fatigue(struct report_ctx *ctx)
{
	const struct report_opts *opt = ctx->opt;
	struct fat f = { 0 };
	struct lead_stmt *st;
	char *spec = opt->cap ? lead_xstrdup(opt->cap) :
	    lead_setting(ctx->db, "caps");
	char *err, from[LEAD_TIME_LEN];
	int64_t cur = 0, maxwin = 0;
	static const struct col cols[] = {
		{ "email", 0 }, { "channel", 0 }, { "touches", 1 },
		{ "cap", 0 }, { "status", 0 }, { "last_touch", 0 }, { "dnc", 0 }
	};

	if (spec == NULL)
		lead_die(LEAD_EX_USAGE, "fatigue: no contact caps set "
		    "(lead-log --cap SPEC sets them; --cap SPEC tries some)");
	if ((f.ncaps = lead_caps_parse(spec, f.caps, MAXCAPS, &err)) < 0)
		lead_die(LEAD_EX_USAGE, "%s caps: %s", opt->cap ? "--cap" :
		    "stored", err);
	free(spec);
	for (int i = 0; i < f.ncaps; i++) {
		f.from[i] = ctx->now - f.caps[i].window;
		if (f.caps[i].window > maxwin)
			maxwin = f.caps[i].window;
	}
	build_cohort(ctx);
	lead_time_format(ctx->now - maxwin, from);
	f.lq = lead_report_lead_dnc(ctx->db);
	emit_begin(ctx, "fatigue", cols, sizeof cols / sizeof *cols,
	    "touches", 2, 0, 1);
	st = lead_report_touches(ctx->db, from, ctx->nowstr);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);
		const char *ts = col_text(st, 1);
		const char *ch = lead_kind_channel(col_text(st, 2));
		lead_time t;

		if (ch == NULL || !kept(ctx, id) ||
		    lead_time_stored(ts, &t) < 0)
			continue;
		if (id != cur) {
			if (cur)
				fatigue_flush(ctx, &f, cur);
			cur = id;
		}
		for (int i = 0; i < f.ncaps; i++) {
			if (t <= f.from[i] || (strcmp(f.caps[i].channel,
			    "all") && strcmp(f.caps[i].channel, ch)))
				continue;
			if (f.n[i]++ == 0 || strcmp(ts, f.last[i]) > 0)
				snprintf(f.last[i], sizeof f.last[i], "%s", ts);
		}
	}
	if (cur)
		fatigue_flush(ctx, &f, cur);
	lead_finalize(st);
	lead_finalize(f.lq);
	return emit_end(ctx);
}
