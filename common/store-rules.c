/*
 * store-rules.c: rule sets, score runs and the scores they keep, and the
 * picks of --changed; what the rules may name; the cursors the scan
 * reads.  The rules themselves and the scan that applies them are
 * score.c's and rules.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-rules.h"
#include "store.h"

int64_t
lead_ruleset_find(struct lead_conn *db, const char *sha256)
{
	struct lead_stmt *st = lead_db_prepare(db, "SELECT id FROM rule_set "
	    "WHERE sha256 = ?1");
	int64_t id;

	lead_bind_text(st, 1, sha256, -1, LEAD_STATIC);
	id = lead_db_step(st) == LEAD_ROW ? lead_column_int64(st, 0) : 0;
	lead_finalize(st);
	return id;
}

int64_t
lead_ruleset_add(struct lead_conn *db, const char *sha256, const char *text,
    const char *file, const char *at)
{
	lead_db_do(db, "INSERT INTO rule_set (sha256, text, file, at) VALUES "
	    "(?1, ?2, ?3, ?4)", "ssss", sha256, text, file, at);
	return lead_db_last_id(db);
}

struct lead_stmt *
lead_ruleset_history(struct lead_conn *db, int64_t current)
{
	struct lead_stmt *st = lead_db_prepare(db, "SELECT r.id, r.at, "
	    "r.file, r.sha256, count(s.id), min(s.at), max(s.at), CASE WHEN "
	    "r.id = ?1 THEN 'yes' ELSE 'no' END FROM rule_set r LEFT JOIN "
	    "score_run s ON s.rule_set_id = r.id GROUP BY r.id ORDER BY r.id");

	lead_bind_int64(st, 1, current);
	return st;
}

int
lead_scorerun_last(struct lead_conn *db, struct lead_scoremarks *m)
{
	struct lead_stmt *st = lead_db_prepare(db, "SELECT at, rule_set_id, "
	    "activity_mark, lead_mark, batch_mark, history_mark, "
	    "assignment_mark FROM score_run WHERE scope IN ('all', 'changed') "
	    "ORDER BY id DESC LIMIT 1");
	int found = lead_db_step(st) == LEAD_ROW;

	memset(m, 0, sizeof *m);
	if (found) {
		snprintf(m->at, sizeof m->at, "%s", lead_column_text(st, 0) ?
		    lead_column_text(st, 0) : "");
		m->version = lead_column_int64(st, 1);
		m->marked = lead_column_type(st, 3) != LEAD_NULL;
		for (int i = 0; i < 5; i++)
			m->mark[i] = lead_column_int64(st, 2 + i);
	}
	lead_finalize(st);
	return found;
}

int
lead_score_undone_since(struct lead_conn *db, const char *at,
    int64_t activity_mark)
{
	struct lead_stmt *st = lead_db_prepare(db, "SELECT count(*) FROM "
	    "batch WHERE undone_at >= ?1");
	int undone;

	lead_bind_text(st, 1, at, -1, LEAD_STATIC);
	lead_db_step(st);
	undone = lead_column_int64(st, 0) > 0;
	lead_finalize(st);
	return undone || lead_db_int64(db, "SELECT max(id) FROM activity", 0,
	    0) < activity_mark;
}

void
lead_pick_since(struct lead_conn *db, const int64_t mark[5])
{
	static const char *const picks[] = {
		"INSERT INTO pick SELECT lead_id FROM activity WHERE id > ?1 "
		    "ON CONFLICT DO NOTHING",
		"INSERT INTO pick SELECT id FROM lead WHERE id > ?1 ON "
		    "CONFLICT DO NOTHING",
		"INSERT INTO pick SELECT lead_id FROM batch_lead WHERE "
		    "batch_id > ?1 ON CONFLICT DO NOTHING",
		"INSERT INTO pick SELECT lead_id FROM stage_history WHERE id > "
		    "?1 AND actor IS DISTINCT FROM 'lead-score' ON CONFLICT DO "
		    "NOTHING",
		"INSERT INTO pick SELECT lead_id FROM assignment WHERE id > ?1 "
		    "ON CONFLICT DO NOTHING",
	};

	for (int i = 0; i < 5; i++) {
		struct lead_stmt *st = lead_db_prepare(db, picks[i]);

		lead_bind_int64(st, 1, mark[i]);
		lead_db_step(st);
		lead_finalize(st);
	}
}

void
lead_pick_add(struct lead_conn *db, int64_t id)
{
	lead_db_do(db, "INSERT INTO pick VALUES (?1) ON CONFLICT DO NOTHING",
	    "i", id);
}

void
lead_pick_create(struct lead_conn *db)
{
	/* (SQLite's rowid is its INTEGER PRIMARY KEY; PostgreSQL's
	 * INTEGER is 32 bits.) */
	lead_db_exec(db, lead_sql(db, "CREATE TEMP TABLE IF NOT EXISTS pick "
	    "(id INTEGER PRIMARY KEY); DELETE FROM pick", "CREATE TEMP TABLE "
	    "IF NOT EXISTS pick (id BIGINT PRIMARY KEY); DELETE FROM pick"));
}

