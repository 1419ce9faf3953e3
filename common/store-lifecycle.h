/*
 * store-lifecycle.h: what the lifecycle policy (lifecycle.c) reads, and
 * the stage move every command makes (store-lifecycle.c).
 */
#ifndef LEAD_STORE_LIFECYCLE_H
#define LEAD_STORE_LIFECYCLE_H

#include "lead.h"

/* The lead of a (normalized) email; 0 if none. */
int64_t lead_store_by_email(struct lead_conn *db, const char *email);
/* The email ("" if none; n bytes) and whether it was forgotten of lead
 * id; 0 if there is no such lead. */
int lead_store_lead_ref(struct lead_conn *db, int64_t id, char *email,
    size_t n, int *forgotten);
/* The first source key of a lead, "SYSTEM KEY"; 0 if it has none. */
int lead_store_first_key(struct lead_conn *db, int64_t id, char *out,
    size_t n);
/* The leads whose source key is key (in system sys, or any): their ids
 * in ids[0..2), the count (2 means two or more). */
int lead_store_key_leads(struct lead_conn *db, const char *sys,
    const char *key, int64_t ids[2]);
/* 1 if the lead did something of its own (lead_behavior_sql) after
 * since and by now. */
int lead_store_behaved(struct lead_conn *db, int64_t lead, const char *since,
    lead_time now);

#endif
