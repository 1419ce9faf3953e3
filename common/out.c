/*
 * out.c: writing rows as TSV, CSV, JSON Lines or an aligned table.
 *
 * TSV, CSV and JSON stream: each row is built in one reused buffer and
 * written with a single fwrite, so millions of rows cost no allocation.
 * Only the table, which needs every width before its first line, keeps
 * rows in memory; it is meant for people, who do not read millions of rows.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lead.h"

/* A table cell is cut to this many display columns, "…" included. */
#define TABLE_MAXW	60
#define ELLIPSIS	"\xe2\x80\xa6"

struct lead_out {
	FILE *fp;
	enum lead_fmt fmt;
	int no_header;
	int raw;
	size_t ncols;
	char **cols;			/* copies: the caller's may not last */
	char **keys;			/* JSON: "name": ready to copy */
	enum lead_coltype *type;
	struct lead_buf line;		/* the row being built */
	struct lead_buf fix;		/* JSON: bad UTF-8 mended */
	char **cells;			/* table: nrows * ncols, sanitised */
	size_t nrows, rowcap;
};

/* Length of the valid UTF-8 sequence at NUL-terminated p, or 0. */
static size_t
seqlen(const unsigned char *p)
{
	size_t n;

	n = p[0] < 0x80 ? 1 : p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (strnlen((const char *)p, n) < n)
		return 0;
	return lead_utf8_valid((const char *)p, n) ? n : 0;
}

/* Decode the sequence at p, known to be valid; returns its length. */
static size_t
decode(const unsigned char *p, uint32_t *cp)
{
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] < 0xe0) {
		*cp = (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
		return 2;
	}
	if (p[0] < 0xf0) {
		*cp = (uint32_t)(p[0] & 0x0f) << 12 |
		    (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
		return 3;
	}
	*cp = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
	    (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
	return 4;
}

/*
 * Display columns of a code point in a terminal: the East Asian wide
 * ranges and the common emoji blocks take two, combining marks, zero-width
 * joiners and variation selectors none.  A fixed table rather than
 * wcwidth(3), so that output does not depend on the locale.
 */
static int
cpwidth(uint32_t c)
{
	if ((c >= 0x0300 && c <= 0x036f) || (c >= 0x1ab0 && c <= 0x1aff) ||
	    (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x200b && c <= 0x200f) ||
	    (c >= 0x20d0 && c <= 0x20ff) || (c >= 0xfe00 && c <= 0xfe0f) ||
	    (c >= 0xfe20 && c <= 0xfe2f) || c == 0xfeff)
		return 0;
	if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
	    (c >= 0x1f680 && c <= 0x1f6ff) || (c >= 0x1f900 && c <= 0x1f9ff) ||
	    (c >= 0x20000 && c <= 0x3fffd))
		return 2;
	return 1;
}

size_t
lead_dispwidth(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;
	uint32_t cp;

	while (*p) {
		p += decode(p, &cp);
		w += (size_t)cpwidth(cp);
	}
	return w;
}

/*
 * A table cell: data made safe for the terminal, then cut to TABLE_MAXW
 * columns so that one long note does not push every other column off the
 * screen.  Only tables are cut; the data formats carry every byte.
 */
char *
lead_cell(const char *v, size_t maxw)
{
	char *s = lead_sanitize(v ? v : "");
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0, k, cut;
	uint32_t cp;
	int cw;

	if (lead_dispwidth(s) <= maxw)
		return s;
	while (*p) {
		k = decode(p, &cp);
		cw = cpwidth(cp);
		if (w + (size_t)cw > maxw - 1)
			break;
		w += (size_t)cw;
		p += k;
	}
	cut = (size_t)((const char *)p - s);
	s = lead_xrealloc(s, cut + sizeof ELLIPSIS);
	memcpy(s + cut, ELLIPSIS, sizeof ELLIPSIS);
	return s;
}

/* TSV: the reader's escapes, so that a value survives a round trip. */
static void
tsv_field(struct lead_buf *b, const char *s)
{
	size_t k;

	while (*s) {
		k = strcspn(s, "\\\t\n\r");
		lead_buf_add(b, s, k);
		s += k;
		switch (*s) {
		case '\\': lead_buf_add(b, "\\\\", 2); break;
		case '\t': lead_buf_add(b, "\\t", 2); break;
		case '\n': lead_buf_add(b, "\\n", 2); break;
		case '\r': lead_buf_add(b, "\\r", 2); break;
		default: return;
		}
		s++;
	}
}

static int
isdigit_ascii(int c)
{
	return c >= '0' && c <= '9';
}

/* The end of a number: an optional exponent, then nothing.  Shared by
 * the CSV and JSON number tests, whose mantissas differ. */
static int
exponent_end(const char *s)
{
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit_ascii(*s))
			return 0;
		while (isdigit_ascii(*s))
			s++;
	}
	return *s == '\0';
}

