/*
 * libFuzzer driver: the rule language of lead-score (lead-rules.5), and
 * evaluating whatever parsed against a lead and a touch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lead.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Every other name is known, so both paths of the checks run. */
static int
known(void *ctx, int what, const char *name)
{
	(void)ctx;
	return (what + (int)strlen(name)) % 2;
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char *const ev[LEAD_EV_NFIELDS] = { "web", "alice",
	    "/pricing", "connected", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
	    NULL, "2026-11-22T09:30:00Z", "1,000+" };
	char *s = malloc(size + 1);
	struct lead_rules r;
	const char **vals;

	memcpy(s, data, size);
	s[size] = '\0';
	if (lead_rules_parse(&r, s, "fuzz", size % 3 ? known : NULL,
	    NULL) == 0) {
		vals = calloc(r.nslot + 1, sizeof *vals);
		for (size_t i = 0; i < r.nslot; i++)
			vals[i] = i % 3 == 0 ? "VP Sales" : i % 3 == 1 ?
			    "200-499" : NULL;
		for (size_t i = 0; i < r.nrule; i++)
			if (r.rule[i].cond)
				lead_cond_eval(r.rule[i].cond,
				    r.rule[i].type == LEAD_RULE_FIT ? vals :
				    (const char *const *)ev);
		for (size_t i = 0; i < r.nmql; i++)
			lead_cond_eval(r.mql[i].cond, vals);
		free(vals);
		lead_rules_free(&r);
	}
	free(s);
	return 0;
}
