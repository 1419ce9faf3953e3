/*
 * libFuzzer driver: time and duration parsing, in either order of day and
 * month; a parsed time must format and parse back to itself.
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
	/* Either order of day and month: the same round trip, and a value
	 * the hint says only one order reads is not read by the other. */
	for (int o = LEAD_DATE_DMY; o <= LEAD_DATE_MDY; o++)
		if (lead_time_read(s, o, &t) == 0) {
			int sep, h = lead_time_order_hint(s, &sep);

			lead_time_format(t, buf);
			if (t >= -2208988800LL && t < 253402300800LL &&
			    (lead_time_parse(buf, &u) != 0 || u != t))
				abort();
			if (h > 0 && h != o)
				abort();
		}
	(void)lead_duration_parse(s, &d);
	free(s);
	return 0;
}
