/*
 * store-team.c: reps, their versions, assignments, and the reads routing
 * makes.  The routing itself (territories, turns, accounts) is
 * lead-handoff's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-team.h"
#include "store.h"

/* The company domain of a lead: its website's, else its email's. */
#define DOMAIN_SQL(l) "lower(coalesce(nullif(" l "domain, ''), " \
	LEAD_EMAIL_DOMAIN_SQL(l "email") "))"
#define OPEN_STAGES "('mql', 'sal', 'sql', 'opportunity')"

struct lead_stmt *
lead_team_reps(struct lead_conn *db)
{
	return lead_db_prepare(db, "SELECT r.id, r.name, r.email, "
	    "r.territory, r.capacity, r.weight, r.available, r.manager, "
	    "r.rr_pass, (SELECT count(*) FROM lead l WHERE l.owner_id = r.id "
	    "AND l.stage IN " OPEN_STAGES "), r.active FROM rep r ORDER BY "
	    "r.id");
}

struct lead_stmt *
lead_team_listing(struct lead_conn *db)
{
	return lead_db_prepare(db, "SELECT name, email, territory, capacity, "
	    "(SELECT count(*) FROM lead l WHERE l.owner_id = rep.id AND "
	    "l.stage IN " OPEN_STAGES "), weight, CASE WHEN available <> 0 "
	    "THEN 'yes' ELSE 'no' END, manager FROM rep WHERE active <> 0 "
	    "ORDER BY lower(name)");
}

void
lead_team_version_add(struct lead_conn *db, const char *sha256,
    const char *text, size_t len, const char *file, const char *at)
{
	struct lead_stmt *st = lead_db_prepare(db, "INSERT INTO rep_version "
	    "(sha256, text, file, at) SELECT ?1, ?2, ?3, ?4 WHERE ?1 IS "
	    "DISTINCT FROM (SELECT sha256 FROM rep_version ORDER BY id DESC "
	    "LIMIT 1)");

	lead_db_binds(st, 1, "s", sha256);
	lead_bind_text(st, 2, text, (int)len, LEAD_STATIC);
	lead_db_binds(st, 3, "ss", file, at);
	lead_db_step(st);
	lead_finalize(st);
}

double
lead_team_start_pass(struct lead_conn *db)
{
	struct lead_stmt *st = lead_db_prepare(db, "SELECT "
	    "coalesce(avg(rr_pass), 0) FROM rep WHERE active <> 0 AND "
	    "available <> 0");
	double v;

	lead_db_step(st);
	v = lead_column_double(st, 0);
	lead_finalize(st);
	return v;
}

void
lead_repsync_open(struct lead_repsync *s, struct lead_conn *db,
    const char *at, double start)
{
	s->db = db;
	s->at = at;
	s->start = start;
	lead_db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS listed (id BIGINT "
	    "PRIMARY KEY); DELETE FROM listed");
	s->find = lead_db_prepare(db, "SELECT id, email IS NOT DISTINCT FROM "
	    "?2 AND territory IS NOT DISTINCT FROM ?3 AND capacity IS NOT "
	    "DISTINCT FROM ?4 AND weight = ?5 AND available = ?6 AND manager "
	    "IS NOT DISTINCT FROM ?7 AND active = 1 AND name = ?1, active FROM "
	    "rep WHERE lower(name) = lower(?1)");
	s->ins = lead_db_prepare(db, "INSERT INTO rep (name, email, "
	    "territory, capacity, weight, available, manager, active, "
	    "updated_at, rr_pass) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, "
	    "?9)");
	s->upd = lead_db_prepare(db, "UPDATE rep SET name = ?1, email = ?2, "
	    "territory = ?3, capacity = ?4, weight = ?5, available = ?6, "
	    "manager = ?7, updated_at = ?8, rr_pass = CASE WHEN active <> 0 "
	    "AND available <> 0 THEN rr_pass ELSE ?9 END, active = 1 WHERE "
	    "id = ?10");
	s->listed = lead_db_prepare(db, "INSERT INTO listed VALUES (?1) ON "
	    "CONFLICT DO NOTHING");
}

