/*
 * report.h: what lead-report's reports share.  lead-report.c parses the
 * options and opens the snapshot; each report is a file of this folder,
 * a function of a report_ctx (the options, the database, and what is
 * read once for any report: reps, the stages each lead reached, the
 * leads the filters keep) that writes its rows through emit.c.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdint.h>

#include "store-reports.h"

/* What --by groups by. */
enum by { BY_NONE, BY_SOURCE, BY_CAMPAIGN, BY_OWNER, BY_MONTH, BY_WEEK };
extern const char *const bynames[];

struct report_opts {
	struct lead_common c;
	const char *since, *until;	/* as given */
	char from[LEAD_TIME_LEN], to[LEAD_TIME_LEN];	/* [from, to) */
	enum by by;
	const char *stage, *owner, *source, *campaign, *where;
	const char *columns;
	double band;
	int64_t stuck;
	const char *goal;
	int band_set, stuck_set, goal_set;
	const char *cap;
	int chart, ascii;
	const char *chartcol, *svg;
	long width;
};

/* The stages are lead_stage_names (stage.c), in funnel order. */
enum {
	S_NEW = LEAD_S_NEW, S_NURTURE = LEAD_S_NURTURE, S_MQL = LEAD_S_MQL,
	S_SAL = LEAD_S_SAL, S_SQL = LEAD_S_SQL, S_OPP = LEAD_S_OPPORTUNITY,
	S_WON = LEAD_S_WON, S_LOST = LEAD_S_LOST,
	S_DISQ = LEAD_S_DISQUALIFIED, NSTAGE = LEAD_NSTAGE
};
#define BIT(s) (1u << (s))
/* A lead reached a funnel stage if it was ever there or anywhere after
 * it: a won lead was an opportunity even if nobody logged the quote. */
extern const unsigned from_bits[NSTAGE];
#define REACHED(mask, s) (((mask) & from_bits[s]) != 0)

/* A report's columns: name, and whether it holds numbers. */
struct col {
	const char *name;
	int num;
};

/* The output under way: the table, and the rows kept for a chart. */
struct emit {
	const char *report;
	struct lead_out *w;	/* the data, unless --chart */
	const struct col *cols;
	size_t ncols;
	int ccol;		/* the column charted, -1 none */
	int nkey;		/* leading text columns that label a bar */
	int heads;		/* the first of them heads blocks of bars */
	int personal;		/* rows name people: the SVG is 0600 */
	char **head, **label, **shown;
	double *value;
	size_t n, cap;
};

struct report_ctx {
	const struct report_opts *opt;
	struct lead_conn *db;
	lead_time now;
	char nowstr[LEAD_TIME_LEN];
	int64_t maxid;		/* the highest lead id */
	uint16_t *masks;	/* per lead id: the stages it was ever at */
	uint8_t *cohort;	/* per lead id: kept by the filters; NULL all */
	char **repname;		/* per rep id */
	int64_t nrepname;
	struct lead_rules fields;	/* slots read by --where, --columns */
	int where_on;		/* fields.mql[0] is the --where */
	int picked;		/* lead lists given: temp.pick holds them */
	char (*vbuf)[32];	/* per slot: room for a value made */
	size_t nvbuf;
	struct emit em;
};

/* The reports. */
int report_funnel(struct report_ctx *ctx);
int report_campaigns(struct report_ctx *ctx);
int report_sla(struct report_ctx *ctx);
int report_scoring(struct report_ctx *ctx);
int report_aging(struct report_ctx *ctx);
int report_velocity(struct report_ctx *ctx);
int report_rejections(struct report_ctx *ctx);
int report_content(struct report_ctx *ctx);
int report_fatigue(struct report_ctx *ctx);
int report_leads(struct report_ctx *ctx);

/* ---- shared.c: the snapshot ------------------------------------------- */

void load_reps(struct report_ctx *ctx);
void load_masks(struct report_ctx *ctx);
void report_ctx_free(struct report_ctx *ctx);
const char *rep_name(struct report_ctx *ctx, int64_t id);
/* 1 if the filters keep lead id (build_cohort made the set). */
int kept(struct report_ctx *ctx, int64_t id);
/* Any lead filter given: the reports count only the leads it keeps. */
int filtered(struct report_ctx *ctx);
void build_cohort(struct report_ctx *ctx);
/* The leads the filters keep, with the columns cols and the slots. */
struct lead_stmt *cohort_query(struct report_ctx *ctx, enum lead_rq cols,
    int flags);
/* The slots' values in a row of a cohort query, from column col0; vals
 * holds fields.nslot. */
void slot_vals(struct report_ctx *ctx, struct lead_stmt *st, int col0,
    const char **vals);
/* 1 if the --where holds for the lead in this row. */
int where_holds(struct report_ctx *ctx, struct lead_stmt *st, int col0,
    const char **vals);
/* The stages a lead reached: its history and its stage now. */
static inline unsigned
stages_reached(const struct report_ctx *ctx, int64_t id, const char *stage)
{
	int s = lead_stage_index(stage);

	return (id > 0 && id <= ctx->maxid ? ctx->masks[id] : 0) |
	    (s >= 0 ? BIT(s) : 0);
}
/* The --by key of a time (month, or the Monday of its week; buf holds
 * 11 bytes) and of a lead. */
const char *period(struct report_ctx *ctx, const char *ts, char *buf);
const char *by_key(struct report_ctx *ctx, const char *source,
    const char *campaign, int64_t owner, const char *created, char *buf);
static inline const char *
col_text(struct lead_stmt *st, int i)
{
	return lead_column_text(st, i);
}
lead_time ts_or(const char *s, lead_time dflt);
#define NOTIME INT64_MIN

/* ---- shared.c: rows by up to three keys (NULL keys are empty) --------- */

size_t rows_idx(struct lead_map *m, const char *k0, const char *k1,
    const char *k2);
void *rows_get(struct lead_map *m, const char *k0, const char *k1,
    const char *k2);
/* Row i's key j (0 .. 2), "" when none. */
const char *rows_key(const struct lead_map *m, size_t i, int j);
/* The rows' indexes by key, in byte order, an empty key after others. */
int rows_keycmp(const struct lead_map *m, size_t a, size_t b);
size_t *rows_sorted(const struct lead_map *m);
/* 1 if (row, lead) is new in the set s: a lead counted once a row. */
int pair_add(struct lead_map *s, size_t row, int64_t lead);

/* ---- shared.c: samples and formatting ---------------------------------- */

struct samples {
	int64_t *v;
	size_t n, cap;
	int sorted;
};
void sample_add(struct samples *s, int64_t v);

#define FMTLEN 64
char *fmtbuf(void);
const char *fmt_int(int64_t v);
const char *fmt_fixed(double v, int places);
const char *fmt_pct(int64_t a, int64_t b);
const char *fmt_days(int64_t s);
void fmt_spread(struct samples *s, int hours, const char **med,
    const char **p90);

/* ---- emit.c: the table, or the chart ----------------------------------- */

void emit_begin(struct report_ctx *ctx, const char *report,
    const struct col *cols, size_t ncols, const char *chart, int nkey,
    int heads, int personal);
/* With the --by key as cols[0] when k (left out when not); rows are
 * then given from row + 1 - k. */
void emit_begin_by(struct report_ctx *ctx, const char *report,
    struct col *cols, size_t ncols, const char *chart, int nkey, int k);
void emit_row(struct report_ctx *ctx, const char *const *vals);
int emit_end(struct report_ctx *ctx);

#endif
