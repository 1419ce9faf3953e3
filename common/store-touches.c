/*
 * store-touches.c: the SQL of the touches (the activity table) and of
 * what logging them reads and changes: the lead a touch is of, its
 * do-not-contact flag, the first touch of an assignment, the batch of
 * an event file, a lead's timeline and the promises owed.
 *
 * The statements a bulk log runs per record are prepared once in struct
 * lead_touches and reused: no statement is made per record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-touches.h"

static const char by_email_sql[] =
	"SELECT id, stage, dnc_email, dnc_phone FROM lead WHERE email = ?";
static const char by_id_sql[] =
	"SELECT id, stage, dnc_email, dnc_phone FROM lead WHERE id = ?";
static const char create_sql[] =
	"INSERT INTO lead (email, domain, source, first_batch, last_batch, "
	"created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6)";
static const char add_sql[] =
	"INSERT INTO activity (lead_id, ts, kind, channel, actor, content, "
	"outcome, note, next_step, due, amount, batch_id, fp, missing) VALUES "
	"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
/* The candidates the fingerprint finds; the fields decide. */
#define SAME(c, n) c " IS NOT DISTINCT FROM ?" #n
static const char exists_sql[] =
	"SELECT " SAME("channel", 5) " AND " SAME("actor", 6) " AND "
	SAME("content", 7) " AND " SAME("outcome", 8) " AND " SAME("note", 9)
	" AND " SAME("next_step", 10) " AND " SAME("due", 11) " AND "
	SAME("amount", 12) " FROM activity WHERE lead_id = ?1 AND ts = ?2 "
	"AND kind = ?3 AND fp = ?4";
static const char unsubscribe_sql[] =
	"UPDATE lead SET dnc_email = 1, dnc_reason = 'unsubscribe', dnc_at = "
	"?2 WHERE id = ?1 AND dnc_email = 0";
/* A rep by name, case-blind (lower() folds ASCII alone on both
 * engines, as SQLite's NOCASE does), or by address. */
static const char first_touch_sql[] =
	"UPDATE assignment SET first_touch_at = ?1 WHERE lead_id = ?2 AND "
	"ended_at IS NULL AND first_touch_at IS NULL AND at <= ?1 AND rep_id "
	"IN (SELECT id FROM rep WHERE lower(name) = lower(?3) OR email = "
	"lower(?3))";

/* A lead's outbound touches of a channel's kinds in a window. */
static struct lead_stmt *
capcount_prepare(struct lead_conn *db, const char *channel)
{
	char sql[512];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM activity WHERE "
	    "lead_id = ?1 AND ts > ?2 AND ts <= ?3 AND kind IN (%s)",
	    lead_channel_kinds(channel));
	return lead_db_prepare(db, sql);
}

void
lead_touches_open(struct lead_touches *s, struct lead_conn *db,
    const struct lead_cap *caps, int ncaps)
{
	memset(s, 0, sizeof *s);
	if (ncaps > LEAD_TOUCH_MAXCAPS)
		ncaps = LEAD_TOUCH_MAXCAPS;
	for (s->ncaps = 0; s->ncaps < ncaps; s->ncaps++)
		s->capcount[s->ncaps] = capcount_prepare(db,
		    caps[s->ncaps].channel);
	s->by_email = lead_db_prepare(db, by_email_sql);
	s->by_id = lead_db_prepare(db, by_id_sql);
	s->create = lead_db_prepare(db, create_sql);
	s->add = lead_db_prepare(db, add_sql);
	s->exists = lead_db_prepare(db, exists_sql);
	s->unsubscribe = lead_db_prepare(db, unsubscribe_sql);
	s->first_touch = lead_db_prepare(db, first_touch_sql);
	/* New touches a log decides itself (lead_touches_ahead), copied
	 * in with their ids. */
	s->b_act = lead_db_bulk(db, "activity (id, lead_id, ts, kind, "
	    "channel, actor, content, outcome, note, next_step, due, amount, "
	    "batch_id, fp, missing)", NULL);
}

static void ahead_clear(struct lead_touches *s);