int
lead_repsync_put(struct lead_repsync *s, const struct lead_rep_row *r)
{
	struct lead_stmt *sts[3] = { s->find, s->ins, s->upd };
	int64_t id = 0;
	int same = 0, what = LEAD_REP_SAME;

	for (int k = 0; k < 3; k++) {
		struct lead_stmt *q = sts[k];

		lead_bind_text(q, 1, r->name, -1, LEAD_STATIC);
		lead_db_bind_text(q, 2, r->email);
		lead_db_bind_text(q, 3, r->territory);
		if (r->capacity)
			lead_bind_int64(q, 4, r->capacity);
		else
			lead_bind_null(q, 4);
		lead_bind_double(q, 5, r->weight);
		lead_bind_int(q, 6, r->available);
		lead_db_bind_text(q, 7, r->manager);
		if (k) {
			lead_bind_text(q, 8, s->at, -1, LEAD_STATIC);
			lead_bind_double(q, 9, s->start);
		}
	}
	if (lead_db_step(s->find) == LEAD_ROW) {
		id = lead_column_int64(s->find, 0);
		same = lead_column_int(s->find, 1);
	}
	lead_reset(s->find);
	if (id == 0) {
		lead_db_step(s->ins);
		lead_reset(s->ins);
		id = lead_db_last_id(s->db);
		what = LEAD_REP_ADDED;
	} else if (!same) {
		lead_bind_int64(s->upd, 10, id);
		lead_db_run(s->upd);
		what = LEAD_REP_CHANGED;
	}
	lead_bind_int64(s->listed, 1, id);
	lead_db_run(s->listed);
	return what;
}

int64_t
lead_repsync_close(struct lead_repsync *s)
{
	struct lead_stmt *st;

	lead_finalize(s->find);
	lead_finalize(s->ins);
	lead_finalize(s->upd);
	lead_finalize(s->listed);
	st = lead_db_prepare(s->db, "UPDATE rep SET active = 0, available = "
	    "0, updated_at = ?1 WHERE active <> 0 AND id NOT IN (SELECT id "
	    "FROM listed)");
	lead_bind_text(st, 1, s->at, -1, LEAD_STATIC);
	lead_db_step(st);
	lead_finalize(st);
	return lead_db_changes(s->db);
}

struct lead_stmt *
lead_team_accounts(struct lead_conn *db)
{
	return lead_db_prepare(db, "SELECT x.d, x.owner_id FROM (SELECT "
	    DOMAIN_SQL("") " AS d, owner_id, id FROM lead WHERE owner_id IS "
	    "NOT NULL AND stage NOT IN ('lost', 'disqualified', 'nurture')) x "
	    "JOIN rep r ON r.id = x.owner_id ORDER BY r.active DESC, "
	    "r.available DESC, x.id");
}

/* The leads assign hands over unless it is given a list. */
#define UNOWNED_MQL "stage = 'mql' AND owner_id IS NULL AND forgotten_at " \
	"IS NULL"

struct lead_stmt *
lead_team_to_assign(struct lead_conn *db, int listed)
{
	return lead_db_prepare(db, listed ?
	    "SELECT l.id, l.email, l.grade, l.dnc_email, l.dnc_phone, "
	    "l.country, l.region, " DOMAIN_SQL("l.") ", l.stage, (SELECT name "
	    "FROM rep WHERE id = l.owner_id) FROM pick p JOIN lead l ON "
	    "l.id = p.id WHERE l.forgotten_at IS NULL ORDER BY l.score DESC, "
	    "l.id" :
	    "SELECT id, email, grade, dnc_email, dnc_phone, country, region, "
	    DOMAIN_SQL("") ", stage, NULL FROM lead WHERE " UNOWNED_MQL " "
	    "ORDER BY score DESC, id");
}

void
lead_team_handed_create(struct lead_conn *db)
{
	lead_db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS handed (lead_id "
	    "BIGINT PRIMARY KEY, rep_id BIGINT, due TEXT, reason TEXT); "
	    "DELETE FROM handed");
}

