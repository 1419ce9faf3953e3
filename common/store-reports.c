/*
 * store-reports.c: the queries of lead-report.  The reports read whole
 * tables in one pass each and count in memory (cmd/lead-report.c); these
 * are the passes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-reports.h"
#include "store.h"

const char *const lead_report_fields[] = {
	"id", "id",
	"stage_at", "coalesce(stage_at, created_at)",
	"updated_at", "updated_at",
	"scored_at", "scored_at",
	"touches", ("(SELECT count(*) FROM activity WHERE activity.lead_id "
	    "= lead.id)"),
	"last_touch", ("(SELECT max(ts) FROM activity WHERE "
	    "activity.lead_id = lead.id)"),
	NULL
};

static const char *const rq_cols[] = {
	[LEAD_RQ_ID] = "",
	[LEAD_RQ_FUNNEL] = ", stage, source, campaign, owner_id, created_at",
	[LEAD_RQ_CAMPAIGNS] = (", stage, source, campaign, CASE WHEN stage = "
	    "'won' THEN (SELECT a.amount FROM stage_history h JOIN activity a "
	    "ON a.id = h.activity_id WHERE h.lead_id = lead.id AND "
	    "h.to_stage = 'won' ORDER BY h.id DESC LIMIT 1) END, created_at, "
	    "first_batch"),
	[LEAD_RQ_SCORING] = ", stage, score, grade",
	[LEAD_RQ_AGING] = (", stage, coalesce(stage_at, created_at), source, "
	    "campaign, owner_id, created_at"),
	[LEAD_RQ_VELOCITY] = ", created_at, source, campaign, owner_id",
	[LEAD_RQ_STAGE] = ", stage",
};

/* The SQL a slot reads from a lead row. */
static const char *
slot_sql(const struct lead_slot *s)
{
	switch (s->type) {
	case LEAD_SLOT_SCORE:
		return "score";
	case LEAD_SLOT_FIT:
		return "fit";
	case LEAD_SLOT_BEHAVIOR:
		return "score - fit";
	case LEAD_SLOT_GRADE:
		return "grade";
	default:
		return s->sql;
	}
}

/* " AND stage IN ('mql', 'sal')", the names checked and quoted. */
static void
stage_list(struct lead_buf *b, const char *stages)
{
	char *list = lead_xstrdup(stages), *p, *save = NULL;
	int first = 1;

	lead_buf_adds(b, " AND stage IN (");
	for (p = strtok_r(list, ", ", &save); p; p = strtok_r(NULL, ", ",
	    &save)) {
		int i = lead_stage_index(p);

		if (i < 0)
			continue;
		lead_buf_addf(b, "%s'%s'", first ? "" : ", ",
		    lead_stage_names[i]);
		first = 0;
	}
	if (first)
		lead_buf_adds(b, "NULL");
	lead_buf_adds(b, ")");
	free(list);
}

struct lead_stmt *
lead_report_leads(struct lead_conn *db, const struct lead_report_filter *f,
    enum lead_rq cols, int flags)
{
	struct lead_buf b = { 0 };
	struct lead_stmt *st;
	int n = 3;

	lead_buf_addf(&b, "SELECT id%s", rq_cols[cols]);
	for (size_t i = 0; f->fields && i < f->fields->nslot; i++)
		lead_buf_addf(&b, ", %s", slot_sql(&f->fields->slot[i]));
	lead_buf_adds(&b, " FROM lead WHERE 1 = 1");
	if (flags & LEAD_RQ_WINDOW)
		lead_buf_adds(&b, " AND created_at >= ?1 AND created_at < ?2");
	if (flags & LEAD_RQ_LIVE)
		lead_buf_adds(&b, " AND forgotten_at IS NULL");
	if (f->stages)
		stage_list(&b, f->stages);
	/* Case-blind: lower() folds ASCII alone on both engines, as
	 * SQLite's NOCASE does. */
	if (f->owner)
		lead_buf_addf(&b, " AND owner_id IN (SELECT id FROM rep WHERE "
		    "lower(name) = lower(?%d) OR email = lower(?%d))", n, n);
	n += !!f->owner;
	if (f->source)
		lead_buf_addf(&b, " AND lower(source) = lower(?%d)", n++);
	if (f->campaign)
		lead_buf_addf(&b, " AND lower(campaign) = lower(?%d)", n++);
	if (f->picked)
		lead_buf_adds(&b, " AND id IN (SELECT id FROM pick)");
	if (flags & LEAD_RQ_ORDER)
		lead_buf_adds(&b, " ORDER BY id");
	st = lead_db_scan(db, b.s);
	lead_buf_free(&b);
	if (flags & LEAD_RQ_WINDOW) {
		lead_bind_text(st, 1, f->from, -1, LEAD_STATIC);
		lead_bind_text(st, 2, f->to, -1, LEAD_STATIC);
	}
	n = 3;
	if (f->owner)
		lead_bind_text(st, n++, f->owner, -1, LEAD_STATIC);
	if (f->source)
		lead_bind_text(st, n++, f->source, -1, LEAD_STATIC);
	if (f->campaign)
		lead_bind_text(st, n++, f->campaign, -1, LEAD_STATIC);
	return st;
}

