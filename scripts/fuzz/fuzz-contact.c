/*
 * libFuzzer driver: the contact protocol and cap formats of lead-log, and
 * checking a touch against whatever protocol parsed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lead.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *s = malloc(size + 1), *err, *why;
	struct lead_protocol p;
	struct lead_cap caps[16];
	struct lead_touch t = { .kind = "call", .note = "had a call" };

	memcpy(s, data, size);
	s[size] = '\0';
	if (lead_protocol_parse(&p, s, "fuzz") == 0) {
		why = lead_protocol_check(&p, &t);
		free(why);
		t.kind = "meeting";
		why = lead_protocol_check(&p, &t);
		free(why);
		lead_protocol_free(&p);
	}
	if (lead_caps_parse(s, caps, 16, &err) < 0)
		free(err);
	free(s);
	return 0;
}
