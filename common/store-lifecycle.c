/*
 * store-lifecycle.c: the lifecycle's data: naming a lead, its returns
 * from sales and its behaviour since, and the stage move (history,
 * stage, the hand-off it ends) that every command makes the same way.
 * The policy that reads them is lifecycle.c's and stage.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-lifecycle.h"

int64_t
lead_store_by_email(struct lead_conn *db, const char *email)
{
	struct lead_stmt *st = lead_db_cached(db, "SELECT id FROM lead WHERE "
	    "email = ?1");
	int64_t id = 0;

	lead_bind_text(st, 1, email, -1, LEAD_STATIC);
	if (lead_db_step(st) == LEAD_ROW)
		id = lead_column_int64(st, 0);
	lead_reset(st);
	return id;
}

int
lead_store_lead_ref(struct lead_conn *db, int64_t id, char *email, size_t n,
    int *forgotten)
{
	struct lead_stmt *st = lead_db_cached(db, "SELECT email, forgotten_at "
	    "IS NOT NULL FROM lead WHERE id = ?1");
	int found = 0;

	lead_bind_int64(st, 1, id);
	if (lead_db_step(st) == LEAD_ROW) {
		const char *e = lead_column_text(st, 0);

		snprintf(email, n, "%s", e ? e : "");
		*forgotten = lead_column_int(st, 1);
		found = 1;
	}
	lead_reset(st);
	return found;
}

int
lead_store_first_key(struct lead_conn *db, int64_t id, char *out, size_t n)
{
	struct lead_stmt *st = lead_db_cached(db, "SELECT system || ' ' || key "
	    "FROM lead_key WHERE lead_id = ?1 ORDER BY system, key LIMIT 1");
	int found = 0;

	lead_bind_int64(st, 1, id);
	if (lead_db_step(st) == LEAD_ROW) {
		snprintf(out, n, "%s", lead_column_text(st, 0));
		found = 1;
	}
	lead_reset(st);
	return found;
}

int
lead_store_key_leads(struct lead_conn *db, const char *sys, const char *key,
    int64_t ids[2])
{
	struct lead_stmt *st = sys ? lead_db_cached(db, "SELECT DISTINCT "
	    "lead_id FROM lead_key WHERE system = ?1 AND key = ?2 LIMIT 2") :
	    lead_db_cached(db, "SELECT DISTINCT lead_id FROM lead_key WHERE "
	    "key = ?1 LIMIT 2");
	int n = 0;

	if (sys)
		lead_db_binds(st, 1, "ss", sys, key);
	else
		lead_db_binds(st, 1, "s", key);
	while (n < 2 && lead_db_step(st) == LEAD_ROW)
		ids[n++] = lead_column_int64(st, 0);
	lead_reset(st);
	return n;
}

int
lead_store_behaved(struct lead_conn *db, int64_t lead, const char *since,
    lead_time now)
{
	static char q[1024];
	char nowb[LEAD_TIME_LEN];
	struct lead_stmt *st;
	int yes;

	if (q[0] == '\0')
		snprintf(q, sizeof q, "SELECT EXISTS (SELECT 1 FROM activity "
		    "WHERE lead_id = ?1 AND ts > ?2 AND ts <= ?3 AND kind NOT "
		    "IN (%s))", lead_behavior_sql());
	st = lead_db_cached(db, q);
	lead_db_binds(st, 1, "iss", lead, since, lead_time_format(now, nowb));
	lead_db_step(st);
	yes = lead_column_int(st, 0);
	lead_reset(st);
	return yes;
}

/* ---- coming back from sales ---------------------------------------------- */

/* A move back to marketing: to nurture from a stage sales had, by sales
 * (lead-score --demote is marketing's own rules changing their mind:
 * the lead comes back when it meets them again). */
#define RETURN_SQL \
	"to_stage = 'nurture' AND from_stage IN ('mql', 'sal', 'sql', " \
	"'opportunity', 'lost', 'disqualified') AND actor IS DISTINCT FROM " \
	"'lead-score'"

void
lead_returned_leads(struct lead_conn *db, struct lead_strmap *set)
{
	struct lead_stmt *st = lead_db_prepare(db, "SELECT DISTINCT lead_id "
	    "FROM stage_history WHERE " RETURN_SQL);

	while (lead_db_step(st) == LEAD_ROW)
		*lead_strmap_put(set, lead_column_text(st, 0)) = 1;
	lead_finalize(st);
}

