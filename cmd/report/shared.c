/*
 * shared.c: what lead-report's reports share: the snapshot (reps, the
 * stages each lead reached, the leads the filters keep), rows by key,
 * samples and the formatting of figures.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

const char *const bynames[] = {
	"", "source", "campaign", "owner", "month", "week"
};

const unsigned from_bits[NSTAGE] = {
	[S_NEW] = 0x1ff,
	[S_MQL] = BIT(S_MQL) | BIT(S_SAL) | BIT(S_SQL) | BIT(S_OPP) | BIT(S_WON),
	[S_SAL] = BIT(S_SAL) | BIT(S_SQL) | BIT(S_OPP) | BIT(S_WON),
	[S_SQL] = BIT(S_SQL) | BIT(S_OPP) | BIT(S_WON),
	[S_OPP] = BIT(S_OPP) | BIT(S_WON),
	[S_WON] = BIT(S_WON),
	[S_NURTURE] = BIT(S_NURTURE),
	[S_LOST] = BIT(S_LOST),
	[S_DISQ] = BIT(S_DISQ),
};

/* ---- the snapshot: reps, stages, the leads the filters keep ---------- */

const char *
rep_name(struct report_ctx *ctx, int64_t id)
{
	return id > 0 && id < ctx->nrepname ? ctx->repname[id] : NULL;
}

void
load_reps(struct report_ctx *ctx)
{
	struct lead_stmt *st;

	ctx->nrepname = lead_report_max_id(ctx->db, "rep") + 1;
	ctx->repname = lead_xcalloc((size_t)ctx->nrepname,
	    sizeof *ctx->repname);
	st = lead_report_reps(ctx->db);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);

		if (id > 0 && id < ctx->nrepname)
			ctx->repname[id] = lead_xstrdup((const char *)
			    lead_column_text(st, 1));
	}
	lead_finalize(st);
}

/* Every stage each lead was ever at, from the stage history. */
void
load_masks(struct report_ctx *ctx)
{
	struct lead_stmt *st;

	if (ctx->masks)
		return;
	ctx->masks = lead_xcalloc((size_t)ctx->maxid + 1, sizeof *ctx->masks);
	st = lead_report_stage_moves(ctx->db);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);
		int a = lead_stage_index(lead_column_text(st, 1));
		int b = lead_stage_index(lead_column_text(st, 2));

		if (id <= 0 || id > ctx->maxid)
			continue;
		if (a >= 0)
			ctx->masks[id] |= (uint16_t)BIT(a);
		if (b >= 0)
			ctx->masks[id] |= (uint16_t)BIT(b);
	}
	lead_finalize(st);
}

int
kept(struct report_ctx *ctx, int64_t id)
{
	return ctx->cohort == NULL || (id > 0 && id <= ctx->maxid &&
	    ctx->cohort[id]);
}

/* ---- --where and --columns: the lead fields --------------------------- */

/* The values of the slots in a row of the lead query, from column col0;
 * vals must hold fields.nslot. */
void
slot_vals(struct report_ctx *ctx, struct lead_stmt *st, int col0,
    const char **vals)
{
	if (ctx->nvbuf < ctx->fields.nslot) {
		ctx->vbuf = lead_xrealloc(ctx->vbuf, ctx->fields.nslot *
		    sizeof *ctx->vbuf);
		ctx->nvbuf = ctx->fields.nslot;
	}
	for (size_t i = 0; i < ctx->fields.nslot; i++)
		vals[i] = lead_slot_value(&ctx->fields.slot[i], (const char *)
		    lead_column_text(st, col0 + (int)i), ctx->now,
		    ctx->vbuf[i]);
}

/* The leads the filters keep, with the columns cols and the slots. */
struct lead_stmt *
cohort_query(struct report_ctx *ctx, enum lead_rq cols, int flags)
{
	const struct report_opts *opt = ctx->opt;
	struct lead_report_filter f = {
		.from = opt->from, .to = opt->to, .stages = opt->stage,
		.owner = opt->owner, .source = opt->source,
		.campaign = opt->campaign, .picked = ctx->picked,
		.fields = &ctx->fields
	};

	return lead_report_leads(ctx->db, &f, cols, flags);
}

