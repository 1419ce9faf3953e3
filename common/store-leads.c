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

/* The columns of a lead an import reads and writes, in the order of
 * fields[] then the rest (bind_leadrow, fetch). */
#define LEADCOLS "first_name, last_name, company, title, phone, country, " \
	"region, city, industry, company_size, website, source, campaign, " \
	"created_at, email, domain, attrs, last_batch, dnc_email, dnc_phone, " \
	"dnc_reason, dnc_at"
static const int fields[] = {
	LF_FIRST_NAME, LF_LAST_NAME, LF_COMPANY, LF_TITLE, LF_PHONE,
	LF_COUNTRY, LF_REGION, LF_CITY, LF_INDUSTRY, LF_COMPANY_SIZE,
	LF_WEBSITE, LF_SOURCE, LF_CAMPAIGN, LF_CREATED_AT, LF_EMAIL
};
#define NFIELDS (sizeof fields / sizeof fields[0])

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
	s->by_email = lead_db_prepare(db, "SELECT id, " LEADCOLS
	    " FROM lead WHERE email = ?1");
	s->by_id = lead_db_prepare(db, "SELECT id, " LEADCOLS
	    " FROM lead WHERE id = ?1");
	s->by_key = lead_db_prepare(db, "SELECT lead_id FROM lead_key "
	    "WHERE system = ?1 AND key = ?2");
	s->insert = lead_db_prepare(db, "INSERT INTO lead (" LEADCOLS
	    ", first_batch, stage, updated_at) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
	    "?15, ?16, ?17, ?18, ?19, ?20, ?22, CASE WHEN ?22 IS NOT NULL "
	    "THEN ?21 END, ?18, 'new', ?21) ON CONFLICT (email) DO NOTHING");
	s->update = lead_db_prepare(db, "UPDATE lead SET first_name = ?1, "
	    "last_name = ?2, company = ?3, title = ?4, phone = ?5, "
	    "country = ?6, region = ?7, city = ?8, industry = ?9, "
	    "company_size = ?10, website = ?11, source = ?12, campaign = ?13, "
	    "created_at = ?14, email = ?15, domain = ?16, attrs = ?17, "
	    "last_batch = ?18, dnc_email = ?19, dnc_phone = ?20, "
	    "updated_at = ?21, dnc_reason = ?22, dnc_at = ?24 WHERE id = ?23");
	s->touch = lead_db_prepare(db, "UPDATE lead SET last_batch = ?1 "
	    "WHERE id = ?2");
	/* SQLite: INSERT OR IGNORE; PostgreSQL: ON CONFLICT DO NOTHING. */
	s->key_add = lead_db_prepare(db, "INSERT OR IGNORE INTO lead_key "
	    "(system, key, lead_id, batch_id) VALUES (?1, ?2, ?3, ?4)");
	s->bl_add = lead_db_prepare(db, "INSERT INTO batch_lead (batch_id, "
	    "lead_id, action, before, after) VALUES (?1, ?2, ?3, ?4, ?5)");
	/* SQLite: json_insert and json_set; PostgreSQL: jsonb ||. */
	s->bl_extend = lead_db_prepare(db, "UPDATE batch_lead SET "
	    "before = json_insert(coalesce(before, '{}'), ?1, ?2), "
	    "after = json_set(coalesce(after, '{}'), ?1, ?3) "
	    "WHERE batch_id = ?4 AND lead_id = ?5");
	s->bl_updated = lead_db_prepare(db, "UPDATE batch_lead SET action = "
	    "'updated' WHERE batch_id = ?1 AND lead_id = ?2 AND "
	    "action = 'unchanged'");
	/* SQLite: INSERT OR IGNORE and printf(); PostgreSQL: ON CONFLICT
	 * DO NOTHING and format(). */
	s->act_add = lead_db_prepare(db, "INSERT OR IGNORE INTO activity "
	    "(lead_id, ts, kind, channel, content, actor, batch_id, fp, note) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, 'lead-import', ?6, ?7, CASE WHEN ?8 "
	    "IS NOT NULL THEN printf('%g min in session', ?8) END)");
	/* Another join of a lead this batch has a touch of: the first join's
	 * time, the minutes summed ("47 min in session" reads as 47).
	 * SQLite: UPDATE OR IGNORE, two-argument min(), printf(). */
	s->act_join = lead_db_prepare(db, "UPDATE OR IGNORE activity SET ts = "
	    "min(ts, ?2), note = CASE WHEN ?8 IS NULL THEN note ELSE printf("
	    "'%g min in session', coalesce(CAST(note AS REAL), 0) + ?8) END "
	    "WHERE lead_id = ?1 AND batch_id = ?6 AND kind = ?3");
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
	int found = 0;

	if (lead_db_step(st) == LEAD_ROW) {
		found = 1;
		l->id = lead_column_int64(st, 0);
		for (size_t i = 0; i < NFIELDS; i++)
			l->v[fields[i]] = col_dup(st, (int)i + 1);
		l->domain = col_dup(st, 16);
		l->attrs = col_dup(st, 17);
		l->last_batch = lead_column_int64(st, 18);
		l->dnc_email = lead_column_int(st, 19);
		l->dnc_phone = lead_column_int(st, 20);
		l->dnc_reason = col_dup(st, 21);
		l->dnc_at = col_dup(st, 22);
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

/* The row outlives the statement's step: no copies (LEAD_STATIC). */
static void
bind_leadrow(struct lead_stmt *st, const struct lead_leadrow *l,
    int64_t batch, const char *now)
{
	for (size_t i = 0; i < NFIELDS; i++)
		lead_bind_text(st, (int)i + 1, l->v[fields[i]], -1,
		    LEAD_STATIC);
	lead_bind_text(st, 16, l->domain, -1, LEAD_STATIC);
	lead_bind_text(st, 17, l->attrs ? l->attrs : "{}", -1, LEAD_STATIC);
	lead_bind_int64(st, 18, batch);
	lead_bind_int(st, 19, l->dnc_email);
	lead_bind_int(st, 20, l->dnc_phone);
	lead_bind_text(st, 21, now, -1, LEAD_STATIC);
	lead_bind_text(st, 22, l->dnc_reason, -1, LEAD_STATIC);
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
	lead_bind_int64(s->update, 23, l->id);
	lead_bind_text(s->update, 24, l->dnc_at, -1, LEAD_STATIC);
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
	lead_bind_text(s->key_add, 1, system, -1, LEAD_STATIC);
	lead_bind_text(s->key_add, 2, key, -1, LEAD_STATIC);
	lead_bind_int64(s->key_add, 3, lead);
	lead_bind_int64(s->key_add, 4, batch);
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
	lead_bind_int64(st, 1, lead);
	lead_bind_int64(st, 2, rep);
	lead_bind_text(st, 3, at, -1, LEAD_STATIC);
	lead_bind_text(st, 4, reason, -1, LEAD_TRANSIENT);
	lead_db_run(st);
	return 1;
}

char *
lead_attrs_merge(struct lead_conn *db, const char *cur, const char *add,
    int update)
{
	/* SQLite: json_patch; PostgreSQL: jsonb ||. */
	static const char fill[] = "SELECT json_patch(?1, json_patch(?2, ?1))";
	static const char upd[] = "SELECT json_patch(?1, ?2)";
	struct lead_stmt *st = lead_db_cached(db, update ? upd : fill);
	char *res;

	lead_bind_text(st, 1, cur, -1, LEAD_STATIC);
	lead_bind_text(st, 2, add, -1, LEAD_STATIC);
	lead_db_step(st);
	res = col_dup(st, 0);
	lead_reset(st);
	return res;
}

int
lead_attrs_same(struct lead_conn *db, const char *a, const char *b)
{
	/* The same keys with the same types and values, as sets (EXCEPT
	 * sorts: n log n, not n squared; an export may have thousands of
	 * extra columns).  SQLite: json_each; PostgreSQL: jsonb =. */
	static const char q[] = "SELECT NOT EXISTS (SELECT key, type, value "
	    "FROM json_each(?1) EXCEPT SELECT key, type, value FROM "
	    "json_each(?2)) AND NOT EXISTS (SELECT key, type, value FROM "
	    "json_each(?2) EXCEPT SELECT key, type, value FROM json_each(?1))";
	struct lead_stmt *st = lead_db_cached(db, q);
	int yes;

	lead_db_bind_text(st, 1, a);
	lead_db_bind_text(st, 2, b);
	lead_db_step(st);
	yes = lead_column_int(st, 0);
	lead_reset(st);
	return yes;
}

void
lead_importer_touch(struct lead_importer *s, const struct lead_list_touch *t,
    int again)
{
	struct lead_stmt *st = again ? s->act_join : s->act_add;

	lead_bind_int64(st, 1, t->lead);
	lead_bind_text(st, 2, t->ts, -1, LEAD_TRANSIENT);
	lead_bind_text(st, 3, t->kind, -1, LEAD_STATIC);
	lead_bind_int64(st, 6, t->batch);
	if (t->minutes >= 0)
		lead_bind_double(st, 8, t->minutes);
	else
		lead_bind_null(st, 8);
	if (!again) {
		lead_db_bind_text(st, 4, t->channel);
		lead_db_bind_text(st, 5, t->content);
		lead_bind_int64(st, 7, t->fp);
	}
	lead_db_run(st);
}

int64_t
lead_touch_max_id(struct lead_conn *db)
{
	return lead_db_int64(db, "SELECT max(id) FROM activity", 0, 0);
}
