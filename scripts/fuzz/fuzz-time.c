/*
 * libFuzzer driver: time and duration parsing; a parsed time must format
 * and parse back to itself.
 */
#include <stdlib.h>
#include <string.h>

#include "lead.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *s = malloc(size + 1), buf[LEAD_TIME_LEN];
	lead_time t, u;
	int64_t d;

	memcpy(s, data, size);
	s[size] = '\0';
	if (lead_time_parse(s, &t) == 0) {
		lead_time_format(t, buf);
		if (t >= -2208988800LL && t < 253402300800LL &&
		    (lead_time_parse(buf, &u) != 0 || u != t))
			abort();
	}
	(void)lead_duration_parse(s, &d);
	free(s);
	return 0;
}