/* Any lead filter given: the reports count only the leads it keeps. */
int
filtered(struct report_ctx *ctx)
{
	const struct report_opts *opt = ctx->opt;
	return opt->stage || opt->owner || opt->source || opt->campaign ||
	    ctx->where_on || ctx->picked;
}

/* 1 if the --where holds for the lead in this row of a lead query whose
 * slots start at col0. */
int
where_holds(struct report_ctx *ctx, struct lead_stmt *st, int col0,
    const char **vals)
{
	if (!ctx->where_on)
		return 1;
	slot_vals(ctx, st, col0, vals);
	return lead_cond_eval(ctx->fields.mql[0].cond, vals);
}

/* The leads the filters keep, for the reports that start from something
 * else (assignments, touches). */
void
build_cohort(struct report_ctx *ctx)
{
	struct lead_stmt *st;
	const char **vals;

	if (!filtered(ctx))
		return;
	ctx->cohort = lead_xcalloc((size_t)ctx->maxid + 1, 1);
	vals = lead_xcalloc(ctx->fields.nslot + 1, sizeof *vals);
	st = cohort_query(ctx, LEAD_RQ_ID, 0);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);

		if (id > 0 && id <= ctx->maxid && where_holds(ctx, st, 1, vals))
			ctx->cohort[id] = 1;
	}
	lead_finalize(st);
	free(vals);
}

lead_time
ts_or(const char *s, lead_time dflt)
{
	lead_time t;

	return s && lead_time_stored(s, &t) == 0 ? t : dflt;
}

void
report_ctx_free(struct report_ctx *ctx)
{
	for (int64_t i = 0; i < ctx->nrepname; i++)
		free(ctx->repname[i]);
	free(ctx->repname);
	free(ctx->masks);
	free(ctx->cohort);
	free(ctx->vbuf);
	lead_rules_free(&ctx->fields);
}

/* ---- rows ------------------------------------------------------------- */

/*
 * The rows of a report: up to three key strings (NULL keys are empty)
 * mapped to a record of the report's counters (a lead_map), kept in the
 * order first seen and sorted by key for output.  A row's map key is
 * its keys each ended by a NUL, empty ones at the end left out.
 */
#define NKEY 3

/* The index of the row with these keys, made (zeroed) if new.  Empty
 * keys at the end are left out of the map's key, so that a report of
 * one key hashes one string. */
size_t
rows_idx(struct lead_map *m, const char *k0, const char *k1, const char *k2)
{
	const char *k[NKEY] = { k0, k1, k2 };
	int n = NKEY;

	while (n > 0 && (k[n - 1] == NULL || *k[n - 1] == '\0'))
		n--;
	return lead_map_index_strs(m, k, n);
}

void *
rows_get(struct lead_map *m, const char *k0, const char *k1, const char *k2)
{
	return lead_map_at(m, rows_idx(m, k0, k1, k2));
}

const char *
rows_key(const struct lead_map *m, size_t i, int j)
{
	size_t len;
	const char *k = lead_map_key(m, i, &len), *end = k + len;

	while (j-- > 0 && k < end)
		k += strlen(k) + 1;
	return k < end ? k : "";
}

/* Keys in byte order, an empty key (none) after the others. */
int
rows_keycmp(const struct lead_map *m, size_t a, size_t b)
{
	for (int i = 0; i < NKEY; i++) {
		const char *ka = rows_key(m, a, i), *kb = rows_key(m, b, i);
		int c;

		if (!*ka != !*kb)
			return *ka ? -1 : 1;
		if ((c = strcmp(ka, kb)) != 0)
			return c;
	}
	return 0;
}

size_t *
rows_sorted(const struct lead_map *m)
{
	return lead_map_sorted(m, rows_keycmp);
}

