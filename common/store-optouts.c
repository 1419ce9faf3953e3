/*
 * store-optouts.c: the suppression list, do-not-contact flags, and
 * --forget's erasure, next to the data it erases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-leads.h"

int
lead_optouts_any(struct lead_conn *db)
{
	return lead_db_int64(db, "SELECT 1 FROM suppression LIMIT 1", 0, 0)
	    != 0;
}

void
lead_importer_suppress(struct lead_importer *s, const char *email,
    const char *channel, const char *reason, const char *at, int64_t batch)
{
	lead_db_binds(s->sup_add, 1, "ssbsi", email, channel, reason, at,
	    batch);
	lead_db_run(s->sup_add);
}

void
lead_importer_dnc(struct lead_importer *s, int64_t lead, int email,
    int phone, const char *reason, const char *at, int64_t batch)
{
	lead_db_binds(s->sup_flag, 1, "iibsii", (int64_t)email, (int64_t)phone,
	    reason, at, batch, lead);
	lead_db_run(s->sup_flag);
}

/* Run a statement of up to three text parameters. */
static void
exec_text(struct lead_conn *db, const char *sql, const char *a,
    const char *b, const char *c)
{
	struct lead_stmt *st = lead_db_prepare(db, sql);
	const char *v[3] = { a, b, c };

	for (int i = 0; i < 3 && i < lead_bind_count(st); i++)
		lead_bind_text(st, i + 1, v[i], -1, LEAD_STATIC);
	lead_db_step(st);
	lead_finalize(st);
}

int
lead_optout_forget(struct lead_conn *db, const char *email,
    const char *hashed, const char *at)
{
	exec_text(db, "INSERT INTO suppression (email, channel, reason, at) "
	    "SELECT ?2, CASE WHEN dnc_email <> 0 AND dnc_phone <> 0 THEN "
	    "'all' WHEN dnc_email <> 0 THEN 'email' ELSE 'phone' END, "
	    "dnc_reason, ?3 FROM lead WHERE email = ?1 AND (dnc_email <> 0 "
	    "OR dnc_phone <> 0) UNION ALL SELECT ?2, channel, reason, at FROM "
	    "suppression WHERE email = ?1 LIMIT 1 ON CONFLICT (email) DO "
	    "NOTHING", email, hashed, at);
	exec_text(db, "DELETE FROM suppression WHERE email = ?1", email, NULL,
	    NULL);
	return lead_db_changes(db) > 0;
}

int
lead_optout_hashed(struct lead_conn *db, const char *hashed,
    const char *legacy)
{
	struct lead_stmt *st = lead_db_prepare(db, "SELECT 1 FROM suppression "
	    "WHERE email IN (?1, ?2)");
	int known;

	lead_bind_text(st, 1, hashed, -1, LEAD_STATIC);
	lead_bind_text(st, 2, legacy, -1, LEAD_STATIC);
	known = lead_db_step(st) == LEAD_ROW;
	lead_finalize(st);
	return known;
}

/* The UPDATE that erases a lead's personal fields (LEAD_FIELD_PERSONAL
 * in lead_lead_fields), its domain and its attributes, and marks it
 * forgotten; the anonymous row stays. */
static char *
forget_fields(void)
{
	const struct lead_columns *c = lead_lead_columns();
	struct lead_buf b = { 0 };

	lead_buf_adds(&b, "UPDATE lead SET ");
	for (size_t i = 0; i < c->nfields; i++)
		if (lead_lead_fields[c->field[i]].flags & LEAD_FIELD_PERSONAL)
			lead_buf_addf(&b, "%s = NULL, ", c->name[i]);
	lead_buf_adds(&b, "domain = NULL, attrs = '{}', forgotten_at = ?2 "
	    "WHERE id = ?1");
	return lead_buf_take(&b);
}

