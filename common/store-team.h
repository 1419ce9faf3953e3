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

/*
 * Handing over many leads at once (assign).  Where a statement a lead
 * costs a round trip (a server: the engine takes bulk writes), the
 * rejecters of every lead to assign are read at once when it opens, and
 * what a hand-off writes is held and written in bulk (driver.h): the
 * assignments copied in with the ids the table would draw, the owners
 * and the reps' turns through staging tables, the handed rows copied;
 * the stage moves are held and made after them (a statement writes
 * what the bulks hold first).  Elsewhere (SQLite) each call runs its
 * statements there and then.
 */
struct lead_rejecter {
	int64_t rep;
	char at[LEAD_TIME_LEN];	/* when the rep last rejected the lead */
};
struct lead_stagemove;
struct lead_handing {
	struct lead_conn *db;
	struct lead_bulk *b_asg, *b_owner, *b_handed, *b_turn;
	int64_t next_asg;	/* the id of the next assignment copied in */
	int64_t nturn;		/* turns staged: the last of a rep's wins */
	int ahead;		/* the rejecters were read at open */
	struct lead_map rej;	/* lead id: its rejecters' span in r */
	struct lead_rejecter *r;
	size_t nr, capr;
	struct lead_stagemove *mv;	/* stage moves held */
	size_t nmv;
};
/* Open for the leads lead_team_to_assign(db, listed) will list (temp.pick
 * filled, temp.handed made), inside the write transaction; no statement
 * adds an assignment until lead_handing_close. */
void lead_handing_open(struct lead_handing *h, struct lead_conn *db,
    int listed);
/* The reps who rejected a lead, each with when it last did: how many,
 * and *r at them (until the next call). */
size_t lead_handing_rejecters(struct lead_handing *h, int64_t lead,
    const struct lead_rejecter **r);
/* Hand a lead to a rep, as lead_team_hand; a lead once at most. */
void lead_handing_hand(struct lead_handing *h, int64_t lead, int64_t rep,
    const char *at, const char *due, const char *why, double pass);
/* Move a handed lead's stage, as lead_stage_set (no touch, no batch). */
void lead_handing_stage(struct lead_handing *h, int64_t lead,
    const char *from, const char *to, const char *actor, const char *reason,
    const char *at);
/* Make the stage moves still held, and let go of what was read; what
 * the bulks hold is written before the connection's next statement. */
void lead_handing_close(struct lead_handing *h);

/* Put the handed leads in temp.pick (lead_pick_create first). */
void lead_team_pick_handed(struct lead_conn *db);
/* The handed leads that ever moved to nurture, the only ones that may
 * have come back from sales (lead_returns): their ids, keys of set (a
 * lead_map of int64_t, size 0). */
void lead_team_handed_nurtured(struct lead_conn *db, struct lead_map *set);
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
