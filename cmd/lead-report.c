/*
 * lead-report: the shared measurements sales and marketing both trust.
 *
 * Named reports over the lead database, each a table on stdout: the
 * funnel by cohort, campaign cost and return, the reps' follow-up against
 * their SLA, how well the scoring rules pick, aging, velocity, rejection
 * reasons, content influence, contact fatigue, and a filtered lead list.
 * Every report reads one snapshot of the database (one read transaction)
 * and changes nothing.  The denominators of every percentage are in
 * lead-report(1).
 *
 * The reports that count leads read the lead table once, in one pass,
 * with each lead's stages (stage_history, read once into an array by lead
 * id) beside it; medians are taken in C over the kept samples.  --chart
 * and --svg draw any report's rows as bars (chart_*).
 */
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "store-reports.h"

static const char *const synopsis[] = {
	"funnel|campaigns|sla|velocity|rejections [-d db] [--since time] "
	    "[--until time] [--by key] [lead filters] [chart options] "
	    "[output options] [file ...]",
	"aging [-d db] [--stuck duration] [--since time] [--until time] "
	    "[--by key] [lead filters] [chart options] [output options] "
	    "[file ...]",
	"scoring [-d db] [--band width] [--since time] [--until time] "
	    "[lead filters] [chart options] [output options] [file ...]",
	"content [-d db] [--goal stage] [--since time] [--until time] "
	    "[lead filters] [chart options] [output options] [file ...]",
	"fatigue [-d db] [--cap spec] [lead filters] [chart options] "
	    "[output options] [file ...]",
	"leads [-d db] [--columns list] [--since time] [--until time] "
	    "[lead filters] [chart options] [output options] [file ...]",
	NULL
};

enum {
	OPT_SINCE = LEAD_OPT_FIRST_FREE, OPT_UNTIL, OPT_BY, OPT_STAGE,
	OPT_OWNER, OPT_SOURCE, OPT_CAMPAIGN, OPT_WHERE, OPT_BAND, OPT_STUCK,
	OPT_GOAL, OPT_CAP, OPT_COLUMNS, OPT_CHART, OPT_BAR, OPT_ASCII, OPT_SVG,
	OPT_WIDTH
};

/* What --by groups by. */
enum by { BY_NONE, BY_SOURCE, BY_CAMPAIGN, BY_OWNER, BY_MONTH, BY_WEEK };

static struct {
	struct lead_common c;
	const char *since, *until;	/* as given */
	char from[LEAD_TIME_LEN], to[LEAD_TIME_LEN];	/* [from, to) */
	int window;			/* --since or --until given */
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
} opt;

static const struct lead_option options[] = {
	LEAD_HEADING("Reports:"),
	LEAD_HEADING("  funnel      leads reaching each stage, and stage-to-stage conversion"),
	LEAD_HEADING("  campaigns   leads, conversions, cost and return per source/campaign"),
	LEAD_HEADING("  sla         per rep: assigned, accepted, time to first touch, SLA"),
	LEAD_HEADING("  scoring     conversion by score band, by grade, and of the MQLs"),
	LEAD_HEADING("  aging       leads in each open stage, and those stuck in it"),
	LEAD_HEADING("  velocity    median days from stage to stage"),
	LEAD_HEADING("  rejections  why sales rejected leads, by source and campaign"),
	LEAD_HEADING("  content     the assets seen by leads that progressed, and not"),
	LEAD_HEADING("  fatigue     leads at or over a contact cap now"),
	LEAD_HEADING("  leads       a filtered lead list"),
	LEAD_HEADING("Period and grouping:"),
	{ "since", 0, OPT_SINCE, "TIME",
	    .help = "the period's start (a date, a time, or a\n"
	    "duration back from now: 90d)",
	    .str = &opt.since },
	{ "until", 0, OPT_UNTIL, "TIME",
	    .help = "the period's end; --until DATE includes\n"
	    "that day",
	    .str = &opt.until },
	{ "by", 0, OPT_BY, "KEY",
	    .help = "source, campaign, owner, month or week" },
	LEAD_HEADING("Lead filters (any report; files name leads, - for stdin):"),
	{ "stage", 0, OPT_STAGE, "LIST",
	    .help = "the leads now at these stages (mql,sal)",
	    .str = &opt.stage },
	{ "owner", 0, OPT_OWNER, "REP",
	    .help = "owned by this rep (name or email)",
	    .str = &opt.owner },
	{ "source", 0, OPT_SOURCE, "NAME",
	    .help = "of this first-touch source",
	    .str = &opt.source },
	{ "campaign", 0, OPT_CAMPAIGN, "NAME",
	    .help = "of this first-touch campaign",
	    .str = &opt.campaign },
	{ "where", 0, OPT_WHERE, "COND",
	    .help = "a condition as in lead-rules(5): score > 50",
	    .str = &opt.where },
	LEAD_HEADING("Report options:"),
	{ "band", 0, OPT_BAND, "N",
	    .help = "scoring: score band width (default 10)" },
	{ "stuck", 0, OPT_STUCK, "DURATION",
	    .help = "aging: stuck after this long (default 30d)" },
	{ "goal", 0, OPT_GOAL, "STAGE",
	    .help = "content: progressed means reached STAGE\n"
	    "(default opportunity)" },
	{ "cap", 0, OPT_CAP, "SPEC",
	    .help = "fatigue: these caps, not the stored ones",
	    .str = &opt.cap },
	{ "columns", 0, OPT_COLUMNS, "LIST",
	    .help = "leads: the columns to print",
	    .str = &opt.columns },
	LEAD_HEADING("Chart options:"),
	{ "chart", 0, OPT_CHART, "[=COLUMN]",
	    .help = "draw the rows as bars instead of the table" },
	{ "bar", 0, OPT_BAR, "COLUMN",
	    .help = "the number column the bars show",
	    .str = &opt.chartcol },
	{ "ascii", 0, OPT_ASCII, NULL,
	    .help = "bars of '#', not Unicode blocks",
	    .flag = &opt.ascii },
	{ "svg", 0, OPT_SVG, "FILE",
	    .help = "also write the chart as an SVG picture",
	    .str = &opt.svg },
	{ "width", 0, OPT_WIDTH, "N",
	    .help = "chart width (default $COLUMNS, else 80)" },
	{ 0 }
};

static const struct lead_usage usage = { synopsis, options,
    LEAD_TAKES_OUTPUT | LEAD_TAKES_INPUT };

static const char *const bynames[] = {
	"", "source", "campaign", "owner", "month", "week"
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
static const unsigned from_bits[NSTAGE] = {
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
#define REACHED(mask, s) (((mask) & from_bits[s]) != 0)


/* ---- the snapshot: reps, stages, the leads the filters keep --------------- */

static struct lead_conn *db;
static lead_time now;
static char nowstr[LEAD_TIME_LEN];
static int64_t maxid;		/* the highest lead id */
static uint16_t *masks;		/* per lead id: the stages it was ever at */
static uint8_t *cohort;		/* per lead id: kept by the filters; NULL all */
static char **repname;		/* per rep id */
static int64_t nrepname;

static const char *
rep_name(int64_t id)
{
	return id > 0 && id < nrepname ? repname[id] : NULL;
}

static void
load_reps(void)
{
	struct lead_stmt *st;

	nrepname = lead_report_max_id(db, "rep") + 1;
	repname = lead_xcalloc((size_t)nrepname, sizeof *repname);
	st = lead_report_reps(db);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);

		if (id > 0 && id < nrepname)
			repname[id] = lead_xstrdup((const char *)
			    lead_column_text(st, 1));
	}
	lead_finalize(st);
}

/* Every stage each lead was ever at, from the stage history. */
static void
load_masks(void)
{
	struct lead_stmt *st;

	if (masks)
		return;
	masks = lead_xcalloc((size_t)maxid + 1, sizeof *masks);
	st = lead_report_stage_moves(db);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);
		int a = lead_stage_index(lead_column_text(st, 1));
		int b = lead_stage_index(lead_column_text(st, 2));

		if (id <= 0 || id > maxid)
			continue;
		if (a >= 0)
			masks[id] |= (uint16_t)BIT(a);
		if (b >= 0)
			masks[id] |= (uint16_t)BIT(b);
	}
	lead_finalize(st);
}

static int
kept(int64_t id)
{
	return cohort == NULL || (id > 0 && id <= maxid && cohort[id]);
}

/* ---- --where and --columns: the lead fields ------------------------------- */

static struct lead_rules fields;	/* slots read by --where, --columns */
static int where_on;		/* fields.mql[0] is the --where */
static int picked;		/* lead lists given: temp.pick holds them */

/* The values of the slots in a row of the lead query, from column col0;
 * vals must hold fields.nslot. */
