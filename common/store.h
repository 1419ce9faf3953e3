/*
 * store.h: what the store's files (store-*.c) share and nothing else
 * includes: SQL fragments over the lead table.
 */
#ifndef LEAD_STORE_H
#define LEAD_STORE_H

/* The channels blocked, in SQL over a lead row: what lead_dnc_text
 * says. */
#define LEAD_DNC_SQL "CASE WHEN dnc_email <> 0 AND dnc_phone <> 0 THEN " \
	"'email, phone' WHEN dnc_email <> 0 THEN 'email' WHEN dnc_phone <> 0 " \
	"THEN 'phone' END"

/* What follows the '@' of an address (all of it if there is none).
 * PostgreSQL has strpos() for SQLite's instr(); leadkit's schema there
 * has an instr() that the planner inlines (drv-pg.c). */
#define LEAD_EMAIL_DOMAIN_SQL(e) "substr(" e ", instr(" e ", '@') + 1)"

#endif
