/*
 * csvin.c: the one reader of CSV and TSV input, with line numbers.
 *
 * Bytes flow: file descriptor -> (iconv, when the input is not UTF-8) ->
 * physical lines -> libcsv (CSV) or a tab splitter (TSV) -> records.
 * Lines are fed to libcsv one at a time so that the line where every record
 * starts is known, whatever quoted newlines it holds; libcsv ends a row on
 * CR or LF alike, so CRLF, LF and CR-only files all read the same.  The raw
 * bytes are hashed (SHA-256) on the way in, for the import's content hash.
 * Departures from RFC 4180 are listed in lead-csv(5).
 *
 * Reports put titles, summary blocks and section headings above their
 * table, and footers below it.  Unless --skip or --no-header says where the
 * table is, the reader reads a bounded sample ahead, finds the candidate
 * tables in it and lets the caller choose (lead_inopts.want); the records
 * read ahead are queued and given out from the queue, never read twice.
 * lead-csv(5), "Finding the table", says what is found and how.
 */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#include "lead.h"

#define CHUNK		(256 * 1024)
/* A record (or a line) longer than this is refused: most likely an
 * unbalanced quote swallowing the rest of the file. */
#define MAXRECORD	(64L * 1024 * 1024)
/* Bytes looked at to tell text from binary and to sniff the format. */
#define SNIFFLEN	4096
/* Without a delimiter on the first line (a title), the delimiter is
 * sniffed from the lines in this many bytes. */
#define SNIFFWIDE	(64 * 1024)
/* How far the reader looks for the table: a sample, not a second pass. */
#define LOOKLINES	2000
#define LOOKBYTES	(1024L * 1024)

int lead_reader_status;

struct lead_reader {
	char *name;		/* for messages */
	int fd, ownfd;
	enum lead_fmt fmt;
	int delim;
	struct lead_inopts opt;

	iconv_t cd;		/* (iconv_t)-1: input is UTF-8 */
	char *raw;		/* undecoded bytes waiting for iconv */
	size_t rawlen;

	char *buf;		/* decoded bytes: [off, len) not yet used */
	size_t off, len, cap;
	int eof;		/* no more raw input */
	int lastterm;		/* the last line given out had a terminator */

	struct lead_sha256 sha;
	int64_t pos, size;
	long line;		/* physical lines given out so far */
	int64_t used;		/* decoded bytes given out as lines */

	struct csv_parser csv;
	int csvinit;
	int pending;		/* a CSV record is under way */
	int complete;		/* the CSV record callback fired */
	size_t recbytes;	/* bytes fed for the record under way */
	int inquote;		/* RFC 4180 reading: inside a quoted field */
	int afterquote;		/* text followed a closing quote */
	long afterline;		/* the line where it did */
	/* Where the CSV record under way has its second line, kept in buf
	 * while the record lasts, to read again if a quote runs away. */
	int marked;
	size_t mark;
	int64_t markused;
	long markline;

	/* The record being built: fields back to back, NUL-separated. */
	struct lead_buf fields;
	size_t *offs, *lens, nf, capf;
	char **ptrs;
	size_t capptrs;
	struct lead_record rec;

	struct lead_record hdr;
	int hdrdone;
	int sawblank;		/* blank lines came before r->rec */

	/* Records read ahead (finding the table, lead_reader_sample), given
	 * out by lead_reader_next before any more are read. */
	struct lead_record **q;
	unsigned char *qblank;	/* per record: blank lines came before it */
	size_t qhead, qn, qcap;
	struct lead_record *given;	/* the queued record given out last */
	long ngiven;		/* data records given out */

	int find;		/* look for the table: no --skip, --no-header */
	int found;		/* the table is below other lines: headings end it */
	int ended;		/* no more data: end of input, or of the table */
	size_t width;		/* header fields up to the last non-blank one */
	char *section;		/* the heading or title above the header */
};

/* libcsv trims spaces and tabs around unquoted fields by default; keep tabs
 * (they can be the delimiter) and let callers trim what they map.  Its
 * own line terminators (CR, LF) are the ones we want. */
static int
csv_space(unsigned char c)
{
	return c == ' ';
}

static void
field_add(struct lead_reader *r, const char *s, size_t n)
{
	if (r->nf == r->capf) {
		r->capf = r->capf ? r->capf * 2 : 32;
		r->offs = lead_xrealloc(r->offs, r->capf * sizeof *r->offs);
		r->lens = lead_xrealloc(r->lens, r->capf * sizeof *r->lens);
	}
	r->offs[r->nf] = r->fields.len;
	r->lens[r->nf] = n;
	r->nf++;
	lead_buf_add(&r->fields, s, n);
	lead_buf_addc(&r->fields, '\0');
}

static void
on_field(void *s, size_t n, void *data)
{
	field_add(data, s ? s : "", s ? n : 0);
}

static void
on_record(int c, void *data)
{
	struct lead_reader *r = data;

	(void)c;
	r->complete = 1;
}

static void
record_reset(struct lead_reader *r)
{
	lead_buf_reset(&r->fields);
	r->nf = 0;
	r->rec.bad = NULL;
}

/* Point the record at its fields. */
static void
record_point(struct lead_reader *r, struct lead_record *rec)
{
	if (r->nf + 1 > r->capptrs) {
		r->capptrs = r->nf + 1;
		r->ptrs = lead_xrealloc(r->ptrs, r->capptrs * sizeof *r->ptrs);
	}
	for (size_t i = 0; i < r->nf; i++)
		r->ptrs[i] = r->fields.s + r->offs[i];
	r->ptrs[r->nf] = NULL;
	rec->f = r->ptrs;
	rec->len = r->lens;
	rec->n = r->nf;
}

/* Point the record at its fields; check the text. */
static void
record_finish(struct lead_reader *r, struct lead_record *rec)
{
	record_point(r, rec);
	if (rec->bad)
		return;
	for (size_t i = 0; i < r->nf; i++) {
		if (memchr(r->ptrs[i], '\0', r->lens[i]) != NULL) {
			rec->bad = "contains a NUL byte";
			return;
		}
		if (!lead_utf8_valid(r->ptrs[i], r->lens[i])) {
			rec->bad = r->cd == (iconv_t)-1 ?
			    "invalid UTF-8 (is the file Latin-1? try --encoding latin1)" :
			    "invalid text in the declared encoding";
			return;
		}
	}
}