static void
slot_vals(struct lead_stmt *st, int col0, const char **vals)
{
	static char (*buf)[32];
	static size_t nbuf;

	if (nbuf < fields.nslot) {
		buf = lead_xrealloc(buf, fields.nslot * sizeof *buf);
		nbuf = fields.nslot;
	}
	for (size_t i = 0; i < fields.nslot; i++)
		vals[i] = lead_slot_value(&fields.slot[i], (const char *)
		    lead_column_text(st, col0 + (int)i), now, buf[i]);
}

/* The leads the filters keep, with the columns cols and the slots. */
static struct lead_stmt *
lead_query(enum lead_rq cols, int flags)
{
	struct lead_report_filter f = {
		.from = opt.from, .to = opt.to, .stages = opt.stage,
		.owner = opt.owner, .source = opt.source,
		.campaign = opt.campaign, .picked = picked, .fields = &fields
	};

	return lead_report_leads(db, &f, cols, flags);
}

/* Any lead filter given: the reports count only the leads it keeps. */
static int
filtered(void)
{
	return opt.stage || opt.owner || opt.source || opt.campaign ||
	    where_on || picked;
}

/* 1 if the --where holds for the lead in this row of a lead query whose
 * slots start at col0. */
static int
where_holds(struct lead_stmt *st, int col0, const char **vals)
{
	if (!where_on)
		return 1;
	slot_vals(st, col0, vals);
	return lead_cond_eval(fields.mql[0].cond, vals);
}

/* The leads the filters keep, for the reports that start from something
 * else (assignments, touches). */
static void
build_cohort(void)
{
	struct lead_stmt *st;
	const char **vals;

	if (!filtered())
		return;
	cohort = lead_xcalloc((size_t)maxid + 1, 1);
	vals = lead_xcalloc(fields.nslot + 1, sizeof *vals);
	st = lead_query(LEAD_RQ_ID, 0);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);

		if (id > 0 && id <= maxid && where_holds(st, 1, vals))
			cohort[id] = 1;
	}
	lead_finalize(st);
	free(vals);
}

/* ---- groups ----------------------------------------------------------------- */

/*
 * The rows of a report: up to three key strings (NULL keys are empty)
 * mapped to a fixed-size record of the report's counters, kept in the
 * order first seen and sorted by key for output.
 */
#define NKEY 3

struct gmap {
	size_t n, cap, size;
	char *(*key)[NKEY];
	char *data;		/* n records of size bytes */
	size_t *slot;		/* open addressing: index + 1, 0 empty */
	size_t nslot;
};

static void
gmap_init(struct gmap *m, size_t size)
{
	memset(m, 0, sizeof *m);
	m->size = size;
}

static uint32_t
keyhash(const char *const *k)
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < NKEY; i++) {
		for (const char *p = k[i] ? k[i] : ""; *p; p++)
			h = (h ^ (unsigned char)*p) * 16777619u;
		h = (h ^ 0x1f) * 16777619u;
	}
	return h;
}

static int
keyeq(char *const *a, const char *const *b)
{
	for (int i = 0; i < NKEY; i++)
		if (strcmp(a[i] ? a[i] : "", b[i] ? b[i] : ""))
			return 0;
	return 1;
}

static void
gmap_rehash(struct gmap *m)
{
	size_t ns = m->nslot ? m->nslot * 2 : 64;

	free(m->slot);
	m->slot = lead_xcalloc(ns, sizeof *m->slot);
	m->nslot = ns;
	for (size_t i = 0; i < m->n; i++) {
		size_t h = keyhash((const char *const *)m->key[i]) & (ns - 1);

		while (m->slot[h])
			h = (h + 1) & (ns - 1);
		m->slot[h] = i + 1;
	}
}

/* The index of the row with these keys, made (zeroed) if new. */
static size_t
gmap_idx(struct gmap *m, const char *k0, const char *k1, const char *k2)
{
	const char *k[NKEY] = { k0, k1, k2 };
	size_t h;

	if (2 * (m->n + 1) > m->nslot)
		gmap_rehash(m);
	h = keyhash(k) & (m->nslot - 1);
	for (; m->slot[h]; h = (h + 1) & (m->nslot - 1))
		if (keyeq(m->key[m->slot[h] - 1], k))
			return m->slot[h] - 1;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->key = lead_xrealloc(m->key, m->cap * sizeof *m->key);
		m->data = lead_xrealloc(m->data, m->cap * m->size);
	}
	for (int i = 0; i < NKEY; i++)
		m->key[m->n][i] = lead_xstrdup(k[i] ? k[i] : "");
	memset(m->data + m->n * m->size, 0, m->size);
	m->slot[h] = m->n + 1;
	return m->n++;
}

static void *
gmap_get(struct gmap *m, const char *k0, const char *k1, const char *k2)
{
	size_t i = gmap_idx(m, k0, k1, k2);	/* may move m->data */

	return m->data + i * m->size;
}

static void *
gmap_at(struct gmap *m, size_t i)
{
	return m->data + i * m->size;
}

static struct gmap *sorting;

/* Keys in byte order, an empty key (none) after the others. */
static int
keycmp(const void *a, const void *b)
{
	char *const *ka = sorting->key[*(const size_t *)a];
	char *const *kb = sorting->key[*(const size_t *)b];

	for (int i = 0; i < NKEY; i++) {
		int c;

		if (!*ka[i] != !*kb[i])
			return *ka[i] ? -1 : 1;
		if ((c = strcmp(ka[i], kb[i])) != 0)
			return c;
	}
	return 0;
}

/* The rows' indexes in key order; caller frees. */
static size_t *
gmap_sorted(struct gmap *m)
{
	size_t *ix = lead_xcalloc(m->n + 1, sizeof *ix);

	for (size_t i = 0; i < m->n; i++)
		ix[i] = i;
	sorting = m;
	if (m->n > 1)
		qsort(ix, m->n, sizeof *ix, keycmp);
	return ix;
}

static void
gmap_free(struct gmap *m)
{
	for (size_t i = 0; i < m->n; i++)
		for (int j = 0; j < NKEY; j++)
			free(m->key[i][j]);
	free(m->key);
	free(m->data);
	free(m->slot);
}

/* A set of (row, lead) pairs: who was counted in a row already. */
struct pairset {
	uint64_t *v;		/* 0 empty */
	size_t n, cap;
};

/* 1 if the pair is new (and now in the set). */
static int
pairset_add(struct pairset *s, size_t row, int64_t lead)
{
	uint64_t k = ((uint64_t)row << 40 | (uint64_t)lead) + 1;
	size_t h;

	if (2 * (s->n + 1) > s->cap) {
		struct pairset t = { lead_xcalloc(s->cap ? s->cap * 2 : 1024,
		    sizeof *t.v), 0, s->cap ? s->cap * 2 : 1024 };

		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i]) {
				h = (size_t)((s->v[i] * 0x9e3779b97f4a7c15ULL)
				    >> 20) & (t.cap - 1);
				while (t.v[h])
					h = (h + 1) & (t.cap - 1);
				t.v[h] = s->v[i];
				t.n++;
			}
		free(s->v);
		*s = t;
	}
	h = (size_t)((k * 0x9e3779b97f4a7c15ULL) >> 20) & (s->cap - 1);
	for (; s->v[h]; h = (h + 1) & (s->cap - 1))
		if (s->v[h] == k)
			return 0;
	s->v[h] = k;
	s->n++;
	return 1;
}

/* Samples for medians (seconds). */
struct samples {
	int64_t *v;
	size_t n, cap;
	int sorted;
};

static void
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

/* ---- formatting ------------------------------------------------------------- */

/* A small ring of buffers, so that a row's values can be formatted in
 * one expression. */
#define FMTLEN 64

static char *
fmtbuf(void)
{
	static char ring[64][FMTLEN];
	static int i;

	return ring[i++ & 63];
}

static const char *
fmt_int(int64_t v)
{
	char *b = fmtbuf();

	snprintf(b, FMTLEN, "%lld", (long long)v);
	return b;
}

static const char *
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
static const char *
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

static const char *
fmt_days(int64_t s)
{
	return fmt_fixed((double)s / 86400, 1);
}

