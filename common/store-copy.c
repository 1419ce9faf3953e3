/*
 * store-copy.c: a whole leadkit database copied into another, of either
 * engine (SQLite to PostgreSQL when a team moves to a server, and back),
 * row for row with its ids, then verified by counting both.
 *
 * The two schemas have the same tables and columns in the same order
 * (drv-pg.c builds its own to match), so a row is read with SELECT *
 * and written by the names the source gives its columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-copy.h"

/* In an order the foreign keys allow. */
const char *const lead_copy_tables[] = {
	"batch", "rep", "rep_version", "lead", "lead_key", "batch_lead",
	"suppression", "activity", "stage_history", "assignment", "rule_set",
	"score_run", "lead_score", "setting", "meta",
};
const size_t lead_ncopy_tables = sizeof lead_copy_tables /
    sizeof *lead_copy_tables;

int64_t
lead_copy_count(struct lead_conn *db, const char *table)
{
	char sql[96];
	int64_t n;
	struct lead_stmt *st;

	/* The salt is the database's own; the version is the engine's. */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s%s", table,
	    strcmp(table, "meta") == 0 ? " WHERE key = 'email_salt'" : "");
	st = lead_db_prepare(db, sql);
	lead_db_step(st);
	n = lead_column_int64(st, 0);
	lead_finalize(st);
	return n;
}

struct lead_stmt *
lead_copy_orphans(struct lead_conn *src)
{
	if (src->drv->dialect == LEAD_DIALECT_PG)
		return NULL;
	return lead_db_prepare(src, "PRAGMA foreign_key_check");
}

/* "table (col, ...)": the table and the source's columns. */
static void
table_cols(struct lead_buf *b, const char *table, struct lead_stmt *src)
{
	int n = lead_column_count(src);

	lead_buf_addf(b, "%s (", table);
	for (int i = 0; i < n; i++) {
		char *id = lead_db_ident(lead_column_name(src, i));

		lead_buf_addf(b, "%s%s", i ? ", " : "", id);
		free(id);
	}
	lead_buf_adds(b, ")");
}

/* The INSERT of a row of the table, named as the source's columns. */
static struct lead_stmt *
insert_for(struct lead_conn *dst, const char *table, struct lead_stmt *src)
{
	struct lead_buf b = { 0 };
	int n = lead_column_count(src);
	struct lead_stmt *st;

	lead_buf_adds(&b, "INSERT INTO ");
	table_cols(&b, table, src);
	lead_buf_adds(&b, " VALUES (");
	for (int i = 0; i < n; i++)
		lead_buf_addf(&b, "%s?%d", i ? ", " : "", i + 1);
	lead_buf_adds(&b, ")");
	/* meta has a salt of the new database's own: the source's wins
	 * (the hashes of forgotten addresses were made with it). */
	if (strcmp(table, "meta") == 0)
		lead_buf_adds(&b, " ON CONFLICT (key) DO UPDATE SET value = "
		    "excluded.value");
	st = lead_db_prepare(dst, b.s);
	lead_buf_free(&b);
	return st;
}

/* A row into the bulk, its values as text: a REAL with the digits that
 * give it back exactly (SQLite's own text of it keeps 15). */
static void
bulk_row(struct lead_conn *dst, struct lead_bulk *bk, struct lead_stmt *rd,
    const char *table, int nc)
{
	const char *v[64];
	char num[64][32];

	if (nc > 64)
		lead_die(LEAD_EX_SOFTWARE, "--copy: a table of %d columns", nc);
	for (int i = 0; i < nc; i++)
		switch (lead_column_type(rd, i)) {
		case LEAD_NULL:
			v[i] = NULL;
			break;
		case LEAD_FLOAT:
			snprintf(num[i], sizeof num[i], "%.17g",
			    lead_column_double(rd, i));
			v[i] = num[i];
			break;
		default:
			v[i] = lead_column_text(rd, i);
			/* A NUL inside would cut the text short here;
			 * the server refuses it in any case. */
			if (v[i] && strlen(v[i]) != (size_t)lead_column_bytes(rd,
			    i))
				lead_die(LEAD_EX_RUNTIME, "--copy: %s: a %s.%s "
				    "holds a NUL byte, which the copy cannot "
				    "store; nothing copied",
				    lead_db_name(rd->conn), table,
				    lead_column_name(rd, i));
		}
	lead_db_bulk_row(dst, bk, v, nc);
}

/* The row read into the INSERT, each value as its type. */
static void
insert_row(struct lead_stmt *wr, struct lead_stmt *rd, int nc)
{
	for (int i = 0; i < nc; i++)
		switch (lead_column_type(rd, i)) {
		case LEAD_NULL:
			lead_bind_null(wr, i + 1);
			break;
		case LEAD_INTEGER:
			lead_bind_int64(wr, i + 1, lead_column_int64(rd, i));
			break;
		case LEAD_FLOAT:
			lead_bind_double(wr, i + 1, lead_column_double(rd, i));
			break;
		default:
			lead_bind_text(wr, i + 1, lead_column_text(rd, i),
			    lead_column_bytes(rd, i), LEAD_TRANSIENT);
		}
	lead_db_run(wr);
}

/* Where the copy's engine writes in bulk (PostgreSQL: COPY), the rows go
 * in that way, but for meta's one row, which meets the new database's
 * own; elsewhere a statement a row. */
int64_t
lead_copy_table(struct lead_conn *src, struct lead_conn *dst,
    const char *table)
{
	char sql[96];
	struct lead_stmt *rd, *wr = NULL;
	struct lead_bulk *bk = NULL;
	int64_t n = 0;
	int bulk = strcmp(table, "meta") != 0;

	snprintf(sql, sizeof sql, "SELECT * FROM %s%s", table,
	    strcmp(table, "meta") == 0 ? " WHERE key = 'email_salt'" : "");
	rd = lead_db_scan(src, sql);
	while (lead_db_step(rd) == LEAD_ROW) {
		int nc = lead_column_count(rd);

		if (bulk && bk == NULL) {
			struct lead_buf b = { 0 };

			table_cols(&b, table, rd);
			bk = lead_db_bulk(dst, b.s, NULL);
			lead_buf_free(&b);
			bulk = bk != NULL;
		}
		if (bk)
			bulk_row(dst, bk, rd, table, nc);
		else {
			if (wr == NULL)
				wr = insert_for(dst, table, rd);
			insert_row(wr, rd, nc);
		}
		n++;
	}
	lead_finalize(rd);
	lead_finalize(wr);
	return n;
}