static int
record_blank(const struct lead_reader *r)
{
	for (size_t i = 0; i < r->nf; i++)
		for (size_t j = 0; j < r->lens[i]; j++) {
			unsigned char c = (unsigned char)r->fields.s[r->offs[i] + j];

			if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
				return 0;
		}
	return 1;
}

/* ---- bytes in ------------------------------------------------------------ */

static void
buf_reserve(struct lead_reader *r, size_t n)
{
	/* The lines of a record under way stay, from its second on. */
	size_t keep = r->marked && r->mark < r->off ? r->mark : r->off;

	if (keep > 0 && (keep >= r->len / 2 || r->len + n > r->cap)) {
		memmove(r->buf, r->buf + keep, r->len - keep);
		r->len -= keep;
		r->off -= keep;
		if (r->marked)
			r->mark -= keep;
	}
	if (r->len + n > r->cap) {
		while (r->len + n > r->cap)
			r->cap = r->cap ? r->cap * 2 : CHUNK * 2;
		r->buf = lead_xrealloc(r->buf, r->cap);
	}
}

/* Decode r->raw into r->buf.  Undefined bytes become U+FFFD, so that one
 * bad byte costs one character, not the file. */
static void
decode(struct lead_reader *r, int final)
{
	char *in = r->raw, *out;
	size_t inleft = r->rawlen, outleft;

	while (inleft > 0) {
		buf_reserve(r, inleft * 4 + 16);
		out = r->buf + r->len;
		outleft = r->cap - r->len;
		if (iconv(r->cd, &in, &inleft, &out, &outleft) == (size_t)-1) {
			r->len = (size_t)(out - r->buf);
			if (errno == E2BIG)
				continue;
			if (errno == EINVAL && !final)
				break;	/* a character split across reads */
			buf_reserve(r, 3);
			memcpy(r->buf + r->len, "\xef\xbf\xbd", 3);
			r->len += 3;
			in++;
			inleft--;
			continue;
		}
		r->len = (size_t)(out - r->buf);
	}
	memmove(r->raw, in, inleft);
	r->rawlen = inleft;
}

/* Read more input into r->buf.  0: got some, or at EOF; -1: I/O error. */
static int
fill(struct lead_reader *r)
{
	ssize_t n;
	char *dst;

	if (r->eof)
		return 0;
	if (r->cd == (iconv_t)-1) {
		buf_reserve(r, CHUNK);
		dst = r->buf + r->len;
	} else {
		if (r->raw == NULL)
			r->raw = lead_xmalloc(CHUNK + 16);
		dst = r->raw + r->rawlen;
	}
	do
		n = read(r->fd, dst, CHUNK);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		lead_warn("%s: read error: %s", r->name, strerror(errno));
		return -1;
	}
	if (n == 0)
		r->eof = 1;
	if (!r->opt.nohash)
		lead_sha256_update(&r->sha, dst, (size_t)n);
	r->pos += n;
	if (r->cd == (iconv_t)-1)
		r->len += (size_t)n;
	else {
		r->rawlen += (size_t)n;
		decode(r, r->eof);
	}
	return 0;
}

/* The next physical line, terminator included (LF, CRLF or a lone CR).
 * 1: got one; 0: end of input; -1: error. */
static int
next_line(struct lead_reader *r, const char **p, size_t *n)
{
	size_t scan = 0;

	for (;;) {
		char *s = r->buf + r->off, *nl, *cr, *end;
		size_t avail = r->len - r->off;

		nl = memchr(s + scan, '\n', avail - scan);
		cr = memchr(s + scan, '\r', (nl ? (size_t)(nl - s) : avail) - scan);
		end = cr ? cr : nl;
		if (end && end == cr && (size_t)(cr - s) + 1 == avail && !r->eof) {
			/* CR at the end of what we have: is it CRLF? */
		} else if (end) {
			if (end == cr && (size_t)(cr - s) + 1 < avail && cr[1] == '\n')
				end++;
			*p = s;
			*n = (size_t)(end - s) + 1;
			r->off += *n;
			r->used += (int64_t)*n;
			r->line++;
			r->lastterm = 1;
			return 1;
		} else if (r->eof) {
			if (avail == 0)
				return 0;
			*p = s;
			*n = avail;
			r->off += avail;
			r->used += (int64_t)avail;
			r->line++;
			r->lastterm = 0;
			return 1;
		}
		if (avail > (size_t)MAXRECORD) {
			lead_warn_at(r->name, r->line + 1,
			    "line longer than %ld MiB; is this a text file?",
			    MAXRECORD >> 20);
			return -1;
		}
		scan = avail > 0 ? avail - (end == cr && cr ? 1 : 0) : 0;
		if (fill(r) < 0)
			return -1;
	}
}

/* ---- TSV ----------------------------------------------------------------- */

/* One line: fields split on tab, with \t \n \r \\ unescaped. */
static void
tsv_split(struct lead_reader *r, const char *s, size_t n)
{
	struct lead_buf f = { 0 };

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '\t') {
			field_add(r, f.s ? f.s : "", f.len);
			lead_buf_reset(&f);
		} else if (s[i] == '\\' && i + 1 < n) {
			switch (s[i + 1]) {
			case 't': lead_buf_addc(&f, '\t'); i++; break;
			case 'n': lead_buf_addc(&f, '\n'); i++; break;
			case 'r': lead_buf_addc(&f, '\r'); i++; break;
			case '\\': lead_buf_addc(&f, '\\'); i++; break;
			default: lead_buf_addc(&f, '\\');
			}
		} else
			lead_buf_addc(&f, s[i]);
	}
	lead_buf_free(&f);
}

/* ---- records -------------------------------------------------------------- */

/*
 * libcsv grows a field's buffer by a fixed block (128 bytes) at a time: a
 * 10 MB field is 80,000 reallocs, each a copy where realloc cannot grow in
 * place (under AddressSanitizer, always).  Give it twice what it asks, and
 * the same block back while that lasts: growth becomes geometric.
 */