/* A plain number such as "-12.5", "+3" or "1e6": no spreadsheet formula. */
static int
plainnum(const char *s)
{
	int digits = 0;

	if (*s == '+' || *s == '-')
		s++;
	for (; isdigit_ascii(*s); s++)
		digits++;
	if (*s == '.')
		for (s++; isdigit_ascii(*s); s++)
			digits++;
	if (digits == 0)
		return 0;
	return exponent_end(s);
}

/*
 * CSV (RFC 4180), except that records end in LF alone: Unix tools expect
 * it, and every CSV reader, ours included, takes both.
 */
static void
csv_field(struct lead_buf *b, const char *s, int raw)
{
	size_t n = strlen(s);
	int guard, quote;
	const char *q;

	/*
	 * A spreadsheet runs a cell starting with = + - @ (and, after a tab
	 * or CR, any of them) as a formula; a leading ' makes it text, as
	 * OWASP recommends.  Numbers are left alone: "-12.5" is data.
	 */
	guard = !raw && n > 0 && strchr("=+-@\t\r", s[0]) != NULL &&
	    !plainnum(s);
	quote = strpbrk(s, ",\"\r\n") != NULL || (n > 0 && !guard &&
	    (s[0] == ' ' || s[0] == '\t')) || (n > 0 &&
	    (s[n - 1] == ' ' || s[n - 1] == '\t'));
	if (!quote) {
		if (guard)
			lead_buf_addc(b, '\'');
		lead_buf_add(b, s, n);
		return;
	}
	lead_buf_addc(b, '"');
	if (guard)
		lead_buf_addc(b, '\'');
	while ((q = strchr(s, '"')) != NULL) {
		lead_buf_add(b, s, (size_t)(q - s) + 1);
		lead_buf_addc(b, '"');
		s = q + 1;
	}
	lead_buf_adds(b, s);
	lead_buf_addc(b, '"');
}

/* A JSON number (RFC 8259): what may be written without quotes. */
static int
jsonnum(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (isdigit_ascii(*s))
			s++;
	else
		return 0;
	if (*s == '.') {
		if (!isdigit_ascii(*++s))
			return 0;
		while (isdigit_ascii(*s))
			s++;
	}
	return exponent_end(s);
}

/*
 * A JSON string.  JSON must be UTF-8, so each byte that is not part of a
 * valid sequence becomes U+FFFD rather than making the whole line
 * unreadable to the next program.
 */
static void
json_str(struct lead_out *w, struct lead_buf *b, const char *s)
{
	const unsigned char *p;
	size_t k;

	if (lead_utf8_valid(s, strlen(s))) {
		lead_buf_json(b, s);
		return;
	}
	lead_buf_reset(&w->fix);
	for (p = (const unsigned char *)s; *p; p += k) {
		if ((k = seqlen(p)) == 0) {
			lead_buf_add(&w->fix, "\xef\xbf\xbd", 3);
			k = 1;
		} else
			lead_buf_add(&w->fix, (const char *)p, k);
	}
	lead_buf_json(b, w->fix.s);
}

static void
put_line(struct lead_out *w)
{
	fwrite(w->line.s, 1, w->line.len, w->fp);
}

/* The header line of TSV and CSV. */
static void
put_header(struct lead_out *w)
{
	size_t i;

	lead_buf_reset(&w->line);
	for (i = 0; i < w->ncols; i++) {
		if (i > 0)
			lead_buf_addc(&w->line, w->fmt == LEAD_FMT_CSV ? ',' :
			    '\t');
		if (w->fmt == LEAD_FMT_CSV)
			csv_field(&w->line, w->cols[i], w->raw);
		else
			tsv_field(&w->line, w->cols[i]);
	}
	lead_buf_addc(&w->line, '\n');
	put_line(w);
}

