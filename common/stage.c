/*
 * stage.c: the lead lifecycle, and the one place a lead's stage changes.
 *
 *   new -> nurture -> mql -> sal -> sql -> opportunity -> won
 *                                                      -> lost
 *   any open stage -> disqualified, lost, won (through opportunity);
 *   anything but won -> nurture
 *
 * Recycling is a move back to nurture with a reason, not a dead end.
 */
#include <string.h>

#include "lead.h"

const char *const lead_stage_names[LEAD_NSTAGE] = {
	"new", "nurture", "mql", "sal", "sql", "opportunity", "won", "lost",
	"disqualified"
};

int
lead_stage_index(const char *s)
{
	for (int i = 0; s && i < LEAD_NSTAGE; i++)
		if (strcmp(s, lead_stage_names[i]) == 0)
			return i;
	return -1;
}

/* How far along the funnel a stage is; the ends share the last rank. */
static int
rank(const char *s)
{
	static const int r[LEAD_NSTAGE] = { 0, 0, 1, 2, 3, 4, 5, 5, 5 };
	int i = lead_stage_index(s);

	return i < 0 ? -1 : r[i];
}

int
lead_stage_valid(const char *s)
{
	return s && rank(s) >= 0;
}

const char *
lead_stage_check(const char *from, const char *to)
{
	int rf = rank(from), rt = rank(to);

	if (rf < 0 || rt < 0)
		return "unknown stage";
	if (strcmp(from, to) == 0)
		return "the lead is at that stage already";
	/* A deal is won from any open stage: it was quoted on the way
	 * (lead_stage_set records the opportunity it implies). */
	if (strcmp(to, "won") == 0)
		return rf == 5 ? "the lead is closed (won, lost or "
		    "disqualified); recycle it to nurture first" : NULL;
	if (strcmp(to, "nurture") == 0)
		return strcmp(from, "won") == 0 ?
		    "a won lead is a customer, not one to nurture" : NULL;
	if (rf == 5)
		return "the lead is closed (won, lost or disqualified); "
		    "recycle it to nurture first";
	if (strcmp(to, "lost") == 0 || strcmp(to, "disqualified") == 0)
		return NULL;
	if (strcmp(to, "new") == 0)
		return "a lead cannot become new again";
	if (rt <= rf)
		return "that is a step back in the funnel";
	return NULL;
}

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
