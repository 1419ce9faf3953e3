/*
 * store-leads.c: leads and their keys as an import reads and writes
 * them.  The statements of an import are prepared once
 * (lead_importer_open) and run once a record; the merge policy is
 * lead-import's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-leads.h"

static void open_bulks(struct lead_importer *s, struct lead_conn *db);
static void ahead_clear(struct lead_importer *s);

/* A batch that imported something: one whose every record was rejected
 * does not make its content "imported before" (its corrected list must
 * go in), and lead-report counts no cost for it.  (An empty list imported
 * nothing either, but it is a list: the same one again is a repeat.) */
#define IMPORTED "NOT (nread > 0 AND nrejected = nread)"

/* The columns leadkit keeps of a lead besides its fields, in the order
 * the statements below bind them. */
enum { C_DOMAIN, C_ATTRS, C_LAST_BATCH, C_DNC_EMAIL, C_DNC_PHONE,
	C_DNC_REASON, C_DNC_AT, C_N };
static const char *const own[C_N] = {
	"domain", "attrs", "last_batch", "dnc_email", "dnc_phone",
	"dnc_reason", "dnc_at"
};

const struct lead_columns *
lead_lead_columns(void)
{
	static struct lead_columns c;

	if (c.n)
		return &c;
	for (int f = 0; f < LF_NFIELDS; f++)
		if (!(lead_lead_fields[f].flags & LEAD_FIELD_UNSTORED)) {
			c.field[c.n] = f;
			c.name[c.n++] = lead_lead_fields[f].name;
		}
	c.nfields = c.n;
	for (int i = 0; i < C_N; i++) {
		c.field[c.n] = -1;
		c.name[c.n++] = own[i];
	}
	return &c;
}

int
lead_lead_column_integer(const char *name)
{
	return strcmp(name, "last_batch") == 0 ||
	    strcmp(name, "dnc_email") == 0 || strcmp(name, "dnc_phone") == 0;
}

/* "a, b, c" of the columns (each as fmt gives it, with ?N numbered from
 * 1 in order when fmt has a %zu). */
static void
column_list(struct lead_buf *b, const char *fmt)
{
	const struct lead_columns *c = lead_lead_columns();

	for (size_t i = 0; i < c->n; i++) {
		if (i)
			lead_buf_adds(b, ", ");
		lead_buf_addf(b, fmt, c->name[i], i + 1);
	}
}

static struct lead_stmt *
prepare_buf(struct lead_conn *db, struct lead_buf *b)
{
	struct lead_stmt *st = lead_db_prepare(db, b->s);

	lead_buf_free(b);
	return st;
}

/* The statements that read and write a whole lead, built from the
 * columns: by email, by id, insert, update.  Parameters: ?1.. the
 * columns; then now, then (update) the id. */
static void
prepare_rows(struct lead_importer *s, struct lead_conn *db)
{
	const struct lead_columns *c = lead_lead_columns();
	size_t now = c->n + 1, id = c->n + 2, reason = c->nfields + C_DNC_REASON
	    + 1, batch = c->nfields + C_LAST_BATCH + 1;
	struct lead_buf b = { 0 };

	for (int k = 0; k < 2; k++) {
		lead_buf_adds(&b, "SELECT id, ");
		column_list(&b, "%s");
		lead_buf_adds(&b, k ? " FROM lead WHERE id = ?1" :
		    " FROM lead WHERE email = ?1");
		*(k ? &s->by_id : &s->by_email) = prepare_buf(db, &b);
	}
	/* A new lead's dnc_at is now if it is do-not-contact. */
	lead_buf_adds(&b, "INSERT INTO lead (");
	column_list(&b, "%s");
	lead_buf_adds(&b, ", first_batch, stage, updated_at) VALUES (");
	for (size_t i = 0; i < c->n; i++)
		if (i == c->nfields + C_DNC_AT)
			lead_buf_addf(&b, ", CASE WHEN CAST(?%zu AS TEXT) IS "
			    "NOT NULL THEN ?%zu END", reason, now);
		else
			lead_buf_addf(&b, "%s?%zu", i ? ", " : "", i + 1);
	lead_buf_addf(&b, ", ?%zu, 'new', ?%zu) ON CONFLICT (email) DO "
	    "NOTHING", batch, now);
	s->insert = prepare_buf(db, &b);
	lead_buf_adds(&b, "UPDATE lead SET ");
	column_list(&b, "%s = ?%zu");
	lead_buf_addf(&b, ", updated_at = ?%zu WHERE id = ?%zu", now, id);
	s->update = prepare_buf(db, &b);
}