/* The median and p90 of samples in days (unit 86400) or hours (3600). */
static void
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
static const char *
period(const char *ts, char *buf)
{
	char tmp[LEAD_TIME_LEN];
	lead_time t;
	int64_t days;

	if (ts == NULL || lead_time_stored(ts, &t) < 0)
		return NULL;
	if (opt.by == BY_MONTH) {
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
static const char *
lead_key(const char *source, const char *campaign, int64_t owner,
    const char *created, char *buf)
{
	switch (opt.by) {
	case BY_SOURCE:
		return source;
	case BY_CAMPAIGN:
		return campaign;
	case BY_OWNER:
		return rep_name(owner);
	case BY_MONTH:
	case BY_WEEK:
		return period(created, buf);
	default:
		return NULL;
	}
}

static const char *
col_text(struct lead_stmt *st, int i)
{
	return lead_column_text(st, i);
}

/* ---- output: the table, or the chart ------------------------------------------ */

/* A report's columns: name, and whether it holds numbers. */
struct col {
	const char *name;
	int num;
};

static struct {
	const char *report;
	struct lead_out *w;	/* the data, unless --chart */
	const struct col *cols;
	size_t ncols;
	int ccol;		/* the column charted, -1 none */
	int nkey;		/* leading text columns that label a bar */
	int heads;		/* the first of them heads blocks of bars */
	int personal;		/* rows name people: the SVG is 0600 */
	/* the rows kept for the chart */
	char **head, **label, **shown;
	double *value;
	size_t n, cap;
} em;

#define CHART_MAXROWS 2000

/* Start a report with these columns; chart is the column charted unless
 * --chart names another, the first nkey columns label the bars, and with
 * heads the first of them heads blocks of bars instead. */
static void
emit_begin(const char *report, const struct col *cols, size_t ncols,
    const char *chart, int nkey, int heads, int personal)
{
	const char **names;
	int *num, nn = 0;

	em.report = report;
	em.cols = cols;
	em.ncols = ncols;
	em.personal = personal;
	em.ccol = -1;
	em.nkey = nkey;
	em.heads = heads && nkey >= 2;
	if (opt.chart || opt.svg) {
		const char *want = opt.chartcol ? opt.chartcol : chart;

		for (size_t i = 0; i < ncols; i++)
			if (strcmp(cols[i].name, want) == 0)
				em.ccol = (int)i;
		if (em.ccol < 0 || !cols[em.ccol].num) {
			struct lead_buf b = { 0 };

			for (size_t i = 0; i < ncols; i++)
				if (cols[i].num)
					lead_buf_addf(&b, "%s%s", b.len ? ", " :
					    "", cols[i].name);
			lead_die(LEAD_EX_USAGE, "chart: %s has no number "
			    "column '%s' (it has %s; --bar names one)", report,
			    want, b.len ? b.s : "none");
		}
	}
	if (opt.chart)
		return;
	/* As many as the report has: the leads report's are the user's. */
	names = lead_xcalloc(ncols + 1, sizeof *names);
	num = lead_xcalloc(ncols + 1, sizeof *num);
	for (size_t i = 0; i < ncols; i++) {
		names[i] = cols[i].name;
		if (cols[i].num)
			num[nn++] = (int)i;
	}
	num[nn] = -1;
	em.w = lead_out_num(stdout, &opt.c.out, names, ncols, num);
	free(names);
	free(num);
}

static void
emit_row(const char *const *vals)
{
	struct lead_buf b = { 0 };
	const char *v;
	int first = 1, heads = em.heads;

	if (em.w)
		lead_out_row(em.w, vals);
	if (em.ccol < 0)
		return;
	if (em.n == CHART_MAXROWS)
		lead_die(LEAD_EX_USAGE, "chart: more than %d rows to draw; "
		    "narrow the report (--since, --where, ...)", CHART_MAXROWS);
	if (em.n == em.cap) {
		em.cap = em.cap ? em.cap * 2 : 32;
		em.head = lead_xrealloc(em.head, em.cap * sizeof *em.head);
		em.label = lead_xrealloc(em.label, em.cap * sizeof *em.label);
		em.shown = lead_xrealloc(em.shown, em.cap * sizeof *em.shown);
		em.value = lead_xrealloc(em.value, em.cap * sizeof *em.value);
	}
	/* With two keys or more, the first heads a block of bars. */
	em.head[em.n] = heads ? lead_xstrdup(vals[0] && *vals[0] ? vals[0] :
	    "(none)") : NULL;
	for (int i = heads; i < em.nkey; i++) {
		lead_buf_addf(&b, "%s%s", first ? "" : " / ",
		    vals[i] && *vals[i] ? vals[i] : "(none)");
		first = 0;
	}
	if (em.nkey == 0)
		lead_buf_adds(&b, "");
	em.label[em.n] = lead_buf_take(&b);
	v = vals[em.ccol];
	em.shown[em.n] = lead_xstrdup(v ? v : "");
	em.value[em.n] = v && *v ? strtod(v, NULL) : NAN;
	em.n++;
}

/* The chart's width in columns. */
static long
chart_width(void)
{
	const char *c = getenv("COLUMNS");
	struct winsize ws;

	if (opt.width)
		return opt.width;
	if (c && atol(c) >= 20 && atol(c) <= 1000)
		return atol(c);
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) ==
	    0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

static double
chart_max(void)
{
	double max = 0;

	for (size_t i = 0; i < em.n; i++)
		if (em.value[i] > max)
			max = em.value[i];
	return max;
}

/* The chart's title: report, column, period, grouping, filters. */
static char *
chart_title(void)
{
	struct lead_buf b = { 0 };

	lead_buf_addf(&b, "%s: %s", em.report, em.cols[em.ccol].name);
	if (opt.by)
		lead_buf_addf(&b, " by %s", bynames[opt.by]);
	if (opt.since)
		lead_buf_addf(&b, ", since %s", opt.from);
	if (opt.until)
		lead_buf_addf(&b, ", until %s", opt.to);
	if (filtered())
		lead_buf_adds(&b, ", filtered");
	return lead_buf_take(&b);
}

#define LABEL_MAXW 32

static void
chart_draw(FILE *fp)
{
	static const char *const eighth[] = {
		"", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a",
		"\u2589"
	};
	long width = chart_width();
	size_t lw = 1, vw = 1, bw;
	double max = chart_max();
	char **cell = lead_xcalloc(em.n + 1, sizeof *cell);
	char *t = chart_title(), *ts = lead_cell(t, (size_t)width);

	fprintf(fp, "%s\n", ts);
	free(ts);
	free(t);
	for (size_t i = 0; i < em.n; i++) {
		cell[i] = lead_cell(em.label[i], LABEL_MAXW);
		if (lead_dispwidth(cell[i]) > lw)
			lw = lead_dispwidth(cell[i]);
		if (strlen(em.shown[i]) > vw)
			vw = strlen(em.shown[i]);
	}
	bw = (size_t)width > lw + vw + 2 + 10 ? (size_t)width - lw - vw - 2 :
	    10;
	for (size_t i = 0; i < em.n; i++) {
		double v = em.value[i];
		size_t units = 0, pad;

		if (em.head[i] && (i == 0 || strcmp(em.head[i],
		    em.head[i - 1]))) {
			char *h = lead_cell(em.head[i], (size_t)width);

			fprintf(fp, "%s%s\n", i ? "\n" : "", h);
			free(h);
		}
		fputs(cell[i], fp);
		for (pad = lead_dispwidth(cell[i]); pad < lw + 1; pad++)
			fputc(' ', fp);
		if (max > 0 && v > 0)
			units = (size_t)llround(v / max * (double)bw *
			    (opt.ascii ? 1 : 8));
		if (opt.ascii) {
			for (size_t k = 0; k < units; k++)
				fputc('#', fp);
			pad = units;
		} else {
			for (size_t k = 0; k < units / 8; k++)
				fputs("\u2588", fp);
			fputs(eighth[units % 8], fp);
			pad = units / 8 + (units % 8 != 0);
		}
		for (; pad < bw + 1; pad++)
			fputc(' ', fp);
		fprintf(fp, "%*s\n", (int)vw, em.shown[i]);
		free(cell[i]);
	}
	if (em.n == 0)
		fputs("(no rows)\n", fp);
	free(cell);
}

/* Text for XML: the five specials escaped, control characters dropped
 * (XML 1.0 cannot carry them), and bytes that are not UTF-8 or
 * characters that hide or reorder text shown as '?' (an SVG with them
 * is not XML, or not what it seems). */
static void
xml_text(FILE *fp, const char *in)
{
	char *s = lead_xmalloc(strlen(in) + 1), *q = s;

	for (const unsigned char *p = (const unsigned char *)in; *p; p++)
		if (*p >= 0x20 && *p != 0x7f)
			*q++ = (char)*p;
	*q = '\0';
	lead_text_safe(s);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		switch (*p) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default:
			if (*p >= 0x20 && *p != 0x7f)
				fputc(*p, fp);
		}
	free(s);
}

#define SVG_ROW 22
#define SVG_W 900

static void
svg_write(FILE *fp)
{
	double max = chart_max();
	size_t lw = 8, vw = 4, nhead = 0, y;
	int barw;
	char *t = chart_title();

	for (size_t i = 0; i < em.n; i++) {
		size_t w = lead_dispwidth(em.label[i]);

		lw = w > lw ? w : lw;
		vw = strlen(em.shown[i]) > vw ? strlen(em.shown[i]) : vw;
		if (em.head[i] && (i == 0 || strcmp(em.head[i],
		    em.head[i - 1])))
			nhead++;
	}
	lw = lw > 48 ? 48 : lw;
	barw = SVG_W - 20 - (int)lw * 7 - (int)vw * 8 - 20;
	if (barw < 200)
		barw = 200;
	fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%zu\" viewBox=\"0 0 %d %zu\" font-family=\"sans-serif\" "
	    "font-size=\"12\">\n", SVG_W, (em.n + nhead + 3) * SVG_ROW, SVG_W,
	    (em.n + nhead + 3) * SVG_ROW);
	fputs("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n", fp);
	fputs("<text x=\"10\" y=\"24\" font-size=\"15\" font-weight=\"bold\">",
	    fp);
	xml_text(fp, t);
	fputs("</text>\n", fp);
	free(t);
	y = 2 * SVG_ROW;
	for (size_t i = 0; i < em.n; i++) {
		double v = em.value[i];
		double w = max > 0 && v > 0 ? v / max * barw : 0;
		int x0 = 20 + (int)lw * 7;

		if (em.head[i] && (i == 0 || strcmp(em.head[i],
		    em.head[i - 1]))) {
			y += SVG_ROW;
			fprintf(fp, "<text x=\"10\" y=\"%zu\" "
			    "font-weight=\"bold\">", y - 6);
			xml_text(fp, em.head[i]);
			fputs("</text>\n", fp);
		}
		y += SVG_ROW;
		fprintf(fp, "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\">",
		    x0 - 6, y - 6);
		xml_text(fp, em.label[i]);
		fprintf(fp, "</text>\n<rect x=\"%d\" y=\"%zu\" width=\"%.1f\" "
		    "height=\"%d\" fill=\"#4e79a7\"><title>", x0, y - SVG_ROW + 3,
		    w, SVG_ROW - 6);
		xml_text(fp, em.label[i]);
		fputs(": ", fp);
		xml_text(fp, em.shown[i]);
		fprintf(fp, "</title></rect>\n<text x=\"%.1f\" y=\"%zu\">",
		    x0 + w + 6, y - 6);
		xml_text(fp, em.shown[i]);
		fputs("</text>\n", fp);
	}
	fputs("</svg>\n", fp);
}