void
lead_lead_forget(struct lead_conn *db, int64_t id, const char *at)
{
	static const char *const erase[] = {
		NULL,		/* the lead's personal fields: forget_fields() */
		/* Free text about the person: notes, next steps, outcomes,
		 * and the content of every touch but a list's own (its
		 * campaign, which is no one's): a page's URL may carry the
		 * address, a subject line the name. */
		"UPDATE activity SET note = NULL, next_step = NULL, "
		    "outcome = NULL, content = CASE WHEN actor IS NOT "
		    "DISTINCT FROM 'lead-import' AND content IN (SELECT "
		    "campaign FROM batch b WHERE b.id = activity.batch_id) "
		    "THEN content END WHERE lead_id = ?1",
		"UPDATE stage_history SET reason = NULL WHERE lead_id = ?1",
		"UPDATE assignment SET reason = NULL, reject_reason = NULL "
		    "WHERE lead_id = ?1",
		"DELETE FROM lead_key WHERE lead_id = ?1",
		"UPDATE batch_lead SET before = NULL, after = NULL "
		    "WHERE lead_id = ?1",
	};

	for (size_t i = 0; i < sizeof erase / sizeof *erase; i++) {
		char *sql = erase[i] ? NULL : forget_fields();
		struct lead_stmt *st = lead_db_prepare(db, sql ? sql :
		    erase[i]);

		free(sql);

		lead_bind_int64(st, 1, id);
		if (lead_bind_count(st) > 1)
			lead_bind_text(st, 2, at, -1, LEAD_STATIC);
		lead_db_step(st);
		lead_finalize(st);
	}
}

/* ---- what the lifecycle asks: is an address suppressed ---------------- */

/* Whether the suppression list holds hashed (forgotten) entries, asked
 * once a connection: hashing every email of an import costs. */
int
lead_optouts_hashed(struct lead_conn *db)
{
	static struct lead_conn *asked;
	static int yes;

	if (asked != db) {
		asked = db;
		yes = lead_db_int64(db, "SELECT 1 FROM suppression WHERE email "
		    ">= 'sha256:' AND email < 'sha256;' LIMIT 1", 0, 0) != 0;
	}
	return yes;
}

int
lead_optout_find(struct lead_conn *db, const char *email, char **reason)
{
	struct lead_stmt *st = lead_db_cached(db, "SELECT channel, reason FROM "
	    "suppression WHERE email IN (?1, ?2, ?3)");
	char hashed[LEAD_EMAIL_HASH_LEN], salted[LEAD_EMAIL_HASH_LEN];
	int bits = 0;

	if (reason)
		*reason = NULL;
	if (email == NULL || *email == '\0')
		return 0;
	lead_bind_text(st, 1, email, -1, LEAD_STATIC);
	if (lead_optouts_hashed(db)) {
		/* Salted (schema 7), or as an older leadkit kept it. */
		lead_email_hash(NULL, email, hashed);
		lead_bind_text(st, 2, hashed, -1, LEAD_STATIC);
		if (lead_db_salt(db)) {
			lead_email_hash(lead_db_salt(db), email, salted);
			lead_bind_text(st, 3, salted, -1, LEAD_STATIC);
		}
	}
	while (lead_db_step(st) == LEAD_ROW) {
		bits |= lead_optout_bits((const char *)
		    lead_column_text(st, 0));
		if (reason && *reason == NULL)
			*reason = lead_xstrdup(lead_column_text(st, 1) ?
			    lead_column_text(st, 1) :
			    "suppression list");
	}
	lead_reset(st);
	return bits;
}

int
lead_optout_apply(struct lead_conn *db, int64_t id, const char *email, const char *at)
{
	static const char upd[] = "UPDATE lead SET dnc_email = dnc_email OR "
	    "?2, dnc_phone = dnc_phone OR ?3, dnc_reason = coalesce(dnc_reason, "
	    "?4), dnc_at = coalesce(dnc_at, ?5) WHERE id = ?1 AND "
	    "((?2 AND NOT dnc_email) OR (?3 AND NOT dnc_phone))";
	char *reason;
	int bits = lead_optout_find(db, email, &reason), n;
	struct lead_stmt *st;

	if (bits == 0)
		return 0;
	st = lead_db_cached(db, upd);
	lead_bind_int64(st, 1, id);
	lead_bind_int(st, 2, (bits & LEAD_DNC_EMAIL) != 0);
	lead_bind_int(st, 3, (bits & LEAD_DNC_PHONE) != 0);
	lead_bind_text(st, 4, reason, -1, LEAD_TRANSIENT);
	lead_bind_text(st, 5, at, -1, LEAD_STATIC);
	lead_db_run(st);
	n = lead_db_changes(db);
	free(reason);
	return n ? bits : 0;
}