static void *
csv_grow(void *p, size_t n)
{
	size_t have = p ? malloc_usable_size(p) : 0;

	if (p && have >= n)
		return p;
	return realloc(p, n < 4096 ? 4096 : n > SIZE_MAX / 2 ? n : 2 * n);
}

static int
csv_start(struct lead_reader *r)
{
	if (csv_init(&r->csv, 0) != 0)
		return -1;
	csv_set_realloc_func(&r->csv, csv_grow);
	csv_set_delim(&r->csv, (unsigned char)r->delim);
	csv_set_space_func(&r->csv, csv_space);
	r->csvinit = 1;
	return 0;
}

/*
 * Follow the quoting of a line as RFC 4180 reads it.  libcsv, when text
 * follows a closing quote ("x"yz,...), goes back inside the quotes and
 * swallows the following lines; knowing where the record really ends lets
 * the reader reject that one record instead.  Lines without a quote, the
 * most of them, cost one memchr.
 */
static void
quote_scan(struct lead_reader *r, const char *p, size_t n)
{
	int start = 1;

	if (!r->inquote && memchr(p, '"', n) == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (r->inquote) {
			if (c != '"')
				continue;
			if (i + 1 < n && p[i + 1] == '"')
				i++;
			else {
				size_t j = i + 1;

				r->inquote = 0;
				start = 0;
				/* Spaces may follow the closing quote; then
				 * the delimiter or the line end must. */
				while (j < n && p[j] == ' ')
					j++;
				if (j < n && p[j] != r->delim && p[j] != '\n' &&
				    p[j] != '\r' && !r->afterquote) {
					r->afterquote = 1;
					r->afterline = r->line;
				}
			}
		} else if (c == r->delim)
			start = 1;
		else if (c == '"' && start)
			r->inquote = 1;
		else if (c != ' ')
			start = 0;
	}
}


/*
 * A quoted field that ran away: its closing quote never came, or not
 * within MAXRECORD.  The record is its first line alone, rejected with
 * why; the lines the field took in are read again from the second, so
 * that one stray quote costs one record, never the rest of the file.
 */
static int
runaway(struct lead_reader *r, const char *why)
{
	csv_free(&r->csv);
	if (csv_start(r) < 0)
		return -1;
	r->inquote = r->afterquote = 0;
	r->pending = r->complete = 0;
	record_reset(r);
	r->rec.bad = why;
	r->off = r->mark;
	r->used = r->markused;
	r->line = r->markline;
	r->marked = 0;
	record_finish(r, &r->rec);
	return 1;
}

/* Read one record (blank records skipped) into r->rec. */
static int
read_record(struct lead_reader *r)
{
	const char *p;
	size_t n;
	int got;

	record_reset(r);
	r->sawblank = 0;
	for (;;) {
		if ((got = next_line(r, &p, &n)) < 0)
			return -1;
		if (got == 0) {
			if (!r->pending)
				return 0;
			if (r->inquote && r->marked && r->line > r->markline)
				return runaway(r, "unterminated quoted field (an "
				    "opening quote without its closing one; the "
				    "lines after it are read again)");
			/* Input ended inside a record: flush libcsv. */
			csv_fini(&r->csv, on_field, on_record, r);
			r->pending = 0;
			r->complete = 0;
			r->marked = 0;
			if (r->inquote)
				r->rec.bad = "unterminated quoted field";
			else if (r->afterquote)
				r->rec.bad = "text after a closing quote (quote "
				    "the whole field and double the quotes in it)";
			r->inquote = r->afterquote = 0;
			if (record_blank(r))
				return 0;
			record_finish(r, &r->rec);
			return 1;
		}
		if (!r->pending) {
			if (n == 1 || (n == 2 && p[0] == '\r')) {
				r->sawblank = 1;
				continue;	/* empty line */
			}
			r->rec.line = r->line;
			r->recbytes = 0;
		}
		if (r->fmt == LEAD_FMT_TSV) {
			tsv_split(r, p, n);
		} else {
			if (!r->pending) {
				r->marked = 1;
				r->mark = r->off;
				r->markused = r->used;
				r->markline = r->line;
			}
			r->pending = 1;
			r->complete = 0;
			r->recbytes += n;
			quote_scan(r, p, n);
			if (csv_parse(&r->csv, p, n, on_field, on_record, r) != n) {
				lead_warn("%s: %s", r->name,
				    csv_strerror(csv_error(&r->csv)));
				return -1;
			}
			if (r->afterquote && !r->inquote && r->lastterm &&
			    r->afterline > r->markline)
				/* A quote opened on an earlier line closed
				 * before text: the opening one was stray. */
				return runaway(r, "text after a closing quote "
				    "on a later line (a stray opening quote?); "
				    "the lines after it are read again");
			if (r->afterquote && !r->inquote && r->lastterm) {
				/* The record ends here, whatever libcsv thinks. */
				if (!r->complete) {
					csv_free(&r->csv);
					if (csv_start(r) < 0)
						return -1;
				}
				r->afterquote = 0;
				r->pending = 0;
				r->marked = 0;
				record_reset(r);
				r->rec.bad = "text after a closing quote (quote "
				    "the whole field and double the quotes in it)";
				record_finish(r, &r->rec);
				return 1;
			}
			if (!r->complete) {
				if (r->recbytes <= (size_t)MAXRECORD)
					continue;
				return runaway(r, "quoted field longer than 64 "
				    "MiB (an opening quote without its closing "
				    "one?); the lines after it are read again");
			}
			r->pending = 0;
			r->marked = 0;
		}
		if (record_blank(r) && r->rec.bad == NULL) {
			record_reset(r);
			r->sawblank = 1;
			continue;
		}
		record_finish(r, &r->rec);
		return 1;
	}
}

/* ---- opening, sniffing ---------------------------------------------------- */

static const char *
extension(const char *path)
{
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');

	if (dot == NULL || (slash && dot < slash))
		return "";
	return dot + 1;
}

