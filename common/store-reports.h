/*
 * store-reports.h: the queries of lead-report (store-reports.c).  Each
 * verb returns a cursor: step it with lead_db_step, read it with
 * lead_column_*, close it with lead_finalize.  The columns are listed
 * with each verb.
 */
#ifndef LEAD_STORE_REPORTS_H
#define LEAD_STORE_REPORTS_H

#include "lead.h"

/* The lead filters of every report. */
struct lead_report_filter {
	const char *from, *to;		/* the period, [from, to) */
	const char *stages;		/* "mql,sal": stages (checked) */
	const char *owner;		/* a rep's name or email */
	const char *source, *campaign;
	int picked;			/* only the leads in temp.pick */
	const struct lead_rules *fields;	/* slots read after the
						 * columns, or NULL */
};

/* The lead fields a report reads beyond those of the rules (id,
 * stage_at, updated_at, scored_at, touches, last_touch): pairs of name
 * and SQL, NULL-terminated, for lead_where_parse. */
extern const char *const lead_report_fields[];

/* The columns a lead query returns after the id, before the slots. */
enum lead_rq {
	LEAD_RQ_ID,		/* nothing more */
	LEAD_RQ_FUNNEL,		/* stage, source, campaign, owner_id,
				 * created_at */
	LEAD_RQ_CAMPAIGNS,	/* stage, source, campaign, the won amount,
				 * created_at, first_batch */
	LEAD_RQ_SCORING,	/* stage, score, grade */
	LEAD_RQ_AGING,		/* stage, since (stage_at or created_at),
				 * source, campaign, owner_id, created_at */
	LEAD_RQ_VELOCITY,	/* created_at, source, campaign, owner_id */
	LEAD_RQ_STAGE		/* stage */
};
/* Query flags: the period on created_at, leaving out the forgotten,
 * sorted by id. */
enum { LEAD_RQ_WINDOW = 1, LEAD_RQ_LIVE = 2, LEAD_RQ_ORDER = 4 };

/* The leads the filter keeps: id, the columns of cols, then a column a
 * slot of f->fields. */
struct lead_stmt *lead_report_leads(struct lead_conn *db,
    const struct lead_report_filter *f, enum lead_rq cols, int flags);

/* The highest id of a table (0 if empty): "lead", "rep", "batch". */
int64_t lead_report_max_id(struct lead_conn *db, const char *table);
/* 1 if a rep has this name (any case) or email. */
int lead_report_rep_exists(struct lead_conn *db, const char *who);
/* id, name of every rep. */
struct lead_stmt *lead_report_reps(struct lead_conn *db);
/* name of every active rep. */
struct lead_stmt *lead_report_active_reps(struct lead_conn *db);
/* lead_id, from_stage, to_stage of the whole stage history. */
struct lead_stmt *lead_report_stage_moves(struct lead_conn *db);
/* Every lead's arrivals at stages, in no order: lead id, stage, at. */
struct lead_stmt *lead_report_arrivals(struct lead_conn *db);
/* id, source, campaign, cost, file of the import batches in [from, to)
 * that were not undone and not wholly rejected, by id. */
struct lead_stmt *lead_report_batches(struct lead_conn *db,
    const char *from, const char *to);
/* batch_id, lead_id of every known lead a batch named. */
struct lead_stmt *lead_report_batch_leads(struct lead_conn *db);
/* lead_id, rep_id, at, due, first_touch_at, accepted_at, rejected_at,
 * ended_at, owner_id, stage of the assignments made in [from, to). */
struct lead_stmt *lead_report_assignments(struct lead_conn *db,
    const char *from, const char *to);
/* rep (its name, else the actor), ts, lead_id of the touches in [from,
 * to) that lack context the protocol asks for. */
struct lead_stmt *lead_report_bare_touches(struct lead_conn *db,
    const char *from, const char *to);
/* lead_id, rejected_at, reject_reason, source, campaign, rep_id, stage
 * of the rejections in [from, to). */
struct lead_stmt *lead_report_rejections(struct lead_conn *db,
    const char *from, const char *to);
/* lead_id, content of every touch with content. */
struct lead_stmt *lead_report_contents(struct lead_conn *db);
/* lead_id, ts, kind of the touches in (from, to], by lead. */
struct lead_stmt *lead_report_touches(struct lead_conn *db,
    const char *from, const char *to);
/* email, the channels blocked (as lead_dnc_text) of one lead (bind with
 * lead_report_lead_dnc_of). */
struct lead_stmt *lead_report_lead_dnc(struct lead_conn *db);
void lead_report_lead_dnc_of(struct lead_stmt *st, int64_t lead);

#endif