int64_t
lead_scorerun_begin(struct lead_conn *db, int64_t version, const char *at,
    const char *scope)
{
	lead_db_do(db, "INSERT INTO score_run (rule_set_id, at, scope) VALUES "
	    "(?1, ?2, ?3)", "iss", version, at, scope);
	return lead_db_last_id(db);
}

void
lead_scorerun_end(struct lead_conn *db, int64_t run, long nscored,
    long nchanged, long npromoted)
{
	lead_db_do(db, "UPDATE score_run SET nscored = ?1, nchanged = ?2, "
	    "npromoted = ?3, activity_mark = (SELECT coalesce(max(id), 0) "
	    "FROM activity), lead_mark = (SELECT coalesce(max(id), 0) FROM "
	    "lead), batch_mark = (SELECT coalesce(max(id), 0) FROM batch), "
	    "history_mark = (SELECT coalesce(max(id), 0) FROM stage_history), "
	    "assignment_mark = (SELECT coalesce(max(id), 0) FROM assignment) "
	    "WHERE id = ?4", "iiii", (int64_t)nscored, (int64_t)nchanged,
	    (int64_t)npromoted, run);
}

void
lead_scorewrite_open(struct lead_scorewrite *w, struct lead_conn *db,
    int64_t run, const char *at)
{
	w->upd = lead_db_prepare(db, "UPDATE lead SET score = ?1, fit = ?2, "
	    "grade = ?3, scored_at = ?4 WHERE id = ?5");
	w->hist = lead_db_prepare(db, "INSERT INTO lead_score (lead_id, "
	    "run_id, score, fit, grade) VALUES (?1, ?2, ?3, ?4, ?5)");
	w->run = run;
	w->at = at;
	w->bupd = w->bhist = NULL;
	/* A server takes the scores in bulk (driver.h): a lead is scored
	 * once a run, so its row in the staging table is its only one.
	 * The UPDATE finds its leads by the index (store-leads.c,
	 * BY_INDEX): a promotion between two leads writes a few rows. */
	if (db->drv->bulk_open) {
		lead_db_exec(db, "CREATE TEMP TABLE lk_score (id bigint, "
		    "score double precision, fit double precision, grade text, "
		    "scored_at text) ON COMMIT DROP");
		w->bupd = lead_db_bulk(db, "lk_score (id, score, fit, grade, "
		    "scored_at)", "UPDATE lead SET score = s.score, fit = "
		    "s.fit, grade = s.grade, scored_at = s.scored_at FROM "
		    "lk_score s WHERE lead.id = s.id AND lead.id = "
		    "ANY(ARRAY(SELECT id FROM lk_score)); TRUNCATE lk_score");
		w->bhist = lead_db_bulk(db, "lead_score (lead_id, run_id, score, "
		    "fit, grade)", NULL);
	}
}

