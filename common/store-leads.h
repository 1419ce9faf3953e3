/*
 * store-leads.h: leads and their keys, as an import reads and writes
 * them (store-leads.c); import batches, their undo images and undo
 * (store-batches.c); the suppression list and erasure (store-optouts.c).
 */
#ifndef LEAD_STORE_LEADS_H
#define LEAD_STORE_LEADS_H

#include "lead.h"

/* A lead as read from the database, or as it will be written. */
struct lead_leadrow {
	int64_t id;
	char *v[LF_NFIELDS];	/* by field; NULL is blank */
	char *domain;
	char *attrs;		/* JSON object */
	int64_t last_batch;
	int dnc_email, dnc_phone;
	char *dnc_reason, *dnc_at;
};
void lead_leadrow_free(struct lead_leadrow *l);

/*
 * The columns of a lead an import writes, undo restores and --forget
 * erases, all from one table: the stored fields of lead_lead_fields
 * (colmap.c: name, header aliases, LEAD_FIELD_PERSONAL), then the
 * columns leadkit keeps of its own (domain, attrs, last_batch, the
 * do-not-contact flags).  A new lead field is a line of that table and a
 * column in a migration.
 */
struct lead_columns {
	size_t n, nfields;		/* all; the first nfields are fields */
	const char *name[LF_NFIELDS + 8];
	int field[LF_NFIELDS + 8];	/* LF_*, or -1 */
};
const struct lead_columns *lead_lead_columns(void);
/* 1 if the column of lead_lead_columns() holds an integer. */
int lead_lead_column_integer(const char *name);

/* The statements of an import, prepared once for all its records. */
struct lead_importer {
	struct lead_conn *db;
	struct lead_stmt *batch_new, *batch_done, *batch_same, *batch_size;
	struct lead_stmt *by_email, *by_id, *by_key;
	struct lead_stmt *insert, *update, *touch;
	struct lead_stmt *key_add, *bl_add, *bl_extend, *bl_updated;
	struct lead_stmt *act_add, *act_joined, *act_join, *act_range;
	struct lead_stmt *sup_add, *sup_flag;
	/*
	 * Where the engine writes in bulk (PostgreSQL): the leads, keys
	 * and opt-outs of the records ahead, read at once
	 * (lead_importer_ahead), and what the import writes, held and
	 * written together.  ahead: the maps answer for the records they
	 * were read for, and for what the import wrote since.
	 */
	struct lead_bulk *b_insert, *b_update, *b_named, *b_bl, *b_key,
	    *b_act;
	int ahead;
	struct lead_strmap by_email_ahead;	/* email: row + 1; -1 none */
	struct lead_strmap by_id_ahead;		/* "id": row + 1 */
	struct lead_strmap by_key_ahead;	/* key: lead id; -1 none */
	struct lead_strmap optout_asked;	/* emails asked about */
	struct lead_strmap optout_ahead;	/* email or hash: row + 1 */
	struct lead_optrow { char *email, *channel, *reason; } *optrows;
	size_t noptrows;
	char *key_system;
	struct lead_leadrow *rows;
	size_t nrows, caprows;
	int64_t next_id, seq;
	int idknown;		/* next_id is read: until reading ahead ends */
	/* 1: lead was empty when first read and every email written
	 * since is in written, so an email not there needs no lookup;
	 * -1: it held leads; 0: not read yet. */
	int fresh;
	struct lead_bloom written;
	struct lead_strmap bl_leads;	/* leads with a batch_lead row of */
	int64_t bl_batch;		/* this batch (or more) */
};
void lead_importer_open(struct lead_importer *s, struct lead_conn *db);
void lead_importer_close(struct lead_importer *s);

/*
 * Where the engine writes in bulk, read the leads the next records name
 * (their emails, and their keys of system) in one query each, so that
 * the calls below answer without a round trip a record, and write in
 * bulk, until the next call.  Elsewhere (SQLite) it does nothing; with
 * no emails and no keys it ends reading ahead.
 */
void lead_importer_ahead(struct lead_importer *s, char *const *emails,
    size_t nemails, const char *system, char *const *keys, size_t nkeys,
    int optouts);
/* 1 if lead_importer_ahead does anything here. */
int lead_importer_reads_ahead(const struct lead_importer *s);
/* lead_optout_find, from what was read ahead where it was. */
int lead_importer_optout(struct lead_importer *s, const char *email,
    char **reason);

/* The lead with this email, or this id: 1 and *l, or 0. */
int lead_importer_by_email(struct lead_importer *s, const char *email,
    struct lead_leadrow *l);
int lead_importer_by_id(struct lead_importer *s, int64_t id,
    struct lead_leadrow *l);
/* The lead a source key names, or 0. */
int64_t lead_importer_by_key(struct lead_importer *s, const char *system,
    const char *key);
/* Insert a new lead unless its email is known: its id, or 0. */
int64_t lead_importer_insert(struct lead_importer *s,
    const struct lead_leadrow *r, int64_t batch, const char *now);