void
lead_team_hand(struct lead_conn *db, int64_t lead, int64_t rep,
    const char *at, const char *due, const char *why, double pass)
{
	static const char *const sql[] = {
		"UPDATE lead SET owner_id = ?2, updated_at = ?3 WHERE id = ?1",
		("INSERT INTO assignment (lead_id, rep_id, at, due, reason, "
		    "actor) VALUES (?1, ?2, ?3, ?4, ?5, 'lead-handoff')"),
		("INSERT INTO handed VALUES (?1, ?2, ?4, ?5) ON CONFLICT "
		    "(lead_id) DO UPDATE SET rep_id = excluded.rep_id, due = "
		    "excluded.due, reason = excluded.reason"),
		"UPDATE rep SET rr_pass = ?6 WHERE id = ?2",
	};

	for (size_t i = 0; i < 4; i++) {
		struct lead_stmt *st = lead_db_cached(db, sql[i]);

		lead_bind_int64(st, 1, lead);
		lead_bind_int64(st, 2, rep);
		lead_bind_text(st, 3, at, -1, LEAD_STATIC);
		lead_bind_text(st, 4, due, -1, LEAD_STATIC);
		lead_bind_text(st, 5, why, -1, LEAD_STATIC);
		lead_bind_double(st, 6, pass);
		lead_db_run(st);
	}
}

/* ---- handing over many leads ------------------------------------------ */

/* A stage move held until the hand-offs before it are written. */
struct lead_stagemove {
	int64_t lead;
	char *from, *to, *actor, *reason, *at;
};

/* Stage moves held at most: then they are made (each writes what the
 * bulks hold first, so a few thousand a time). */
#define HANDING_MAXMOVES 4096

/* Where a lead's rejecters are in lead_handing.r. */
struct rejspan {
	size_t first, n;
};

static void
rejecter_add(struct lead_handing *h, int64_t rep, const char *at)
{
	struct lead_rejecter *r;

	if (h->nr == h->capr) {
		h->capr = h->capr ? 2 * h->capr : 16;
		h->r = lead_xrealloc(h->r, h->capr * sizeof *h->r);
	}
	r = &h->r[h->nr++];
	r->rep = rep;
	snprintf(r->at, sizeof r->at, "%s", at ? at : "");
}

/* The rejecters of every lead assign will list (a list's leads, else
 * the unowned MQLs) in one query, as lead_handing_rejecters reads those
 * of one lead: assigning changes none of them. */
static void
rejecters_ahead(struct lead_handing *h, int listed)
{
	struct lead_stmt *st = lead_db_prepare(h->db, listed ?
	    "SELECT lead_id, rep_id, max(rejected_at) FROM assignment WHERE "
	    "rejected_at IS NOT NULL AND lead_id IN (SELECT id FROM pick) "
	    "GROUP BY lead_id, rep_id ORDER BY lead_id, rep_id" :
	    "SELECT lead_id, rep_id, max(rejected_at) FROM assignment WHERE "
	    "rejected_at IS NOT NULL AND lead_id IN (SELECT id FROM lead "
	    "WHERE " UNOWNED_MQL ") GROUP BY lead_id, rep_id ORDER BY "
	    "lead_id, rep_id");

	h->rej.size = sizeof(struct rejspan);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t lead = lead_column_int64(st, 0);
		struct rejspan *s = lead_map_put(&h->rej, &lead, sizeof lead);

		if (s->n == 0)
			s->first = h->nr;
		s->n++;
		rejecter_add(h, lead_column_int64(st, 1),
		    lead_column_text(st, 2));
	}
	lead_finalize(st);
	h->ahead = 1;
}

