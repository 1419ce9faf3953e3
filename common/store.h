/*
 * store.h: what the store's files (store-*.c) share and nothing else
 * includes: SQL fragments over the lead table.
 */
#ifndef LEAD_STORE_H
#define LEAD_STORE_H

/* The channels blocked, in SQL over a lead row: what lead_dnc_text
 * says. */
#define LEAD_DNC_SQL "CASE WHEN dnc_email AND dnc_phone THEN 'email, " \
	"phone' WHEN dnc_email THEN 'email' WHEN dnc_phone THEN 'phone' END"

#endif