/* Write the SVG beside its place, then put it there. */
static void
svg_file(void)
{
	struct lead_buf tmp = { 0 };
	const char *slash = strrchr(opt.svg, '/');
	FILE *fp;

	if (slash)
		lead_buf_addf(&tmp, "%.*s/.%s.tmp", (int)(slash - opt.svg),
		    opt.svg, slash + 1);
	else
		lead_buf_addf(&tmp, ".%s.tmp", opt.svg);
	fp = lead_file_new(tmp.s, em.personal ? 0600 : 0666);
	svg_write(fp);
	if (fflush(fp) || ferror(fp) | fclose(fp) ||
	    rename(tmp.s, opt.svg) < 0) {
		unlink(tmp.s);
		lead_die(LEAD_EX_RUNTIME, "%s: cannot write the chart",
		    opt.svg);
	}
	lead_buf_free(&tmp);
}

static int
emit_end(void)
{
	int rc = LEAD_EX_OK;

	if (em.w && lead_out_close(em.w) < 0)
		rc = LEAD_EX_RUNTIME;
	if (opt.chart)
		chart_draw(stdout);
	if (opt.svg && em.ccol >= 0)
		svg_file();
	for (size_t i = 0; i < em.n; i++) {
		free(em.head[i]);
		free(em.label[i]);
		free(em.shown[i]);
	}
	free(em.head);
	free(em.label);
	free(em.shown);
	free(em.value);
	if (fflush(stdout) || ferror(stdout)) {
		lead_warn("stdout: write error");
		rc = LEAD_EX_RUNTIME;
	}
	return rc;
}

/* ---- funnel ----------------------------------------------------------------- */

/* The stages a funnel row shows, and the one before each (-1: none). */
static const int funnel_rows[] = {
	S_NEW, S_MQL, S_SAL, S_SQL, S_OPP, S_WON, S_NURTURE, S_LOST, S_DISQ
};
static const int funnel_prev[] = { -1, S_NEW, S_MQL, S_SAL, S_SQL, S_OPP,
	-1, -1, -1 };

struct frow {
	int64_t n[NSTAGE];	/* [S_NEW]: the cohort; others: reached */
};

/* The stages a lead in this row of a lead query reached. */
static unsigned
lead_mask(int64_t id, const char *stage)
{
	int s = lead_stage_index(stage);

	return (id > 0 && id <= maxid ? masks[id] : 0) | (s >= 0 ? BIT(s) :
	    0);
}

/* Start a report whose first column, cols[0], is the --by key when k
 * (and left out when not); rows are then given from row + 1 - k. */
static void
emit_begin_by(const char *report, struct col *cols, size_t ncols,
    const char *chart, int nkey, int k)
{
	if (k) {
		cols[0].name = bynames[opt.by];
		cols[0].num = 0;
	}
	emit_begin(report, cols + 1 - k, ncols - 1 + (size_t)k, chart,
	    nkey + k, k, 0);
}

static int
report_funnel(void)
{
	struct gmap m;
	struct lead_stmt *st;
	const char **vals = lead_xcalloc(fields.nslot + 1, sizeof *vals);
	char buf[16];
	size_t *ix;
	struct col cols[5] = { { 0 }, { "stage", 0 }, { "leads", 1 },
	    { "pct_of_cohort", 1 }, { "pct_of_previous", 1 } };
	int k = opt.by ? 1 : 0;

	load_masks();
	gmap_init(&m, sizeof(struct frow));
	if (!opt.by)
		gmap_idx(&m, NULL, NULL, NULL);
	st = lead_query(LEAD_RQ_FUNNEL, LEAD_RQ_WINDOW);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);
		unsigned mask = lead_mask(id, col_text(st, 1));
		struct frow *r;

		if (!where_holds(st, 6, vals))
			continue;
		r = gmap_get(&m, lead_key(col_text(st, 2), col_text(st, 3),
		    lead_column_int64(st, 4), col_text(st, 5), buf), NULL,
		    NULL);
		for (int s = 0; s < NSTAGE; s++)
			if (REACHED(mask, s))
				r->n[s]++;
	}
	lead_finalize(st);
	free(vals);

	emit_begin_by("funnel", cols, 5, "leads", 1, k);
	ix = gmap_sorted(&m);
	for (size_t i = 0; i < m.n; i++) {
		struct frow *r = gmap_at(&m, ix[i]);

		for (size_t j = 0; j < sizeof funnel_rows / sizeof *funnel_rows;
		    j++) {
			int s = funnel_rows[j], p = funnel_prev[j];
			const char *row[5] = { m.key[ix[i]][0], lead_stage_names[s],
			    fmt_int(r->n[s]), fmt_pct(r->n[s], r->n[S_NEW]),
			    p >= 0 ? fmt_pct(r->n[s], r->n[p]) : NULL };

			emit_row(row + 1 - k);
		}
	}
	free(ix);
	gmap_free(&m);
	return emit_end();
}

/* ---- campaigns ---------------------------------------------------------------- */

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
camp_keys(const char *source, const char *campaign, const char **k0,
    const char **k1)
{
	*k0 = opt.by == BY_CAMPAIGN ? campaign : source;
	*k1 = opt.by ? NULL : campaign;
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

static int
report_campaigns(void)
{
	struct gmap m;
	struct pairset seen = { 0 };
	struct lead_stmt *st;
	const char **vals = lead_xcalloc(fields.nslot + 1, sizeof *vals);
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
	int nk = opt.by ? 1 : 2;

	for (size_t i = 0; i < 14; i++)
		if (!(i == 0 && opt.by == BY_CAMPAIGN) &&
		    !(i == 1 && opt.by == BY_SOURCE))
			use[nc++] = cols[i];

	load_masks();
	build_cohort();
	gmap_init(&m, sizeof(struct crow));
	newrow = lead_xcalloc((size_t)maxid + 1, sizeof *newrow);

	/* The imports of the period (not undone): their rows, and cost.  A
	 * batch whose every record was rejected bought no leads: its list
	 * is imported again, corrected, with the same cost (lead-import(1)
	 * does not take such a batch for imported content either). */
	maxb = lead_report_max_id(db, "batch");
	brow = lead_xcalloc((size_t)maxb + 1, sizeof *brow);
	st = lead_report_batches(db, opt.from, opt.to);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t b = lead_column_int64(st, 0);
		size_t g;

		camp_keys(col_text(st, 1), col_text(st, 2), &k0, &k1);
		g = gmap_idx(&m, k0, k1, NULL);
		if (b > 0 && b <= maxb)
			brow[b] = (uint32_t)g + 1;
		if (lead_column_type(st, 3) != LEAD_NULL) {
			struct crow *r = gmap_at(&m, g);

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
	st = lead_query(LEAD_RQ_CAMPAIGNS, 0);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);
		int64_t fb = lead_column_int64(st, 6);
		const char *created = col_text(st, 5);
		unsigned mask = lead_mask(id, col_text(st, 1));
		size_t g = SIZE_MAX;

		if (id <= 0 || id > maxid || !where_holds(st, 7, vals))
			continue;
		if (created && strcmp(created, opt.from) >= 0 &&
		    strcmp(created, opt.to) < 0) {
			struct crow *r;

			camp_keys(col_text(st, 2), col_text(st, 3), &k0, &k1);
			g = gmap_idx(&m, k0, k1, NULL);
			r = gmap_at(&m, g);
			r->leads++;
			r->nnew++;
			for (int s = 0; s < NSTAGE; s++)
				if (REACHED(mask, s))
					r->n[s]++;
			r->amount += lead_db_cents(st, 4);
			newrow[id] = (uint32_t)g + 1;
		}
		if (fb > 0 && fb <= maxb && brow[fb] && brow[fb] - 1 != g &&
		    pairset_add(&seen, brow[fb] - 1, id))
			((struct crow *)gmap_at(&m, brow[fb] - 1))->leads++;
	}
	lead_finalize(st);
	free(vals);

	/* The known leads its imports named again. */
	st = lead_report_batch_leads(db);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t b = lead_column_int64(st, 0);
		int64_t id = lead_column_int64(st, 1);
		size_t g;

		if (b <= 0 || b > maxb || !brow[b] || id <= 0 || id > maxid ||
		    !kept(id))
			continue;
		g = brow[b] - 1;
		if (newrow[id] != g + 1 && pairset_add(&seen, g, id))
			((struct crow *)gmap_at(&m, g))->leads++;
	}
	lead_finalize(st);
	free(newrow);
	free(brow);
	free(seen.v);

	emit_begin("campaigns", use, nc, "leads", nk, 0, 0);
	ix = gmap_sorted(&m);
	for (size_t i = 0; i < m.n; i++) {
		struct crow *r = gmap_at(&m, ix[i]);
		char *const *k = m.key[ix[i]];
		int64_t c = r->cost;
		const char *row[14];
		size_t n = 0;

		/* With a lead filter, a campaign none of whose leads it
		 * keeps has nothing to say. */
		if (filtered() && r->leads == 0)
			continue;
		row[n++] = k[0];
		if (!opt.by)
			row[n++] = k[1];
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
		emit_row(row);
	}
	free(ix);
	gmap_free(&m);
	return emit_end();
}