void
lead_touches_close(struct lead_touches *s)
{
	ahead_clear(s);
	for (int i = 0; i < s->ncaps; i++)
		lead_finalize(s->capcount[i]);
	lead_finalize(s->by_email);
	lead_finalize(s->by_id);
	lead_finalize(s->create);
	lead_finalize(s->add);
	lead_finalize(s->exists);
	lead_finalize(s->unsubscribe);
	lead_finalize(s->first_touch);
	memset(s, 0, sizeof *s);
}

/* The lead row st finds (bound), into l: 1, or 0 if there is none. */
static int
lead_row(struct lead_stmt *st, struct lead_touchlead *l)
{
	int found = 0;

	if (lead_db_step(st) == LEAD_ROW) {
		l->id = lead_column_int64(st, 0);
		snprintf(l->stage, sizeof l->stage, "%s",
		    lead_column_text(st, 1));
		l->dnc_email = lead_column_int(st, 2);
		l->dnc_phone = lead_column_int(st, 3);
		l->untouched = 1;
		found = 1;
	}
	lead_reset(st);
	return found;
}

/* ---- reading ahead -------------------------------------------------- */

int
lead_touches_reads_ahead(const struct lead_touches *s)
{
	return s->by_email->conn->drv->bulk_open != NULL;
}

/* A touch read ahead or added since: the fields that decide whether
 * another is the same. */
struct lead_knowntouch {
	char *f[7];	/* channel, actor, content, outcome, note, next, due */
	int has_amount;
	double amount;
};

/* The touches known of a window's pairs. */
static void
touches_clear(struct lead_touches *s)
{
	for (size_t i = 0; i < s->nkt; i++)
		for (int k = 0; k < 7; k++)
			free(s->kt[i].f[k]);
	free(s->kt);
	s->kt = NULL;
	s->nkt = s->capkt = 0;
	lead_strmap_free(&s->covered);
	lead_strmap_free(&s->known);
}

static void
ahead_clear(struct lead_touches *s)
{
	free(s->rows);
	free(s->last);
	s->rows = NULL;
	s->last = NULL;
	s->nrows = s->caprows = 0;
	lead_strmap_free(&s->ahead_email);
	lead_map_free(&s->ahead_id);
	touches_clear(s);
	s->next_act = 0;
	s->ahead = 0;
}

/* The keys of the maps: "lead ts" and "lead ts kind fp" (the unit
 * separator cannot be in a time or a kind). */
static const char *
pair_key(char *buf, size_t n, int64_t lead, const char *ts)
{
	snprintf(buf, n, "%lld\x1f%s", (long long)lead, ts);
	return buf;
}

static const char *
touch_key(char *buf, size_t n, int64_t lead, const char *ts,
    const char *kind, int64_t fp)
{
	snprintf(buf, n, "%lld\x1f%s\x1f%s\x1f%lld", (long long)lead, ts,
	    kind, (long long)fp);
	return buf;
}

static void
known_add(struct lead_touches *s, const char *key, char *const f[7],
    const double *amount)
{
	struct lead_knowntouch *k;

	if (s->nkt == s->capkt) {
		s->capkt = s->capkt ? 2 * s->capkt : 256;
		s->kt = lead_xrealloc(s->kt, s->capkt * sizeof *s->kt);
	}
	k = &s->kt[s->nkt++];
	for (int i = 0; i < 7; i++)
		k->f[i] = f[i] ? lead_xstrdup(f[i]) : NULL;
	k->has_amount = amount != NULL;
	k->amount = amount ? *amount : 0;
	*lead_strmap_put(&s->known, key) = (int64_t)s->nkt;
}