void
lead_importer_open(struct lead_importer *s, struct lead_conn *db)
{
	memset(s, 0, sizeof *s);
	s->db = db;
	s->batch_new = lead_db_prepare(db, "INSERT INTO batch (command, file, "
	    "source, campaign, kind, cost, activity, options, at) "
	    "VALUES ('lead-import', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	s->batch_done = lead_db_prepare(db, "UPDATE batch SET sha256 = ?1, "
	    "nread = ?2, nnew = ?3, nupdated = ?4, nunchanged = ?5, "
	    "nmerged = ?6, nrejected = ?7, bytes = ?8 WHERE id = ?9");
	s->batch_size = lead_db_prepare(db, "SELECT 1 FROM batch WHERE "
	    "bytes = ?1 AND command = 'lead-import' AND undone_at IS NULL "
	    "AND " IMPORTED);
	s->batch_same = lead_db_prepare(db, "SELECT id, at FROM batch "
	    "WHERE sha256 = ?1 AND id <> ?2 AND command = 'lead-import' "
	    "AND undone_at IS NULL AND " IMPORTED " AND options IS NOT "
	    "DISTINCT FROM ?3 AND kind IS NOT DISTINCT FROM ?4 ORDER BY id "
	    "LIMIT 1");
	prepare_rows(s, db);
	s->by_key = lead_db_prepare(db, "SELECT lead_id FROM lead_key "
	    "WHERE system = ?1 AND key = ?2");
	s->touch = lead_db_prepare(db, "UPDATE lead SET last_batch = ?1 "
	    "WHERE id = ?2");
	s->key_add = lead_db_prepare(db, "INSERT INTO lead_key (system, key, "
	    "lead_id, batch_id) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO "
	    "NOTHING");
	s->bl_add = lead_db_prepare(db, "INSERT INTO batch_lead (batch_id, "
	    "lead_id, action, before, after) VALUES (?1, ?2, ?3, ?4, ?5)");
	/* The images of a lead's row of the batch, extended in C
	 * (lead_importer_batch_lead_extend), so that both engines write
	 * the same text. */
	s->bl_extend = lead_db_prepare(db, "UPDATE batch_lead SET before = ?3, "
	    "after = ?4 WHERE batch_id = ?1 AND lead_id = ?2");
	s->bl_updated = lead_db_prepare(db, "UPDATE batch_lead SET action = "
	    "'updated' WHERE batch_id = ?1 AND lead_id = ?2 AND "
	    "action = 'unchanged'");
	s->act_add = lead_db_prepare(db, "INSERT INTO activity (lead_id, ts, "
	    "kind, channel, content, actor, batch_id, fp, note) VALUES (?1, "
	    "?2, ?3, ?4, ?5, 'lead-import', ?6, ?7, ?8) ON CONFLICT DO "
	    "NOTHING");
	/* Another join of a lead this batch has a touch of: the first join's
	 * time, the minutes summed ("47 min in session" reads as 47).  The
	 * sum is made in C (lead_importer_touch); a time another touch of
	 * the lead already has is left (the unique index). */
	s->act_joined = lead_db_prepare(db, "SELECT id, ts, note FROM activity "
	    "WHERE lead_id = ?1 AND batch_id = ?2 AND kind = ?3");
	s->act_join = lead_db_prepare(db, "UPDATE activity SET ts = ?2, note = "
	    "?3 WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM activity b WHERE "
	    "b.lead_id = activity.lead_id AND b.ts = ?2 AND b.kind = "
	    "activity.kind AND b.fp = activity.fp AND b.id <> activity.id)");
	s->act_range = lead_db_prepare(db, "UPDATE batch SET first_activity = "
	    "(SELECT min(id) FROM activity WHERE id > ?1), last_activity = "
	    "(SELECT max(id) FROM activity) WHERE id = ?2 AND "
	    "(SELECT max(id) FROM activity) > ?1");
	s->sup_add = lead_db_prepare(db, "INSERT INTO suppression (email, "
	    "channel, reason, at, batch_id) VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT (email) DO UPDATE SET channel = CASE WHEN "
	    "suppression.channel = excluded.channel THEN suppression.channel "
	    "ELSE 'all' END");
	s->sup_flag = lead_db_prepare(db, "UPDATE lead SET dnc_email = ?1, "
	    "dnc_phone = ?2, dnc_reason = ?3, dnc_at = ?4, last_batch = ?5 "
	    "WHERE id = ?6");
	open_bulks(s, db);
}

void
lead_importer_close(struct lead_importer *s)
{
	struct lead_stmt **p = &s->batch_new, **end = &s->sup_flag;

	for (; p <= end; p++)
		lead_finalize(*p);
	ahead_clear(s);
	lead_strmap_free(&s->bl_leads);
	lead_bloom_free(&s->written);
}

void
lead_leadrow_free(struct lead_leadrow *l)
{
	for (int i = 0; i < LF_NFIELDS; i++)
		free(l->v[i]);
	free(l->domain);
	free(l->attrs);
	free(l->dnc_reason);
	free(l->dnc_at);
	memset(l, 0, sizeof *l);
}

static char *
col_dup(struct lead_stmt *st, int i)
{
	const char *s = lead_column_text(st, i);

	return s ? lead_xstrdup(s) : NULL;
}

