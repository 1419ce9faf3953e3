/*
 * libFuzzer driver: a reps file as lead-handoff reps load reads it
 * (reps_read, which lives in the command and cannot be linked here), from
 * the public parts it uses: the reader, the mapper with the reps fields,
 * the check for extra fields, emails and territories.  The first byte
 * chooses the dialect.  An email that normalises must normalise again to
 * itself: reps are found again by the normalised email.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz-input.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void
email(const char *v)
{
	char e[512], again[512];

	snprintf(e, sizeof e, "%s", v);
	if (lead_email_norm(e) != NULL)
		return;
	memcpy(again, e, sizeof e);
	if (lead_email_norm(again) != NULL || strcmp(again, e) != 0 ||
	    *lead_email_domain(e) == '\0')
		abort();
}

static void
territories(const char *v)
{
	char *copy = strdup(v), *save = NULL, *tok;

	for (tok = strtok_r(copy, ",;|/", &save); tok;
	    tok = strtok_r(NULL, ",;|/", &save))
		if (*lead_trim(tok) != '\0')
			(void)lead_territory_known(tok);
	free(copy);
}

static void
reps(struct lead_reader *rd)
{
	const struct lead_record *hdr, *rec;
	struct lead_colmap m;
	char *err, xb[128];

	if ((hdr = lead_reader_header(rd)) == NULL)
		return;
	if (lead_colmap_bind(&m, lead_rep_fields, RF_NFIELDS, hdr, NULL, 0,
	    &err) < 0) {
		free(err);
		return;
	}
	while (lead_reader_next(rd, &rec) == 1) {
		const char *v[RF_NFIELDS], *extra;

		for (int f = 0; f < RF_NFIELDS; f++) {
			int c = m.col[f];

			v[f] = c >= 0 && (size_t)c < rec->n ?
			    lead_trim(rec->f[c]) : NULL;
			if (v[f] && lead_blank(v[f]))
				v[f] = NULL;
		}
		extra = lead_record_extra(rec, hdr->n, xb, sizeof xb);
		if (extra && (rec->n <= hdr->n || *extra == '\0'))
			abort();
		if (rec->bad || extra)
			continue;
		if (v[RF_EMAIL])
			email(v[RF_EMAIL]);
		if (v[RF_TERRITORY])
			territories(v[RF_TERRITORY]);
	}
	lead_colmap_free(&m);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const struct lead_inopts dialects[] = {
		{ 0 }, { .fmt = LEAD_FMT_CSV }, { .fmt = LEAD_FMT_TSV },
	};
	fuzz_read(data, size, dialects, sizeof dialects / sizeof *dialects,
	    reps);
	return 0;
}
