/*
 * reject.c: rejected input records, reported and written to a reject file.
 *
 * Rejected records go to --reject FILE (written to FILE.tmp, renamed when
 * the command finishes, before it commits) in the input's own columns
 * plus _line and _reason.  A later input with other columns starts
 * FILE-2, and so on: one header per file, so each can be fixed and
 * imported again (the readers ignore _line and _reason).  The files are
 * new files of mode 0600: they hold personal data.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lead.h"

struct lead_rejects {
	char *path;		/* as given, or NULL */
	char *cur, *tmp;	/* the file being written, and its temp */
	int nfiles;
	char **done;		/* closed: temp, final name, temp, ... */
	size_t ndone;
	FILE *fp;
	struct lead_out *out;
	size_t ncols;
	char **hdr;
	long shown, total;
};

static struct lead_rejects *current;

static void
rejects_cleanup(void)
{
	struct lead_rejects *rj = current;

	if (rj == NULL)
		return;
	if (rj->out && rj->tmp)
		unlink(rj->tmp);
	for (size_t i = 0; i < rj->ndone; i += 2)
		unlink(rj->done[i]);
}

static int
same_header(const struct lead_rejects *rj, const struct lead_record *hdr)
{
	if (rj->hdr == NULL || rj->ncols != hdr->n)
		return 0;
	for (size_t i = 0; i < hdr->n; i++)
		if (strcmp(rj->hdr[i], hdr->f[i]) != 0)
			return 0;
	return 1;
}

static void rejects_close(struct lead_rejects *, int);

void
lead_rejects_input(struct lead_rejects *rj, const struct lead_record *hdr,
    enum lead_fmt fmt)
{
	struct lead_outopts o = { .fmt = fmt == LEAD_FMT_TSV ? LEAD_FMT_TSV :
	    LEAD_FMT_CSV, .raw = 1 };
	const char **cols;

	if (rj->path == NULL || same_header(rj, hdr))
		return;
	if (rj->out) {
		/* Nothing was written for the last header: start over. */
		if (rj->total == 0)
			rj->nfiles--;
		rejects_close(rj, rj->total > 0);
	}
	rj->cur = lead_xmalloc(strlen(rj->path) + 24);
	if (rj->nfiles++ == 0)
		strcpy(rj->cur, rj->path);
	else {
		const char *dot = strrchr(rj->path, '.'), *slash =
		    strrchr(rj->path, '/');
		int stem = dot && (!slash || dot > slash) ?
		    (int)(dot - rj->path) : (int)strlen(rj->path);

		sprintf(rj->cur, "%.*s-%d%s", stem, rj->path, rj->nfiles,
		    rj->path + stem);
		lead_note("rejects of inputs with other columns go to %s",
		    rj->cur);
	}
	rj->tmp = lead_xmalloc(strlen(rj->cur) + 8);
	sprintf(rj->tmp, "%s.tmp", rj->cur);
	/* Rejected records are personal data, like the database. */
	rj->fp = lead_file_new(rj->tmp, 0600);
	rj->ncols = hdr->n;
	rj->hdr = lead_xcalloc(hdr->n + 1, sizeof *rj->hdr);
	cols = lead_xcalloc(hdr->n + 2, sizeof *cols);
	for (size_t i = 0; i < hdr->n; i++)
		cols[i] = rj->hdr[i] = lead_xstrdup(hdr->f[i]);
	cols[hdr->n] = "_line";
	cols[hdr->n + 1] = "_reason";
	rj->out = lead_out_new(rj->fp, &o, cols, hdr->n + 2);
	rj->total = 0;
	free(cols);
}

/* Finish the file being written: keep it to be renamed into place, or
 * drop it. */
static void
rejects_close(struct lead_rejects *rj, int keep)
{
	if (rj->out == NULL)
		return;
	if (lead_out_close(rj->out) < 0 || fclose(rj->fp) != 0)
		lead_die(LEAD_EX_RUNTIME, "%s: write error", rj->tmp);
	rj->out = NULL;
	if (keep) {
		rj->done = lead_xrealloc(rj->done,
		    (rj->ndone + 2) * sizeof *rj->done);
		rj->done[rj->ndone++] = rj->tmp;
		rj->done[rj->ndone++] = rj->cur;
	} else {
		unlink(rj->tmp);
		free(rj->tmp);
		free(rj->cur);
	}
	rj->tmp = rj->cur = NULL;
	for (size_t i = 0; i < rj->ncols; i++)
		free(rj->hdr[i]);
	free(rj->hdr);
	rj->hdr = NULL;
}

void
lead_rejects_finish(struct lead_rejects *rj)
{
	/* The last file is kept even when empty if it is the only one, so
	 * that FILE always tells the truth about this run. */
	rejects_close(rj, rj->total > 0 || rj->nfiles == 1);
	for (size_t i = 0; i < rj->ndone; i += 2) {
		if (rename(rj->done[i], rj->done[i + 1]) < 0)
			lead_die(LEAD_EX_RUNTIME, "%s: %m", rj->done[i + 1]);
		free(rj->done[i]);
		free(rj->done[i + 1]);
	}
	free(rj->done);
	if (current == rj)
		current = NULL;
	free(rj->path);
	free(rj);
}

void
lead_rejects_add(struct lead_rejects *rj, const char *file,
    const struct lead_record *rec, const char *why)
{
	char line[32];
	const char **vals;

	if (rj->shown++ < 20 || lead_verbosity > 0)
		lead_warn_at(file, rec->line, "%s", why);
	else if (rj->shown == 21)
		lead_warn("%s: more records rejected%s", file,
		    rj->path ? "; see the reject file" : "; -v shows all");
	if (rj->out == NULL)
		return;
	rj->total++;
	vals = lead_xcalloc(rj->ncols + 2, sizeof *vals);
	for (size_t i = 0; i < rj->ncols && i < rec->n; i++)
		vals[i] = rec->f[i];
	snprintf(line, sizeof line, "%ld", rec->line);
	vals[rj->ncols] = line;
	vals[rj->ncols + 1] = why;
	lead_out_row(rj->out, vals);
	free(vals);
}

struct lead_rejects *
lead_rejects_new(const char *path)
{
	struct lead_rejects *rj = lead_xcalloc(1, sizeof *rj);

	rj->path = path ? lead_xstrdup(path) : NULL;
	if (current == NULL)
		lead_atdie(rejects_cleanup);
	current = rj;
	return rj;
}