/* The lead of the row a statement of prepare_rows stepped to. */
static void
read_row(struct lead_stmt *st, struct lead_leadrow *l)
{
	const struct lead_columns *c = lead_lead_columns();
	int k = (int)c->nfields + 1;

	l->id = lead_column_int64(st, 0);
	for (size_t i = 0; i < c->nfields; i++)
		l->v[c->field[i]] = col_dup(st, (int)i + 1);
	l->domain = col_dup(st, k + C_DOMAIN);
	l->attrs = col_dup(st, k + C_ATTRS);
	l->last_batch = lead_column_int64(st, k + C_LAST_BATCH);
	l->dnc_email = lead_column_int(st, k + C_DNC_EMAIL);
	l->dnc_phone = lead_column_int(st, k + C_DNC_PHONE);
	l->dnc_reason = col_dup(st, k + C_DNC_REASON);
	l->dnc_at = col_dup(st, k + C_DNC_AT);
}

/* Read the lead the statement (by_email or by_id) finds; 1 if found. */
static int
fetch(struct lead_stmt *st, struct lead_leadrow *l)
{
	int found = 0;

	if (lead_db_step(st) == LEAD_ROW) {
		found = 1;
		read_row(st, l);
	}
	lead_reset(st);
	return found;
}

/* ---- reading ahead, writing in bulk ------------------------------------ */

/*
 * Where a statement a record costs a round trip (PostgreSQL), an import
 * reads the leads of its next records at once (lead_importer_ahead) and
 * answers from them; what it writes is held and copied in together
 * (driver.h's bulks) before any other statement runs, so that whatever
 * else reads the database sees it.  Under the write lock no one else
 * adds a lead, so a new lead's id is the largest plus one, as the
 * statement would have drawn it.  Elsewhere every call below is the
 * statement it was.
 */

/* An UPDATE of lead from a staging table finds its leads by the index:
 * on a staging table of a few rows, which is what a write between two
 * statements holds, the planner would scan lead instead (27 ms against
 * 0.5 ms for 3 rows of 20,000 leads). */
#define BY_INDEX(staging) "lead.id = ANY(ARRAY(SELECT id FROM " staging "))"

/* The staging tables of the bulk writes that are not plain copies. */
static const char staging[] =
	"CREATE TEMP TABLE lk_lead_up ON COMMIT DROP AS SELECT 0::bigint "
	"AS seq, * FROM lead WITH NO DATA;"
	"CREATE TEMP TABLE lk_named (id bigint, last_batch bigint) "
	"ON COMMIT DROP;"
	"CREATE TEMP TABLE lk_key_in (seq bigint, system text, key text, "
	"lead_id bigint, batch_id bigint) ON COMMIT DROP;"
	"CREATE TEMP TABLE lk_act_in (seq bigint, lead_id bigint, ts text, "
	"kind text, channel text, content text, batch_id bigint, fp bigint, "
	"note text) ON COMMIT DROP";

static char *
take_reset(struct lead_buf *b)
{
	char *s = lead_buf_take(b);

	memset(b, 0, sizeof *b);
	return s;
}

static void
open_bulks(struct lead_importer *s, struct lead_conn *db)
{
	const struct lead_columns *c = lead_lead_columns();
	struct lead_buf into = { 0 }, set = { 0 };
	char *i, *u;

	if (db->drv->bulk_open == NULL)
		return;
	lead_db_exec(db, staging);
	/* In the order written: a later one may name the leads of an
	 * earlier one. */
	lead_buf_adds(&into, "lead (id, ");
	column_list(&into, "%s");
	lead_buf_adds(&into, ", first_batch, stage, updated_at)");
	i = take_reset(&into);
	s->b_insert = lead_db_bulk(db, i, NULL);
	lead_buf_adds(&into, "lk_lead_up (seq, id, ");
	column_list(&into, "%s");
	lead_buf_adds(&into, ", updated_at)");
	lead_buf_adds(&set, "UPDATE lead SET ");
	for (size_t k = 0; k < c->n; k++)
		lead_buf_addf(&set, "%s = u.%s, ", c->name[k], c->name[k]);
	lead_buf_adds(&set, "updated_at = u.updated_at FROM (SELECT "
	    "DISTINCT ON (id) * FROM lk_lead_up ORDER BY id, seq DESC) u "
	    "WHERE lead.id = u.id AND " BY_INDEX("lk_lead_up") "; "
	    "TRUNCATE lk_lead_up");
	u = take_reset(&set);
	free(i);
	i = take_reset(&into);
	s->b_update = lead_db_bulk(db, i, u);
	free(i);
	free(u);
	s->b_named = lead_db_bulk(db, "lk_named (id, last_batch)", "UPDATE "
	    "lead SET last_batch = n.last_batch FROM lk_named n WHERE "
	    "lead.id = n.id AND " BY_INDEX("lk_named") "; TRUNCATE lk_named");
	s->b_bl = lead_db_bulk(db, "batch_lead (batch_id, lead_id, action, "
	    "before, after)", NULL);
	s->b_key = lead_db_bulk(db, "lk_key_in (seq, system, key, lead_id, "
	    "batch_id)", "INSERT INTO lead_key (system, key, lead_id, "
	    "batch_id) SELECT system, key, lead_id, batch_id FROM lk_key_in "
	    "ORDER BY seq ON CONFLICT DO NOTHING; TRUNCATE lk_key_in");
	s->b_act = lead_db_bulk(db, "lk_act_in (seq, lead_id, ts, kind, "
	    "channel, content, batch_id, fp, note)", "INSERT INTO activity "
	    "(lead_id, ts, kind, channel, content, actor, batch_id, fp, note) "
	    "SELECT lead_id, ts, kind, channel, content, 'lead-import', "
	    "batch_id, fp, note FROM lk_act_in ORDER BY seq ON CONFLICT DO "
	    "NOTHING; TRUNCATE lk_act_in");
}

