/*
 * libFuzzer driver: lead-report's --columns and --where, parsed as the
 * command parses them (lead_where_parse, then lead_where_field for each
 * column, into one rule set) and evaluated against a few leads.  The
 * first line is the column list, the rest the condition (a newline in
 * it must be refused).
 */
#include <stdlib.h>
#include <string.h>

#include "store-reports.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);


/* Every other name is known, so both paths of the checks run. */
static int
known(void *ctx, int what, const char *name)
{
	(void)ctx;
	return (what + (int)strlen(name)) % 2;
}

/* Evaluate the condition with every slot given raw values of one kind. */
static void
eval(const struct lead_rules *r, const char *raw)
{
	const char **vals = calloc(r->nslot + 1, sizeof *vals);
	char (*buf)[32] = calloc(r->nslot + 1, sizeof *buf);

	for (size_t i = 0; i < r->nslot; i++)
		vals[i] = lead_slot_value(&r->slot[i], raw,
		    1795339800, buf[i]);
	for (size_t i = 0; i < r->nmql; i++)
		lead_cond_eval(r->mql[i].cond, vals);
	free(buf);
	free(vals);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char *const raws[] = { NULL, "", "VP Sales", "200-499",
	    "1,000+", "gmail.com", "2026-11-22T09:30:00Z", "73.5", "-12.25",
	    "A", "email, phone" };
	char *s = malloc(size + 1), *where, *col, *save = NULL;
	struct lead_rules r = { 0 };
	lead_rules_known_fn *k = size % 3 ? known : NULL;

	memcpy(s, data, size);
	s[size] = '\0';
	if ((where = strchr(s, '\n')) != NULL)
		*where++ = '\0';
	/* A condition that does not parse ends the command. */
	if (where && lead_where_parse(&r, where, "--where", k, NULL,
	    lead_report_fields) < 0)
		goto out;
	/* It parsed: one condition, on one line. */
	if (where && (r.nmql != 1 || strpbrk(where, "\r\n") != NULL))
		abort();
	for (col = strtok_r(s, ",", &save); col; col = strtok_r(NULL, ",",
	    &save)) {
		int slot;

		col = lead_trim(col);
		if (*col != '\0' && (slot = lead_where_field(&r, col,
		    "--columns", k, NULL, lead_report_fields)) >= 0 &&
		    (size_t)slot >= r.nslot)
			abort();
	}
	for (size_t i = 0; i < sizeof raws / sizeof *raws; i++)
		eval(&r, raws[i]);
out:
	lead_rules_free(&r);
	free(s);
	return 0;
}