void
lead_scorewrite(struct lead_scorewrite *w, int64_t lead, int64_t score,
    int64_t fit, const char *grade)
{
	if (w->bupd) {
		char id[24], run[24], sc[32], fi[32];
		const char *u[] = { id, sc, fi, grade && *grade ? grade : NULL,
		    w->at };
		const char *h[] = { id, run, sc, fi, u[3] };

		snprintf(id, sizeof id, "%lld", (long long)lead);
		snprintf(run, sizeof run, "%lld", (long long)w->run);
		/* As a bound double is sent (pg_bind_double). */
		snprintf(sc, sizeof sc, "%.17g", (double)score / 100);
		snprintf(fi, sizeof fi, "%.17g", (double)fit / 100);
		lead_db_bulk_row(w->upd->conn, w->bupd, u, 5);
		lead_db_bulk_row(w->upd->conn, w->bhist, h, 5);
		return;
	}
	lead_db_binds(w->upd, 1, "ddbsi", (double)score / 100,
	    (double)fit / 100, grade, w->at, lead);
	lead_db_run(w->upd);
	lead_db_binds(w->hist, 1, "iiddb", lead, w->run, (double)score / 100,
	    (double)fit / 100, grade);
	lead_db_run(w->hist);
}

void
lead_scorewrite_close(struct lead_scorewrite *w)
{
	lead_finalize(w->upd);
	lead_finalize(w->hist);
}

void
lead_score_stored(struct lead_conn *db, int64_t lead,
    struct lead_stored_score *s)
{
	struct lead_stmt *st = lead_db_prepare(db, "SELECT l.id, l.score, "
	    "l.scored_at, (SELECT r.rule_set_id FROM lead_score s JOIN "
	    "score_run r ON r.id = s.run_id WHERE s.lead_id = l.id ORDER BY "
	    "s.run_id DESC LIMIT 1) FROM lead l WHERE l.id = ?1");

	memset(s, 0, sizeof *s);
	lead_bind_int64(st, 1, lead);
	if (lead_db_step(st) == LEAD_ROW) {
		s->id = lead_column_int64(st, 0);
		s->has = lead_column_type(st, 1) != LEAD_NULL;
		s->score = lead_db_cents(st, 1);
		if (s->has && lead_column_text(st, 2))
			snprintf(s->at, sizeof s->at, "%s",
			    lead_column_text(st, 2));
		s->version = lead_column_int64(st, 3);
	}
	lead_finalize(st);
}

/* ---- what the rules may name ---------------------------------------- */

/* The parser's questions, answered from the database. */
int
lead_rules_known(void *ctx, int what, const char *name)
{
	struct lead_conn *db = ctx;
	struct lead_stmt *st;
	int yes;

	if (what == 0) {
		char *id = lead_db_ident(name), *path = lead_xasprintf("$.%s",
		    id);

		free(id);
		st = lead_db_prepare(db, lead_sql(db, "SELECT EXISTS (SELECT 1 "
		    "FROM lead WHERE attrs <> '{}' AND json_type(attrs, ?) IS "
		    "NOT NULL)", "SELECT EXISTS (SELECT 1 FROM lead WHERE attrs "
		    "<> '{}' AND (CAST(attrs AS jsonb) -> CAST(? AS text)) IS "
		    "NOT NULL)"));
		lead_bind_text(st, 1, db->drv->dialect == LEAD_DIALECT_PG ?
		    name : path, -1, LEAD_TRANSIENT);
		free(path);
	} else {
		st = lead_db_prepare(db, "SELECT EXISTS (SELECT 1 FROM "
		    "activity WHERE kind = ?)");
		lead_bind_text(st, 1, name, -1, LEAD_TRANSIENT);
	}
	lead_db_step(st);
	yes = lead_column_int(st, 0);
	lead_finalize(st);
	return yes;
}

char *
lead_rules_text(struct lead_conn *db, int64_t id)
{
	return lead_db_text(db, "SELECT text FROM rule_set WHERE id = ?1", id);
}

/* ---- the scan's cursors ------------------------------------------------ */

/* The kinds as a list of SQL literals. */
static void
kind_list(struct lead_buf *b, const struct lead_strv *kinds)
{
	for (size_t i = 0; i < kinds->n; i++) {
		char *q = lead_db_literal(kinds->v[i]);

		if (i)
			lead_buf_addc(b, ',');
		lead_buf_adds(b, q);
		free(q);
	}
}

