/*
 * store-rules.h: rule sets, score runs, the scores they keep, and the
 * leads a --changed run picks (store-rules.c).
 */
#ifndef LEAD_STORE_RULES_H
#define LEAD_STORE_RULES_H

#include "lead.h"

/* The rule set stored with this SHA-256 (hex), or 0. */
int64_t lead_ruleset_find(struct lead_conn *db, const char *sha256);
/* Store a rule set; its id. */
int64_t lead_ruleset_add(struct lead_conn *db, const char *sha256,
    const char *text, const char *file, const char *at);
/* A cursor over the rule sets, oldest first: version, stored_at, file,
 * sha256, runs, first_run, last_run, current ("yes" for current). */
struct lead_stmt *lead_ruleset_history(struct lead_conn *db,
    int64_t current);

/* How far the last full or --changed run read: its time, its rules, and
 * its marks (the highest ids of activity, lead, batch, stage_history and
 * assignment), in the order of lead_pick_since. */
struct lead_scoremarks {
	char at[LEAD_TIME_LEN + 8];
	int64_t version;
	int marked;		/* 0: a run of an older leadkit, no marks */
	int64_t mark[5];
};
/* 1 and the marks, or 0 if there is no such run. */
int lead_scorerun_last(struct lead_conn *db, struct lead_scoremarks *m);
/* 1 if anything was undone since at, or activity ids went back below
 * the mark (an undone batch took its touches). */
int lead_score_undone_since(struct lead_conn *db, const char *at,
    int64_t activity_mark);
/* Add to the pick (lead_pick_create) every lead with a touch, an import,
 * a stage change other than lead-score's, or an assignment since the
 * marks; and the lead itself if new. */
void lead_pick_since(struct lead_conn *db, const int64_t mark[5]);
/* Add one lead to the pick. */
void lead_pick_add(struct lead_conn *db, int64_t id);

/* Start a run (scope: all, changed, list); its id. */
int64_t lead_scorerun_begin(struct lead_conn *db, int64_t version,
    const char *at, const char *scope);
/* End it: its counts, and the marks the next --changed run starts at. */
void lead_scorerun_end(struct lead_conn *db, int64_t run, long nscored,
    long nchanged, long npromoted);

/* A run's writes of changed scores, prepared once for the run. */
struct lead_scorewrite {
	struct lead_stmt *upd, *hist;
	struct lead_bulk *bupd, *bhist;	/* where the engine writes in bulk */
	int64_t run;
	const char *at;
};
void lead_scorewrite_open(struct lead_scorewrite *w, struct lead_conn *db,
    int64_t run, const char *at);
/* A lead's new score, fit and grade (hundredths; grade may be NULL):
 * on the lead, and kept for the run. */
void lead_scorewrite(struct lead_scorewrite *w, int64_t lead, int64_t score,
    int64_t fit, const char *grade);
void lead_scorewrite_close(struct lead_scorewrite *w);

/* A lead's stored score, as --explain compares it. */
struct lead_stored_score {
	int64_t id;		/* 0: no such lead */
	int has;		/* scored at all */
	int64_t score;		/* hundredths */
	char at[LEAD_TIME_LEN + 8];	/* scored_at, or "" */
	int64_t version;	/* the rules of its last kept score, or 0 */
};
void lead_score_stored(struct lead_conn *db, int64_t lead,
    struct lead_stored_score *s);

/* The scan's cursors (score.c): the leads to score (all, or the
 * pick), by id: id, email, stage, owner_id, score, fit, grade, then the
 * rules' field expressions (lead_slot.sql); their touches of these
 * kinds, by lead: lead_id, ts, kind, then each event field f for the
 * kinds fkinds[f] whose rules read it (NULL otherwise); and, for a pass
 * of its own, every touch of these kinds with the fields in the mask. */
struct lead_stmt *lead_scan_leads(struct lead_conn *db, int pick,
    const struct lead_strv *exprs);
struct lead_stmt *lead_scan_touches(struct lead_conn *db, int pick,
    const struct lead_strv *kinds, const struct lead_strv *fkinds);
struct lead_stmt *lead_scan_where_touches(struct lead_conn *db,
    const char *const *kinds, size_t nkinds, unsigned fields);

#endif