/* Read every touch of the (lead, ts) pairs of the window at once. */
static void
ahead_touches(struct lead_touches *s, char *const *emails, char *const *ts,
    size_t n)
{
	struct lead_conn *db = s->by_email->conn;
	char **ids = lead_xcalloc(n + 1, sizeof *ids), **tss, *a1, *a2;
	char key[1024];
	size_t np = 0;
	struct lead_stmt *st;

	tss = lead_xcalloc(n + 1, sizeof *tss);
	for (size_t i = 0; i < n; i++) {
		const int64_t *p = lead_strmap_get(&s->ahead_email, emails[i]);
		int64_t *c;

		if (ts[i] == NULL || p == NULL || *p < 0)
			continue;
		c = lead_strmap_put(&s->covered, pair_key(key, sizeof key,
		    s->rows[*p - 1].id, ts[i]));
		if (*c)
			continue;
		*c = 1;
		/* Later than the lead's latest touch: none is there (an
		 * event log in time order asks nothing). */
		if (strcmp(ts[i], s->last[*p - 1]) > 0)
			continue;
		ids[np] = lead_xmalloc(24);
		snprintf(ids[np], 24, "%lld", (long long)s->rows[*p - 1].id);
		tss[np++] = ts[i];
	}
	a1 = lead_db_array(ids, np);
	a2 = lead_db_array(tss, np);
	/* Each pair by the index: OFFSET 0 keeps the planner from making
	 * the LATERAL a join, which sorts a scan of the table (its size is
	 * what it was when the transaction began: 75 ms a window, against
	 * 3 ms). */
	st = np == 0 ? NULL : lead_db_prepare(db, "SELECT a.lead_id, a.ts, "
	    "a.kind, a.fp, "
	    "a.channel, a.actor, a.content, a.outcome, a.note, a.next_step, "
	    "a.due, a.amount FROM unnest(CAST(?1 AS bigint[]), CAST(?2 AS "
	    "text[])) AS k(l, t) CROSS JOIN LATERAL (SELECT * FROM activity "
	    "WHERE lead_id = k.l AND ts = k.t OFFSET 0) AS a");
	if (st) {
		lead_bind_text(st, 1, a1, -1, LEAD_STATIC);
		lead_bind_text(st, 2, a2, -1, LEAD_STATIC);
	}
	while (st && lead_db_step(st) == LEAD_ROW) {
		char *f[7];
		double amount;
		int has = lead_column_type(st, 11) != LEAD_NULL;

		for (int k = 0; k < 7; k++)
			f[k] = (char *)lead_column_text(st, 4 + k);
		if (has)
			amount = lead_column_double(st, 11);
		known_add(s, touch_key(key, sizeof key, lead_column_int64(st,
		    0), lead_column_text(st, 1), lead_column_text(st, 2),
		    lead_column_int64(st, 3)), f, has ? &amount : NULL);
	}
	lead_finalize(st);
	free(a1);
	free(a2);
	for (size_t i = 0; i < np; i++)
		free(ids[i]);
	free(ids);
	free(tss);
	/* Ids as the table's default draws them: under the write lock no
	 * one else adds a touch, and the log's own statements raise it
	 * (lead_touches_add). */
	if (s->next_act == 0)
		s->next_act = lead_db_int64(db, "SELECT coalesce(max(id), 0) "
		    "FROM activity", 0, 0) + 1;
}

/* The row read ahead of the lead with this id, or NULL. */
static struct lead_touchlead *
ahead_row(struct lead_touches *s, int64_t id)
{
	const size_t *i;

	if (!s->ahead || (i = lead_map_get(&s->ahead_id, &id,
	    sizeof id)) == NULL)
		return NULL;
	return &s->rows[*i];
}

/* Keep a lead read ahead, its latest touch at last (NULL: none). */
static void
ahead_add(struct lead_touches *s, const char *email,
    const struct lead_touchlead *l, const char *last)
{
	if (s->nrows == s->caprows) {
		s->caprows = s->caprows ? 2 * s->caprows : 256;
		s->rows = lead_xrealloc(s->rows, s->caprows * sizeof *s->rows);
		s->last = lead_xrealloc(s->last, s->caprows * sizeof *s->last);
	}
	s->ahead_id.size = sizeof(size_t);
	*(size_t *)lead_map_put(&s->ahead_id, &l->id, sizeof l->id) =
	    s->nrows;
	snprintf(s->last[s->nrows], sizeof *s->last, "%s", last ? last : "");
	s->rows[s->nrows++] = *l;
	*lead_strmap_put(&s->ahead_email, email) = (int64_t)s->nrows;
}

/* The lead (read ahead) has a touch at ts now. */
static void
ahead_touched(struct lead_touches *s, int64_t lead, const char *ts)
{
	struct lead_touchlead *a = ahead_row(s, lead);
	char *last;

	if (a && strcmp(ts, last = s->last[a - s->rows]) > 0)
		snprintf(last, sizeof *s->last, "%s", ts);
}

/* Leads kept read ahead at most (some 200 bytes each, with their
 * maps): past it, they are read again.  A log of 10M events over 1M
 * leads takes 336 s keeping them all, 432 s keeping 400,000. */