struct lead_stmt *
lead_scan_leads(struct lead_conn *db, int pick, const struct lead_strv *exprs)
{
	struct lead_buf q = { 0 };
	struct lead_stmt *st;

	lead_buf_adds(&q, "SELECT lead.id, email, stage, owner_id, score, fit, "
	    "grade");
	for (size_t i = 0; i < exprs->n; i++)
		lead_buf_addf(&q, ", %s", exprs->v[i]);
	/* (CROSS JOIN: SQLite's order of the loops.) */
	lead_buf_adds(&q, pick ? lead_sql(db, " FROM pick CROSS JOIN lead ON "
	    "lead.id = pick.id WHERE forgotten_at IS NULL ORDER BY pick.id",
	    " FROM pick JOIN lead ON lead.id = pick.id WHERE forgotten_at IS "
	    "NULL ORDER BY pick.id") :
	    " FROM lead WHERE forgotten_at IS NULL ORDER BY lead.id");
	st = lead_db_scan(db, q.s);
	lead_buf_free(&q);
	return st;
}

/* INDEXED BY keeps SQLite's scan in the (lead_id, ts, kind) index;
 * PostgreSQL plans it without. */
struct lead_stmt *
lead_scan_touches(struct lead_conn *db, int pick,
    const struct lead_strv *kinds, const struct lead_strv *fkinds)
{
	struct lead_buf q = { 0 };
	struct lead_stmt *st;

	lead_buf_adds(&q, "SELECT activity.lead_id, ts, kind");
	for (int f = 0; f < LEAD_EV_NFIELDS; f++) {
		if (fkinds[f].n == 0) {
			lead_buf_adds(&q, ", NULL");
			continue;
		}
		lead_buf_adds(&q, ", CASE WHEN kind IN (");
		kind_list(&q, &fkinds[f]);
		lead_buf_addf(&q, ") THEN %s END", lead_event_fields[f]);
	}
	if (db->drv->dialect == LEAD_DIALECT_PG)
		lead_buf_adds(&q, pick ? " FROM pick JOIN activity ON "
		    "activity.lead_id = pick.id WHERE kind IN (" :
		    " FROM activity WHERE kind IN (");
	else
		lead_buf_adds(&q, pick ? " FROM pick CROSS JOIN activity "
		    "INDEXED BY activity_lead_ts ON activity.lead_id = pick.id "
		    "WHERE kind IN (" : " FROM activity INDEXED BY "
		    "activity_lead_ts WHERE kind IN (");
	kind_list(&q, kinds);
	lead_buf_adds(&q, pick ? ") ORDER BY pick.id" :
	    ") ORDER BY activity.lead_id");
	st = lead_db_scan(db, q.s);
	lead_buf_free(&q);
	return st;
}

/* NOT INDEXED: SQLite reads the table in storage order. */
struct lead_stmt *
lead_scan_where_touches(struct lead_conn *db, const char *const *kinds,
    size_t nkinds, unsigned fields)
{
	struct lead_buf q = { 0 };
	struct lead_stmt *st;
	struct lead_strv v = { (const char **)kinds, nkinds, nkinds };

	lead_buf_adds(&q, "SELECT lead_id, ts, kind");
	for (int f = 0; f < LEAD_EV_NFIELDS; f++)
		lead_buf_addf(&q, ", %s", fields & (1u << f) ?
		    lead_event_fields[f] : "NULL");
	lead_buf_adds(&q, lead_sql(db, " FROM activity NOT INDEXED WHERE kind "
	    "IN (", " FROM activity WHERE kind IN ("));
	kind_list(&q, &v);
	lead_buf_adds(&q, ")");
	st = lead_db_scan(db, q.s);
	lead_buf_free(&q);
	return st;
}

/* ---- the fields rules read ----------------------------------------------- */

