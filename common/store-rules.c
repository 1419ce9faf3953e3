/*
 * store-rules.c: rule sets, score runs and the scores they keep, and the
 * picks of --changed.  The rules themselves and the scan that applies
 * them are score.c's.
 */
#include <stdio.h>
#include <string.h>

#include "store-rules.h"

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
	/* SQLite: INSERT OR IGNORE; PostgreSQL: ON CONFLICT DO NOTHING. */
	static const char *const picks[] = {
		"INSERT OR IGNORE INTO temp.pick SELECT lead_id FROM activity "
		    "WHERE id > ?1",
		"INSERT OR IGNORE INTO temp.pick SELECT id FROM lead WHERE "
		    "id > ?1",
		"INSERT OR IGNORE INTO temp.pick SELECT lead_id FROM batch_lead "
		    "WHERE batch_id > ?1",
		"INSERT OR IGNORE INTO temp.pick SELECT lead_id FROM "
		    "stage_history WHERE id > ?1 AND actor IS DISTINCT FROM "
		    "'lead-score'",
		"INSERT OR IGNORE INTO temp.pick SELECT lead_id FROM assignment "
		    "WHERE id > ?1",
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
	lead_db_do(db, "INSERT INTO temp.pick VALUES (?1)", "i", id);
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
}

void
lead_scorewrite(struct lead_scorewrite *w, int64_t lead, int64_t score,
    int64_t fit, const char *grade)
{
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