int
lead_importer_reads_ahead(const struct lead_importer *s)
{
	return s->b_insert != NULL;
}

static char *
dup_or_null(const char *s)
{
	return s ? lead_xstrdup(s) : NULL;
}

static void
row_copy(struct lead_leadrow *dst, const struct lead_leadrow *src)
{
	dst->id = src->id;
	for (int f = 0; f < LF_NFIELDS; f++)
		dst->v[f] = dup_or_null(src->v[f]);
	dst->domain = dup_or_null(src->domain);
	dst->attrs = dup_or_null(src->attrs);
	dst->last_batch = src->last_batch;
	dst->dnc_email = src->dnc_email;
	dst->dnc_phone = src->dnc_phone;
	dst->dnc_reason = dup_or_null(src->dnc_reason);
	dst->dnc_at = dup_or_null(src->dnc_at);
}

static void
ahead_clear(struct lead_importer *s)
{
	for (size_t i = 0; i < s->nrows; i++)
		lead_leadrow_free(&s->rows[i]);
	free(s->rows);
	s->rows = NULL;
	s->nrows = s->caprows = 0;
	for (size_t i = 0; i < s->noptrows; i++) {
		free(s->optrows[i].email);
		free(s->optrows[i].channel);
		free(s->optrows[i].reason);
	}
	free(s->optrows);
	s->optrows = NULL;
	s->noptrows = 0;
	lead_strmap_free(&s->by_email_ahead);
	lead_strmap_free(&s->by_id_ahead);
	lead_strmap_free(&s->by_key_ahead);
	lead_strmap_free(&s->optout_asked);
	lead_strmap_free(&s->optout_ahead);
	free(s->key_system);
	s->key_system = NULL;
	s->ahead = 0;
}

/* The lead read ahead (or written since) with this id, or NULL. */
static struct lead_leadrow *
ahead_row(struct lead_importer *s, int64_t id)
{
	char k[24];
	const int64_t *p;

	if (!s->ahead)
		return NULL;
	snprintf(k, sizeof k, "%lld", (long long)id);
	p = lead_strmap_get(&s->by_id_ahead, k);
	return p ? &s->rows[*p - 1] : NULL;
}

/* Keep a lead as the database now has it (a copy of l): found ahead, or
 * new.  Its slot if known, else a new one. */
static void
ahead_keep(struct lead_importer *s, const struct lead_leadrow *l)
{
	struct lead_leadrow *a = ahead_row(s, l->id);
	char k[24];

	if (a) {
		lead_leadrow_free(a);
	} else {
		if (s->nrows == s->caprows) {
			s->caprows = s->caprows ? 2 * s->caprows : 256;
			s->rows = lead_xrealloc(s->rows, s->caprows *
			    sizeof *s->rows);
		}
		a = &s->rows[s->nrows++];
		snprintf(k, sizeof k, "%lld", (long long)l->id);
		*lead_strmap_put(&s->by_id_ahead, k) = (int64_t)s->nrows;
	}
	row_copy(a, l);
	if (a->attrs == NULL)
		a->attrs = lead_xstrdup("{}");
	if (a->v[LF_EMAIL])
		*lead_strmap_put(&s->by_email_ahead, a->v[LF_EMAIL]) =
		    (a - s->rows) + 1;
}

/* The values of a lead's columns as the statements bind them
 * (bind_leadrow): v[0 .. n-1], with room the caller gives for numbers. */
static void
row_values(const struct lead_leadrow *l, int64_t batch, const char **v,
    char (*num)[24])
{
	const struct lead_columns *c = lead_lead_columns();
	size_t k = c->nfields;

	for (size_t i = 0; i < c->nfields; i++)
		v[i] = l->v[c->field[i]];
	v[k + C_DOMAIN] = l->domain;
	v[k + C_ATTRS] = l->attrs ? l->attrs : "{}";
	snprintf(num[0], 24, "%lld", (long long)batch);
	v[k + C_LAST_BATCH] = num[0];
	v[k + C_DNC_EMAIL] = l->dnc_email ? "1" : "0";
	v[k + C_DNC_PHONE] = l->dnc_phone ? "1" : "0";
	v[k + C_DNC_REASON] = l->dnc_reason;
	v[k + C_DNC_AT] = l->dnc_at;
}

/* A lead for a bulk: a new one (its id drawn here), copied into lead;
 * or a changed one, into lk_lead_up in the records' order.  Its id. */
