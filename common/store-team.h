/*
 * store-team.h: reps, their versions, assignments and the reads routing
 * makes (store-team.c).  Verbs that return a cursor (struct lead_stmt *)
 * list its columns; step it with lead_db_step, close it with
 * lead_finalize.
 */
#ifndef LEAD_STORE_TEAM_H
#define LEAD_STORE_TEAM_H

#include "lead.h"

/* Every rep, by id: id, name, email, territory, capacity, weight,
 * available, manager, rr_pass, open leads (mql to opportunity),
 * active. */
struct lead_stmt *lead_team_reps(struct lead_conn *db);
/* The active reps, by name: name, email, territory, capacity, open,
 * weight, available (yes/no), manager. */
struct lead_stmt *lead_team_listing(struct lead_conn *db);

/* Keep the text of a reps file, unless it is the last one kept. */
void lead_team_version_add(struct lead_conn *db, const char *sha256,
    const char *text, size_t len, const char *file, const char *at);
/* Where a new rep starts in the weighted round-robin: the average turn
 * of the available reps. */
double lead_team_start_pass(struct lead_conn *db);

/* A rep as a reps file gives it. */
struct lead_rep_row {
	const char *name, *email, *territory, *manager;
	long capacity;		/* 0: none */
	double weight;
	int available;
};
/* Loading a reps file: each rep added, changed or the same; then the
 * reps not listed are kept, inactive. */
struct lead_repsync {
	struct lead_conn *db;
	struct lead_stmt *find, *ins, *upd, *listed;
	const char *at;
	double start;
};
enum { LEAD_REP_SAME, LEAD_REP_ADDED, LEAD_REP_CHANGED };
void lead_repsync_open(struct lead_repsync *s, struct lead_conn *db,
    const char *at, double start);
/* LEAD_REP_SAME, _ADDED or _CHANGED. */
int lead_repsync_put(struct lead_repsync *s, const struct lead_rep_row *r);
/* The count of reps no longer listed (made inactive). */
int64_t lead_repsync_close(struct lead_repsync *s);

/* The company domain of each owned open lead and its owner, the
 * owners on the team and available first: domain, owner_id. */
struct lead_stmt *lead_team_accounts(struct lead_conn *db);
/* The reps who rejected a lead: rep_id, last rejected_at.  Cached: do
 * not finalize; lead_reset when done. */
struct lead_stmt *lead_team_rejecters(struct lead_conn *db, int64_t lead);
/* When a rep last rejected a lead, into at ("" if never). */
void lead_team_rejected_at(struct lead_conn *db, int64_t lead, int64_t rep,
    char at[LEAD_TIME_LEN]);
/* The leads to assign: id, email, grade, dnc_email, dnc_phone, country,
 * region, domain, stage, owner's name; listed: those in temp.pick,
 * else the unowned mql, best score first. */
struct lead_stmt *lead_team_to_assign(struct lead_conn *db, int listed);
/* temp.handed: the leads this run handed, for the sheet. */
void lead_team_handed_create(struct lead_conn *db);
/* Hand a lead to a rep: the owner, the assignment with its due time,
 * temp.handed, and the rep's turn. */
void lead_team_hand(struct lead_conn *db, int64_t lead, int64_t rep,
    const char *at, const char *due, const char *why, double pass);
/* Put the handed leads in temp.pick (lead_pick_create first). */
void lead_team_pick_handed(struct lead_conn *db);
/* The sheet of the handed leads, by rep: rep, rep_email, due, email,
 * name, company, title, phone, country, first_source, first_campaign,
 * last_source, last_campaign, score, grade, id, last_touches, why, dnc,
 * promises. */
struct lead_stmt *lead_team_sheet(struct lead_conn *db);

/* A lead's stage, owner, open assignment and phone do-not-contact. */
struct lead_owned_row {
	char stage[16];
	int64_t owner, assignment;
	int dnc_phone;
};
void lead_team_owned(struct lead_conn *db, int64_t lead,
    struct lead_owned_row *o);
/* A lead's grade, or NULL; the caller frees. */
char *lead_team_grade(struct lead_conn *db, int64_t lead);

/* An assignment accepted, rejected (and ended) or ended, at at. */
void lead_assignment_accept(struct lead_conn *db, int64_t id,
    const char *at);
void lead_assignment_reject(struct lead_conn *db, int64_t id,
    const char *at, const char *reason);
void lead_assignment_end(struct lead_conn *db, int64_t id, const char *at,
    const char *reason);
/* A lead owned by nobody. */
void lead_team_unown(struct lead_conn *db, int64_t lead, const char *at);

/* What is overdue at now: rep, email, assigned_at, due, late_s, score,
 * grade, stage, what; first touches past their SLA and promises past
 * their due time. */
struct lead_stmt *lead_team_overdue(struct lead_conn *db, const char *now);
/* The open leads of a rep's at a company domain. */
int64_t lead_team_account_open(struct lead_conn *db, int64_t rep,
    const char *domain);
/* The assignments past their SLA without a first touch: lead_id,
 * rep_id, assignment_id, manager, email, rep, country, region, domain,
 * by lead (taken whole before anything moves). */
struct lead_stmt *lead_team_late(struct lead_conn *db, const char *now);
/* The owned leads nobody in sales touched since since: id, email,
 * stage, owner's name, open assignment id. */
struct lead_stmt *lead_team_idle(struct lead_conn *db, const char *since);

#endif
