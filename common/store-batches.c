/*
 * store-batches.c: import batches, the undo images of the leads they
 * named, content seen before, and undo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-leads.h"

int64_t
lead_importer_batch_new(struct lead_importer *s, const struct lead_batch_row *b)
{
	struct lead_stmt *st = s->batch_new;

	lead_db_binds(st, 1, "bbbb", b->file, b->source, b->campaign, b->kind);
	if (b->have_cost)
		lead_bind_double(st, 5, b->cost);
	else
		lead_bind_null(st, 5);
	lead_db_binds(st, 6, "bbs", b->activity, b->options, b->at);
	lead_db_run(st);
	return lead_db_last_id(s->db);
}

void
lead_importer_batch_done(struct lead_importer *s, int64_t batch,
    const char *sha256, const struct lead_batch_counts *n)
{
	lead_db_binds(s->batch_done, 1, "siiiiiiii", sha256, (int64_t)n->read,
	    (int64_t)n->new, (int64_t)n->updated, (int64_t)n->unchanged,
	    (int64_t)n->merged, (int64_t)n->rejected, n->bytes, batch);
	lead_db_run(s->batch_done);
}

void
lead_importer_batch_touches(struct lead_importer *s, int64_t batch,
    int64_t act0)
{
	lead_bind_int64(s->act_range, 1, act0);
	lead_bind_int64(s->act_range, 2, batch);
	lead_db_run(s->act_range);
}

int
lead_importer_size_seen(struct lead_importer *s, int64_t bytes)
{
	int seen;

	lead_bind_int64(s->batch_size, 1, bytes);
	seen = lead_db_step(s->batch_size) == LEAD_ROW;
	lead_reset(s->batch_size);
	return seen;
}

int64_t
lead_importer_batch_same(struct lead_importer *s, const char *sha256,
    int64_t self, const char *options, const char *kind, char *at,
    size_t atlen)
{
	struct lead_stmt *st = s->batch_same;
	int64_t id = 0;

	lead_bind_text(st, 1, sha256, -1, LEAD_STATIC);
	lead_bind_int64(st, 2, self);
	lead_db_bind_text(st, 3, options);
	lead_db_bind_text(st, 4, kind);
	if (lead_db_step(st) == LEAD_ROW) {
		id = lead_column_int64(st, 0);
		snprintf(at, atlen, "%s", lead_column_text(st, 1));
	}
	lead_reset(st);
	return id;
}

void
lead_importer_batch_lead(struct lead_importer *s, int64_t batch,
    int64_t lead, const char *action, const char *before, const char *after)
{
	struct lead_stmt *st = s->bl_add;
	char k[24];

	/* Which leads have a row of the batch: an import's other rows for
	 * a lead it added (a new lead has none) need not ask. */
	if (lead_importer_reads_ahead(s)) {
		if (batch != s->bl_batch) {
			lead_strmap_free(&s->bl_leads);
			s->bl_batch = batch;
		}
		snprintf(k, sizeof k, "%lld", (long long)lead);
		*lead_strmap_put(&s->bl_leads, k) = 1;
	}
	if (s->ahead) {
		char b[24], l[24];
		const char *v[] = { b, l, action, before && *before ? before :
		    NULL, after && *after ? after : NULL };

		snprintf(b, sizeof b, "%lld", (long long)batch);
		snprintf(l, sizeof l, "%lld", (long long)lead);
		lead_db_bulk_row(s->db, s->b_bl, v, 5);
		return;
	}
	lead_db_binds(st, 1, "iisbb", batch, lead, action, before, after);
	lead_db_run(st);
}