void
lead_handing_open(struct lead_handing *h, struct lead_conn *db, int listed)
{
	memset(h, 0, sizeof *h);
	h->db = db;
	if (db->drv->bulk_open == NULL)
		return;
	rejecters_ahead(h, listed);
	/* Ids as the table's default draws them: under the write lock no
	 * one else adds an assignment, and assign adds none by statement. */
	h->next_asg = lead_db_int64(db, "SELECT coalesce(max(id), 0) FROM "
	    "assignment", 0, 0) + 1;
	/* In the order written: the assignments name the leads and reps
	 * (there already); the owners and turns go through staging tables
	 * to one UPDATE each, the last turn of a rep winning. */
	lead_db_exec(db, "CREATE TEMP TABLE lk_owner (id bigint, owner_id "
	    "bigint, updated_at text) ON COMMIT DROP; CREATE TEMP TABLE "
	    "lk_turn (seq bigint, id bigint, rr_pass double precision) ON "
	    "COMMIT DROP");
	h->b_asg = lead_db_bulk(db, "assignment (id, lead_id, rep_id, at, due, "
	    "reason, actor)", NULL);
	h->b_owner = lead_db_bulk(db, "lk_owner (id, owner_id, updated_at)",
	    "UPDATE lead SET owner_id = o.owner_id, updated_at = "
	    "o.updated_at FROM lk_owner o WHERE lead.id = o.id AND lead.id = "
	    "ANY(ARRAY(SELECT id FROM lk_owner)); TRUNCATE lk_owner");
	h->b_handed = lead_db_bulk(db, "handed (lead_id, rep_id, due, reason)",
	    NULL);
	h->b_turn = lead_db_bulk(db, "lk_turn (seq, id, rr_pass)", "UPDATE rep "
	    "SET rr_pass = t.rr_pass FROM (SELECT DISTINCT ON (id) id, rr_pass "
	    "FROM lk_turn ORDER BY id, seq DESC) t WHERE rep.id = t.id; "
	    "TRUNCATE lk_turn");
}

size_t
lead_handing_rejecters(struct lead_handing *h, int64_t lead,
    const struct lead_rejecter **r)
{
	const struct rejspan *s;
	struct lead_stmt *st;

	if (h->ahead) {
		s = lead_map_get(&h->rej, &lead, sizeof lead);
		*r = s ? &h->r[s->first] : NULL;
		return s ? s->n : 0;
	}
	st = lead_db_cached(h->db, "SELECT rep_id, max(rejected_at) FROM "
	    "assignment WHERE lead_id = ?1 AND rejected_at IS NOT NULL GROUP "
	    "BY rep_id");
	h->nr = 0;
	lead_bind_int64(st, 1, lead);
	while (lead_db_step(st) == LEAD_ROW)
		rejecter_add(h, lead_column_int64(st, 0),
		    lead_column_text(st, 1));
	lead_reset(st);
	*r = h->r;
	return h->nr;
}

void
lead_handing_hand(struct lead_handing *h, int64_t lead, int64_t rep,
    const char *at, const char *due, const char *why, double pass)
{
	char id[24], l[24], r[24], seq[24], p[32];

	if (h->b_asg == NULL) {
		lead_team_hand(h->db, lead, rep, at, due, why, pass);
		return;
	}
	snprintf(id, sizeof id, "%lld", (long long)h->next_asg++);
	snprintf(l, sizeof l, "%lld", (long long)lead);
	snprintf(r, sizeof r, "%lld", (long long)rep);
	snprintf(seq, sizeof seq, "%lld", (long long)++h->nturn);
	/* As a bound double is sent (pg_bind_double). */
	snprintf(p, sizeof p, "%.17g", pass);
	lead_db_bulk_row(h->db, h->b_asg, (const char *const[]){ id, l, r, at,
	    due, why, "lead-handoff" }, 7);
	lead_db_bulk_row(h->db, h->b_owner, (const char *const[]){ l, r, at },
	    3);
	lead_db_bulk_row(h->db, h->b_handed, (const char *const[]){ l, r, due,
	    why }, 4);
	lead_db_bulk_row(h->db, h->b_turn, (const char *const[]){ seq, r, p },
	    3);
}

static char *
dup_or_null(const char *s)
{
	return s ? lead_xstrdup(s) : NULL;
}

/* Make the held stage moves, in the order they came. */
static void
moves_make(struct lead_handing *h)
{
	for (size_t i = 0; i < h->nmv; i++) {
		struct lead_stagemove *m = &h->mv[i];

		lead_stage_set(h->db, m->lead, m->from, m->to, m->actor,
		    m->reason, 0, 0, m->at);
		free(m->from);
		free(m->to);
		free(m->actor);
		free(m->reason);
		free(m->at);
	}
	h->nmv = 0;
}

