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
/* Copy the table's rows from src into dst, ids and all; the rows read. */
int64_t lead_copy_table(struct lead_conn *src, struct lead_conn *dst,
    const char *table);

#endif
