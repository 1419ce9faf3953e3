/*
 * libFuzzer driver: the CSV/TSV reader and the header mapper, on any bytes,
 * in one of the dialects (sniffed, CSV ';', TSV, Latin-1, UTF-16, --skip)
 * chosen by the first byte.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz-input.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const struct lead_inopts dialects[] = {
		{ 0 }, { .fmt = LEAD_FMT_CSV, .delim = ';' },
		{ .fmt = LEAD_FMT_TSV }, { .encoding = "latin1" },
		{ .encoding = "utf-16le" }, { .skip = 1 },
	};
	int fd;

	if (size == 0)
		return 0;
	{
		size_t d = data[0] % (sizeof dialects / sizeof *dialects);
		struct lead_reader *r = fuzz_reader(data + 1, size - 1,
		    &dialects[d], &fd);
		const struct lead_record *h, *rec;
		struct lead_colmap m;
		char *err;

		if (r == NULL)
			return 0;
		if ((h = lead_reader_header(r)) != NULL) {
			if (lead_colmap_bind(&m, lead_lead_fields, LF_NFIELDS, h,
			    NULL, 0, &err) == 0)
				lead_colmap_free(&m);
			else
				free(err);
			while (lead_reader_next(r, &rec) == 1)
				for (size_t i = 0; i < rec->n; i++)
					if (rec->f[i][rec->len[i]] != '\0')
						abort();
		}
		lead_reader_close(r);
	}
	close(fd);
	return 0;
}