static int64_t
bulk_lead(struct lead_importer *s, const struct lead_leadrow *l,
    int64_t batch, const char *now, int new)
{
	const struct lead_columns *c = lead_lead_columns();
	const char *v[LF_NFIELDS + 16];
	char num[3][24];
	struct lead_leadrow kept = *l;
	size_t n = 0;

	if (new)
		kept.id = s->next_id++;
	else {
		snprintf(num[2], sizeof num[2], "%lld", (long long)++s->seq);
		v[n++] = num[2];
	}
	snprintf(num[1], sizeof num[1], "%lld", (long long)kept.id);
	v[n++] = num[1];
	row_values(l, batch, v + n, num);
	/* A new lead's dnc_at is now if it is do-not-contact. */
	if (new)
		v[n + c->nfields + C_DNC_AT] = kept.dnc_at = l->dnc_reason ?
		    (char *)now : NULL;
	n += c->n;
	if (new) {
		v[n++] = num[0];	/* first_batch */
		v[n++] = "new";
	}
	v[n++] = now;
	lead_db_bulk_row(s->db, new ? s->b_insert : s->b_update, v, (int)n);
	kept.last_batch = batch;
	if (new || ahead_row(s, l->id))
		ahead_keep(s, &kept);
	return kept.id;
}

/* Keep every lead a statement (SELECT id, columns) finds. */
static void
ahead_read(struct lead_importer *s, struct lead_stmt *st)
{
	struct lead_leadrow l;

	while (lead_db_step(st) == LEAD_ROW) {
		memset(&l, 0, sizeof l);
		read_row(st, &l);
		if (ahead_row(s, l.id) == NULL)
			ahead_keep(s, &l);
		lead_leadrow_free(&l);
	}
	lead_finalize(st);
}

/*
 * The statements that read ahead look each value of an array up on its
 * own (a LATERAL subquery with LIMIT 1, which the planner cannot turn
 * into a join): by the unique index, whatever the statistics of a table
 * that grew in this very transaction say.  ?1 is the array's text.
 */
#define EACH(type) "FROM unnest(CAST(?1 AS " type "[])) AS k(v) CROSS JOIN " \
	"LATERAL (SELECT "

/* A statement of prepare_rows's, a lead for each value of the array. */
static struct lead_stmt *
rows_each(struct lead_conn *db, const char *type, const char *col)
{
	struct lead_buf b = { 0 };

	lead_buf_adds(&b, "SELECT l.* ");
	lead_buf_addf(&b, EACH("%s") "id, ", type);
	column_list(&b, "%s");
	lead_buf_addf(&b, " FROM lead WHERE %s = k.v LIMIT 1) AS l", col);
	return prepare_buf(db, &b);
}

static void
keys_ahead(struct lead_importer *s, const char *system, char *const *keys,
    size_t n)
{
	struct lead_stmt *st = lead_db_prepare(s->db, "SELECT t.* "
	    EACH("text") "key, lead_id FROM lead_key WHERE system = ?2 AND "
	    "key = k.v LIMIT 1) AS t");
	char *arr = lead_db_array(keys, n), **ids = NULL;
	size_t nids = 0;

	s->key_system = lead_xstrdup(system);
	lead_bind_text(st, 1, arr, -1, LEAD_STATIC);
	lead_bind_text(st, 2, system, -1, LEAD_STATIC);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 1);
		char k[24];

		*lead_strmap_put(&s->by_key_ahead, lead_column_text(st, 0)) =
		    id;
		snprintf(k, sizeof k, "%lld", (long long)id);
		if (lead_strmap_get(&s->by_id_ahead, k) == NULL) {
			ids = lead_xrealloc(ids, (nids + 1) * sizeof *ids);
			ids[nids++] = lead_xstrdup(k);
		}
	}
	lead_finalize(st);
	free(arr);
	for (size_t i = 0; i < n; i++) {
		int64_t *p = lead_strmap_put(&s->by_key_ahead, keys[i]);

		if (*p == 0)
			*p = -1;
	}
	if (nids == 0)
		return;
	arr = lead_db_array(ids, nids);
	st = rows_each(s->db, "bigint", "id");
	lead_bind_text(st, 1, arr, -1, LEAD_STATIC);
	ahead_read(s, st);
	free(arr);
	for (size_t i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
}

/* The suppression entries of the emails: each as itself, and hashed
 * where forgotten addresses are kept hashed (lead_optout_find). */