struct lead_out *
lead_out_new(FILE *fp, const struct lead_outopts *o, const char *const *cols,
    size_t ncols)
{
	struct lead_out *w = lead_xcalloc(1, sizeof *w);
	struct lead_buf b = { 0 };
	size_t i;

	w->fp = fp;
	w->fmt = o->fmt;
	if (w->fmt != LEAD_FMT_CSV && w->fmt != LEAD_FMT_JSON &&
	    w->fmt != LEAD_FMT_TABLE)
		w->fmt = LEAD_FMT_TSV;
	w->no_header = o->no_header;
	w->raw = o->raw;
	w->ncols = ncols;
	w->cols = lead_xcalloc(ncols, sizeof *w->cols);
	w->type = lead_xcalloc(ncols, sizeof *w->type);
	for (i = 0; i < ncols; i++)
		w->cols[i] = lead_xstrdup(cols[i] ? cols[i] : "");
	if (w->fmt == LEAD_FMT_JSON) {
		w->keys = lead_xcalloc(ncols, sizeof *w->keys);
		for (i = 0; i < ncols; i++) {
			json_str(w, &b, w->cols[i]);
			lead_buf_addc(&b, ':');
			w->keys[i] = lead_buf_take(&b);
		}
	}
	/* Written now so that an empty result still names its columns. */
	if (!w->no_header && (w->fmt == LEAD_FMT_TSV || w->fmt == LEAD_FMT_CSV))
		put_header(w);
	return w;
}

void
lead_out_coltype(struct lead_out *w, size_t i, enum lead_coltype t)
{
	if (i < w->ncols)
		w->type[i] = t;
}

static void
table_row(struct lead_out *w, const char *const *vals)
{
	size_t i;

	if (w->nrows == w->rowcap) {
		w->rowcap = w->rowcap ? w->rowcap * 2 : 64;
		w->cells = lead_xrealloc(w->cells,
		    w->rowcap * (w->ncols ? w->ncols : 1) * sizeof *w->cells);
	}
	for (i = 0; i < w->ncols; i++)
		w->cells[w->nrows * w->ncols + i] = lead_cell(vals[i], TABLE_MAXW);
	w->nrows++;
}

void
lead_out_row(struct lead_out *w, const char *const *vals)
{
	struct lead_buf *b = &w->line;
	const char *v;
	size_t i;

	if (w->fmt == LEAD_FMT_TABLE) {
		table_row(w, vals);
		return;
	}
	lead_buf_reset(b);
	if (w->fmt == LEAD_FMT_JSON)
		lead_buf_addc(b, '{');
	for (i = 0; i < w->ncols; i++) {
		v = vals[i];
		switch (w->fmt) {
		case LEAD_FMT_CSV:
			if (i > 0)
				lead_buf_addc(b, ',');
			if (v != NULL && *v != '\0')
				csv_field(b, v, w->raw);
			else if (w->ncols == 1)
				/* An empty line would read as no record. */
				lead_buf_add(b, "\"\"", 2);
			break;
		case LEAD_FMT_JSON:
			if (i > 0)
				lead_buf_addc(b, ',');
			lead_buf_adds(b, w->keys[i]);
			if (v == NULL || (*v == '\0' &&
			    w->type[i] == LEAD_COL_NUM))
				lead_buf_add(b, "null", 4);
			else if (w->type[i] == LEAD_COL_NUM && jsonnum(v))
				lead_buf_adds(b, v);
			else
				json_str(w, b, v);
			break;
		default:
			if (i > 0)
				lead_buf_addc(b, '\t');
			if (v != NULL)
				tsv_field(b, v);
			break;
		}
	}
	if (w->fmt == LEAD_FMT_JSON)
		lead_buf_addc(b, '}');
	lead_buf_addc(b, '\n');
	put_line(w);
}

/* One table line: cells padded to their column, two spaces between. */
static void
table_line(struct lead_out *w, char *const *cells, const size_t *width)
{
	struct lead_buf *b = &w->line;
	size_t i, cw, pad;

	lead_buf_reset(b);
	for (i = 0; i < w->ncols; i++) {
		if (i > 0)
			lead_buf_add(b, "  ", 2);
		cw = lead_dispwidth(cells[i]);
		pad = width[i] > cw ? width[i] - cw : 0;
		if (w->type[i] == LEAD_COL_NUM)
			for (; pad > 0; pad--)
				lead_buf_addc(b, ' ');
		lead_buf_adds(b, cells[i]);
		for (; pad > 0; pad--)
			lead_buf_addc(b, ' ');
	}
	/* Empty last cells and left-aligned padding leave spaces behind. */
	while (b->len > 0 && b->s[b->len - 1] == ' ')
		b->len--;
	lead_buf_addc(b, '\n');
	put_line(w);
}