/* Write a known lead back, and the batch that last named it. */
void lead_importer_update(struct lead_importer *s,
    const struct lead_leadrow *l, int64_t batch, const char *now);
/* Only the batch that last named it (the lead is unchanged). */
void lead_importer_named(struct lead_importer *s, int64_t lead,
    int64_t batch);
/* Keep a source key for a lead (a key already kept stays). */
void lead_importer_key_add(struct lead_importer *s, const char *system,
    const char *key, int64_t lead, int64_t batch);
/* A lead's current stage; the caller frees. */
char *lead_lead_stage(struct lead_conn *db, int64_t lead);
/* Give an unowned open lead to a rep, with an assignment that says why:
 * 1, or 0 if it was owned or closed. */
int lead_lead_own(struct lead_conn *db, int64_t lead, int64_t rep,
    const char *at, const char *reason);

/* The list as a touch of its lead (again: the lead had a row of this
 * batch, whose touch takes the first time and the summed minutes). */
struct lead_list_touch {
	int64_t lead, batch, fp;
	const char *ts, *kind, *channel, *content;
	double minutes;		/* < 0: none */
};
void lead_importer_touch(struct lead_importer *s,
    const struct lead_list_touch *t, int again);
/* The highest touch id (0 if none). */
int64_t lead_touch_max_id(struct lead_conn *db);

/* ---- store-batches.c ---------------------------------------------------- */

/* A new import batch: its id. */
struct lead_batch_row {
	const char *file, *source, *campaign, *kind, *activity, *options;
	const char *at;
	int have_cost;
	double cost;
};
int64_t lead_importer_batch_new(struct lead_importer *s,
    const struct lead_batch_row *b);
/* Its counts and hash once read. */
struct lead_batch_counts {
	long read, new, updated, unchanged, merged, rejected;
	int64_t bytes;
};
void lead_importer_batch_done(struct lead_importer *s, int64_t batch,
    const char *sha256, const struct lead_batch_counts *n);
/* The touches of a batch are the ids above act0 that it added. */
void lead_importer_batch_touches(struct lead_importer *s, int64_t batch,
    int64_t act0);
/* 1 if a standing import had exactly this many bytes. */
int lead_importer_size_seen(struct lead_importer *s, int64_t bytes);
/* The standing batch (other than self) that imported this content read
 * the same way: its id and time (at, LEAD_TIME_LEN + 8), or 0. */
int64_t lead_importer_batch_same(struct lead_importer *s,
    const char *sha256, int64_t self, const char *options,
    const char *kind, char *at, size_t atlen);
/* A batch's undo images: action (new, updated, unchanged), and the
 * values it replaced and wrote (JSON objects, or NULL). */
void lead_importer_batch_lead(struct lead_importer *s, int64_t batch,
    int64_t lead, const char *action, const char *before,
    const char *after);
/* A later row of the batch for the same lead: add its changes (the
 * first old value stays); 1 if the lead was "unchanged" before. */
int lead_importer_batch_lead_extend(struct lead_importer *s, int64_t batch,
    int64_t lead, int n, const char *const *name, char *const *old,
    char *const *new);
/* The sources of earlier imports, newest first. */
struct lead_stmt *lead_batch_sources(struct lead_conn *db);
/* Every batch, by id: id, at, command, file, sha256, source, campaign,
 * kind, cost, activity, read, new, updated, unchanged, merged,
 * rejected, undone_at. */
struct lead_stmt *lead_batch_list(struct lead_conn *db);

/* Undo: what a batch is (0 no such batch; its command and undone_at
 * into the buffers), how many leads it created have a life since, and
 * the undo itself with its counts. */
int lead_batch_get(struct lead_conn *db, int64_t batch, char *command,
    size_t clen, char *undone, size_t ulen);
int64_t lead_batch_busy(struct lead_conn *db, int64_t batch);
struct lead_undo {
	int64_t removed, restored;
};
void lead_batch_undo(struct lead_conn *db, int64_t batch, const char *at,
    struct lead_undo *u);

/* ---- store-optouts.c ---------------------------------------------------- */

/* 1 if the suppression list has any entry. */
int lead_optouts_any(struct lead_conn *db);
/* An address on the suppression list, by channel (a second channel
 * makes it all). */
void lead_importer_suppress(struct lead_importer *s, const char *email,
    const char *channel, const char *reason, const char *at,
    int64_t batch);
/* A lead's do-not-contact flags. */
void lead_importer_dnc(struct lead_importer *s, int64_t lead, int email,
    int phone, const char *reason, const char *at, int64_t batch);
/* --forget: keep an address's opt-out by its hash only; 1 if the address
 * itself was on the list. */
int lead_optout_forget(struct lead_conn *db, const char *email,
    const char *hashed, const char *at);
/* 1 if an address's hash (salted, or the legacy unsalted one) is on the
 * list. */
int lead_optout_hashed(struct lead_conn *db, const char *hashed,
    const char *legacy);
/* Erase a lead: personal fields, free text about it, its keys.  The
 * anonymous row stays. */
void lead_lead_forget(struct lead_conn *db, int64_t lead, const char *at);

#endif