/* The delimiter used most on the first line, outside quotes; 0 if none. */
static int
sniff_delim(const char *s, size_t n, const char *cands)
{
	size_t count[8] = { 0 }, best = 0;
	int quoted = 0, delim = 0;

	for (size_t i = 0; i < n && s[i] != '\n' && s[i] != '\r'; i++) {
		const char *c;

		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && (c = strchr(cands, s[i])) != NULL && *c)
			count[c - cands]++;
	}
	for (size_t i = 0; cands[i] && i < 8; i++)
		if (count[i] > best) {
			best = count[i];
			delim = cands[i];
		}
	return delim;
}

/* The delimiter that most of the lines in s[0..n) use, if at least two
 * and a fifth of them do; else 0.  For inputs whose first line, a title,
 * holds none. */
static int
sniff_lines(const char *s, size_t n, const char *cands)
{
	size_t votes[8] = { 0 }, lines = 0, best = 1;
	const char *end = s + n;
	int delim = 0;

	while (s < end && lines < 200) {
		const char *e = s;
		int d;

		while (e < end && *e != '\n' && *e != '\r')
			e++;
		if (e > s) {
			lines++;
			if ((d = sniff_delim(s, (size_t)(e - s), cands)) != 0)
				votes[strchr(cands, d) - cands]++;
		}
		s = e + 1;
	}
	for (size_t i = 0; cands[i] && i < 8; i++)
		if (votes[i] > best && votes[i] * 5 >= lines) {
			best = votes[i];
			delim = cands[i];
		}
	return delim;
}

static const struct {
	const char *alias, *name;
} encalias[] = {
	{ "latin1", "ISO-8859-1" }, { "latin-1", "ISO-8859-1" },
	{ "iso8859-1", "ISO-8859-1" }, { "iso-8859-1", "ISO-8859-1" },
	{ "cp1252", "WINDOWS-1252" }, { "windows-1252", "WINDOWS-1252" },
	{ "win1252", "WINDOWS-1252" }, { "ansi", "WINDOWS-1252" },
	{ "utf16", "UTF-16" }, { "utf-16", "UTF-16" },
	{ "utf16le", "UTF-16LE" }, { "utf-16le", "UTF-16LE" },
	{ "utf16be", "UTF-16BE" }, { "utf-16be", "UTF-16BE" },
	{ "macroman", "MACINTOSH" }, { "mac", "MACINTOSH" },
};

static iconv_t
open_iconv(const char *enc)
{
	const char *name = enc;

	for (size_t i = 0; i < sizeof encalias / sizeof *encalias; i++)
		if (strcasecmp(enc, encalias[i].alias) == 0)
			name = encalias[i].name;
	return iconv_open("UTF-8", name);
}

static int
is_utf8_name(const char *enc)
{
	return strcasecmp(enc, "utf-8") == 0 || strcasecmp(enc, "utf8") == 0;
}

/* Byte-order marks, binary files, --skip, the format. */
static int
prepare(struct lead_reader *r)
{
	const char *p;
	size_t n;
	int enc_given = r->opt.encoding && !is_utf8_name(r->opt.encoding);
	int sniffed;

	/* Look at the start of the raw input before any decoding. */
	while (!r->eof && r->len < SNIFFLEN)
		if (fill(r) < 0)
			return -1;
	if (!enc_given && r->len >= 2 &&
	    ((unsigned char)r->buf[0] == 0xff && (unsigned char)r->buf[1] == 0xfe)) {
		r->opt.encoding = "UTF-16LE";
		enc_given = 2;
	} else if (!enc_given && r->len >= 2 &&
	    (unsigned char)r->buf[0] == 0xfe && (unsigned char)r->buf[1] == 0xff) {
		r->opt.encoding = "UTF-16BE";
		enc_given = 2;
	}
	if (enc_given) {
		if ((r->cd = open_iconv(r->opt.encoding)) == (iconv_t)-1) {
			lead_warn("unknown encoding '%s'", r->opt.encoding);
			return -2;
		}
		/* What was read so far is raw: decode it. */
		r->raw = lead_xmalloc(CHUNK + r->len + 16);
		memcpy(r->raw, r->buf + (enc_given == 2 ? 2 : 0),
		    r->len - (enc_given == 2 ? 2 : 0));
		r->rawlen = r->len - (enc_given == 2 ? 2 : 0);
		r->len = r->off = 0;
		decode(r, r->eof);
		while (!r->eof && r->len < SNIFFLEN)
			if (fill(r) < 0)
				return -1;
	}
	if (r->len - r->off >= 3 && memcmp(r->buf + r->off, "\xef\xbb\xbf", 3) == 0)
		r->off += 3;
	if (memchr(r->buf + r->off, '\0',
	    r->len - r->off < SNIFFLEN ? r->len - r->off : SNIFFLEN) != NULL) {
		lead_warn("%s: contains NUL bytes: a binary file, or UTF-16 "
		    "without a byte-order mark (try --encoding utf-16le)", r->name);
		return -3;
	}
	for (long i = 0; i < r->opt.skip; i++)
		if (next_line(r, &p, &n) <= 0)
			break;
	/* Excel's "sep=;" hint line. */
	while (r->len - r->off < 8 && !r->eof)
		if (fill(r) < 0)
			return -1;
	p = r->buf + r->off;
	n = r->len - r->off;
	if (n >= 5 && strncasecmp(p, "sep=", 4) == 0 &&
	    (n == 5 || p[5] == '\n' || p[5] == '\r')) {
		if (r->opt.delim == 0)
			r->delim = (unsigned char)p[4];
		if (r->fmt == LEAD_FMT_AUTO)
			r->fmt = LEAD_FMT_CSV;
		next_line(r, &p, &n);
	}
	/* The format: flag, else extension, else the header line. */
	while (!r->eof && memchr(r->buf + r->off, '\n', r->len - r->off) == NULL &&
	    r->len - r->off < SNIFFLEN)
		if (fill(r) < 0)
			return -1;
	p = r->buf + r->off;
	n = r->len - r->off;
	if (r->fmt == LEAD_FMT_AUTO && r->opt.delim)
		r->fmt = LEAD_FMT_CSV;
	sniffed = sniff_delim(p, n, ",;\t|");
	if (sniffed == 0 && r->find && r->delim == 0 && r->fmt != LEAD_FMT_TSV) {
		while (!r->eof && r->len - r->off < SNIFFWIDE)
			if (fill(r) < 0)
				return -1;
		sniffed = sniff_lines(r->buf + r->off, r->len - r->off, ",;\t|");
	}
	if (sniffed == 0)
		sniffed = ',';
	if (r->fmt == LEAD_FMT_AUTO) {
		const char *ext = extension(r->name);

		if (strcasecmp(ext, "tsv") == 0 || strcasecmp(ext, "tab") == 0)
			r->fmt = LEAD_FMT_TSV;
		else if (strcasecmp(ext, "csv") == 0)
			r->fmt = LEAD_FMT_CSV;
		else
			r->fmt = sniffed == '\t' ? LEAD_FMT_TSV : LEAD_FMT_CSV;
	}
	if (r->fmt == LEAD_FMT_CSV && r->delim == 0)
		r->delim = sniffed;
	if (r->fmt == LEAD_FMT_TSV)
		r->delim = '\t';
	if (csv_start(r) < 0) {
		lead_warn("%s: cannot start the CSV parser", r->name);
		return -1;
	}
	return 0;
}