void
lead_handing_stage(struct lead_handing *h, int64_t lead, const char *from,
    const char *to, const char *actor, const char *reason, const char *at)
{
	struct lead_stagemove *m;

	/* A statement writes what the bulks hold first: made between two
	 * hand-offs, each move would cost the writes of one. */
	if (h->b_asg == NULL) {
		lead_stage_set(h->db, lead, from, to, actor, reason, 0, 0, at);
		return;
	}
	if (h->mv == NULL)
		h->mv = lead_xcalloc(HANDING_MAXMOVES, sizeof *h->mv);
	m = &h->mv[h->nmv++];
	m->lead = lead;
	m->from = dup_or_null(from);
	m->to = dup_or_null(to);
	m->actor = dup_or_null(actor);
	m->reason = dup_or_null(reason);
	m->at = dup_or_null(at);
	if (h->nmv == HANDING_MAXMOVES)
		moves_make(h);
}

void
lead_handing_close(struct lead_handing *h)
{
	moves_make(h);
	free(h->mv);
	free(h->r);
	lead_map_free(&h->rej);
	memset(h, 0, sizeof *h);
}

void
lead_team_pick_handed(struct lead_conn *db)
{
	lead_db_exec(db, "INSERT INTO pick SELECT lead_id FROM handed");
}

void
lead_team_handed_nurtured(struct lead_conn *db, struct lead_map *set)
{
	struct lead_stmt *st = lead_db_prepare(db, "SELECT DISTINCT "
	    "s.lead_id FROM handed h JOIN stage_history s ON s.lead_id = "
	    "h.lead_id WHERE s.to_stage = 'nurture'");

	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);

		lead_map_add(set, &id, sizeof id);
	}
	lead_finalize(st);
}

struct lead_stmt *
lead_team_sheet(struct lead_conn *db)
{
	/* group_concat is string_agg in PostgreSQL; its order is the
	 * subquery's: the latest touches first (touches of one second in
	 * the order of SQLite's index, read backwards), the promises by
	 * time, then id (as SQLite read them by its index before it was
	 * asked; the server by id). */
#define SHEET_SQL(CONCAT) "SELECT r.name, r.email, h.due, " \
	    "coalesce(l.email, 'id:' || l.id), trim(coalesce(l.first_name, " \
	    "'') || ' ' || coalesce(l.last_name, '')), l.company, l.title, " \
	    "l.phone, l.country, l.source, l.campaign, b.source, b.campaign, " \
	    "l.score, l.grade, l.id, (SELECT " CONCAT "(x, '; ') FROM " \
	    "(SELECT substr(a.ts, 1, 10) || ' ' || a.kind || coalesce(' ' || " \
	    "coalesce(a.content, a.note), '') AS x FROM activity a WHERE " \
	    "a.lead_id = l.id ORDER BY a.ts DESC, a.kind DESC, a.fp DESC " \
	    "LIMIT 3) t), h.reason, " \
	    LEAD_DNC_SQL ", (SELECT " CONCAT "(x, '; ') FROM (SELECT " \
	    "p.next_step || coalesce(' (due ' || substr(p.due, 1, 10) || " \
	    "')', '') AS x FROM promise p WHERE p.lead_id = l.id ORDER BY p.at, " \
	    "p.activity_id) t) " \
	    "FROM handed h JOIN lead l ON l.id = h.lead_id JOIN rep r ON " \
	    "r.id = h.rep_id LEFT JOIN batch b ON b.id = l.last_batch ORDER BY " \
	    "lower(r.name), l.score DESC, l.id"
	return lead_db_prepare(db, lead_sql(db, SHEET_SQL("group_concat"),
	    SHEET_SQL("string_agg")));
}

void
lead_team_owned(struct lead_conn *db, int64_t lead, struct lead_owned_row *o)
{
	struct lead_stmt *st = lead_db_prepare(db, "SELECT l.stage, "
	    "l.owner_id, (SELECT max(a.id) FROM assignment a WHERE "
	    "a.lead_id = l.id AND a.ended_at IS NULL), l.dnc_phone FROM lead l "
	    "WHERE l.id = ?1");

	memset(o, 0, sizeof *o);
	lead_bind_int64(st, 1, lead);
	if (lead_db_step(st) == LEAD_ROW) {
		snprintf(o->stage, sizeof o->stage, "%s",
		    lead_column_text(st, 0));
		o->owner = lead_column_int64(st, 1);
		o->assignment = lead_column_int64(st, 2);
		o->dnc_phone = lead_column_int(st, 3);
	}
	lead_finalize(st);
}