/* ---- sla ---------------------------------------------------------------------- */

struct srow {
	int64_t assigned, accepted, rejected, touched, due_n, within;
	int64_t overdue, never;
	int64_t nocontext;	/* touches logged without the protocol's context */
	struct samples tt;	/* seconds to first touch */
};

static lead_time
ts_or(const char *s, lead_time dflt)
{
	lead_time t;

	return s && lead_time_stored(s, &t) == 0 ? t : dflt;
}

#define NOTIME INT64_MIN

static int
report_sla(void)
{
	struct gmap m;
	struct lead_stmt *st;
	char buf[16], rb[32];
	size_t *ix;
	struct col cols[] = { { 0 }, { "rep", 0 }, { "assigned", 1 },
	    { "accepted", 1 }, { "rejected", 1 }, { "touched", 1 },
	    { "median_hours_to_touch", 1 }, { "p90_hours_to_touch", 1 },
	    { "within_sla_pct", 1 }, { "overdue", 1 }, { "never_touched", 1 },
	    { "touches_without_context", 1 } };
	int k = opt.by == BY_MONTH || opt.by == BY_WEEK;

	build_cohort();
	gmap_init(&m, sizeof(struct srow));
	if (!k) {
		st = lead_report_active_reps(db);
		while (lead_db_step(st) == LEAD_ROW)
			gmap_idx(&m, col_text(st, 0), NULL, NULL);
		lead_finalize(st);
	}
	st = lead_report_assignments(db, opt.from, opt.to);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t rep = lead_column_int64(st, 1);
		const char *name = rep_name(rep), *at = col_text(st, 2);
		lead_time t = ts_or(at, NOTIME);
		lead_time due = ts_or(col_text(st, 3), NOTIME);
		lead_time ft = ts_or(col_text(st, 4), NOTIME);
		int ended = lead_column_type(st, 7) != LEAD_NULL;
		int s = lead_stage_index(col_text(st, 9));
		struct srow *r;

		if (!kept(lead_column_int64(st, 0)) || t == NOTIME)
			continue;
		if (name == NULL) {
			snprintf(rb, sizeof rb, "#%lld", (long long)rep);
			name = rb;
		}
		r = k ? gmap_get(&m, period(at, buf), name, NULL) :
		    gmap_get(&m, name, NULL, NULL);
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
			if (due != NOTIME && due < now)
				r->due_n++;
			if (!ended && due != NOTIME && due < now &&
			    lead_column_int64(st, 8) == rep &&
			    s >= S_MQL && s <= S_OPP)
				r->overdue++;
			if (ended || (due != NOTIME && due < now))
				r->never++;
		}
	}
	lead_finalize(st);
	/* The touches in the period kept without the context the protocol
	 * asks (an imported history), by who logged them. */
	st = lead_report_bare_touches(db, opt.from, opt.to);
	while (lead_db_step(st) == LEAD_ROW) {
		const char *name = col_text(st, 0), *at = col_text(st, 1);
		struct srow *r;

		if (!kept(lead_column_int64(st, 2)))
			continue;
		r = k ? gmap_get(&m, period(at, buf), name, NULL) :
		    gmap_get(&m, name, NULL, NULL);
		r->nocontext++;
	}
	lead_finalize(st);

	emit_begin_by("sla", cols, sizeof cols / sizeof *cols,
	    "median_hours_to_touch", 1, k);
	ix = gmap_sorted(&m);
	for (size_t i = 0; i < m.n; i++) {
		struct srow *r = gmap_at(&m, ix[i]);
		const char *row[12] = { m.key[ix[i]][0], m.key[ix[i]][k],
		    fmt_int(r->assigned), fmt_int(r->accepted),
		    fmt_int(r->rejected), fmt_int(r->touched) };

		fmt_spread(&r->tt, 1, &row[6], &row[7]);
		row[8] = fmt_pct(r->within, r->due_n);
		row[9] = fmt_int(r->overdue);
		row[10] = fmt_int(r->never);
		row[11] = fmt_int(r->nocontext);
		emit_row(row + 1 - k);
		free(r->tt.v);
	}
	free(ix);
	gmap_free(&m);
	return emit_end();
}

/* ---- scoring ------------------------------------------------------------------ */

struct scrow {
	double lo;		/* score bands: the band's floor */
	int scored;
	int64_t leads, n[NSTAGE];
};

static struct gmap *bandsort;

/* Score bands highest first, the unscored last. */
static int
bandcmp(const void *a, const void *b)
{
	const struct scrow *x = gmap_at(bandsort, *(const size_t *)a);
	const struct scrow *y = gmap_at(bandsort, *(const size_t *)b);

	if (x->scored != y->scored)
		return x->scored ? -1 : 1;
	return (x->lo < y->lo) - (x->lo > y->lo);
}

static void
scoring_rows(const char *by, struct gmap *m, size_t *ix)
{
	for (size_t i = 0; i < m->n; i++) {
		struct scrow *r = gmap_at(m, ix[i]);
		const char *row[] = { by, m->key[ix[i]][0], fmt_int(r->leads),
		    fmt_int(r->n[S_MQL]), fmt_int(r->n[S_SAL]),
		    fmt_int(r->n[S_OPP]), fmt_int(r->n[S_WON]),
		    fmt_pct(r->n[S_MQL], r->leads),
		    fmt_pct(r->n[S_SAL], r->leads),
		    fmt_pct(r->n[S_OPP], r->leads),
		    fmt_pct(r->n[S_WON], r->leads) };

		emit_row(row);
	}
}

/* A band's name: "50-60" is 50 <= score < 60. */
static const char *
band_name(double lo)
{
	char *b = fmtbuf();

	snprintf(b, FMTLEN, "%.15g-%.15g", lo, lo + opt.band);
	return b;
}