#define AHEAD_MAXLEADS 1000000

void
lead_touches_ahead(struct lead_touches *s, char *const *emails,
    char *const *ts, size_t n)
{
	struct lead_conn *db = s->by_email->conn;
	struct lead_stmt *st;
	char *arr, **unknown;
	size_t nu = 0;

	/*
	 * The leads read stay for the next windows: the log keeps them
	 * true as it changes them (stage, do-not-contact, new leads), and
	 * under the write lock no one else does.  Only the ones not known
	 * yet are read.  The touches are read again for every window.
	 */
	touches_clear(s);
	if (n == 0 || s->nrows > AHEAD_MAXLEADS)
		ahead_clear(s);
	if (n == 0 || !lead_touches_reads_ahead(s))
		return;
	unknown = lead_xcalloc(n + 1, sizeof *unknown);
	for (size_t i = 0; i < n; i++)
		if (lead_strmap_get(&s->ahead_email, emails[i]) == NULL)
			unknown[nu++] = emails[i];
	/* Each email by the index (store-leads.c says why LATERAL). */
	arr = lead_db_array(unknown, nu);
	free(unknown);
	st = nu == 0 ? NULL : lead_db_prepare(db, "SELECT l.*, EXISTS "
	    "(SELECT 1 FROM assignment WHERE lead_id = l.id AND ended_at IS "
	    "NULL AND first_touch_at IS NULL), (SELECT max(ts) FROM activity "
	    "WHERE lead_id = l.id) FROM unnest(CAST(?1 AS text[])) AS k(v) "
	    "CROSS JOIN LATERAL (SELECT email, id, stage, dnc_email, "
	    "dnc_phone FROM lead WHERE email = k.v LIMIT 1) AS l");
	if (st)
		lead_bind_text(st, 1, arr, -1, LEAD_STATIC);
	while (st && lead_db_step(st) == LEAD_ROW) {
		struct lead_touchlead l = { .id = lead_column_int64(st, 1),
		    .dnc_email = lead_column_int(st, 3),
		    .dnc_phone = lead_column_int(st, 4),
		    .untouched = lead_column_int(st, 5) };

		snprintf(l.stage, sizeof l.stage, "%s", lead_column_text(st,
		    2));
		/* (An email the window names twice comes back twice.) */
		if (lead_strmap_get(&s->ahead_email, lead_column_text(st,
		    0)) == NULL)
			ahead_add(s, lead_column_text(st, 0), &l,
			    lead_column_text(st, 6));
	}
	lead_finalize(st);
	free(arr);
	for (size_t i = 0; i < n; i++) {
		int64_t *p = lead_strmap_put(&s->ahead_email, emails[i]);

		if (*p == 0)
			*p = -1;
	}
	s->ahead = 1;
	if (ts && s->b_act)
		ahead_touches(s, emails, ts, n);
}

void
lead_touches_staged(struct lead_touches *s, int64_t lead, const char *stage)
{
	struct lead_touchlead *a = ahead_row(s, lead);

	if (a)
		snprintf(a->stage, sizeof a->stage, "%s", stage);
}

int
lead_touches_lead_email(struct lead_touches *s, const char *email,
    struct lead_touchlead *l)
{
	const int64_t *p;

	if (s->ahead && (p = lead_strmap_get(&s->ahead_email, email))) {
		if (*p < 0)
			return 0;
		*l = s->rows[*p - 1];
		return 1;
	}
	lead_bind_text(s->by_email, 1, email, -1, LEAD_STATIC);
	return lead_row(s->by_email, l);
}

int
lead_touches_lead_id(struct lead_touches *s, int64_t id,
    struct lead_touchlead *l)
{
	struct lead_touchlead *a;
	int found;

	lead_bind_int64(s->by_id, 1, id);
	found = lead_row(s->by_id, l);
	if (found && (a = ahead_row(s, id)) != NULL)
		*a = *l;
	return found;
}

/* An id, or NULL for 0 (none). */
static void
bind_id(struct lead_stmt *st, int i, int64_t id)
{
	if (id)
		lead_bind_int64(st, i, id);
	else
		lead_bind_null(st, i);
}