int
pair_add(struct lead_map *s, size_t row, int64_t lead)
{
	int64_t k[2] = { (int64_t)row, lead };

	return lead_map_add(s, k, sizeof k);
}

/* ---- samples ---------------------------------------------------------- */

void
sample_add(struct samples *s, int64_t v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = lead_xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = v;
	s->sorted = 0;
}

static int
i64cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The nearest-rank percentile p (0 < p <= 1): the smallest sample with at
 * least p of the samples at or below it.  Sorts s. */
static int64_t
percentile(struct samples *s, double p)
{
	size_t r;

	if (!s->sorted && s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, i64cmp);
	s->sorted = 1;
	r = (size_t)ceil(p * (double)s->n);
	return s->v[r ? r - 1 : 0];
}

/* ---- formatting ------------------------------------------------------- */

/* A small ring of buffers, so that a row's values can be formatted in
 * one expression. */
char *
fmtbuf(void)
{
	static char ring[64][FMTLEN];
	static int i;

	return ring[i++ & 63];
}

const char *
fmt_int(int64_t v)
{
	char *b = fmtbuf();

	snprintf(b, FMTLEN, "%lld", (long long)v);
	return b;
}

const char *
fmt_fixed(double v, int places)
{
	char *b = fmtbuf();

	if (!isfinite(v))
		return NULL;
	/* Halves away from zero, as people round: 31.25 % is 31.3. */
	{
		double scale = places == 1 ? 10 : places == 2 ? 100 : 1;

		v = round(v * scale) / scale;
	}
	snprintf(b, FMTLEN, "%.*f", places, v);
	if (strcmp(b, "-0.0") == 0 || strcmp(b, "-0.00") == 0)
		memmove(b, b + 1, strlen(b));
	return b;
}

/* a as a percentage of b, one decimal; empty when b is 0. */
const char *
fmt_pct(int64_t a, int64_t b)
{
	return b ? fmt_fixed(100.0 * (double)a / (double)b, 1) : NULL;
}

/* Seconds in hours or days, one decimal. */
static const char *
fmt_hours(int64_t s)
{
	return fmt_fixed((double)s / 3600, 1);
}

const char *
fmt_days(int64_t s)
{
	return fmt_fixed((double)s / 86400, 1);
}

/* The median and p90 of samples in days (unit 86400) or hours (3600). */
void
fmt_spread(struct samples *s, int hours, const char **med, const char **p90)
{
	*med = *p90 = NULL;
	if (s->n == 0)
		return;
	*med = hours ? fmt_hours(percentile(s, 0.5)) :
	    fmt_days(percentile(s, 0.5));
	*p90 = hours ? fmt_hours(percentile(s, 0.9)) :
	    fmt_days(percentile(s, 0.9));
}

/* The --by key of a time ("2026-11-22T...": month 2026-11, week the
 * Monday it starts on); buf holds at least 11 bytes. */
const char *
period(struct report_ctx *ctx, const char *ts, char *buf)
{
	char tmp[LEAD_TIME_LEN];
	lead_time t;
	int64_t days;

	if (ts == NULL || lead_time_stored(ts, &t) < 0)
		return NULL;
	if (ctx->opt->by == BY_MONTH) {
		snprintf(buf, 11, "%.7s", ts);
		return buf;
	}
	days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	days -= ((days + 3) % 7 + 7) % 7;	/* 1970-01-01 was a Thursday */
	lead_time_format(days * 86400, tmp);
	snprintf(buf, 11, "%.10s", tmp);
	return buf;
}

/* The --by key of a lead. */
const char *
by_key(struct report_ctx *ctx, const char *source, const char *campaign,
    int64_t owner, const char *created, char *buf)
{
	switch (ctx->opt->by) {
	case BY_SOURCE:
		return source;
	case BY_CAMPAIGN:
		return campaign;
	case BY_OWNER:
		return rep_name(ctx, owner);
	case BY_MONTH:
	case BY_WEEK:
		return period(ctx, created, buf);
	default:
		return NULL;
	}
}