char *
lead_team_grade(struct lead_conn *db, int64_t lead)
{
	return lead_db_text(db, "SELECT grade FROM lead WHERE id = ?1", lead);
}

/* An UPDATE of one row by id (?1), with at (?2) and text (?3). */
static void
update_one(struct lead_conn *db, const char *sql, int64_t id,
    const char *at, const char *text)
{
	struct lead_stmt *st = lead_db_prepare(db, sql);

	lead_db_binds(st, 1, lead_bind_count(st) > 2 ? "ibb" : "ib", id, at,
	    text);
	lead_db_step(st);
	lead_finalize(st);
}

void
lead_assignment_accept(struct lead_conn *db, int64_t id, const char *at)
{
	update_one(db, "UPDATE assignment SET accepted_at = ?2 WHERE id = ?1",
	    id, at, NULL);
}

void
lead_assignment_reject(struct lead_conn *db, int64_t id, const char *at,
    const char *reason)
{
	update_one(db, "UPDATE assignment SET rejected_at = ?2, "
	    "reject_reason = ?3, ended_at = ?2, end_reason = 'rejected' WHERE "
	    "id = ?1", id, at, reason);
}

void
lead_assignment_end(struct lead_conn *db, int64_t id, const char *at,
    const char *reason)
{
	update_one(db, "UPDATE assignment SET ended_at = ?2, end_reason = ?3 "
	    "WHERE id = ?1", id, at, reason);
}

void
lead_team_unown(struct lead_conn *db, int64_t lead, const char *at)
{
	update_one(db, "UPDATE lead SET owner_id = NULL, updated_at = ?2 "
	    "WHERE id = ?1", lead, at, NULL);
}

struct lead_stmt *
lead_team_overdue(struct lead_conn *db, const char *now)
{
	/* Seconds late: the times' difference, each read as epoch
	 * seconds. */
#define OVERDUE_SQL(E) "SELECT rep, email, at, " \
	    "due, late_s, score, grade, stage, what FROM (SELECT r.name AS " \
	    "rep, coalesce(l.email, 'id:' || l.id) AS email, a.at AS at, " \
	    "a.due AS due, " E("?1") " - " E("a.due") " AS late_s, l.score AS " \
	    "score, l.grade AS grade, l.stage AS stage, 'first touch' AS what, " \
	    "l.id AS id FROM assignment a JOIN lead l ON l.id = a.lead_id JOIN " \
	    "rep r ON r.id = a.rep_id WHERE a.ended_at IS NULL AND " \
	    "a.first_touch_at IS NULL AND a.due < ?1 AND l.owner_id = " \
	    "a.rep_id AND l.stage IN " OPEN_STAGES " UNION ALL SELECT " \
	    "coalesce(p.rep, r.name), coalesce(l.email, 'id:' || l.id), p.at, " \
	    "p.due, " E("?1") " - " E("p.due") ", l.score, l.grade, " \
	    "l.stage, 'promised: ' || " \
	    "p.next_step, l.id FROM promise p JOIN lead l ON l.id = p.lead_id " \
	    "LEFT JOIN rep r ON r.id = l.owner_id WHERE p.due < ?1) x ORDER BY " \
	    "due, id"
#define EPOCH_SQ(t) "CAST(strftime('%s', " t ") AS INTEGER)"
#define EPOCH_PG(t) "CAST(extract(epoch FROM CAST(CAST(" t " AS TEXT) AS " \
	"timestamptz)) AS bigint)"
	struct lead_stmt *st = lead_db_prepare(db, lead_sql(db,
	    OVERDUE_SQL(EPOCH_SQ), OVERDUE_SQL(EPOCH_PG)));

	lead_bind_text(st, 1, now, -1, LEAD_STATIC);
	return st;
}