int64_t
lead_touches_lead_new(struct lead_touches *s, const char *email,
    const char *domain, const char *source, int64_t batch,
    const char *created, const char *now)
{
	struct lead_stmt *st = s->create;

	lead_bind_text(st, 1, email, -1, LEAD_STATIC);
	lead_bind_text(st, 2, domain, -1, LEAD_STATIC);
	lead_bind_text(st, 3, source, -1, LEAD_STATIC);
	bind_id(st, 4, batch);
	lead_bind_text(st, 5, created, -1, LEAD_STATIC);
	lead_bind_text(st, 6, now, -1, LEAD_STATIC);
	lead_db_run(st);
	if (s->ahead) {
		struct lead_touchlead l = { .id = lead_db_last_id(st->conn),
		    .stage = "new", .untouched = 0 };

		ahead_add(s, email, &l, NULL);
	}
	return lead_db_last_id(st->conn);
}

/* Bind the touch's context from column first on: channel, actor,
 * content, outcome, note, next step, due, amount.  Inline: it runs
 * twice for every record of a bulk log. */
static inline void
bind_context(struct lead_stmt *st, int first, const struct lead_touch *t,
    const double *amount)
{
	const char *vals[] = { t->channel, t->actor, t->content, t->outcome,
	    t->note, t->next, t->due };

	for (int i = 0; i < 7; i++)
		lead_db_bind_text(st, first + i, vals[i]);
	if (amount)
		lead_bind_double(st, first + 7, *amount);
	else
		lead_bind_null(st, first + 7);
}

/*
 * Is this very touch stored under fingerprint fp?  1 yes; 0 no touch
 * has fp; -1 another touch has it (a fingerprint shared by two touches
 * that differ: the next fingerprint is tried).
 */
static int
touch_at(struct lead_touches *s, int64_t lead, const struct lead_touch *t,
    const char *ts, const double *amount, int64_t fp)
{
	struct lead_stmt *st = s->exists;
	int rc = 0;

	lead_bind_int64(st, 1, lead);
	lead_bind_text(st, 2, ts, -1, LEAD_STATIC);
	lead_bind_text(st, 3, t->kind, -1, LEAD_STATIC);
	lead_bind_int64(st, 4, fp);
	bind_context(st, 5, t, amount);
	if (lead_db_step(st) == LEAD_ROW)
		rc = lead_column_int(st, 0) ? 1 : -1;
	lead_reset(st);
	return rc;
}

int
lead_touches_find(struct lead_touches *s, int64_t lead,
    const struct lead_touch *t, const char *ts, const double *amount,
    int64_t *fp)
{
	int rc;

	for (*fp = lead_touch_fp(t); (rc = touch_at(s, lead, t, ts, amount,
	    *fp)) < 0; *fp = (*fp + 1) & INT64_MAX)
		continue;
	return rc;
}