static int
report_scoring(void)
{
	struct gmap bands, grades, mql;
	struct lead_stmt *st;
	const char **vals = lead_xcalloc(fields.nslot + 1, sizeof *vals);
	size_t *ix;
	static const struct col cols[] = {
		{ "by", 0 }, { "band", 0 }, { "leads", 1 }, { "mql", 1 },
		{ "sal", 1 }, { "opportunity", 1 }, { "won", 1 },
		{ "pct_mql", 1 }, { "pct_sal", 1 }, { "pct_opportunity", 1 },
		{ "pct_won", 1 }
	};

	load_masks();
	gmap_init(&bands, sizeof(struct scrow));
	gmap_init(&grades, sizeof(struct scrow));
	gmap_init(&mql, sizeof(struct scrow));
	gmap_idx(&mql, "yes", NULL, NULL);
	gmap_idx(&mql, "no", NULL, NULL);
	st = lead_query(LEAD_RQ_SCORING, LEAD_RQ_WINDOW);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);
		unsigned mask = lead_mask(id, col_text(st, 1));
		struct scrow *r[3];
		int scored = lead_column_type(st, 2) != LEAD_NULL;
		double lo = 0;

		if (!where_holds(st, 4, vals))
			continue;
		if (scored)
			lo = floor(lead_column_double(st, 2) / opt.band) *
			    opt.band;
		r[0] = gmap_get(&bands, scored ? band_name(lo) : NULL, NULL,
		    NULL);
		r[0]->lo = lo;
		r[0]->scored = scored;
		r[1] = gmap_get(&grades, col_text(st, 3), NULL, NULL);
		/* Made an MQL: at the mql stage itself at some time; a lead
		 * taken past it directly was not. */
		r[2] = gmap_get(&mql, mask & BIT(S_MQL) ? "yes" : "no", NULL,
		    NULL);
		for (int i = 0; i < 3; i++) {
			r[i]->leads++;
			for (int s = S_MQL; s <= S_WON; s++)
				if (REACHED(mask, s))
					r[i]->n[s]++;
		}
	}
	lead_finalize(st);
	free(vals);

	emit_begin("scoring", cols, sizeof cols / sizeof *cols, "pct_won", 2,
	    1, 0);
	ix = gmap_sorted(&bands);
	bandsort = &bands;
	if (bands.n > 1)
		qsort(ix, bands.n, sizeof *ix, bandcmp);
	scoring_rows("score", &bands, ix);
	free(ix);
	ix = gmap_sorted(&grades);
	scoring_rows("grade", &grades, ix);
	free(ix);
	{
		size_t order[2] = { 0, 1 };

		scoring_rows("mql", &mql, order);
	}
	gmap_free(&bands);
	gmap_free(&grades);
	gmap_free(&mql);
	return emit_end();
}

/* ---- aging -------------------------------------------------------------------- */

#define NOPEN (S_OPP + 1)	/* the open stages: new .. opportunity */

struct arow {
	int64_t n[NOPEN], stuck[NOPEN], max[NOPEN];
	struct samples age[NOPEN];
};

static int
report_aging(void)
{
	struct gmap m;
	struct lead_stmt *st;
	const char **vals = lead_xcalloc(fields.nslot + 1, sizeof *vals);
	char buf[16];
	size_t *ix;
	struct col cols[] = { { 0 }, { "stage", 0 }, { "leads", 1 },
	    { "stuck", 1 }, { "pct_stuck", 1 }, { "median_days", 1 },
	    { "p90_days", 1 }, { "max_days", 1 } };
	int k = opt.by ? 1 : 0;

	gmap_init(&m, sizeof(struct arow));
	if (!opt.by)
		gmap_idx(&m, NULL, NULL, NULL);
	st = lead_query(LEAD_RQ_AGING, LEAD_RQ_WINDOW);
	while (lead_db_step(st) == LEAD_ROW) {
		int s = lead_stage_index(col_text(st, 1));
		lead_time since = ts_or(col_text(st, 2), NOTIME);
		int64_t age;
		struct arow *r;

		if (s < 0 || s >= NOPEN || since == NOTIME ||
		    !where_holds(st, 7, vals))
			continue;
		age = now > since ? now - since : 0;
		r = gmap_get(&m, lead_key(col_text(st, 3), col_text(st, 4),
		    lead_column_int64(st, 5), col_text(st, 6), buf), NULL,
		    NULL);
		r->n[s]++;
		r->stuck[s] += age > opt.stuck;
		if (age > r->max[s])
			r->max[s] = age;
		sample_add(&r->age[s], age);
	}
	lead_finalize(st);
	free(vals);

	emit_begin_by("aging", cols, sizeof cols / sizeof *cols, "stuck", 1,
	    k);
	ix = gmap_sorted(&m);
	for (size_t i = 0; i < m.n; i++) {
		struct arow *r = gmap_at(&m, ix[i]);

		for (int s = 0; s < NOPEN; s++) {
			const char *row[8] = { m.key[ix[i]][0], lead_stage_names[s],
			    fmt_int(r->n[s]), fmt_int(r->stuck[s]),
			    fmt_pct(r->stuck[s], r->n[s]) };

			fmt_spread(&r->age[s], 0, &row[5], &row[6]);
			row[7] = r->n[s] ? fmt_days(r->max[s]) : NULL;
			emit_row(row + 1 - k);
			free(r->age[s].v);
		}
	}
	free(ix);
	gmap_free(&m);
	return emit_end();
}

/* ---- velocity ----------------------------------------------------------------- */

/* The steps measured: from one stage's first arrival to the next's. */
static const int vsteps[][2] = {
	{ S_NEW, S_MQL }, { S_MQL, S_SAL }, { S_SAL, S_SQL }, { S_SQL, S_OPP },
	{ S_OPP, S_WON }, { S_NEW, S_OPP }, { S_NEW, S_WON }
};
#define NVSTEP (sizeof vsteps / sizeof *vsteps)

struct vrow {
	struct samples s[NVSTEP];
};

static int
report_velocity(void)
{
	struct gmap m;
	struct lead_stmt *st, *hq;
	const char **vals = lead_xcalloc(fields.nslot + 1, sizeof *vals);
	char buf[16];
	size_t *ix;
	struct col cols[] = { { 0 }, { "from", 0 }, { "to", 0 },
	    { "leads", 1 }, { "median_days", 1 }, { "p90_days", 1 } };
	int k = opt.by ? 1 : 0;

	load_masks();
	gmap_init(&m, sizeof(struct vrow));
	if (!opt.by)
		gmap_idx(&m, NULL, NULL, NULL);
	hq = lead_report_lead_moves(db);
	st = lead_query(LEAD_RQ_VELOCITY, LEAD_RQ_WINDOW);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);
		lead_time first[NSTAGE];
		struct vrow *r;

		if (id <= 0 || id > maxid || masks[id] == 0 ||
		    !where_holds(st, 5, vals))
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
		r = gmap_get(&m, lead_key(col_text(st, 2), col_text(st, 3),
		    lead_column_int64(st, 4), col_text(st, 1), buf), NULL,
		    NULL);
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

	emit_begin_by("velocity", cols, sizeof cols / sizeof *cols,
	    "median_days", 2, k);
	ix = gmap_sorted(&m);
	for (size_t i = 0; i < m.n; i++) {
		struct vrow *r = gmap_at(&m, ix[i]);

		for (size_t j = 0; j < NVSTEP; j++) {
			const char *row[6] = { m.key[ix[i]][0],
			    lead_stage_names[vsteps[j][0]], lead_stage_names[vsteps[j][1]],
			    fmt_int((int64_t)r->s[j].n) };

			fmt_spread(&r->s[j], 0, &row[4], &row[5]);
			emit_row(row + 1 - k);
			free(r->s[j].v);
		}
	}
	free(ix);
	gmap_free(&m);
	return emit_end();
}

/* ---- rejections --------------------------------------------------------------- */

struct rrow {
	int64_t n, disq;
	char *shown;		/* the reason as first written */
	size_t group;		/* its row in the totals */
};

static struct gmap *rejsort, *rejtot;