int
lead_importer_batch_lead_extend(struct lead_importer *s, int64_t batch,
    int64_t lead, int n, const char *const *name, char *const *old,
    char *const *new)
{
	static const char images[] = "SELECT before, after FROM batch_lead "
	    "WHERE batch_id = ?1 AND lead_id = ?2";
	struct lead_stmt *st = s->bl_extend, *up = s->bl_updated,
	    *get = lead_db_cached(s->db, images);
	char path[64];
	int was_unchanged;

	snprintf(path, sizeof path, "%lld", (long long)lead);
	if (lead_importer_reads_ahead(s) && (batch != s->bl_batch ||
	    lead_strmap_get(&s->bl_leads, path) == NULL))
		return 0;

	lead_bind_int64(up, 1, batch);
	lead_bind_int64(up, 2, lead);
	lead_db_run(up);
	was_unchanged = lead_db_changes(s->db) > 0;
	/* A member added to each image: before keeps the first value,
	 * after takes the last (json_insert, json_set). */
	lead_db_binds(get, 1, "ii", batch, lead);
	if (lead_db_step(get) == LEAD_ROW) {
		struct lead_buf b = { 0 }, a = { 0 };
		char *before, *after;

		lead_buf_addc(&b, '{');
		lead_buf_addc(&a, '{');
		for (int i = 0; i < n; i++) {
			if (i) {
				lead_buf_addc(&b, ',');
				lead_buf_addc(&a, ',');
			}
			lead_buf_json(&b, name[i]);
			lead_buf_addc(&b, ':');
			lead_buf_json(&a, name[i]);
			lead_buf_addc(&a, ':');
			if (old[i])
				lead_buf_json(&b, old[i]);
			else
				lead_buf_adds(&b, "null");
			if (new[i])
				lead_buf_json(&a, new[i]);
			else
				lead_buf_adds(&a, "null");
		}
		lead_buf_addc(&b, '}');
		lead_buf_addc(&a, '}');
		before = lead_json_merge(lead_column_text(get, 0) ?
		    lead_column_text(get, 0) : "{}", b.s, LEAD_JSON_NULLS);
		after = lead_json_merge(lead_column_text(get, 1) ?
		    lead_column_text(get, 1) : "{}", a.s, LEAD_JSON_UPDATE |
		    LEAD_JSON_NULLS);
		/* (Images leadkit did not write are left as they are.) */
		if (before == NULL)
			before = lead_column_text(get, 0) ? lead_xstrdup(
			    lead_column_text(get, 0)) : NULL;
		if (after == NULL)
			after = lead_column_text(get, 1) ? lead_xstrdup(
			    lead_column_text(get, 1)) : NULL;
		lead_reset(get);
		lead_db_binds(st, 1, "iiss", batch, lead, before, after);
		lead_db_run(st);
		free(before);
		free(after);
		lead_buf_free(&b);
		lead_buf_free(&a);
	} else
		lead_reset(get);
	return was_unchanged;
}

struct lead_stmt *
lead_batch_sources(struct lead_conn *db)
{
	/* Each once, the last used first. */
	return lead_db_prepare(db, "SELECT source FROM batch WHERE source IS "
	    "NOT NULL AND command = 'lead-import' GROUP BY source ORDER BY "
	    "max(id) DESC");
}

struct lead_stmt *
lead_batch_list(struct lead_conn *db)
{
	return lead_db_prepare(db, "SELECT id, at, command, file, sha256, "
	    "source, campaign, kind, cost, activity, nread, nnew, nupdated, "
	    "nunchanged, nmerged, nrejected, undone_at FROM batch ORDER BY "
	    "id");
}

int
lead_batch_get(struct lead_conn *db, int64_t batch, char *command,
    size_t clen, char *undone, size_t ulen)
{
	struct lead_stmt *st = lead_db_prepare(db, "SELECT command, undone_at "
	    "FROM batch WHERE id = ?1");
	int found;

	lead_bind_int64(st, 1, batch);
	if ((found = lead_db_step(st) == LEAD_ROW)) {
		snprintf(command, clen, "%s", lead_column_text(st, 0));
		snprintf(undone, ulen, "%s", lead_column_text(st, 1) ?
		    lead_column_text(st, 1) : "");
	}
	lead_finalize(st);
	return found;
}