static int
same_text(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/* The known touch k is this very touch. */
static int
same_touch(const struct lead_knowntouch *k, const struct lead_touch *t,
    const double *amount)
{
	const char *f[7] = { t->channel, t->actor, t->content, t->outcome,
	    t->note, t->next, t->due };

	for (int i = 0; i < 7; i++)
		if (!same_text(k->f[i], f[i]))
			return 0;
	return amount ? k->has_amount && k->amount == *amount :
	    !k->has_amount;
}

/*
 * A touch of a pair read ahead (covered): every touch it could be is
 * known, so the fingerprints are tried here as the statements would
 * try them, and a new touch is copied in with the next id.  -1 if the
 * pair is not covered (the statements decide).
 */
static int64_t
add_known(struct lead_touches *s, int64_t lead, const struct lead_touch *t,
    const char *ts, const double *amount, int64_t batch)
{
	char key[1024], num[4][32];
	const int64_t *p;
	int64_t fp, id;
	const char *v[15];

	if (!s->ahead || s->b_act == NULL ||
	    lead_strmap_get(&s->covered, pair_key(key, sizeof key, lead,
	    ts)) == NULL)
		return -1;
	for (fp = lead_touch_fp(t); (p = lead_strmap_get(&s->known,
	    touch_key(key, sizeof key, lead, ts, t->kind, fp))) != NULL;
	    fp = (fp + 1) & INT64_MAX)
		if (same_touch(&s->kt[*p - 1], t, amount))
			return 0;
	known_add(s, key, (char *const[]){ (char *)t->channel,
	    (char *)t->actor, (char *)t->content, (char *)t->outcome,
	    (char *)t->note, (char *)t->next, (char *)t->due }, amount);
	id = s->next_act++;
	ahead_touched(s, lead, ts);
	snprintf(num[0], sizeof num[0], "%lld", (long long)id);
	snprintf(num[1], sizeof num[1], "%lld", (long long)lead);
	snprintf(num[2], sizeof num[2], "%.17g", amount ? *amount : 0);
	snprintf(num[3], sizeof num[3], "%lld", (long long)batch);
	v[0] = num[0];
	v[1] = num[1];
	v[2] = ts;
	v[3] = t->kind;
	v[4] = t->channel;
	v[5] = t->actor;
	v[6] = t->content;
	v[7] = t->outcome;
	v[8] = t->note;
	v[9] = t->next;
	v[10] = t->due;
	v[11] = amount ? num[2] : NULL;
	v[12] = batch ? num[3] : NULL;
	snprintf(key, sizeof key, "%lld", (long long)fp);
	v[13] = key;
	v[14] = t->missing;
	lead_db_bulk_row(s->by_email->conn, s->b_act, v, 15);
	return id;
}

int64_t
lead_touches_add(struct lead_touches *s, int64_t lead,
    const struct lead_touch *t, const char *ts, const double *amount,
    int64_t batch)
{
	struct lead_stmt *st = s->add;
	int64_t fp = lead_touch_fp(t), id;

	if ((id = add_known(s, lead, t, ts, amount, batch)) >= 0)
		return id;

	/*
	 * Insert first: the insert takes the fingerprint exactly when no
	 * touch has it, which is when lead_touches_find would have said
	 * so, and a new touch costs one statement, not two.  Only when the
	 * fingerprint is taken does the search decide: this very touch
	 * (a repeat), or another one (the next fingerprint).
	 */
	for (int tries = 0; tries < 2; tries++) {
		lead_bind_int64(st, 1, lead);
		lead_bind_text(st, 2, ts, -1, LEAD_STATIC);
		lead_bind_text(st, 3, t->kind, -1, LEAD_STATIC);
		bind_context(st, 4, t, amount);
		bind_id(st, 12, batch);
		lead_bind_int64(st, 13, fp);
		lead_db_bind_text(st, 14, t->missing);
		lead_db_run(st);
		if (lead_db_changes(st->conn) == 1) {
			id = lead_db_last_id(st->conn);
			if (id >= s->next_act)
				s->next_act = id + 1;
			ahead_touched(s, lead, ts);
			return id;
		}
		if (tries == 0 && lead_touches_find(s, lead, t, ts, amount,
		    &fp))
			return 0;
	}
	return 0;
}

void
lead_touches_unsubscribe(struct lead_touches *s, int64_t lead,
    const char *ts)
{
	struct lead_touchlead *a = ahead_row(s, lead);

	if (a && a->dnc_email)
		return;		/* the flag is set once */
	lead_bind_int64(s->unsubscribe, 1, lead);
	lead_bind_text(s->unsubscribe, 2, ts, -1, LEAD_STATIC);
	lead_db_run(s->unsubscribe);
	if (a)
		a->dnc_email = 1;
}

void
lead_touches_first(struct lead_touches *s, const struct lead_touchlead *lead,
    const char *actor, const char *ts)
{
	/* A log makes no assignments: a lead known to have no open one
	 * without its first touch has none to stop. */
	if (!lead->untouched)
		return;
	lead_bind_text(s->first_touch, 1, ts, -1, LEAD_STATIC);
	lead_bind_int64(s->first_touch, 2, lead->id);
	lead_bind_text(s->first_touch, 3, actor, -1, LEAD_STATIC);
	lead_db_run(s->first_touch);
}

long
lead_touches_capped(struct lead_touches *s, int i, int64_t lead,
    const char *from, const char *to)
{
	struct lead_stmt *st = s->capcount[i];
	long n = 0;

	lead_bind_int64(st, 1, lead);
	lead_bind_text(st, 2, from, -1, LEAD_STATIC);
	lead_bind_text(st, 3, to, -1, LEAD_STATIC);
	if (lead_db_step(st) == LEAD_ROW)
		n = lead_column_int(st, 0);
	lead_reset(st);
	return n;
}

/* ---- the batch of an event file ------------------------------------------ */

void
lead_logbatch_open(struct lead_conn *db, struct lead_logbatch *b,
    const char *file, const char *source, const char *kind, const char *at)
{
	struct lead_stmt *st = lead_db_prepare(db, "INSERT INTO batch "
	    "(command, file, source, kind, at) VALUES ('lead-log', ?, ?, ?, "
	    "?)");

	memset(b, 0, sizeof *b);
	lead_db_bind_text(st, 1, file);
	lead_db_bind_text(st, 2, source);
	lead_db_bind_text(st, 3, kind);
	lead_bind_text(st, 4, at, -1, LEAD_STATIC);
	lead_db_step(st);
	lead_finalize(st);
	b->id = lead_db_last_id(db);
	b->act0 = lead_db_int64(db, "SELECT max(id) FROM activity", 0, 0);
}

void
lead_logbatch_close(struct lead_conn *db, const struct lead_logbatch *b)
{
	lead_db_do(db, "UPDATE batch SET nread = ?1, nnew = ?2, nunchanged = "
	    "?3, nmerged = ?4, nrejected = ?5, bytes = ?6, first_activity = "
	    "(SELECT min(id) FROM activity WHERE id > ?7), last_activity = "
	    "(SELECT max(id) FROM activity WHERE id > ?7) WHERE id = ?8",
	    "iiiiiiii", (int64_t)b->nread, (int64_t)b->nnew,
	    (int64_t)b->nunchanged, (int64_t)b->nmerged,
	    (int64_t)b->nrejected, b->bytes, b->act0, b->id);
}

/* ---- show and todo --------------------------------------------------------- */

/* group_concat is string_agg in PostgreSQL. */
#define PROFILE_SQL(CONCAT) \
	"SELECT email, trim(coalesce(first_name, '') || ' ' || coalesce(last_name, " \
	"'')), title, company, phone, country, source, campaign, created_at, " \
	"stage, (SELECT name FROM rep WHERE id = owner_id), score, grade, " \
	"dnc_email, dnc_phone, (SELECT trim(coalesce(next_step, '') || " \
	"coalesce(' (due ' || due || ')', '')) FROM activity WHERE lead_id = " \
	"lead.id AND next_step IS NOT NULL ORDER BY ts DESC LIMIT 1), " \
	"(SELECT b.source || coalesce(' / ' || b.campaign, '') FROM " \
	"batch_member m JOIN batch b ON b.id = m.batch_id WHERE " \
	"m.lead_id = lead.id AND b.undone_at IS NULL ORDER BY b.id DESC " \
	"LIMIT 1), (SELECT " CONCAT "(content, '; ') FROM (SELECT " \
	"content FROM activity WHERE lead_id = lead.id AND content IS NOT " \
	"NULL AND kind IN ('download', 'content_view', 'webinar_attended', " \
	"'webinar_registered', 'email_click', 'page_visit', 'form_submit') " \
	"GROUP BY content ORDER BY max(ts) DESC LIMIT 8) t) FROM lead " \
	"WHERE id = ?"

static const char profile_sq[] = PROFILE_SQL("group_concat");
static const char profile_pg[] = PROFILE_SQL("string_agg");

/* A lead's timeline: touches, stage changes, assignments, scores and the
 * lists it came in, oldest first; at the same time, a list before a touch
 * before the stage change it caused.
 * SQLite: ifnull; PostgreSQL: coalesce. */
#define TIMELINE_SQL(AMOUNT, REAL) \
	"SELECT at, event, kind, detail, actor FROM (" \
	" SELECT ts AS at, 'touch' AS event, kind, trim(" \
	"  coalesce(channel || ' ', '') || coalesce('[' || outcome || '] ', '') ||" \
	"  coalesce(content || ' ', '') || coalesce('\"' || note || '\" ', '') ||" \
	"  coalesce('next: ' || next_step || ' ', '') ||" \
	"  coalesce('due ' || due || ' ', '') ||" \
	"  coalesce('amount ' || " AMOUNT ", '')) AS detail," \
	"  actor, 1 AS pri," \
	"  id AS ord" \
	"  FROM activity WHERE lead_id = ?1" \
	" UNION ALL SELECT at, 'stage', to_stage, coalesce(from_stage, '?') ||" \
	"  ' -> ' || to_stage || coalesce(': ' || reason, ''), actor, 2, id" \
	"  FROM stage_history WHERE lead_id = ?1" \
	" UNION ALL SELECT a.at, 'assigned', r.name, 'to ' || r.name ||" \
	"  coalesce(', due ' || a.due, '') || coalesce(' (' || a.reason || ')', '') ||" \
	"  coalesce('; first touch ' || a.first_touch_at, '') ||" \
	"  coalesce('; accepted ' || a.accepted_at, '') ||" \
	"  coalesce('; rejected ' || a.rejected_at || ': ' || a.reject_reason, '')," \
	"  a.actor, 3, a.id FROM assignment a JOIN rep r ON r.id = a.rep_id" \
	"  WHERE a.lead_id = ?1" \
	" UNION ALL SELECT r.at, 'score', s.grade, 'score ' || " REAL("s.score") \
	" || coalesce(', fit ' || " REAL("s.fit") ", '') || coalesce(', grade ' " \
	"  || s.grade, '')," \
	"  'lead-score', 4, r.id FROM lead_score s JOIN score_run r" \
	"  ON r.id = s.run_id WHERE s.lead_id = ?1" \
	" UNION ALL SELECT b.at, 'list', b.kind, trim(coalesce(b.source, '') ||" \
	"  coalesce(' / ' || b.campaign, '') || coalesce(' (' || b.file || ')', '') ||" \
	"  ' ' || m.action), b.command, 0, b.id FROM batch_member m" \
	"  JOIN batch b ON b.id = m.batch_id WHERE m.lead_id = ?1" \
	"  AND b.undone_at IS NULL AND b.command = 'lead-import'" \
	") t ORDER BY at, pri, ord"
/* An amount, whole or not, and a REAL, as SQLite writes them as text
 * ("%!.15g": 70.0, 72.5); PostgreSQL writes 70. */
#define AMOUNT_SQ "CASE WHEN amount = CAST(amount AS INTEGER) THEN " \
	"CAST(amount AS INTEGER) ELSE amount END"
#define AMOUNT_PG "CASE WHEN amount = trunc(amount) AND abs(amount) < 1e15 " \
	"THEN CAST(CAST(amount AS bigint) AS text) ELSE CAST(amount AS text) END"
#define REAL_SQ(x) x
#define REAL_PG(x) "CASE WHEN " x " = trunc(" x ") AND abs(" x ") < 1e15 " \
	"THEN CAST(CAST(" x " AS bigint) AS text) || '.0' ELSE CAST(" x " AS " \
	"text) END"
static const char timeline_sq[] = TIMELINE_SQL(AMOUNT_SQ, REAL_SQ);
static const char timeline_pg[] = TIMELINE_SQL(AMOUNT_PG, REAL_PG);

/* The promise view of leads.db(5): by whoever promised, else the lead's
 * owner; the ones past due first. */
static const char promises_sql[] =
	"SELECT coalesce(p.rep, r.name), l.email, l.id, p.at, p.next_step, "
	"p.due, l.stage FROM promise p JOIN lead l ON l.id = p.lead_id LEFT "
	"JOIN rep r ON r.id = l.owner_id WHERE CAST(?1 AS TEXT) IS NULL OR "
	"lower(p.rep) = lower(?1) OR (p.rep IS NULL AND r.name = ?1) ORDER BY "
	"p.due IS NULL, p.due, p.at, l.id";

/* A statement of one lead, its id bound. */
static struct lead_stmt *
of_lead(struct lead_conn *db, const char *sql, int64_t id)
{
	struct lead_stmt *st = lead_db_prepare(db, sql);

	lead_bind_int64(st, 1, id);
	return st;
}

struct lead_stmt *
lead_touches_profile(struct lead_conn *db, int64_t id)
{
	return of_lead(db, lead_sql(db, profile_sq, profile_pg), id);
}

struct lead_stmt *
lead_touches_timeline(struct lead_conn *db, int64_t id)
{
	return of_lead(db, lead_sql(db, timeline_sq, timeline_pg), id);
}

struct lead_stmt *
lead_touches_promises(struct lead_conn *db, const char *rep)
{
	struct lead_stmt *st = lead_db_prepare(db, promises_sql);

	lead_db_bind_text(st, 1, rep);
	return st;
}
