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

/* What follows the last '@' of an address (all of it if there is none),
 * in SQL both engines take: rtrim(e, every character but '@') leaves
 * the address up to its last '@'.  (SQLite has instr(), PostgreSQL
 * strpos() and split_part(); neither has the other's.) */
#define LEAD_EMAIL_DOMAIN_SQL(e) "substr(" e ", length(rtrim(" e ", " \
	"replace(" e ", '@', ''))) + 1)"

#endif