int64_t
lead_batch_busy(struct lead_conn *db, int64_t batch)
{
	return lead_db_int64(db, "SELECT count(*) FROM lead l WHERE "
	    "first_batch = ?1 AND (l.last_batch IS DISTINCT FROM ?1 OR "
	    "l.stage <> 'new' OR EXISTS (SELECT 1 FROM activity a WHERE "
	    "a.lead_id = l.id AND a.batch_id IS DISTINCT FROM ?1) OR EXISTS "
	    "(SELECT 1 FROM assignment s WHERE s.lead_id = l.id))", batch, 0);
}

/* Restore each column a batch changed, where it still holds what the
 * batch wrote (a later change wins over the undo).  The values are JSON
 * strings; a member that is there, even null, was changed. */
static char *
restore_sql(struct lead_conn *db)
{
	const struct lead_columns *c = lead_lead_columns();
	struct lead_buf b = { 0 };
	int pg = db->drv->dialect == LEAD_DIALECT_PG;

	lead_buf_adds(&b, "UPDATE lead SET ");
	for (size_t i = 0; i < c->n; i++) {
		const char *n = c->name[i];
		const char *type = lead_lead_column_integer(n) ? "BIGINT" :
		    "TEXT";

		if (pg)
			lead_buf_addf(&b, "%s%s = CASE WHEN (bl.before::jsonb "
			    "-> '%s') IS NOT NULL AND CAST(lead.%s AS TEXT) IS "
			    "NOT DISTINCT FROM bl.after::jsonb ->> '%s' THEN "
			    "CAST(bl.before::jsonb ->> '%s' AS %s) ELSE lead.%s "
			    "END", i ? ", " : "", n, n, n, n, n, type, n);
		else
			lead_buf_addf(&b, "%s%s = CASE WHEN json_type("
			    "bl.before, '$.%s') IS NOT NULL AND CAST(lead.%s AS "
			    "TEXT) IS json_extract(bl.after, '$.%s') THEN "
			    "json_extract(bl.before, '$.%s') ELSE lead.%s END",
			    i ? ", " : "", n, n, n, n, n, n);
	}
	lead_buf_adds(&b, " FROM batch_lead bl WHERE bl.batch_id = ?1 AND "
	    "bl.lead_id = lead.id AND bl.action IN ('updated', 'unchanged')");
	return lead_buf_take(&b);
}

static void
exec1(struct lead_conn *db, const char *sql, int64_t arg)
{
	struct lead_stmt *st = lead_db_prepare(db, sql);

	lead_bind_int64(st, 1, arg);
	lead_db_step(st);
	lead_finalize(st);
}

void
lead_batch_undo(struct lead_conn *db, int64_t b, const char *at,
    struct lead_undo *u)
{
	char *sql;

	u->removed = lead_db_int64(db, "SELECT count(*) FROM lead WHERE "
	    "first_batch = ?1", b, 0);
	u->restored = lead_db_int64(db, "SELECT count(*) FROM batch_lead "
	    "WHERE batch_id = ?1 AND action = 'updated'", b, 0);
	sql = restore_sql(db);
	exec1(db, sql, b);
	free(sql);
	exec1(db, "DELETE FROM batch_lead WHERE lead_id IN (SELECT id FROM "
	    "lead WHERE first_batch = ?1)", b);
	exec1(db, "DELETE FROM lead WHERE first_batch = ?1", b);
	exec1(db, "DELETE FROM lead_key WHERE batch_id = ?1", b);
	exec1(db, "DELETE FROM activity WHERE id BETWEEN (SELECT "
	    "first_activity FROM batch WHERE id = ?1) AND (SELECT "
	    "last_activity FROM batch WHERE id = ?1) AND batch_id = ?1", b);
	exec1(db, "DELETE FROM suppression WHERE batch_id = ?1", b);
	exec1(db, "DELETE FROM batch_lead WHERE batch_id = ?1", b);
	lead_db_do(db, "UPDATE batch SET undone_at = ?1 WHERE id = ?2", "si",
	    at, b);
}