int64_t
lead_report_max_id(struct lead_conn *db, const char *table)
{
	static const char *const q[][2] = {
		{ "lead", "SELECT coalesce(max(id), 0) FROM lead" },
		{ "rep", "SELECT coalesce(max(id), 0) FROM rep" },
		{ "batch", "SELECT coalesce(max(id), 0) FROM batch" },
	};

	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
		if (strcmp(table, q[i][0]) == 0)
			return lead_db_int64(db, q[i][1], 0, 0);
	lead_die(LEAD_EX_SOFTWARE, "lead_report_max_id: no table %s", table);
}

int
lead_report_rep_exists(struct lead_conn *db, const char *who)
{
	struct lead_stmt *st = lead_db_prepare(db, "SELECT 1 FROM rep WHERE "
	    "lower(name) = lower(?1) OR email = lower(?1)");
	int yes;

	lead_bind_text(st, 1, who, -1, LEAD_STATIC);
	yes = lead_db_step(st) == LEAD_ROW;
	lead_finalize(st);
	return yes;
}

struct lead_stmt *
lead_report_reps(struct lead_conn *db)
{
	return lead_db_prepare(db, "SELECT id, name FROM rep");
}

struct lead_stmt *
lead_report_active_reps(struct lead_conn *db)
{
	return lead_db_prepare(db, "SELECT name FROM rep WHERE active <> 0");
}

struct lead_stmt *
lead_report_stage_moves(struct lead_conn *db)
{
	return lead_db_scan(db, "SELECT lead_id, from_stage, to_stage "
	    "FROM stage_history");
}

struct lead_stmt *
lead_report_arrivals(struct lead_conn *db)
{
	return lead_db_scan(db, "SELECT lead_id, to_stage, at FROM "
	    "stage_history");
}

/* A cursor over a query with a period [?1, ?2), its rows read in
 * batches. */
static struct lead_stmt *
windowed(struct lead_conn *db, const char *sql, const char *from,
    const char *to)
{
	struct lead_stmt *st = lead_db_scan(db, sql);

	lead_bind_text(st, 1, from, -1, LEAD_STATIC);
	lead_bind_text(st, 2, to, -1, LEAD_STATIC);
	return st;
}

struct lead_stmt *
lead_report_batches(struct lead_conn *db, const char *from, const char *to)
{
	return windowed(db, "SELECT id, source, campaign, cost, file FROM "
	    "batch WHERE command = 'lead-import' AND undone_at IS NULL AND "
	    "at >= ?1 AND at < ?2 AND NOT (nread > 0 AND nrejected = nread) "
	    "ORDER BY id", from, to);
}

struct lead_stmt *
lead_report_batch_leads(struct lead_conn *db)
{
	return lead_db_scan(db, "SELECT batch_id, lead_id FROM batch_lead");
}

struct lead_stmt *
lead_report_assignments(struct lead_conn *db, const char *from,
    const char *to)
{
	return windowed(db, "SELECT a.lead_id, a.rep_id, a.at, a.due, "
	    "a.first_touch_at, a.accepted_at, a.rejected_at, a.ended_at, "
	    "l.owner_id, l.stage FROM assignment a JOIN lead l ON l.id = "
	    "a.lead_id WHERE a.at >= ?1 AND a.at < ?2", from, to);
}

struct lead_stmt *
lead_report_bare_touches(struct lead_conn *db, const char *from,
    const char *to)
{
	return windowed(db, "SELECT coalesce(r.name, a.actor), a.ts, "
	    "a.lead_id FROM activity a LEFT JOIN rep r ON lower(r.name) = "
	    "lower(a.actor) OR r.email = lower(a.actor) WHERE a.missing IS NOT "
	    "NULL AND a.actor IS NOT NULL AND a.ts >= ?1 AND a.ts < ?2", from,
	    to);
}

struct lead_stmt *
lead_report_rejections(struct lead_conn *db, const char *from,
    const char *to)
{
	return windowed(db, "SELECT a.lead_id, a.rejected_at, "
	    "a.reject_reason, l.source, l.campaign, a.rep_id, l.stage FROM "
	    "assignment a JOIN lead l ON l.id = a.lead_id WHERE "
	    "a.rejected_at >= ?1 AND a.rejected_at < ?2 ORDER BY a.id", from,
	    to);
}

struct lead_stmt *
lead_report_contents(struct lead_conn *db)
{
	return lead_db_scan(db, "SELECT lead_id, content FROM activity "
	    "WHERE content IS NOT NULL AND content <> ''");
}

struct lead_stmt *
lead_report_touches(struct lead_conn *db, const char *from, const char *to)
{
	return windowed(db, "SELECT lead_id, ts, kind FROM activity WHERE "
	    "ts > ?1 AND ts <= ?2 ORDER BY lead_id", from, to);
}

struct lead_stmt *
lead_report_lead_dnc(struct lead_conn *db)
{
	return lead_db_prepare(db, "SELECT email, " LEAD_DNC_SQL " FROM lead "
	    "WHERE id = ?1");
}

void
lead_report_lead_dnc_of(struct lead_stmt *st, int64_t lead)
{
	lead_reset(st);
	lead_bind_int64(st, 1, lead);
}
