/*
 * leads.c: leads: a filtered lead list, its columns chosen.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char default_columns[] = "email,first_name,last_name,company,"
	"title,country,source,campaign,stage,owner,score,grade,created_at,dnc";

/* 1 if a field holds a number. */
static int
numeric_slot(const struct lead_slot *s)
{
	return s->type == LEAD_SLOT_SCORE || s->type == LEAD_SLOT_FIT ||
	    s->type == LEAD_SLOT_BEHAVIOR || (s->type == LEAD_SLOT_COLUMN &&
	    (!strcmp(s->name, "id") || !strcmp(s->name, "days_in_stage") ||
	    !strcmp(s->name, "touches")));
}

int
report_leads(struct report_ctx *ctx)
{
	const struct report_opts *opt = ctx->opt;
	char *list = lead_xstrdup(opt->columns ? opt->columns :
	    default_columns), *p, *save = NULL;
	struct col *cols;
	int *slot = NULL;
	size_t nc = 0, cap = 0;
	struct lead_stmt *st;
	const char **vals, **row;
	int rc, maxcol = lead_db_max_columns(ctx->db);

	/* Any number of columns, a field named again read once: the lead
	 * query has one result column per field, and SQLite a limit. */
	for (p = strtok_r(list, ",", &save); p; p = strtok_r(NULL, ",",
	    &save)) {
		int s;

		p = lead_trim(p);
		if (*p == '\0')
			continue;
		if ((s = lead_where_field(&ctx->fields, p, "--columns",
		    lead_rules_known, ctx->db, lead_report_fields)) < 0)
			lead_die(LEAD_EX_USAGE, "--columns: nothing printed");
		if (ctx->fields.nslot >= (size_t)maxcol)
			lead_die(LEAD_EX_USAGE, "--columns: more than %d "
			    "different fields", maxcol - 1);
		if (nc == cap) {
			cap = cap ? 2 * cap : 32;
			slot = lead_xrealloc(slot, cap * sizeof *slot);
		}
		slot[nc++] = s;
	}
	free(list);
	if (nc == 0)
		lead_die(LEAD_EX_USAGE, "--columns: no column named");
	cols = lead_xcalloc(nc, sizeof *cols);
	row = lead_xcalloc(nc, sizeof *row);
	for (size_t i = 0; i < nc; i++) {
		cols[i].name = ctx->fields.slot[slot[i]].name;
		cols[i].num = numeric_slot(&ctx->fields.slot[slot[i]]);
	}
	emit_begin(ctx, "leads", cols, nc, "score", 1, 0, 1);
	vals = lead_xcalloc(ctx->fields.nslot + 1, sizeof *vals);
	st = cohort_query(ctx, LEAD_RQ_ID, LEAD_RQ_WINDOW | LEAD_RQ_LIVE |
	    LEAD_RQ_ORDER);
	while (lead_db_step(st) == LEAD_ROW) {
		slot_vals(ctx, st, 1, vals);
		if (ctx->where_on &&
		    !lead_cond_eval(ctx->fields.mql[0].cond, vals))
			continue;
		for (size_t i = 0; i < nc; i++)
			row[i] = vals[slot[i]];
		emit_row(ctx, row);
	}
	lead_finalize(st);
	free(vals);
	rc = emit_end(ctx);
	free(row);
	free(cols);
	free(slot);
	return rc;
}