static void
optouts_ahead(struct lead_importer *s, char *const *emails, size_t n)
{
	int hashed = lead_optouts_hashed(s->db);
	const char *salt = lead_db_salt(s->db);
	char **ask = lead_xcalloc(3 * n + 1, sizeof *ask), *arr;
	char h[LEAD_EMAIL_HASH_LEN];
	size_t k = 0;
	struct lead_stmt *st;

	for (size_t i = 0; i < n; i++) {
		*lead_strmap_put(&s->optout_asked, emails[i]) = 1;
		ask[k++] = emails[i];
		if (hashed) {
			lead_email_hash(NULL, emails[i], h);
			ask[k++] = lead_xstrdup(h);
			if (salt) {
				lead_email_hash(salt, emails[i], h);
				ask[k++] = lead_xstrdup(h);
			}
		}
	}
	arr = lead_db_array(ask, k);
	for (size_t i = 0; i < k; i++)
		if (strncmp(ask[i], "sha256:", 7) == 0)
			free(ask[i]);
	free(ask);
	st = lead_db_prepare(s->db, "SELECT o.* " EACH("text") "email, "
	    "channel, reason FROM suppression WHERE email = k.v LIMIT 1) AS o");
	lead_bind_text(st, 1, arr, -1, LEAD_STATIC);
	while (lead_db_step(st) == LEAD_ROW) {
		struct lead_optrow *o;

		s->optrows = lead_xrealloc(s->optrows, (s->noptrows + 1) *
		    sizeof *s->optrows);
		o = &s->optrows[s->noptrows++];
		o->email = col_dup(st, 0);
		o->channel = col_dup(st, 1);
		o->reason = col_dup(st, 2);
		*lead_strmap_put(&s->optout_ahead, o->email) =
		    (int64_t)s->noptrows;
	}
	lead_finalize(st);
	free(arr);
}

int
lead_importer_optout(struct lead_importer *s, const char *email,
    char **reason)
{
	const char *salt, *best = NULL, *why = NULL;
	char h[2][LEAD_EMAIL_HASH_LEN];
	const char *ask[3];
	const int64_t *p;
	int bits = 0, n = 0;

	if (!s->ahead || email == NULL ||
	    lead_strmap_get(&s->optout_asked, email) == NULL)
		return lead_optout_find(s->db, email, reason);
	ask[n++] = email;
	if (lead_optouts_hashed(s->db)) {
		lead_email_hash(NULL, email, h[0]);
		ask[n++] = h[0];
		if ((salt = lead_db_salt(s->db)) != NULL) {
			lead_email_hash(salt, email, h[1]);
			ask[n++] = h[1];
		}
	}
	/* As the statement's rows come: by the index, the least first. */
	for (int i = 0; i < n; i++) {
		const struct lead_optrow *o;

		if ((p = lead_strmap_get(&s->optout_ahead, ask[i])) == NULL)
			continue;
		o = &s->optrows[*p - 1];
		bits |= lead_optout_bits(o->channel);
		if (best == NULL || strcmp(o->email, best) < 0) {
			best = o->email;
			why = o->reason ? o->reason : "suppression list";
		}
	}
	if (reason)
		*reason = why ? lead_xstrdup(why) : NULL;
	return bits;
}

void
lead_importer_ahead(struct lead_importer *s, char *const *emails,
    size_t nemails, const char *system, char *const *keys, size_t nkeys,
    int optouts)
{
	struct lead_stmt *st;
	char *arr;

	ahead_clear(s);
	if (!lead_importer_reads_ahead(s) || nemails + nkeys == 0) {
		/* What is written until the next read ahead (statements,
		 * a savepoint rolled back) draws its ids itself. */
		s->idknown = 0;
		return;
	}
	if (!s->idknown) {
		s->next_id = lead_db_int64(s->db, "SELECT coalesce(max(id), "
		    "0) FROM lead", 0, 0) + 1;
		s->idknown = 1;
		if (s->fresh == 0)
			s->fresh = lead_db_int64(s->db, "SELECT count(*) FROM "
			    "(SELECT 1 FROM lead LIMIT 1) x", 0, 0) ? -1 : 1;
	}
	if (nemails > 0) {
		/* Into a list that was empty, only the emails this import
		 * wrote can be there: the others are known new. */
		char *const *ask = emails;
		char **some = NULL;
		size_t nask = nemails;

		if (s->fresh == 1) {
			some = lead_xcalloc(nemails + 1, sizeof *some);
			nask = 0;
			for (size_t i = 0; i < nemails; i++)
				if (lead_bloom_may(&s->written, emails[i]))
					some[nask++] = emails[i];
			ask = some;
		}
		if (nask > 0) {
			arr = lead_db_array(ask, nask);
			st = rows_each(s->db, "text", "email");
			lead_bind_text(st, 1, arr, -1, LEAD_STATIC);
			ahead_read(s, st);
			free(arr);
		}
		free(some);
		for (size_t i = 0; i < nemails; i++) {
			int64_t *p = lead_strmap_put(&s->by_email_ahead,
			    emails[i]);

			if (*p == 0)
				*p = -1;
		}
	}
	if (nkeys > 0 && system)
		keys_ahead(s, system, keys, nkeys);
	if (optouts && nemails > 0)
		optouts_ahead(s, emails, nemails);
	s->ahead = 1;
}

int
lead_importer_by_email(struct lead_importer *s, const char *email,
    struct lead_leadrow *l)
{
	const int64_t *p;

	if (s->ahead && (p = lead_strmap_get(&s->by_email_ahead, email))) {
		if (*p < 0)
			return 0;
		row_copy(l, &s->rows[*p - 1]);
		return 1;
	}
	lead_bind_text(s->by_email, 1, email, -1, LEAD_STATIC);
	return fetch(s->by_email, l);
}

int
lead_importer_by_id(struct lead_importer *s, int64_t id,
    struct lead_leadrow *l)
{
	struct lead_leadrow *a;