struct lead_reader *
lead_reader_open(const char *path, const struct lead_inopts *o)
{
	struct lead_reader *r = lead_xcalloc(1, sizeof *r);
	struct stat st;
	int rc;

	r->opt = *o;
	r->fmt = o->fmt == LEAD_FMT_TSV || o->fmt == LEAD_FMT_CSV ? o->fmt :
	    LEAD_FMT_AUTO;
	r->delim = o->delim;
	r->find = !o->no_header && o->skip <= 0;
	r->cd = (iconv_t)-1;
	r->size = -1;
	lead_reader_status = LEAD_EX_RUNTIME;
	lead_sha256_init(&r->sha);
	if (path == NULL || strcmp(path, "-") == 0) {
		r->name = lead_xstrdup("stdin");
		r->fd = STDIN_FILENO;
	} else {
		r->name = lead_xstrdup(path);
		if ((r->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			lead_warn("%s: %s", path, strerror(errno));
			lead_reader_close(r);
			return NULL;
		}
		r->ownfd = 1;
	}
	if (fstat(r->fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			lead_warn("%s: is a directory", r->name);
			lead_reader_close(r);
			return NULL;
		}
		if (S_ISREG(st.st_mode))
			r->size = st.st_size;
	}
	if ((rc = prepare(r)) != 0) {
		lead_reader_status = rc == -2 ? LEAD_EX_USAGE :
		    rc == -3 ? LEAD_EX_REJECT : LEAD_EX_RUNTIME;
		lead_reader_close(r);
		return NULL;
	}
	r->hdrdone = 0;
	return r;
}

static void
columns_header(struct lead_reader *r)
{
	const char *s = r->opt.columns, *e;

	record_reset(r);
	while (s) {
		e = strchr(s, ',');
		field_add(r, s, e ? (size_t)(e - s) : strlen(s));
		s = e ? e + 1 : NULL;
	}
	record_point(r, &r->rec);
}

/* The names of a header record, trimmed, in a record of their own:
 * records reuse the reader's buffers. */
static void
names_copy(struct lead_record *dst, const struct lead_record *src)
{
	dst->n = src->n;
	dst->f = lead_xcalloc(src->n + 1, sizeof *dst->f);
	dst->len = lead_xcalloc(src->n + 1, sizeof *dst->len);
	for (size_t i = 0; i < src->n; i++) {
		char *name = lead_xstrdup(src->f[i]);

		dst->f[i] = lead_trim(name);
		dst->len[i] = strlen(name);
	}
	dst->line = src->line;
	dst->bad = src->bad;
}

static void
names_free(struct lead_record *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->f[i]);
	free(h->f);
	free(h->len);
	memset(h, 0, sizeof *h);
}

static void
header_keep(struct lead_reader *r, const struct lead_record *src)
{
	names_copy(&r->hdr, src);
	if (src->bad)
		lead_warn_at(r->name, r->hdr.line, "header: %s", src->bad);
}

/* ---- records read ahead ---------------------------------------------------- */

/* A record in one block of its own: the record, its field pointers and
 * lengths, its text. */
static struct lead_record *
record_copy(const struct lead_record *src)
{
	size_t text = 0, head;
	struct lead_record *c;
	char *p;

	for (size_t i = 0; i < src->n; i++)
		text += src->len[i] + 1;
	head = sizeof *c + (src->n + 1) * sizeof *c->f + src->n * sizeof *c->len;
	c = lead_xmalloc(head + text);
	c->f = (char **)(c + 1);
	c->len = (size_t *)(c->f + src->n + 1);
	p = (char *)c + head;
	for (size_t i = 0; i < src->n; i++) {
		memcpy(p, src->f[i], src->len[i]);
		p[src->len[i]] = '\0';
		c->f[i] = p;
		c->len[i] = src->len[i];
		p += src->len[i] + 1;
	}
	c->f[src->n] = NULL;
	c->n = src->n;
	c->line = src->line;
	c->bad = src->bad;
	return c;
}

/* The most a sample holds in memory. */
#define SAMPLE_BYTES	((size_t)16 << 20)

static void
queue_push(struct lead_reader *r, const struct lead_record *rec, int blank)
{
	if (r->qn == r->qcap) {
		r->qcap = r->qcap ? r->qcap * 2 : 64;
		r->q = lead_xrealloc(r->q, r->qcap * sizeof *r->q);
		r->qblank = lead_xrealloc(r->qblank, r->qcap);
	}
	r->q[r->qn] = record_copy(rec);
	r->qblank[r->qn++] = (unsigned char)blank;
}

/* Drop the queued records from i on. */
static void
queue_cut(struct lead_reader *r, size_t i)
{
	while (r->qn > i)
		free(r->q[--r->qn]);
	if (r->qhead >= r->qn)
		r->qhead = r->qn = 0;
}

/* ---- what lines look like ---------------------------------------------------- */

