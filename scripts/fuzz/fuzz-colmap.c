/*
 * libFuzzer driver: the header mapper.  The input's first line is a header
 * (fields split at 0x1f, so names may hold commas, quotes and anything
 * else); each further line is a --map spec.  Whatever binds must be
 * consistent: every field's column exists and names it back, no column is
 * two fields, every extra column has a non-empty attribute name, and no two
 * extras share one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lead.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void
check(const struct lead_colmap *m, size_t nf)
{
	for (size_t i = 0; i < nf; i++)
		if (m->col[i] >= 0 && ((size_t)m->col[i] >= m->ncols ||
		    m->field[m->col[i]] != (int)i))
			abort();
	for (size_t c = 0; c < m->ncols; c++) {
		if (m->field[c] >= 0 && m->col[m->field[c]] != (int)c)
			abort();
		if (m->field[c] != -1) {
			if (m->attr[c] != NULL)
				abort();
			continue;
		}
		if (m->attr[c] == NULL || m->attr[c][0] == '\0')
			abort();
		for (size_t d = 0; d < c; d++)
			if (m->attr[d] && strcmp(m->attr[d], m->attr[c]) == 0)
				abort();
	}
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *s = malloc(size + 1), *line, *next, *err;
	char **f = NULL, **maps = NULL;
	size_t n = 0, nmaps = 0;
	struct lead_record hdr = { 0 };
	struct lead_colmap m;

	memcpy(s, data, size);
	s[size] = '\0';
	next = strchr(s, '\n');
	if (next)
		*next++ = '\0';
	for (line = s;; ) {
		char *us = strchr(line, 0x1f);

		f = realloc(f, (n + 1) * sizeof *f);
		f[n++] = line;
		if (us == NULL)
			break;
		*us = '\0';
		line = us + 1;
	}
	while (next && nmaps < 8) {
		line = next;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		maps = realloc(maps, (nmaps + 1) * sizeof *maps);
		maps[nmaps++] = line;
	}
	hdr.n = n;
	hdr.f = f;
	hdr.len = calloc(n, sizeof *hdr.len);
	for (size_t i = 0; i < n; i++)
		hdr.len[i] = strlen(f[i]);
	hdr.line = 1;
	if (lead_colmap_bind(&m, lead_lead_fields, LF_NFIELDS, &hdr, maps,
	    nmaps, &err) == 0) {
		check(&m, LF_NFIELDS);
		lead_colmap_free(&m);
	} else if (err == NULL || err[0] == '\0')
		abort();
	else
		free(err);
	free(hdr.len);
	free(maps);
	free(f);
	free(s);
	return 0;
}