	if ((a = ahead_row(s, id)) != NULL) {
		row_copy(l, a);
		return 1;
	}
	lead_bind_int64(s->by_id, 1, id);
	return fetch(s->by_id, l);
}

int64_t
lead_importer_by_key(struct lead_importer *s, const char *system,
    const char *key)
{
	const int64_t *p;
	int64_t id = 0;

	if (s->ahead && s->key_system && strcmp(system, s->key_system) == 0 &&
	    (p = lead_strmap_get(&s->by_key_ahead, key)))
		return *p < 0 ? 0 : *p;

	lead_bind_text(s->by_key, 1, system, -1, LEAD_STATIC);
	lead_bind_text(s->by_key, 2, key, -1, LEAD_STATIC);
	if (lead_db_step(s->by_key) == LEAD_ROW)
		id = lead_column_int64(s->by_key, 0);
	lead_reset(s->by_key);
	return id;
}

/* The row outlives the statement's step: no copies (LEAD_STATIC).  The
 * columns, then now; a new lead's dnc_at is bound as now. */
static void
bind_leadrow(struct lead_stmt *st, const struct lead_leadrow *l,
    int64_t batch, const char *now)
{
	const struct lead_columns *c = lead_lead_columns();
	int k = (int)c->nfields + 1;

	for (size_t i = 0; i < c->nfields; i++)
		lead_bind_text(st, (int)i + 1, l->v[c->field[i]], -1,
		    LEAD_STATIC);
	lead_bind_text(st, k + C_DOMAIN, l->domain, -1, LEAD_STATIC);
	lead_bind_text(st, k + C_ATTRS, l->attrs ? l->attrs : "{}", -1,
	    LEAD_STATIC);
	lead_bind_int64(st, k + C_LAST_BATCH, batch);
	lead_bind_int(st, k + C_DNC_EMAIL, l->dnc_email);
	lead_bind_int(st, k + C_DNC_PHONE, l->dnc_phone);
	lead_bind_text(st, k + C_DNC_REASON, l->dnc_reason, -1, LEAD_STATIC);
	lead_bind_text(st, k + C_DNC_AT, l->dnc_at, -1, LEAD_STATIC);
	lead_bind_text(st, (int)c->n + 1, now, -1, LEAD_STATIC);
}

/* An email the lead table now holds: in the filter of a fresh list. */
static void
written(struct lead_importer *s, const char *email)
{
	if (s->fresh == 1 && email)
		lead_bloom_add(&s->written, email);
}

int64_t
lead_importer_insert(struct lead_importer *s, const struct lead_leadrow *r,
    int64_t batch, const char *now)
{
	const int64_t *p = NULL;
	int64_t id;

	written(s, r->v[LF_EMAIL]);
	if (s->ahead && (r->v[LF_EMAIL] == NULL ||
	    (p = lead_strmap_get(&s->by_email_ahead, r->v[LF_EMAIL])))) {
		if (p && *p > 0)
			return 0;
		return bulk_lead(s, r, batch, now, 1);
	}
	bind_leadrow(s->insert, r, batch, now);
	lead_db_run(s->insert);
	if (lead_db_changes(s->db) != 1)
		return 0;
	if ((id = lead_db_last_id(s->db)) >= s->next_id)
		s->next_id = id + 1;
	return id;
}

void
lead_importer_update(struct lead_importer *s, const struct lead_leadrow *l,
    int64_t batch, const char *now)
{
	written(s, l->v[LF_EMAIL]);
	if (s->ahead) {
		bulk_lead(s, l, batch, now, 0);
		return;
	}
	bind_leadrow(s->update, l, batch, now);
	lead_bind_int64(s->update, (int)lead_lead_columns()->n + 2, l->id);
	lead_db_run(s->update);
}

void
lead_importer_named(struct lead_importer *s, int64_t lead, int64_t batch)
{
	if (s->ahead) {
		struct lead_leadrow *a = ahead_row(s, lead);
		char id[24], b[24];
		const char *v[] = { id, b };

		snprintf(id, sizeof id, "%lld", (long long)lead);
		snprintf(b, sizeof b, "%lld", (long long)batch);
		lead_db_bulk_row(s->db, s->b_named, v, 2);
		if (a)
			a->last_batch = batch;
		return;
	}
	lead_bind_int64(s->touch, 1, batch);
	lead_bind_int64(s->touch, 2, lead);
	lead_db_run(s->touch);
}

void
lead_importer_key_add(struct lead_importer *s, const char *system,
    const char *key, int64_t lead, int64_t batch)
{
	if (s->ahead) {
		char seq[24], id[24], b[24];
		const char *v[] = { seq, system, key, id, b };
		int64_t *p;

		snprintf(seq, sizeof seq, "%lld", (long long)++s->seq);
		snprintf(id, sizeof id, "%lld", (long long)lead);
		snprintf(b, sizeof b, "%lld", (long long)batch);
		lead_db_bulk_row(s->db, s->b_key, v, 5);
		/* A key kept already stays (ON CONFLICT DO NOTHING). */
		if (s->key_system && strcmp(system, s->key_system) == 0 &&
		    (p = lead_strmap_get(&s->by_key_ahead, key)) && *p < 0)
			*p = lead;
		return;
	}
	lead_db_binds(s->key_add, 1, "ssii", system, key, lead, batch);
	lead_db_run(s->key_add);
}