static void
table_flush(struct lead_out *w)
{
	char **head;
	size_t *width, i, r, cw;

	head = lead_xcalloc(w->ncols, sizeof *head);
	width = lead_xcalloc(w->ncols, sizeof *width);
	for (i = 0; i < w->ncols; i++) {
		head[i] = lead_cell(w->cols[i], TABLE_MAXW);
		if (!w->no_header)
			width[i] = lead_dispwidth(head[i]);
	}
	for (r = 0; r < w->nrows; r++)
		for (i = 0; i < w->ncols; i++) {
			cw = lead_dispwidth(w->cells[r * w->ncols + i]);
			if (cw > width[i])
				width[i] = cw;
		}
	if (!w->no_header)
		table_line(w, head, width);
	for (r = 0; r < w->nrows; r++)
		table_line(w, w->cells + r * w->ncols, width);
	for (i = 0; i < w->ncols; i++)
		free(head[i]);
	free(head);
	free(width);
}

int
lead_out_close(struct lead_out *w)
{
	size_t i;
	int rc = 0;

	if (w->fmt == LEAD_FMT_TABLE)
		table_flush(w);
	/* fflush first: a full disk or a closed pipe shows up only there. */
	errno = 0;
	if (fflush(w->fp) == EOF || ferror(w->fp)) {
		rc = -1;
		if (w->fp == stdout)
			lead_stdout_failed(errno);
	}
	for (i = 0; i < w->nrows * w->ncols; i++)
		free(w->cells[i]);
	free(w->cells);
	for (i = 0; i < w->ncols; i++) {
		free(w->cols[i]);
		if (w->keys)
			free(w->keys[i]);
	}
	free(w->cols);
	free(w->keys);
	free(w->type);
	lead_buf_free(&w->line);
	lead_buf_free(&w->fix);
	free(w);
	return rc;
}

struct lead_out *
lead_out_num(FILE *fp, const struct lead_outopts *o, const char *const *cols,
    size_t ncols, const int *num)
{
	struct lead_out *w = lead_out_new(fp, o, cols, ncols);

	for (; num && *num >= 0; num++)
		lead_out_coltype(w, (size_t)*num, LEAD_COL_NUM);
	return w;
}

FILE *
lead_file_new(const char *path, int mode)
{
	FILE *fp;
	int fd;

	/* Never through a link planted under the name, never with the mode
	 * of a file left there: a new file. */
	if (unlink(path) < 0 && errno != ENOENT)
		lead_die(LEAD_EX_RUNTIME, "%s: %s", path, strerror(errno));
	lead_temp_add(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    mode);
	if (fd < 0 || (fp = fdopen(fd, "w")) == NULL)
		lead_die(LEAD_EX_RUNTIME, "%s: %s", path, strerror(errno));
	return fp;
}

/* The path a name will have once it exists: its directory resolved, the
 * last part as given; NULL if the directory does not resolve. */
static char *
canon(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX], real[PATH_MAX];
	struct lead_buf b = { 0 };

	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	if (realpath(dir, real) == NULL)
		return NULL;
	lead_buf_addf(&b, "%s/%s", strcmp(real, "/") ? real : "",
	    slash ? slash + 1 : path);
	return lead_buf_take(&b);
}

/* Do a and b name one file: the same inode if both exist, else the
 * same resolved name. */
static int
same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	char *ca, *cb;
	int same;

	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	ca = canon(a);
	cb = canon(b);
	same = ca && cb && strcmp(ca, cb) == 0;
	free(ca);
	free(cb);
	return same;
}

void
lead_output_check(const char *opt, const char *out, const char *db,
    char *const *in, size_t nin)
{
	static const char *const side[] = { "", "-wal", "-shm", "-journal" };

	if (out == NULL || strcmp(out, "-") == 0)
		return;
	for (size_t i = 0; db && i < sizeof side / sizeof side[0]; i++) {
		struct lead_buf b = { 0 };
		int same;

		lead_buf_addf(&b, "%s%s", db, side[i]);
		same = same_file(out, b.s);
		lead_buf_free(&b);
		if (same)
			lead_die(LEAD_EX_USAGE, "%s: '%s' is the database%s; "
			    "nothing done", opt, out, i ? "'s own file" : "");
	}
	for (size_t i = 0; i < nin; i++)
		if (strcmp(in[i], "-") != 0 && same_file(out, in[i]))
			lead_die(LEAD_EX_USAGE, "%s: '%s' is an input of this "
			    "run; nothing done", opt, out);
}