static int
field_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* Fields up to the last one that is not blank: spreadsheets pad every
 * line with empty fields to the width of the widest. */
static size_t
record_width(const struct lead_record *rec)
{
	size_t w = rec->n;

	while (w > 0 && field_blank(rec->f[w - 1], rec->len[w - 1]))
		w--;
	return w;
}

/* A field that reads like a column name or a heading: short text, not a
 * number, a time, an amount, a placeholder, an e-mail address or a
 * link. */
static int
namelike(const char *s, size_t n)
{
	size_t letters = 0, digits = 0;
	const char *at = NULL;
	char buf[128];
	lead_time t;

	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	if (n == 0 || n >= sizeof buf)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			letters++;
		else if (c >= '0' && c <= '9')
			digits++;
		else if (c == '@' && at == NULL)
			at = s + i;
	}
	if (letters == 0 || digits > letters)
		return 0;
	if (at && memchr(at, '.', n - (size_t)(at - s)) && !memchr(s, ' ', n))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strstr(buf, "://") || lead_blank(buf))
		return 0;
	return digits == 0 || lead_time_parse(buf, &t) != 0;
}

/* A record that reads like a header of w fields: names, at most one in
 * ten of them empty, at least four in five like names (all of them, if
 * strict). */
static int
header_like(const struct lead_record *rec, size_t w, int strict)
{
	size_t names = 0, empty = 0;

	if (w == 0 || rec->bad)
		return 0;
	for (size_t i = 0; i < w; i++) {
		if (field_blank(rec->f[i], rec->len[i]))
			empty++;
		else if (namelike(rec->f[i], rec->len[i]))
			names++;
		/* Give up as soon as it cannot be one: wide data is common. */
		if ((strict && names <= i) || (i + 1 - names) * 5 > w)
			return 0;
	}
	return empty * 10 <= w && names * 5 >= w * 4;
}

/* The lines reports write below their table: a total ("Grand Totals
 * (3 records)", "Total:", but not "Total Wine"), or the start of a
 * notice. */
static const struct {
	const char *word;
	int alone;		/* nothing but "(...)" or ":..." may follow */
} footers[] = {
	{ "grand totals", 1 }, { "grand total", 1 }, { "totals", 1 },
	{ "total", 1 }, { "confidential information", 0 },
	{ "generated by", 0 }, { "copyright", 0 },
};

/* A footer: one of them at the start of the first or second field, at
 * most two fields filled (or half of the table's), and no address. */
