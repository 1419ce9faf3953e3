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
	/* A member added to each object: before keeps the first value,
	 * after takes the last.  (?1: "$.name" in SQLite, name in
	 * PostgreSQL: lead_json_path.) */
	s->bl_extend = lead_db_prepare(db, lead_sql(db, "UPDATE batch_lead "
	    "SET before = json_insert(coalesce(before, '{}'), ?1, ?2), "
	    "after = json_set(coalesce(after, '{}'), ?1, ?3) "
	    "WHERE batch_id = ?4 AND lead_id = ?5",
	    "UPDATE batch_lead SET before = (jsonb_build_object(CAST(?1 AS "
	    "text), CAST(?2 AS text)) || coalesce(before, '{}')::jsonb)::text, "
	    "after = (coalesce(after, '{}')::jsonb || jsonb_build_object("
	    "CAST(?1 AS text), CAST(?3 AS text)))::text "
	    "WHERE batch_id = ?4 AND lead_id = ?5"));
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
}

void
lead_importer_close(struct lead_importer *s)
{
	struct lead_stmt **p = &s->batch_new, **end = &s->sup_flag;

	for (; p <= end; p++)
		lead_finalize(*p);
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

/* Read the lead the statement (by_email or by_id) finds; 1 if found. */
static int
fetch(struct lead_stmt *st, struct lead_leadrow *l)
{
	const struct lead_columns *c = lead_lead_columns();
	int found = 0, k = (int)c->nfields + 1;

	if (lead_db_step(st) == LEAD_ROW) {
		found = 1;
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
	lead_reset(st);
	return found;
}

int
lead_importer_by_email(struct lead_importer *s, const char *email,
    struct lead_leadrow *l)
{
	lead_bind_text(s->by_email, 1, email, -1, LEAD_STATIC);
	return fetch(s->by_email, l);
}

int
lead_importer_by_id(struct lead_importer *s, int64_t id,
    struct lead_leadrow *l)
{
	lead_bind_int64(s->by_id, 1, id);
	return fetch(s->by_id, l);
}

int64_t
lead_importer_by_key(struct lead_importer *s, const char *system,
    const char *key)
{
	int64_t id = 0;

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

int64_t
lead_importer_insert(struct lead_importer *s, const struct lead_leadrow *r,
    int64_t batch, const char *now)
{
	bind_leadrow(s->insert, r, batch, now);
	lead_db_run(s->insert);
	return lead_db_changes(s->db) == 1 ? lead_db_last_id(s->db) : 0;
}

void
lead_importer_update(struct lead_importer *s, const struct lead_leadrow *l,
    int64_t batch, const char *now)
{
	bind_leadrow(s->update, l, batch, now);
	lead_bind_int64(s->update, (int)lead_lead_columns()->n + 2, l->id);
	lead_db_run(s->update);
}

void
lead_importer_named(struct lead_importer *s, int64_t lead, int64_t batch)
{
	lead_bind_int64(s->touch, 1, batch);
	lead_bind_int64(s->touch, 2, lead);
	lead_db_run(s->touch);
}

void
lead_importer_key_add(struct lead_importer *s, const char *system,
    const char *key, int64_t lead, int64_t batch)
{
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