size_t
lead_returns(struct lead_conn *db, int64_t lead, struct lead_return *r, size_t max)
{
	static const char q[] = "SELECT h.at, h.actor, h.reason, "
	    "(SELECT a.rep_id || ' ' || coalesce(a.end_reason, '') FROM "
	    "assignment a WHERE a.lead_id = h.lead_id AND a.ended_at = h.at "
	    "ORDER BY a.id DESC LIMIT 1), (SELECT count(*) FROM assignment a "
	    "WHERE a.lead_id = h.lead_id AND a.rejected_at IS NOT NULL), "
	    "(SELECT r.name FROM assignment a JOIN rep r ON r.id = a.rep_id "
	    "WHERE a.lead_id = h.lead_id AND a.ended_at = h.at ORDER BY a.id "
	    "DESC LIMIT 1) FROM stage_history h WHERE h.lead_id = ?1 AND "
	    RETURN_SQL " ORDER BY h.id DESC LIMIT ?2";
	struct lead_stmt *st = lead_db_cached(db, q);
	size_t n = 0;

	lead_bind_int64(st, 1, lead);
	lead_bind_int64(st, 2, max);
	for (; n < max && lead_db_step(st) == LEAD_ROW; n++, r++) {
		const char *a = lead_column_text(st, 3);
		const char *rep = lead_column_text(st, 5);
		const char *actor = lead_column_text(st, 1);
		const char *why = lead_column_text(st, 2);

		memset(r, 0, sizeof *r);
		snprintf(r->at, sizeof r->at, "%s", lead_column_text(st, 0));
		snprintf(r->reason, sizeof r->reason, "%s", why ? why : "");
		snprintf(r->how, sizeof r->how, "nurtured");
		if (a) {
			const char *sp = strchr(a, ' ');

			r->rep = strtoll(a, NULL, 10);
			if (sp && strcmp(sp + 1, "rejected") == 0)
				snprintf(r->how, sizeof r->how, "rejected");
			else if (sp && strcmp(sp + 1, "recycled") == 0)
				snprintf(r->how, sizeof r->how, "recycled");
		}
		snprintf(r->by, sizeof r->by, "%s", rep ? rep : actor ? actor :
		    "");
		r->rejected = lead_column_int(st, 4);
	}
	lead_reset(st);
	return n;
}

/* ---- the stage move ---------------------------------------------------- */

void
lead_stage_set(struct lead_conn *db, int64_t lead, const char *from, const char *to,
    const char *actor, const char *reason, int64_t activity, int64_t batch,
    const char *at)
{
	static const char hist[] = "INSERT INTO stage_history (lead_id, at, "
	    "from_stage, to_stage, actor, reason, activity_id, batch_id) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	static const char upd[] = "UPDATE lead SET stage = ?, stage_at = ?, "
	    "updated_at = ? WHERE id = ?";
	static const char end[] = "UPDATE assignment SET ended_at = ?2, "
	    "end_reason = ?3 WHERE lead_id = ?1 AND ended_at IS NULL";
	static const char unown[] = "UPDATE lead SET owner_id = NULL WHERE "
	    "id = ?1";
	struct lead_stmt *st;

	/* A won deal was quoted: a lead won from before opportunity passes
	 * through it, so lead-to-quote counts every deal. */
	if (strcmp(to, "won") == 0 && from && strcmp(from, "opportunity") != 0) {
		lead_stage_set(db, lead, from, "opportunity", actor,
		    "implied by the won deal", activity, batch, at);
		from = "opportunity";
	}
	st = lead_db_cached(db, hist);
	lead_bind_int64(st, 1, lead);
	lead_bind_text(st, 2, at, -1, LEAD_STATIC);
	lead_db_bind_text(st, 3, from);
	lead_bind_text(st, 4, to, -1, LEAD_STATIC);
	lead_db_bind_text(st, 5, actor);
	lead_db_bind_text(st, 6, reason);
	if (activity)
		lead_bind_int64(st, 7, activity);
	if (batch)
		lead_bind_int64(st, 8, batch);
	lead_db_run(st);
	st = lead_db_cached(db, upd);
	lead_bind_text(st, 1, to, -1, LEAD_STATIC);
	lead_bind_text(st, 2, at, -1, LEAD_STATIC);
	lead_bind_text(st, 3, at, -1, LEAD_STATIC);
	lead_bind_int64(st, 4, lead);
	lead_db_run(st);
	/* A lead that closes or goes back to marketing ends its hand-off:
	 * it is no longer overdue for anyone. */
	if (strcmp(to, "won") == 0 || strcmp(to, "lost") == 0 ||
	    strcmp(to, "disqualified") == 0 || strcmp(to, "nurture") == 0) {
		st = lead_db_cached(db, end);
		lead_bind_int64(st, 1, lead);
		lead_bind_text(st, 2, at, -1, LEAD_STATIC);
		lead_bind_text(st, 3, to, -1, LEAD_STATIC);
		lead_db_run(st);
	}
	/* Back to marketing is back to nobody's: a nurtured lead that
	 * becomes sales-ready again is handed off afresh. */
	if (strcmp(to, "nurture") == 0) {
		st = lead_db_cached(db, unown);
		lead_bind_int64(st, 1, lead);
		lead_db_run(st);
	}
}