/* The lead fields a rule may read, and how SQL reads them. */
const struct lead_rulefield lead_rule_fields[] = {
	{ "email", "email", LEAD_SLOT_COLUMN },
	{ "email_domain", LEAD_EMAIL_DOMAIN_SQL("email"), LEAD_SLOT_COLUMN },
	{ "freemail", LEAD_EMAIL_DOMAIN_SQL("email"), LEAD_SLOT_FREEMAIL },
	{ "first_name", "first_name", LEAD_SLOT_COLUMN },
	{ "last_name", "last_name", LEAD_SLOT_COLUMN },
	{ "company", "company", LEAD_SLOT_COLUMN },
	{ "title", "title", LEAD_SLOT_COLUMN },
	{ "phone", "phone", LEAD_SLOT_COLUMN },
	{ "country", "country", LEAD_SLOT_COLUMN },
	{ "region", "region", LEAD_SLOT_COLUMN },
	{ "city", "city", LEAD_SLOT_COLUMN },
	{ "industry", "industry", LEAD_SLOT_COLUMN },
	{ "company_size", "company_size", LEAD_SLOT_COLUMN },
	{ "website", "website", LEAD_SLOT_COLUMN },
	{ "domain", "domain", LEAD_SLOT_COLUMN },
	{ "source", "source", LEAD_SLOT_COLUMN },
	{ "campaign", "campaign", LEAD_SLOT_COLUMN },
	{ "stage", "stage", LEAD_SLOT_COLUMN },
	/* (PostgreSQL would look for a lead without an owner too, through
	 * every rep: 1 s of lead-report leads over 200,000 leads.) */
	{ "owner", "CASE WHEN owner_id IS NOT NULL THEN (SELECT name FROM "
	    "rep WHERE rep.id = lead.owner_id) END", LEAD_SLOT_COLUMN },
	{ "created_at", "created_at", LEAD_SLOT_COLUMN },
	/* The channels blocked, as sheets and reports say them. */
	{ "dnc", LEAD_DNC_SQL, LEAD_SLOT_COLUMN },
	/* The lifecycle, so that the agreement can say who re-qualifies. */
	{ "days_in_stage", "coalesce(stage_at, created_at)", LEAD_SLOT_DAYS },
	{ "times_rejected", "(SELECT count(*) FROM assignment a WHERE "
	    "a.lead_id = lead.id AND a.rejected_at IS NOT NULL)",
	    LEAD_SLOT_COLUMN },
	{ "times_recycled", "(SELECT count(*) FROM assignment a WHERE "
	    "a.lead_id = lead.id AND a.end_reason = 'recycled')",
	    LEAD_SLOT_COLUMN },
	{ "last_rejected_at", "(SELECT max(a.rejected_at) FROM assignment a "
	    "WHERE a.lead_id = lead.id)", LEAD_SLOT_COLUMN },
	{ "days_since_rejected", "(SELECT max(a.rejected_at) FROM assignment "
	    "a WHERE a.lead_id = lead.id)", LEAD_SLOT_DAYS },
	{ "last_reject_reason", "(SELECT a.reject_reason FROM assignment a "
	    "WHERE a.lead_id = lead.id AND a.rejected_at IS NOT NULL ORDER BY "
	    "a.rejected_at DESC, a.id DESC LIMIT 1)", LEAD_SLOT_COLUMN },
	{ "score", NULL, LEAD_SLOT_SCORE },
	{ "fit", NULL, LEAD_SLOT_FIT },
	{ "behavior", NULL, LEAD_SLOT_BEHAVIOR },
	{ "grade", NULL, LEAD_SLOT_GRADE },
};
const size_t lead_nrule_fields = sizeof lead_rule_fields /
    sizeof *lead_rule_fields;
_Static_assert(sizeof lead_rule_fields / sizeof *lead_rule_fields <=
    LEAD_RULE_FIELDS_MAX, "LEAD_RULE_FIELDS_MAX");

/* SQLite: json_extract() with the name quoted in the path; PostgreSQL:
 * attrs ->> name.  (The rules are parsed before a database is named,
 * or with none: the engine is the one the process opened.) */
char *
lead_attr_sql(const char *attr)
{
	struct lead_buf b = { 0 };

	if (lead_db_dialect == LEAD_DIALECT_PG) {
		char *lit = lead_db_literal(attr);

		lead_buf_addf(&b, "(CAST(attrs AS jsonb) ->> %s)", lit);
		free(lit);
		return lead_buf_take(&b);
	}
	lead_buf_adds(&b, "json_extract(attrs, '$.\"");
	for (const char *q = attr; *q; q++) {
		if (*q == '\'')
			lead_buf_addc(&b, '\'');
		if (*q == '"' || *q == '\\')
			lead_buf_addc(&b, '\\');
		lead_buf_addc(&b, *q);
	}
	lead_buf_adds(&b, "\"')");
	return lead_buf_take(&b);
}