/* By group, then the most frequent reason first. */
static int
rejcmp(const void *a, const void *b)
{
	const struct rrow *x = gmap_at(rejsort, *(const size_t *)a);
	const struct rrow *y = gmap_at(rejsort, *(const size_t *)b);
	char *const *kx = rejsort->key[*(const size_t *)a];
	char *const *ky = rejsort->key[*(const size_t *)b];
	size_t gx = x->group, gy = y->group;
	int c;

	if (gx != gy) {
		size_t p[2] = { gx, gy };

		sorting = rejtot;
		return keycmp(&p[0], &p[1]);
	}
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	c = strcmp(kx[2], ky[2]);
	return c;
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

static int
report_rejections(void)
{
	struct gmap m, tot;
	struct lead_stmt *st;
	char buf[16], rb[32];
	size_t *ix, nc = 0;
	struct col cols[6];
	int nk = opt.by ? 1 : 2;

	build_cohort();
	gmap_init(&m, sizeof(struct rrow));
	gmap_init(&tot, sizeof(int64_t));
	st = lead_report_rejections(db, opt.from, opt.to);
	while (lead_db_step(st) == LEAD_ROW) {
		const char *k0, *k1 = NULL, *why = col_text(st, 2);
		char *rk;
		size_t g;
		struct rrow *r;

		if (!kept(lead_column_int64(st, 0)))
			continue;
		switch (opt.by) {
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
			if ((k0 = rep_name(lead_column_int64(st, 5))) ==
			    NULL) {
				snprintf(rb, sizeof rb, "#%lld", (long long)
				    lead_column_int64(st, 5));
				k0 = rb;
			}
			break;
		default:
			k0 = period(col_text(st, 1), buf);
		}
		rk = reason_key(why);
		g = gmap_idx(&tot, k0, k1, NULL);
		(*(int64_t *)gmap_at(&tot, g))++;
		r = gmap_get(&m, k0, k1, rk);
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

	if (opt.by)
		cols[nc++] = (struct col){ bynames[opt.by], 0 };
	else {
		cols[nc++] = (struct col){ "source", 0 };
		cols[nc++] = (struct col){ "campaign", 0 };
	}
	cols[nc++] = (struct col){ "reason", 0 };
	cols[nc++] = (struct col){ "rejected", 1 };
	cols[nc++] = (struct col){ "pct_of_group", 1 };
	cols[nc++] = (struct col){ "disqualified", 1 };
	emit_begin("rejections", cols, nc, "rejected", nk + 1, 1, 0);
	ix = gmap_sorted(&m);
	rejsort = &m;
	rejtot = &tot;
	if (m.n > 1)
		qsort(ix, m.n, sizeof *ix, rejcmp);
	for (size_t i = 0; i < m.n; i++) {
		struct rrow *r = gmap_at(&m, ix[i]);
		const char *row[6];
		size_t n = 0;

		row[n++] = m.key[ix[i]][0];
		if (!opt.by)
			row[n++] = m.key[ix[i]][1];
		row[n++] = r->shown;
		row[n++] = fmt_int(r->n);
		row[n++] = fmt_pct(r->n, *(int64_t *)gmap_at(&tot, r->group));
		row[n++] = fmt_int(r->disq);
		emit_row(row);
	}
	for (size_t i = 0; i < m.n; i++)
		free(((struct rrow *)gmap_at(&m, i))->shown);
	free(ix);
	gmap_free(&m);
	gmap_free(&tot);
	return emit_end();
}

/* ---- content ------------------------------------------------------------------ */

struct ctrow {
	int64_t leads, progressed;
};

static int
report_content(void)
{
	struct gmap m;
	struct pairset seen = { 0 };
	struct lead_stmt *st;
	const char **vals = lead_xcalloc(fields.nslot + 1, sizeof *vals);
	uint8_t *flag = lead_xcalloc((size_t)maxid + 1, 1);
	int64_t all = 0, prog = 0;
	int goal = lead_stage_index(opt.goal);
	size_t *ix;
	static const struct col cols[] = {
		{ "content", 0 }, { "leads", 1 }, { "progressed", 1 },
		{ "not_progressed", 1 }, { "pct_of_progressed", 1 },
		{ "pct_of_not_progressed", 1 }, { "pct_progressed", 1 },
		{ "lift", 1 }
	};

	load_masks();
	st = lead_query(LEAD_RQ_STAGE, LEAD_RQ_WINDOW);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);

		if (id <= 0 || id > maxid || !where_holds(st, 2, vals))
			continue;
		flag[id] = 1;
		all++;
		if (REACHED(lead_mask(id, col_text(st, 1)), goal)) {
			flag[id] |= 2;
			prog++;
		}
	}
	lead_finalize(st);
	free(vals);

	gmap_init(&m, sizeof(struct ctrow));
	st = lead_report_contents(db);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);
		size_t g;
		struct ctrow *r;

		if (id <= 0 || id > maxid || !flag[id])
			continue;
		g = gmap_idx(&m, col_text(st, 1), NULL, NULL);
		if (!pairset_add(&seen, g, id))
			continue;
		r = gmap_at(&m, g);
		r->leads++;
		r->progressed += (flag[id] & 2) != 0;
	}
	lead_finalize(st);
	free(seen.v);
	free(flag);

	emit_begin("content", cols, sizeof cols / sizeof *cols, "progressed",
	    1, 0, 0);
	ix = gmap_sorted(&m);
	for (size_t i = 0; i < m.n; i++) {
		struct ctrow *r = gmap_at(&m, ix[i]);
		int64_t not = r->leads - r->progressed;
		const char *row[] = { m.key[ix[i]][0], fmt_int(r->leads),
		    fmt_int(r->progressed), fmt_int(not),
		    fmt_pct(r->progressed, prog), fmt_pct(not, all - prog),
		    fmt_pct(r->progressed, r->leads),
		    prog && r->leads ? fmt_fixed(((double)r->progressed /
		    (double)r->leads) / ((double)prog / (double)all), 2) :
		    NULL };

		emit_row(row);
	}
	free(ix);
	gmap_free(&m);
	return emit_end();
}

/* ---- fatigue ------------------------------------------------------------------ */

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
fatigue_flush(struct fat *f, int64_t id)
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
		emit_row(row);
	}
	if (found)
		lead_reset(f->lq);
	memset(f->n, 0, sizeof f->n);
}

static int
report_fatigue(void)
{
	struct fat f = { 0 };
	struct lead_stmt *st;
	char *spec = opt.cap ? lead_xstrdup(opt.cap) : lead_setting(db, "caps");
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
		lead_die(LEAD_EX_USAGE, "%s caps: %s", opt.cap ? "--cap" :
		    "stored", err);
	free(spec);
	for (int i = 0; i < f.ncaps; i++) {
		f.from[i] = now - f.caps[i].window;
		if (f.caps[i].window > maxwin)
			maxwin = f.caps[i].window;
	}
	build_cohort();
	lead_time_format(now - maxwin, from);
	f.lq = lead_report_lead_dnc(db);
	emit_begin("fatigue", cols, sizeof cols / sizeof *cols, "touches", 2,
	    0, 1);
	st = lead_report_touches(db, from, nowstr);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);
		const char *ts = col_text(st, 1);
		const char *ch = lead_kind_channel(col_text(st, 2));
		lead_time t;

		if (ch == NULL || !kept(id) || lead_time_stored(ts, &t) < 0)
			continue;
		if (id != cur) {
			if (cur)
				fatigue_flush(&f, cur);
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
		fatigue_flush(&f, cur);
	lead_finalize(st);
	lead_finalize(f.lq);
	return emit_end();
}

/* ---- leads -------------------------------------------------------------------- */

static const char default_columns[] = "email,first_name,last_name,company,"
	"title,country,source,campaign,stage,owner,score,grade,created_at,dnc";

/* 1 if a field holds a number. */
static int
numeric_slot(const struct lead_slot *s)
{
	return s->type == LEAD_SLOT_SCORE || s->type == LEAD_SLOT_FIT ||
	    s->type == LEAD_SLOT_BEHAVIOR || (s->type == LEAD_SLOT_COLUMN &&
	    (!strcmp(s->name, "id") || !strcmp(s->name, "days_in_stage") ||
	    !strcmp(s->name, "touches")));
}

static int
report_leads(void)
{
	char *list = lead_xstrdup(opt.columns ? opt.columns :
	    default_columns), *p, *save = NULL;
	struct col *cols;
	int *slot = NULL;
	size_t nc = 0, cap = 0;
	struct lead_stmt *st;
	const char **vals, **row;
	int rc, maxcol = lead_db_max_columns(db);

	/* Any number of columns, a field named again read once: the lead
	 * query has one result column per field, and SQLite a limit. */
	for (p = strtok_r(list, ",", &save); p; p = strtok_r(NULL, ",",
	    &save)) {
		int s;

		p = lead_trim(p);
		if (*p == '\0')
			continue;
		if ((s = lead_where_field(&fields, p, "--columns",
		    lead_rules_known, db, lead_report_fields)) < 0)
			lead_die(LEAD_EX_USAGE, "--columns: nothing printed");
		if (fields.nslot >= (size_t)maxcol)
			lead_die(LEAD_EX_USAGE, "--columns: more than %d "
			    "different fields", maxcol - 1);
		if (nc == cap) {
			cap = cap ? 2 * cap : 32;
			slot = lead_xrealloc(slot, cap * sizeof *slot);
		}
		slot[nc++] = s;
	}
	free(list);
	if (nc == 0)
		lead_die(LEAD_EX_USAGE, "--columns: no column named");
	cols = lead_xcalloc(nc, sizeof *cols);
	row = lead_xcalloc(nc, sizeof *row);
	for (size_t i = 0; i < nc; i++) {
		cols[i].name = fields.slot[slot[i]].name;
		cols[i].num = numeric_slot(&fields.slot[slot[i]]);
	}
	emit_begin("leads", cols, nc, "score", 1, 0, 1);
	vals = lead_xcalloc(fields.nslot + 1, sizeof *vals);
	st = lead_query(LEAD_RQ_ID, LEAD_RQ_WINDOW | LEAD_RQ_LIVE |
	    LEAD_RQ_ORDER);
	while (lead_db_step(st) == LEAD_ROW) {
		slot_vals(st, 1, vals);
		if (where_on && !lead_cond_eval(fields.mql[0].cond, vals))
			continue;
		for (size_t i = 0; i < nc; i++)
			row[i] = vals[slot[i]];
		emit_row(row);
	}
	lead_finalize(st);
	free(vals);
	rc = emit_end();
	free(row);
	free(cols);
	free(slot);
	return rc;
}

/* ---- options ------------------------------------------------------------------ */

#define B(x) (1u << (x))
#define LEADKEYS (B(BY_SOURCE) | B(BY_CAMPAIGN) | B(BY_OWNER) | \
	B(BY_MONTH) | B(BY_WEEK))