char *
lead_lead_stage(struct lead_conn *db, int64_t lead)
{
	static const char q[] = "SELECT stage FROM lead WHERE id = ?1";
	struct lead_stmt *st = lead_db_cached(db, q);
	char *stage = NULL;

	lead_bind_int64(st, 1, lead);
	if (lead_db_step(st) == LEAD_ROW)
		stage = col_dup(st, 0);
	lead_reset(st);
	return stage;
}

int
lead_lead_own(struct lead_conn *db, int64_t lead, int64_t rep,
    const char *at, const char *reason)
{
	static const char q[] = "UPDATE lead SET owner_id = ?2 WHERE id = ?1 "
	    "AND owner_id IS NULL AND stage NOT IN ('won', 'lost', "
	    "'disqualified')";
	static const char a[] = "INSERT INTO assignment (lead_id, rep_id, at, "
	    "reason, actor) VALUES (?1, ?2, ?3, ?4, 'lead-import')";
	struct lead_stmt *st = lead_db_cached(db, q);

	lead_bind_int64(st, 1, lead);
	lead_bind_int64(st, 2, rep);
	lead_db_run(st);
	if (lead_db_changes(db) == 0)
		return 0;
	st = lead_db_cached(db, a);
	lead_db_binds(st, 1, "iiss", lead, rep, at, reason);
	lead_db_run(st);
	return 1;
}

/* "47 min in session" */
static void
minutes_note(char *buf, size_t n, double minutes)
{
	snprintf(buf, n, "%g min in session", minutes);
}

void
lead_importer_touch(struct lead_importer *s, const struct lead_list_touch *t,
    int again)
{
	struct lead_stmt *st = s->act_add, *j = s->act_joined;
	char note[64];
	struct joined { int64_t id; char *ts, *note; } *row = NULL;
	size_t n = 0;

	if (!again && s->ahead) {
		char seq[24], id[24], b[24], fp[24];
		const char *v[] = { seq, id, t->ts, t->kind, t->channel,
		    t->content, b, fp, NULL };

		snprintf(seq, sizeof seq, "%lld", (long long)++s->seq);
		snprintf(id, sizeof id, "%lld", (long long)t->lead);
		snprintf(b, sizeof b, "%lld", (long long)t->batch);
		snprintf(fp, sizeof fp, "%lld", (long long)t->fp);
		if (t->minutes >= 0) {
			minutes_note(note, sizeof note, t->minutes);
			v[8] = note;
		}
		lead_db_bulk_row(s->db, s->b_act, v, 9);
		return;
	}
	if (!again) {
		lead_bind_int64(st, 1, t->lead);
		lead_bind_text(st, 2, t->ts, -1, LEAD_TRANSIENT);
		lead_bind_text(st, 3, t->kind, -1, LEAD_STATIC);
		lead_db_bind_text(st, 4, t->channel);
		lead_db_bind_text(st, 5, t->content);
		lead_bind_int64(st, 6, t->batch);
		lead_bind_int64(st, 7, t->fp);
		if (t->minutes >= 0) {
			minutes_note(note, sizeof note, t->minutes);
			lead_bind_text(st, 8, note, -1, LEAD_TRANSIENT);
		} else
			lead_bind_null(st, 8);
		lead_db_run(st);
		return;
	}
	lead_db_binds(j, 1, "iis", t->lead, t->batch, t->kind);
	while (lead_db_step(j) == LEAD_ROW) {
		const char *note0 = lead_column_text(j, 2);

		row = lead_xrealloc(row, (n + 1) * sizeof *row);
		row[n].id = lead_column_int64(j, 0);
		row[n].ts = lead_xstrdup(lead_column_text(j, 1));
		row[n].note = note0 ? lead_xstrdup(note0) : NULL;
		n++;
	}
	lead_reset(j);
	for (size_t i = 0; i < n; i++) {
		const char *ts = strcmp(t->ts, row[i].ts) < 0 ? t->ts :
		    row[i].ts;

		lead_bind_int64(s->act_join, 1, row[i].id);
		lead_bind_text(s->act_join, 2, ts, -1, LEAD_TRANSIENT);
		if (t->minutes >= 0) {
			minutes_note(note, sizeof note, (row[i].note ?
			    strtod(row[i].note, NULL) : 0) + t->minutes);
			lead_bind_text(s->act_join, 3, note, -1,
			    LEAD_TRANSIENT);
		} else
			lead_bind_text(s->act_join, 3, row[i].note, -1,
			    LEAD_STATIC);
		lead_db_run(s->act_join);
		free(row[i].ts);
		free(row[i].note);
	}
	free(row);
}

int64_t
lead_touch_max_id(struct lead_conn *db)
{
	return lead_db_int64(db, "SELECT max(id) FROM activity", 0, 0);
}
