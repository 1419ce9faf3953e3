/*
 * libFuzzer driver: an event file as lead-log reads it: the reader
 * finding the table that names leads, the mapper with the event fields,
 * the order of day and month and the decimal mark decided from a sample
 * (the fields and the deciding are lead-log's own, from common/),
 * then each record's times and amount.  The first byte chooses the
 * dialect.  An amount whose own mark decides it (lead_money_mark) reads
 * the same whatever the column's mark.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-input.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* A field's value as lead-log takes it: trimmed, NULL if blank. */
static const char *
field(const struct lead_record *rec, const struct lead_colmap *m, int f)
{
	int c = m->col[f];
	char *s;

	if (c < 0 || (size_t)c >= rec->n)
		return NULL;
	s = lead_trim(rec->f[c]);
	return lead_blank(s) ? NULL : s;
}

static void
amount(const char *s, int decimal)
{
	double v, u;
	int mark = lead_money_mark(s), rc = lead_money_parse(s, decimal, &v);

	if (rc == 0 && !isfinite(v))
		abort();
	if (mark != 0 && (lead_money_parse(s, mark == ',' ? '.' : ',',
	    &u) != rc || (rc == 0 && u != v)))
		abort();
}

static void
events(struct lead_reader *rd)
{
	const struct lead_record *hdr, *rec;
	struct lead_colmap m;
	struct lead_timecol tc[2];
	char *err, buf[LEAD_TIME_LEN];
	const char *s;
	lead_time t;
	int decimal;

	if ((hdr = lead_reader_header(rd)) == NULL)
		return;
	if (lead_colmap_bind(&m, lead_eventfile_fields, EV_NFIELDS, hdr, NULL, 0,
	    &err) < 0) {
		free(err);
		return;
	}
	{
		const int tcols[2] = { m.col[EV_TS], m.col[EV_DUE] };

		lead_reader_dates(rd, tcols, 2, tc);
		decimal = lead_reader_decimal(rd, m.col[EV_AMOUNT]);
	}
	while (lead_reader_next(rd, &rec) == 1) {
		if (rec->bad)
			continue;
		if ((s = field(rec, &m, EV_TS)) != NULL &&
		    lead_time_read(s, tc[0].order, &t) == 0)
			lead_time_format(t, buf);
		if ((s = field(rec, &m, EV_DUE)) != NULL &&
		    lead_time_read(s, tc[1].order, &t) == 0)
			lead_time_format(t, buf);
		if ((s = field(rec, &m, EV_AMOUNT)) != NULL)
			amount(s, decimal);
	}
	lead_colmap_free(&m);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const int need[] = { EV_EMAIL, EV_KEY, EV_LEAD, -1 };
	static struct lead_want want = { lead_eventfile_fields, EV_NFIELDS, NULL, 0,
	    need, NULL };
	static const struct lead_inopts dialects[] = {
		{ .want = lead_colmap_want, .want_ctx = &want },
		{ .fmt = LEAD_FMT_CSV, .delim = ';', .want = lead_colmap_want,
		    .want_ctx = &want },
		{ .fmt = LEAD_FMT_TSV, .want = lead_colmap_want,
		    .want_ctx = &want },
		{ .skip = 1 },
	};
	fuzz_read(data, size, dialects, sizeof dialects / sizeof *dialects,
	    events);
	return 0;
}
