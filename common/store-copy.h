/*
 * store-copy.h: a database copied whole into another (lead-import
 * --copy).
 */
#ifndef LEAD_STORE_COPY_H
#define LEAD_STORE_COPY_H

#include "lead.h"

/* The tables, in an order the foreign keys allow. */
extern const char *const lead_copy_tables[];
extern const size_t lead_ncopy_tables;

/* The rows of a table (of meta, its salt). */
int64_t lead_copy_count(struct lead_conn *db, const char *table);
/* The rows of src that name a row not there (table, rowid, the table
 * named), as a foreign key would refuse them on the copy's side: on a
 * file whose rows were deleted by hand (the sqlite3 shell does not
 * check the keys); NULL where the engine checks its keys itself. */
struct lead_stmt *lead_copy_orphans(struct lead_conn *src);
/* Copy the table's rows from src into dst, ids and all; the rows read. */
int64_t lead_copy_table(struct lead_conn *src, struct lead_conn *dst,
    const char *table);

#endif