int64_t
lead_team_account_open(struct lead_conn *db, int64_t rep, const char *domain)
{
	struct lead_stmt *st = lead_db_prepare(db, "SELECT count(*) FROM lead "
	    "WHERE owner_id = ?1 AND stage IN " OPEN_STAGES " AND "
	    DOMAIN_SQL("") " = ?2");
	int64_t n;

	lead_bind_int64(st, 1, rep);
	lead_bind_text(st, 2, domain, -1, LEAD_STATIC);
	lead_db_step(st);
	n = lead_column_int64(st, 0);
	lead_finalize(st);
	return n;
}

struct lead_stmt *
lead_team_late(struct lead_conn *db, const char *now)
{
	struct lead_stmt *st;

	lead_db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS late (lead_id BIGINT, "
	    "rep_id BIGINT, assignment_id BIGINT, manager TEXT, email TEXT, "
	    "rep TEXT, country TEXT, region TEXT, domain TEXT); DELETE FROM "
	    "late");
	st = lead_db_prepare(db, "INSERT INTO late SELECT o.lead_id, "
	    "o.rep_id, o.aid, o.manager, o.email, o.rep, l.country, l.region, "
	    "o.domain FROM (SELECT l.id AS lead_id, r.id AS rep_id, a.id AS "
	    "aid, r.manager, l.email, r.name AS rep, " DOMAIN_SQL("l.") " AS "
	    "domain FROM assignment a JOIN lead l ON l.id = a.lead_id JOIN rep "
	    "r ON r.id = a.rep_id WHERE a.ended_at IS NULL AND "
	    "a.first_touch_at IS NULL AND a.due < ?1 AND l.owner_id = "
	    "a.rep_id AND l.stage IN " OPEN_STAGES ") o JOIN lead l ON l.id = "
	    "o.lead_id");
	lead_bind_text(st, 1, now, -1, LEAD_STATIC);
	lead_db_step(st);
	lead_finalize(st);
	return lead_db_prepare(db, "SELECT lead_id, rep_id, assignment_id, "
	    "manager, email, rep, country, region, domain FROM late "
	    "ORDER BY lead_id");
}

struct lead_stmt *
lead_team_idle(struct lead_conn *db, const char *since)
{
	struct lead_stmt *st;
	char *q;

	/* A sales touch: an outbound kind (lead-log's contact channels),
	 * or any touch by the owner. */
	q = lead_xasprintf("SELECT l.id, l.email, l.stage, r.name, (SELECT "
	    "max(a.id) FROM assignment a WHERE a.lead_id = l.id AND "
	    "a.ended_at IS NULL) FROM lead l JOIN rep r ON r.id = l.owner_id "
	    "WHERE l.owner_id IS NOT NULL AND l.stage IN ('mql', 'sal', 'sql') "
	    "AND coalesce((SELECT max(at) FROM assignment a WHERE a.lead_id = "
	    "l.id), '') < ?1 AND NOT EXISTS (SELECT 1 FROM activity v WHERE "
	    "v.lead_id = l.id AND v.ts >= ?1 AND (v.kind IN (%s) OR lower("
	    "v.actor) = lower(r.name) OR lower(v.actor) = lower(r.email))) ORDER "
	    "BY l.id", lead_channel_kinds("all"));
	st = lead_db_prepare(db, q);
	free(q);
	lead_bind_text(st, 1, since, -1, LEAD_STATIC);
	return st;
}

void
lead_reps_load(struct lead_conn *db, struct lead_reps *t)
{
	struct lead_stmt *st = lead_db_prepare(db, "SELECT id, name, email FROM "
	    "rep WHERE active <> 0 ORDER BY id");

	memset(t, 0, sizeof *t);
	while (lead_db_step(st) == LEAD_ROW) {
		const char *e = lead_column_text(st, 2);

		t->id = lead_xrealloc(t->id, (t->n + 1) * sizeof *t->id);
		t->name = lead_xrealloc(t->name, (t->n + 1) * sizeof *t->name);
		t->email = lead_xrealloc(t->email, (t->n + 1) *
		    sizeof *t->email);
		t->id[t->n] = lead_column_int64(st, 0);
		t->name[t->n] = lead_xstrdup((const char *)
		    lead_column_text(st, 1));
		t->email[t->n++] = e ? lead_xstrdup(e) : NULL;
	}
	lead_finalize(st);
	t->loaded = 1;
}