static const struct report {
	const char *name;
	int (*run)(void);
	unsigned by;		/* the --by keys it takes */
} reports[] = {
	{ "funnel", report_funnel, LEADKEYS },
	{ "campaigns", report_campaigns, B(BY_SOURCE) | B(BY_CAMPAIGN) },
	{ "sla", report_sla, B(BY_OWNER) | B(BY_MONTH) | B(BY_WEEK) },
	{ "scoring", report_scoring, 0 },
	{ "aging", report_aging, LEADKEYS },
	{ "velocity", report_velocity, LEADKEYS },
	{ "rejections", report_rejections, LEADKEYS },
	{ "content", report_content, 0 },
	{ "fatigue", report_fatigue, 0 },
	{ "leads", report_leads, 0 },
};
#define NREPORTS (sizeof reports / sizeof *reports)

/* --since/--until: a time, a date (--until: through its end) or a
 * duration back from now. */
static void
window_arg(const char *name, const char *arg, char *out, int until)
{
	lead_time t;
	int64_t d;

	if (lead_duration_parse(arg, &d) == 0)
		t = now - d;
	else if (lead_time_parse(arg, &t) == 0) {
		if (until && strchr(arg, ':') == NULL &&
		    strspn(arg, "0123456789") != strlen(arg))
			t += 86400;
	} else
		lead_die(LEAD_EX_USAGE, "%s: '%s' is not a time, a date or a "
		    "duration (90d)", name, arg);
	lead_time_format(t, out);
}

/* One of the command's own options (lead_options_parse). */
static void
option(int c, char *arg, void *ctx)
{
	(void)ctx;
	switch (c) {
	case OPT_BY:
		for (opt.by = BY_SOURCE; opt.by <= BY_WEEK; opt.by++)
			if (strcasecmp(arg, bynames[opt.by]) == 0)
				break;
		if (opt.by > BY_WEEK)
			lead_die(LEAD_EX_USAGE, "--by: '%s' is not "
			    "source, campaign, owner, month or week",
			    arg);
		break;
	case OPT_BAND:
		opt.band_set = 1;
		opt.band = lead_opt_double("--band", arg, 0);
		if (opt.band < 0.01)
			lead_die(LEAD_EX_USAGE, "--band: a width of at "
			    "least 0.01, not '%s'", arg);
		break;
	case OPT_STUCK:
		opt.stuck_set = 1;
		if (lead_duration_parse(arg, &opt.stuck) < 0) {
			long days = lead_opt_long("--stuck", arg, 0,
			    100000);

			opt.stuck = (int64_t)days * 86400;
		}
		break;
	case OPT_GOAL: opt.goal = arg; opt.goal_set = 1; break;
	/* The output's columns here: a report reads no headerless input. */
	case OPT_CHART:
		opt.chart = 1;
		if (arg)
			opt.chartcol = arg;
		break;
	case OPT_WIDTH:
		opt.width = lead_opt_long("--width", arg, 20, 1000);
		break;
	default: lead_usage(&usage, LEAD_EX_USAGE);
	}
}

static void
parse_options(int argc, char **argv)
{
	opt.band = 10;
	opt.stuck = 30 * 86400;
	opt.goal = "opportunity";
	lead_options_parse(&usage, &opt.c, argc, argv, option, NULL);
	lead_common_done(&opt.c);
}

/* The report named, and its options checked against it. */
static const struct report *
check_options(const char *name)
{
	const struct report *r = NULL;

	for (size_t i = 0; i < NREPORTS; i++)
		if (strcmp(name, reports[i].name) == 0)
			r = &reports[i];
	if (r == NULL)
		lead_die(LEAD_EX_USAGE, "no report '%s' (funnel, campaigns, "
		    "sla, scoring, aging, velocity, rejections, content, "
		    "fatigue, leads)", name);
	if (opt.by && !(r->by & B(opt.by)))
		lead_die(LEAD_EX_USAGE, "%s: --by %s does not apply%s", name,
		    bynames[opt.by], r->by ? "" : " (it takes no --by)");
	if (opt.columns && r->run != report_leads)
		lead_die(LEAD_EX_USAGE, "--columns goes with the leads report");
	if (opt.cap && r->run != report_fatigue)
		lead_die(LEAD_EX_USAGE, "--cap goes with the fatigue report");
	if ((opt.since || opt.until) && r->run == report_fatigue)
		lead_die(LEAD_EX_USAGE, "fatigue is as of now (--now sets "
		    "it); --since and --until do not apply");
	{
		int s = lead_stage_index(opt.goal);

		if (s < S_MQL || s > S_WON || s == S_NURTURE)
			lead_die(LEAD_EX_USAGE, "--goal: '%s' is not one of "
			    "mql, sal, sql, opportunity, won", opt.goal);
	}
	if (opt.stage) {
		char *list = lead_xstrdup(opt.stage), *p, *save = NULL;

		for (p = strtok_r(list, ", ", &save); p;
		    p = strtok_r(NULL, ", ", &save))
			if (lead_stage_index(p) < 0)
				lead_die(LEAD_EX_USAGE, "--stage: '%s' is not a "
				    "stage (new, nurture, mql, sal, sql, "
				    "opportunity, won, lost, disqualified)", p);
		if (lead_stage_index(strtok_r(strcpy(list, opt.stage), ", ",
		    &save)) < 0)
			lead_die(LEAD_EX_USAGE, "--stage: no stage named");
		free(list);
	}
	if (opt.ascii && !opt.chart)
		lead_die(LEAD_EX_USAGE, "--ascii goes with --chart");
	if (opt.chartcol && !opt.chart && !opt.svg)
		lead_die(LEAD_EX_USAGE, "--bar goes with --chart or --svg");
	if (opt.band_set && r->run != report_scoring)
		lead_die(LEAD_EX_USAGE, "--band goes with the scoring report");
	if (opt.stuck_set && r->run != report_aging)
		lead_die(LEAD_EX_USAGE, "--stuck goes with the aging report");
	if (opt.goal_set && r->run != report_content)
		lead_die(LEAD_EX_USAGE, "--goal goes with the content report");
	return r;
}

int
main(int argc, char **argv)
{
	const struct report *r;
	int rc, nobody = 0;

	lead_setprog(argv[0]);
	parse_options(argc, argv);
	argc -= optind;
	argv += optind;
	if (argc == 0)
		lead_die(LEAD_EX_USAGE, "which report? (funnel, campaigns, sla, "
		    "scoring, aging, velocity, rejections, content, fatigue, "
		    "leads; --help says more)");
	r = check_options(argv[0]);
	argc--;
	argv++;

	now = lead_now();
	lead_time_format(now, nowstr);
	snprintf(opt.to, sizeof opt.to, "9999-12-31T23:59:59Z");
	if (opt.since)
		window_arg("--since", opt.since, opt.from, 0);
	if (opt.until)
		window_arg("--until", opt.until, opt.to, 1);
	if (opt.since && opt.until && strcmp(opt.from, opt.to) >= 0)
		lead_die(LEAD_EX_USAGE, "--since %s is not before --until %s",
		    opt.from, opt.to);

	lead_output_check("--svg", opt.svg, lead_db_path(opt.c.db), argv,
	    (size_t)argc);
	db = lead_db_open(lead_db_path(opt.c.db), 0, opt.c.wait);
	/* The lead lists first, read whole: a list piped from lead-import -p
	 * names leads that exist only once the import has committed, which
	 * it has when the list ends. */
	if (argc > 0) {
		lead_pick_create(db);
		for (int i = 0; i < argc; i++)
			nobody += lead_pick_file(db, argv[i], &opt.c.in) > 0;
		picked = 1;
	}
	/* Then one snapshot: every figure of the report from the same data. */
	/* A report streams through the tables: a small page cache is
	 * faster than a large one to fill (measured: the funnel of a million
	 * leads 0.50 s with 8 MiB, 0.77 s with 64 MiB). */
	lead_db_tune(db, LEAD_TUNE_CACHE_KIB, 8192);
	lead_db_begin_read(db);
	if (opt.where) {
		if (lead_where_parse(&fields, opt.where, "--where",
		    lead_rules_known, db, lead_report_fields) < 0)
			lead_die(LEAD_EX_USAGE, "--where: nothing reported");
		where_on = 1;
	}
	if (opt.owner && !lead_report_rep_exists(db, opt.owner))
		lead_die(LEAD_EX_USAGE, "--owner: no rep '%s' (lead-handoff reps "
		    "lists them)", opt.owner);
	maxid = lead_report_max_id(db, "lead");
	load_reps();
	rc = r->run();
	lead_db_rollback(db);
	lead_db_close(db);
	for (int64_t i = 0; i < nrepname; i++)
		free(repname[i]);
	free(repname);
	free(masks);
	free(cohort);
	lead_rules_free(&fields);
	if (rc == LEAD_EX_OK && nobody)
		rc = LEAD_EX_REJECT;
	return rc;
}
