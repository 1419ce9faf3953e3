/*
 * store-touches.h: the touches of the leads (the activity table), as
 * lead-log reads and writes them.
 *
 * A touch's identity is all of it: the fingerprint (activity.fp) finds
 * the candidates, the fields decide.  What a bulk log does per record
 * (find the lead, look for the touch, add it) runs statements prepared
 * once, in struct lead_touches; the listings (show, todo) are cursors.
 */
#ifndef LEAD_STORE_TOUCHES_H
#define LEAD_STORE_TOUCHES_H

#include "lead.h"

/* The most contact caps a database keeps. */
#define LEAD_TOUCH_MAXCAPS 16

/* The statements of logging, prepared once. */
/* A lead as a touch sees it: its stage and do-not-contact flags. */
struct lead_touchlead {
	int64_t id;
	char stage[16];
	int dnc_email, dnc_phone;
	/* 0 if it has no open assignment without a first touch (known),
	 * 1 if it may have one. */
	int untouched;
};

struct lead_knowntouch;

struct lead_touches {
	struct lead_stmt *by_email, *by_id, *create, *add, *exists;
	struct lead_stmt *unsubscribe, *first_touch;
	struct lead_stmt *capcount[LEAD_TOUCH_MAXCAPS];
	int ncaps;
	/* Where a statement costs a round trip (a server): the leads of
	 * the records ahead, by email (lead_touches_ahead), kept as the
	 * log changes them, for the windows after too. */
	int ahead;
	struct lead_strmap ahead_email;	/* email: row + 1; -1: none */
	struct lead_map ahead_id;	/* id: row (a size_t) */
	struct lead_touchlead *rows;
	/* The time of each row's latest touch ("" none): a pair of the
	 * lead at a later time holds no touch, and is not read. */
	char (*last)[LEAD_TIME_LEN];
	size_t nrows, caprows;
	/* And every touch of the (lead, time) pairs of those records,
	 * "lead ts" in covered; the touches by "lead ts kind fp" in known
	 * (index + 1 into kt), kept as the log adds to them.  A new touch
	 * of a covered pair is decided here and copied in (b_act) with
	 * the id next_act. */
	struct lead_strmap covered, known;
	struct lead_knowntouch *kt;
	size_t nkt, capkt;
	struct lead_bulk *b_act;
	int64_t next_act;
};

/* 1 if lead_touches_ahead does anything here. */
int lead_touches_reads_ahead(const struct lead_touches *s);
/* Read the leads of these emails at once, for lead_touches_lead_email to
 * answer from until the next call, and their touches at ts[i] (an entry
 * NULL: none; ts NULL: no times), for lead_touches_add to decide; none
 * ends it. */
void lead_touches_ahead(struct lead_touches *s, char *const *emails,
    char *const *ts, size_t n);
/* The log moved a lead's stage (lead_stage_set): keep what was read
 * ahead true. */
void lead_touches_staged(struct lead_touches *s, int64_t lead,
    const char *stage);

/* Prepare the statements of logging, with a count of the lead's touches
 * for each of the ncaps caps (at most LEAD_TOUCH_MAXCAPS). */
void lead_touches_open(struct lead_touches *s, struct lead_conn *db,
    const struct lead_cap *caps, int ncaps);
void lead_touches_close(struct lead_touches *s);

/* The lead of a normalised email, of a leadkit id: 1 and *l, or 0 if
 * there is none. */
int lead_touches_lead_email(struct lead_touches *s, const char *email,
    struct lead_touchlead *l);
int lead_touches_lead_id(struct lead_touches *s, int64_t id,
    struct lead_touchlead *l);
/* A new lead of an email (domain NULL: none kept), first seen at
 * created, made by batch (0: none) at now.  Its id. */
int64_t lead_touches_lead_new(struct lead_touches *s, const char *email,
    const char *domain, const char *source, int64_t batch,
    const char *created, const char *now);

/* Is this very touch of the lead, at ts, stored (amount NULL: none)?  1
 * yes, 0 no; *fp the fingerprint it has, or would have. */
int lead_touches_find(struct lead_touches *s, int64_t lead,
    const struct lead_touch *t, const char *ts, const double *amount,
    int64_t *fp);
/* Store the touch unless this very touch is stored (lead_touches_find),
 * in batch (0: none).  Its activity id, or 0 if it was there before. */
int64_t lead_touches_add(struct lead_touches *s, int64_t lead,
    const struct lead_touch *t, const char *ts, const double *amount,
    int64_t batch);
/* The lead unsubscribed at ts: no more email (a flag set once). */
void lead_touches_unsubscribe(struct lead_touches *s, int64_t lead,
    const char *ts);
/* The rep actor (a name, any case, or an email) touched the lead at ts:
 * the first touch of the open assignment to that rep made before ts,
 * if it has none yet. */
void lead_touches_first(struct lead_touches *s,
    const struct lead_touchlead *lead, const char *actor, const char *ts);
/* The lead's touches counted by cap i (its channel's kinds) in the
 * window (from, to]. */
long lead_touches_capped(struct lead_touches *s, int i, int64_t lead,
    const char *from, const char *to);

/* The batch of one event file. */
struct lead_logbatch {
	int64_t id;
	int64_t act0;		/* the last activity id before it */
	long nread, nnew, nunchanged, nmerged, nrejected;
	int64_t bytes;
};
/* Start the batch of a file (file, source and kind may be NULL) at at:
 * b->id and b->act0 set. */
void lead_logbatch_open(struct lead_conn *db, struct lead_logbatch *b,
    const char *file, const char *source, const char *kind, const char *at);
/* Keep the counts of the batch and the range of touches it added. */
void lead_logbatch_close(struct lead_conn *db, const struct lead_logbatch *b);

/* The profile of lead id (caller finalizes; one row, or none): email,
 * name, title, company, phone, country, first source, first campaign,
 * since, stage, owner, score, grade, dnc_email, dnc_phone, the last
 * promise, the latest list, the content it has seen. */
#define LEAD_PROFILE_NCOLS 18
struct lead_stmt *lead_touches_profile(struct lead_conn *db, int64_t id);
/* The timeline of lead id, oldest first (caller finalizes): at, event,
 * kind, detail, actor. */
struct lead_stmt *lead_touches_timeline(struct lead_conn *db, int64_t id);
/* The promises still owed, by rep (NULL: all), the ones due first
 * (caller finalizes): rep, email, lead id, promised at, next step, due,
 * stage. */
struct lead_stmt *lead_touches_promises(struct lead_conn *db, const char *rep);

#endif
