/*
 * views.h: the views of leads.db(5), in SQL both engines take, for the
 * schemas of drv-sqlite.c and drv-pg.c.  A migration that ran keeps the
 * text it ran: a view that changes is a new macro and a new migration,
 * never an edit of these.
 */
#ifndef LEAD_VIEWS_H
#define LEAD_VIEWS_H

/* Every lead of every batch: the ones it created (lead.first_batch) and
 * the known ones it named (batch_lead). */
#define LEAD_BATCH_MEMBER_VIEW \
	"CREATE VIEW batch_member (batch_id, lead_id, action) AS" \
	" SELECT first_batch, id, 'new' FROM lead WHERE first_batch IS NOT NULL" \
	" UNION ALL SELECT batch_id, lead_id, action FROM batch_lead;"

/* The promises still owed (schema 6): a promise is kept by a person's
 * later touch, not by a command's, and ends with the lead. */
#define LEAD_PROMISE_VIEW \
	"CREATE VIEW promise (lead_id, activity_id, rep, at, next_step, due) AS" \
	" SELECT a.lead_id, a.id, a.actor, a.ts, a.next_step, a.due" \
	" FROM activity a JOIN lead l ON l.id = a.lead_id" \
	" WHERE a.next_step IS NOT NULL AND l.forgotten_at IS NULL" \
	" AND l.stage NOT IN ('won', 'lost', 'disqualified')" \
	" AND NOT EXISTS (SELECT 1 FROM activity b WHERE b.lead_id = a.lead_id" \
	"  AND b.actor IS NOT NULL AND b.actor NOT IN ('lead-import'," \
	"  'lead-log', 'lead-score', 'lead-handoff', 'lead-report')" \
	"  AND (b.ts > a.ts OR (b.ts = a.ts AND b.id > a.id)));"

#endif