static int
footer_like(const struct lead_record *rec, size_t width)
{
	size_t i = 0, filled = 0, k;
	const char *s = NULL;

	if (rec->n == 0)
		return 0;
	if (field_blank(rec->f[0], rec->len[0]) && rec->n > 1)
		i = 1;
	s = rec->f[i];
	while (*s == ' ' || *s == '\t')
		s++;
	switch (*s) {
	case 'c': case 'C': case 'g': case 'G': case 't': case 'T':
		break;
	default:
		return 0;
	}
	if (memchr(rec->f[i], '@', rec->len[i]) != NULL)
		return 0;	/* an address: data */
	for (k = 0; k < sizeof footers / sizeof *footers; k++) {
		size_t n = strlen(footers[k].word);
		const char *e = s + n;

		if (strncasecmp(s, footers[k].word, n) != 0 ||
		    (*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z'))
			continue;
		while (*e == ' ' || *e == '\t')
			e++;
		if (!footers[k].alone || *e == '\0' || *e == '(' || *e == ':')
			break;
	}
	if (k == sizeof footers / sizeof *footers)
		return 0;
	for (size_t j = 0; j < rec->n; j++) {
		if (field_blank(rec->f[j], rec->len[j]))
			continue;
		if (memchr(rec->f[j], '@', rec->len[j]) != NULL)
			return 0;
		filled++;
	}
	return filled <= 2 || filled * 2 <= width;
}

/* Why a record, with blank lines before it or not, ends the table; NULL
 * if it is data.  Any table ends at a footer; a table found below other
 * lines (a report's section) also at a heading, or after a blank line at
 * the header of another table. */
static const char *
table_end(const struct lead_reader *r, const struct lead_record *rec,
    int blank)
{
	size_t w;

	if (!r->find)
		return NULL;
	if (footer_like(rec, r->width))
		return "a footer";
	if (!r->found)
		return NULL;
	w = record_width(rec);
	if (r->width >= 2 && w == 1 && namelike(rec->f[0], rec->len[0]))
		return "a heading";
	if (blank && w >= 2 && header_like(rec, w, 1))
		return "another table";
	return NULL;
}

/* The table ended at line: the rest of the input is not data.  It is
 * read (for the hash and the size of the input) but not parsed.  0, or
 * -1 on a read error. */
static int
table_finish(struct lead_reader *r, long line, const char *why)
{
	const char *p;
	size_t n;
	int rc;

	while ((rc = next_line(r, &p, &n)) > 0)
		;
	r->ended = 1;
	lead_debug("%s: the table ends at line %ld, %s: %ld line%s from "
	    "there on are not data", r->name, line, why, r->line - line + 1,
	    r->line - line + 1 == 1 ? "" : "s");
	return rc < 0 ? -1 : 0;
}

/* The next data record from the input into r->rec: 1; 0 at the end of
 * the input or of the table; -1 on an error. */
static int
read_data(struct lead_reader *r)
{
	const char *why;
	int rc;

	if (r->ended)
		return 0;
	if ((rc = read_record(r)) != 1) {
		r->ended = rc == 0;
		return rc;
	}
	if ((why = table_end(r, &r->rec, r->sawblank)) != NULL)
		return table_finish(r, r->rec.line, why);
	return 1;
}

/* ---- finding the table ------------------------------------------------------- */

/* How the caller rates the header q[i] (its names trimmed, as the
 * header will be). */
static int
want_score(const struct lead_reader *r, const struct lead_record *h)
{
	struct lead_record names;
	int score;

	names_copy(&names, h);
	score = r->opt.want(&names, r->opt.want_ctx);
	names_free(&names);
	return score;
}

/*
 * Queue the first records of the input and choose the header among them
 * (lead-csv(5), "Finding the table").  A candidate is a record like a
 * header, followed by a record no wider than it, and not in the middle
 * of a run of records like it (the first record, or after a blank line,
 * a one-field line, or a line of another field count).  Line 1 followed
 * by such a record is taken without looking further.  1 with the header
 * kept, 0 at an empty input, -1 on an error.
 */
static int
find_table(struct lead_reader *r)
{
	size_t *w, at, i;
	unsigned char *like;
	int rc = 1, best = 0;
	long first = -1, firstdata = -1, firstwide = -1;

	while (r->qn < 2 && (rc = read_record(r)) == 1)
		queue_push(r, &r->rec, r->sawblank);
	if (rc < 0)
		return -1;
	if (r->qn == 0)
		return 0;
	w = lead_xcalloc(2, sizeof *w);
	like = lead_xcalloc(2, 1);
	for (i = 0; i < r->qn; i++) {
		w[i] = record_width(r->q[i]);
		like[i] = (unsigned char)header_like(r->q[i], w[i], 0);
	}
	if (r->qn == 2 && like[0] && w[1] >= 1 && w[1] <= w[0] &&
	    (w[0] >= 2 || !like[1]) &&
	    (r->opt.want == NULL || want_score(r, r->q[0]) > 0)) {
		at = 0;
		goto chosen;
	}
	while (rc == 1 && r->line < LOOKLINES && r->used < LOOKBYTES &&
	    (rc = read_record(r)) == 1)
		queue_push(r, &r->rec, r->sawblank);
	if (rc < 0) {
		free(w);
		free(like);
		return -1;
	}
	w = lead_xrealloc(w, r->qn * sizeof *w);
	like = lead_xrealloc(like, r->qn);
	for (i = 2; i < r->qn; i++) {
		w[i] = record_width(r->q[i]);
		like[i] = (unsigned char)header_like(r->q[i], w[i], 0);
	}
	at = 0;
	for (i = 0; i + 1 < r->qn; i++) {
		int score;

		if (!like[i] || w[i + 1] < 1 || w[i + 1] > w[i])
			continue;
		if (i > 0 && !r->qblank[i] && w[i - 1] > 1 &&
		    r->q[i - 1]->n == r->q[i]->n)
			continue;
		if (first < 0)
			first = (long)i;
		if (firstwide < 0 && w[i] >= 2)
			firstwide = (long)i;
		if (firstdata < 0 && !like[i + 1])
			firstdata = (long)i;
		if (r->opt.want && (score = want_score(r, r->q[i])) > best) {
			best = score;
			at = i;
		}
	}
	if (best == 0)
		at = firstwide >= 0 ? (size_t)firstwide : firstdata >= 0 ?
		    (size_t)firstdata : first >= 0 ? (size_t)first : 0;
	if (at > 0 && !r->qblank[at] && w[at - 1] == 1)
		r->section = lead_xstrdup(r->q[at - 1]->f[0]);
	else if (at > 0 && w[0] == 1)
		r->section = lead_xstrdup(r->q[0]->f[0]);
	if (r->section)
		lead_trim(r->section);
chosen:
	header_keep(r, r->q[at]);
	r->width = w[at];
	r->found = at > 0;
	free(w);
	free(like);
	for (i = 0; i <= at; i++) {
		free(r->q[i]);
		r->q[i] = NULL;
	}
	r->qhead = at + 1;
	if (at > 0)
		lead_debug("%s: the table starts at line %ld%s%s%s", r->name,
		    r->hdr.line, r->section ? " (" : "",
		    r->section ? r->section : "", r->section ? ")" : "");
	/* The records read ahead were not yet looked at as data. */
	for (i = r->qhead; i < r->qn; i++) {
		const char *why = table_end(r, r->q[i], r->qblank[i]);

		if (why != NULL) {
			long line = r->q[i]->line;

			queue_cut(r, i);
			if (table_finish(r, line, why) < 0)
				return -1;
			break;
		}
	}
	if (r->qhead >= r->qn)
		r->qhead = r->qn = 0;
	return 1;
}

const struct lead_record *
lead_reader_header(struct lead_reader *r)
{
	int rc;

	if (r->hdrdone)
		return r->hdr.n ? &r->hdr : NULL;
	r->hdrdone = 1;
	if (r->opt.no_header) {
		if (r->opt.columns == NULL || *r->opt.columns == '\0') {
			lead_warn("--no-header needs --columns");
			return NULL;
		}
		columns_header(r);
		r->rec.line = 0;
		header_keep(r, &r->rec);
	} else if (!r->find) {
		if (read_record(r) <= 0) {
			lead_warn("%s: empty input: no header line", r->name);
			return NULL;
		}
		header_keep(r, &r->rec);
	} else if ((rc = find_table(r)) <= 0) {
		lead_warn("%s: empty input: no header line", r->name);
		return NULL;
	}
	return r->hdr.n ? &r->hdr : NULL;
}

int
lead_reader_next(struct lead_reader *r, const struct lead_record **rec)
{
	int rc;

	if (!r->hdrdone && lead_reader_header(r) == NULL)
		return 0;
	if (r->given) {
		free(r->given);
		r->given = NULL;
	}
	if (r->qhead < r->qn) {
		r->given = r->q[r->qhead];
		r->q[r->qhead++] = NULL;
		if (r->qhead == r->qn)
			r->qhead = r->qn = 0;
		*rec = r->given;
		r->ngiven++;
		return 1;
	}
	if ((rc = read_data(r)) == 1) {
		*rec = &r->rec;
		r->ngiven++;
	}
	return rc;
}

const char *
lead_record_extra(const struct lead_record *rec, size_t nhdr, char *buf,
    size_t n)
{
	for (size_t i = nhdr; i < rec->n; i++)
		if (!field_blank(rec->f[i], rec->len[i])) {
			snprintf(buf, n, "%zu fields, but the header has %zu "
			    "(a value with the delimiter in it, unquoted?)",
			    rec->n, nhdr);
			return buf;
		}
	return NULL;
}

long
lead_reader_records(const struct lead_reader *r)
{
	return r->ngiven;
}

void
lead_reader_account(const struct lead_reader *r, long read, long sum)
{
	if (r->ngiven == read && read == sum)
		return;
	lead_die(LEAD_EX_SOFTWARE, "%s: bug: %ld records given, %ld read, "
	    "%ld accounted for; nothing committed (please report this, with "
	    "the input if you can)", r->name, r->ngiven, read, sum);
}

int
lead_reader_sample(struct lead_reader *r, size_t max,
    const struct lead_record *const **recs, size_t *n)
{
	size_t bytes = 0;
	int rc = 1;

	*recs = NULL;
	*n = 0;
	if (!r->hdrdone && lead_reader_header(r) == NULL)
		return 0;
	/* A sample of huge records is a smaller sample, not gigabytes. */
	while (r->qn - r->qhead < max && bytes < SAMPLE_BYTES &&
	    (rc = read_data(r)) == 1) {
		for (size_t i = 0; i < r->rec.n; i++)
			bytes += r->rec.len[i] + sizeof(char *);
		queue_push(r, &r->rec, r->sawblank);
	}
	if (r->qn > r->qhead) {
		*recs = (const struct lead_record *const *)(r->q + r->qhead);
		*n = r->qn - r->qhead < max ? r->qn - r->qhead : max;
	}
	return rc < 0 ? -1 : 0;
}

const char *
lead_reader_section(const struct lead_reader *r)
{
	return r->section;
}

const char *
lead_reader_name(const struct lead_reader *r)
{
	return r->name;
}

enum lead_fmt
lead_reader_fmt(const struct lead_reader *r)
{
	return r->fmt;
}

int
lead_reader_delim(const struct lead_reader *r)
{
	return r->delim;
}

void
lead_reader_sha256(struct lead_reader *r, char out[65])
{
	struct lead_sha256 c = r->sha;

	lead_sha256_hex(&c, out);
}

int64_t
lead_reader_pos(const struct lead_reader *r)
{
	return r->pos;
}

int64_t
lead_reader_size(const struct lead_reader *r)
{
	return r->size;
}

void
lead_reader_close(struct lead_reader *r)
{
	if (r == NULL)
		return;
	if (r->ownfd)
		close(r->fd);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	if (r->csvinit)
		csv_free(&r->csv);
	if (r->hdr.f)
		names_free(&r->hdr);
	queue_cut(r, 0);
	free(r->q);
	free(r->qblank);
	free(r->given);
	free(r->section);
	free(r->raw);
	free(r->buf);
	lead_buf_free(&r->fields);
	free(r->offs);
	free(r->lens);
	free(r->ptrs);
	free(r->name);
	free(r);
}

int
lead_reader_dates(struct lead_reader *r, const int *cols, size_t ncols,
    struct lead_timecol *tc)
{
	const struct lead_record *const *recs;
	const struct lead_record *hdr = lead_reader_header(r);
	size_t n = 0, c;
	char how[512];
	int rc;

	memset(tc, 0, ncols * sizeof *tc);
	for (c = 0; c < ncols && cols[c] < 0; c++)
		continue;
	if (c == ncols)
		return 0;
	if ((rc = lead_reader_sample(r, LEAD_SAMPLE, &recs, &n)) < 0)
		n = 0;
	for (size_t i = 0; i < ncols; i++) {
		if (cols[i] < 0)
			continue;
		c = (size_t)cols[i];
		for (size_t j = 0; j < n; j++)
			if (c < recs[j]->n)
				lead_timecol_learn(&tc[i], recs[j]->f[c],
				    recs[j]->line);
		lead_timecol_decide(&tc[i]);
		if (tc[i].order && hdr && c < hdr->n)
			lead_debug("%s: column '%s': dates read %s",
			    lead_reader_name(r), hdr->f[c],
			    lead_timecol_text(&tc[i], how, sizeof how));
	}
	return rc;
}

int
lead_reader_decimal(struct lead_reader *r, int col)
{
	const struct lead_record *const *recs;
	size_t n = 0;
	long comma = 0, dot = 0;

	if (col < 0 || lead_reader_sample(r, LEAD_SAMPLE, &recs, &n) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((size_t)col < recs[i]->n)
			switch (lead_money_mark(recs[i]->f[col])) {
			case ',':
				comma++;
				break;
			case '.':
				dot++;
				break;
			}
	if (comma > dot)
		lead_debug("%s: amounts read with a decimal comma (%ld values "
		    "such as 1.234,56 or 4,50 say so)", lead_reader_name(r),
		    comma);
	return comma > dot ? ',' : dot > 0 ? '.' : 0;
}

/* ---- reading ahead ------------------------------------------------------------ */

static void
ahead_drop(struct lead_ahead *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->rec[i]);
	a->n = a->next = 0;
}

int
lead_ahead_next(struct lead_ahead *a, struct lead_reader *r, size_t max,
    void (*filled)(void *ctx, struct lead_record *const *rec, size_t n),
    void *ctx, const struct lead_record **rec)
{
	const struct lead_record *in;

	if (a->next == a->n) {
		if (a->rc == 0)
			a->rc = 1;
		if (a->rc != 1)
			return a->rc;
		ahead_drop(a);
		if (a->cap < max) {
			a->rec = lead_xrealloc(a->rec, max * sizeof *a->rec);
			a->cap = max;
		}
		while (a->n < max && (a->rc = lead_reader_next(r, &in)) == 1) {
			a->rec[a->n++] = record_copy(in);
			if (a->reading && a->n % 256 == 0)
				a->reading(ctx);
		}
		if (a->n == 0)
			return a->rc;
		filled(ctx, a->rec, a->n);
	}
	*rec = a->rec[a->next++];
	return 1;
}

void
lead_ahead_free(struct lead_ahead *a)
{
	ahead_drop(a);
	free(a->rec);
	memset(a, 0, sizeof *a);
}

char *
lead_record_value(const struct lead_record *rec, int col)
{
	char *s, *v;

	if (col < 0 || (size_t)col >= rec->n)
		return NULL;
	s = lead_xstrdup(rec->f[col]);
	v = lead_trim(s);
	v = lead_blank(v) ? NULL : lead_xstrdup(v);
	free(s);
	return v;
}
