/*
 * lead.h: the one header every leadkit command includes.
 *
 * Grouped by the file in common/ that defines each part.  Every name is
 * lead_- or LEAD_-prefixed.  Functions that can only fail through a
 * programming error or an exhausted machine (out of memory) die; functions
 * whose failure is the user's (bad input) return an error for the caller to
 * report with the file and line it knows.
 */
#ifndef LEAD_H
#define LEAD_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "driver.h"

#ifndef LEAD_VERSION
#define LEAD_VERSION "0.1.0"
#endif

/* ---- msg.c: messages and exit codes ------------------------------------ */

/* The exit statuses every command shares (lead.7 documents them). */
enum lead_exit {
	LEAD_EX_OK = 0,		/* success */
	LEAD_EX_REJECT = 1,	/* finished, but some input records rejected */
	LEAD_EX_USAGE = 2,	/* usage error or invalid rule/config file */
	LEAD_EX_RUNTIME = 3,	/* database or I/O error; nothing changed */
	LEAD_EX_SOFTWARE = 70,	/* a bug (EX_SOFTWARE); nothing changed */
	LEAD_EX_BUSY = 75	/* database busy past --wait (EX_TEMPFAIL) */
};

extern const char *lead_progname;
extern int lead_verbosity;	/* 0 normal, <0 quiet (-q), >0 verbose (-v) */

void lead_setprog(const char *argv0);
/* "prog: message" on stderr; control characters in the text are shown
 * as '?' so that hostile data cannot drive the terminal. */
void lead_warn(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/* "prog: file:line: message"; line 0 leaves the line out. */
void lead_warn_at(const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Like lead_warn, but silenced by -q. */
void lead_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Like lead_warn, but only with -v. */
void lead_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void lead_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Run at exit from lead_die (e.g. roll back, remove a temp file). */
void lead_atdie(void (*fn)(void));
/*
 * The error convention: a library function that can fail on what it is
 * given (a file, a list, the stored rules) returns -1 or NULL and fills
 * a lead_err with the message and the exit status it calls for; only a
 * command decides to exit (lead_err_exit).  A failure of the database
 * itself ends in lead_db_fail, the one exit below the commands (see
 * HACKING.md); a "cannot happen" is LEAD_EX_SOFTWARE and says it is a
 * bug.
 */
struct lead_err {
	int status;		/* LEAD_EX_*; 0: no error */
	char msg[1024];		/* "" when it was said already */
};
/* Fill e; returns -1. */
int lead_err_set(struct lead_err *e, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A command's: say e (if not said) and exit with its status. */
_Noreturn void lead_err_exit(const struct lead_err *e);
/* Standard output.  lead_stdout_init: a write error at exit is exit 3.
 * lead_stdout_hold: what a writer prints waits (in an unnamed temporary
 * file) until its changes are committed, so that nothing downstream sees
 * a change that may not happen; needed: a closed standard output is an
 * error before anything is done.  lead_stdout_committed: the changes are
 * committed; out with what was held.  lead_stdout_release: out with it
 * (a dry run's rollback).  Output that cannot be written: exit 3. */
/* A file being written under a temporary name, removed if a signal
 * ends the command (lead_signals_init: INT, TERM, HUP; a file size limit
 * becomes a write error, exit 3). */
/* An output file (opt names the option) must not be the database, one
 * of its side files (-wal, -shm, -journal) or one of the inputs of the
 * run: a usage error, before anything is done. */
void lead_output_check(const char *opt, const char *out, const char *db,
    char *const *in, size_t nin);
void lead_temp_add(const char *path);
void lead_signals_init(void);
void lead_stdout_init(void);
void lead_stdout_hold(int needed);
void lead_stdout_committed(void);
/* Before the commit: dies (nothing changed) if what was held could not
 * be kept. */
void lead_stdout_ready(void);
void lead_stdout_release(void);
/* A write to standard output failed with err: remembered for the
 * message at exit. */
void lead_stdout_failed(int err);

void *lead_xmalloc(size_t n);
void *lead_xcalloc(size_t n, size_t size);
void *lead_xrealloc(void *p, size_t n);
char *lead_xstrdup(const char *s);
char *lead_xstrndup(const char *s, size_t n);
char *lead_xasprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* ---- buf.c: growable byte buffers ---------------------------------------- */

struct lead_buf {
	char *s;		/* always NUL-terminated once anything is added */
	size_t len, cap;
};

void lead_buf_add(struct lead_buf *b, const char *s, size_t n);
void lead_buf_adds(struct lead_buf *b, const char *s);
void lead_buf_addc(struct lead_buf *b, int c);
void lead_buf_addf(struct lead_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append s as a JSON string, quotes included. */
void lead_buf_json(struct lead_buf *b, const char *s);
void lead_buf_reset(struct lead_buf *b);
void lead_buf_free(struct lead_buf *b);
/* Give the string away; the buffer is left empty. */
char *lead_buf_take(struct lead_buf *b);
/* The whole of a small text file (a protocol, a rule file; "-" is
 * standard input); caller frees.  NULL and e (LEAD_EX_USAGE) if it
 * cannot be read, holds a NUL byte or is larger than 1 MiB ("not a
 * <what>"). */
char *lead_read_text(const char *path, const char *what, struct lead_err *e);

/* ---- text.c: UTF-8, trimming, normalising ------------------------------- */

/* 1 if s[0..n) is valid UTF-8 with no NUL byte. */
int lead_utf8_valid(const char *s, size_t n);
/* Trim, in place, ASCII white space and the Unicode spaces that exports
 * carry (no-break, ideographic, zero-width, BOM).  Returns s. */
char *lead_trim(char *s);
/* 1 if s (already trimmed) is blank or a placeholder such as "N/A",
 * "#N/A", "null", "Select", "--". */
int lead_blank(const char *s);
/* Lower-case ASCII letters in place. */
char *lead_lower(char *s);
/* Normalise a header name for matching: ASCII letters lower-cased, ASCII
 * punctuation and spaces dropped, other bytes kept.  Caller frees. */
char *lead_colkey(const char *name);
/* lead_colkey into buf when it fits (a key is never longer than its
 * name), else into memory the caller frees: the result is buf or not. */
char *lead_colkey_buf(const char *name, char *buf, size_t bufsize);
/* Normalise an email in place (trim, lower-case, strip "mailto:" and
 * "Name <addr>").  Returns NULL if it is valid, else why not. */
/* Text a command keeps or shows must be UTF-8 without control
 * characters (lines: but newline and tab) or invisible and
 * direction-changing ones (C1, bidi overrides, zero-width).  NULL if s
 * is, else what it holds. */
const char *lead_text_unsafe(const char *s, int lines);
/* Make s such text in place: each offending byte or character becomes
 * '?'.  How many did. */
size_t lead_text_safe(char *s);
const char *lead_email_norm(char *s);
/* Domain part of a normalised email (after '@'), or "". */
const char *lead_email_domain(const char *email);
/* 1 if domain is a free-mail provider (gmail.com, ...). */
int lead_freemail(const char *domain);
/* Copy of s with control characters and escape sequences made visible,
 * for terminals.  Caller frees. */
char *lead_sanitize(const char *s);
/* A hash of a string, for the small hash tables of the commands. */
uint32_t lead_strhash(const char *s);
/* An activity kind is a word of letters, digits and '_': lower-cased in
 * place, spaces and '-' made '_'.  NULL if it is one, else why not. */
const char *lead_kind_norm(char *k);
/* An amount as exports write it: "$22,700.00", "1.234,56 \u20ac", "28212.0",
 * "EUR 4,500", "(1,200)".  decimal is the column's decimal mark ('.' or
 * ','; 0: '.'), used only where the value cannot tell ("1,234" with
 * decimal ','). 0 and *v, or -1 if it is not an amount. */
int lead_money_parse(const char *s, int decimal, double *v);
/* The decimal mark an amount can only have ("1.234,56", "4,50": ','),
 * or 0 if it could have either ("4,500") or none: a column's values
 * decide its decimal, as they decide its order of day and month. */
int lead_money_mark(const char *s);
/* The closest of names to s (any case), if close enough to be a typo;
 * else NULL. */
const char *lead_suggest(const char *s, const char *const *names, size_t n);

/* ---- sha256.c ----------------------------------------------------------- */

struct lead_sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t nbuf;
};

void lead_sha256_init(struct lead_sha256 *c);
void lead_sha256_update(struct lead_sha256 *c, const void *p, size_t n);
/* Lower-case hex digest, 64 characters plus NUL.  The context is not
 * consumed: updating afterwards goes on hashing. */
void lead_sha256_hex(struct lead_sha256 *c, char out[65]);
/* "sha256:<hex>" of a normalised email: how a forgotten person stays on
 * a suppression list without their address. */
#define LEAD_EMAIL_HASH_LEN (7 + 65)
/* "sha256:" and the hex SHA-256 of salt and the address (salt NULL: of
 * the address alone, as leadkit kept them before schema 7). */
void lead_email_hash(const char *salt, const char *email,
    char out[LEAD_EMAIL_HASH_LEN]);

/* A list of borrowed strings. */
struct lead_strv {
	const char **v;
	size_t n, cap;
};
void lead_strv_add(struct lead_strv *v, const char *s);
void lead_strv_free(struct lead_strv *v);

/* A REAL as SQLite writes it as text ("%!.15g": 15 digits, ".0" on a
 * whole number), in buf; what the engines print of a column agrees. */
#define LEAD_REAL_LEN 32
const char *lead_real_text(double d, char buf[LEAD_REAL_LEN]);

/* ---- json.c: a lead's attributes (a flat JSON object) ----------------- */

/* cur with add's members: LEAD_JSON_UPDATE, add's values win (null
 * removes); else only the members cur lacks are added.  With
 * LEAD_JSON_NULLS a null is a value like any other (json_set and
 * json_insert).  NULL if either is not a JSON object.  Caller frees. */
enum { LEAD_JSON_UPDATE = 1, LEAD_JSON_NULLS = 2 };
char *lead_json_merge(const char *cur, const char *add, int flags);
/* 1 if a and b hold the same members, in any order and spelling; 0 if
 * not; -1 if either is not a JSON object. */
int lead_json_same(const char *a, const char *b);

/* ---- map.c: the hash container ---------------------------------------- */

/* Records of size bytes (0: a set) by byte-string key.  Zero it and set
 * size to start.  A record is made zeroed the first time its key is
 * put, and keeps its index (0, 1, ... in the order made); a put may move
 * the records, so a record pointer lasts until the next put. */
struct lead_map {
	size_t size;		/* bytes of a record */
	size_t n, cap;
	char *rec;		/* n records */
	struct lead_mkey *key;	/* n keys */
	size_t *slot, nslot;	/* open addressing: index + 1, 0 empty */
	char *arena;		/* the keys' bytes, each NUL-ended */
	size_t narena, arenacap;
};
/* The record of k, made if new; its index; -1 or NULL if not there. */
void *lead_map_put(struct lead_map *m, const void *k, size_t len);
size_t lead_map_index(struct lead_map *m, const void *k, size_t len);
void *lead_map_get(const struct lead_map *m, const void *k, size_t len);
ssize_t lead_map_find(const struct lead_map *m, const void *k, size_t len);
/* The same for a key of n strings (NULL: ""), kept joined, each with
 * its NUL; a map is used with such keys only, or with plain ones only
 * (they are hashed differently). */
#define LEAD_MAP_MAXSTRS 4
size_t lead_map_index_strs(struct lead_map *m, const char *const *s, int n);
/* 1 if k was new (and is now there): a set's insert. */
int lead_map_add(struct lead_map *m, const void *k, size_t len);
static inline void *
lead_map_at(const struct lead_map *m, size_t i)
{
	return m->rec + i * m->size;
}
/* Record i's key (NUL-ended after len bytes). */
const char *lead_map_key(const struct lead_map *m, size_t i, size_t *len);
/* The indexes 0 .. n-1 in cmp's order, stably; caller frees. */
size_t *lead_map_sorted(const struct lead_map *m,
    int (*cmp)(const struct lead_map *, size_t, size_t));
void lead_map_free(struct lead_map *m);

/* Strings to 64-bit values: a lead_map's face.  Zero it to start. */
struct lead_strmap {
	struct lead_map m;
};
/* The value of k, or NULL if k is not there. */
int64_t *lead_strmap_get(const struct lead_strmap *m, const char *k);
/* The value of k, made 0 if k was not there. */
int64_t *lead_strmap_put(struct lead_strmap *m, const char *k);
void lead_strmap_free(struct lead_strmap *m);

/* Strings seen, where a no must be right and a yes may be wrong (one
 * in a thousand at a million keys): what a lookup can skip.
 * Zero it to start; 4 MiB once a key is added. */
struct lead_bloom {
	uint64_t *bits;
};
void lead_bloom_add(struct lead_bloom *f, const char *k);
/* 0: k was never added; 1: it may have been. */
int lead_bloom_may(const struct lead_bloom *f, const char *k);
void lead_bloom_free(struct lead_bloom *f);

/* ---- time.c: time stamps and durations ---------------------------------- */

typedef int64_t lead_time;	/* seconds since the epoch, UTC */

/* Parse any accepted time form (lead.7, TIME; lead-csv.5): ISO 8601 with
 * or without offset, numeric dates in either order with or without a
 * time, month names ("Nov 22, 2026 9:30 AM", "15 Apr, 2021"), epoch
 * seconds or milliseconds.  A time without offset is UTC, or the local
 * time of --tz's zone.  0 on success, -1 if invalid. */
int lead_time_parse(const char *s, lead_time *t);
/* The order of day and month in numeric dates. */
#define LEAD_DATE_DMY 1
#define LEAD_DATE_MDY 2
/* lead_time_parse with numeric dates read in this order (0: as
 * lead_time_parse reads them). */
int lead_time_read(const char *s, int order, lead_time *t);
/* What a numeric date says of its order: LEAD_DATE_DMY or _MDY if only
 * that order reads it, 0 if both do, -1 if s is not one; *sep its
 * separator. */
int lead_time_order_hint(const char *s, int *sep);
/* --date-order: the order of every numeric date no column decided. */
void lead_date_order_set(int order);
/* --tz, $LEAD_TZ: times without a zone are this zone's local times
 * (NULL or "UTC": UTC).  0, or -1 and why for a zone not in the
 * system's zone database. */
int lead_time_zone_set(const char *name, char *why, size_t n);
/* A column's order of day and month, decided from a sample of it. */
struct lead_timecol {
	int order;		/* LEAD_DATE_DMY, _MDY; 0: no numeric dates */
	long dmy, mdy, either;	/* values only one order reads, or both */
	int sep;		/* the first numeric date's separator */
	char ex[2][40];		/* the first value only [1] dmy, [0] mdy reads */
	long line[2];		/* and its line */
};
void lead_timecol_learn(struct lead_timecol *c, const char *v, long line);
void lead_timecol_decide(struct lead_timecol *c);
/* How the column reads, for -v. */
char *lead_timecol_text(const struct lead_timecol *c, char *buf, size_t n);
/* lead_time_parse, fast for the stored form "2026-11-22T09:30:00Z". */
int lead_time_stored(const char *s, lead_time *t);
/* "2026-11-22T09:30:00Z" into buf (at least LEAD_TIME_LEN bytes). */
#define LEAD_TIME_LEN 21
char *lead_time_format(lead_time t, char *buf);
/* How long s seconds is, for people: "3d 4h", "5h 10m", "12m". */
char *lead_duration_text(int64_t s, char *buf, size_t n);
/* "90m", "24h", "3d", "2w", "45s", "1h30m": 0 on success, -1 if invalid. */
int lead_duration_parse(const char *s, int64_t *secs);
/* The clock: --now, else $LEAD_NOW, else the system clock.  Dies with
 * LEAD_EX_USAGE if the given value is not a time. */
void lead_now_set(const char *s);
lead_time lead_now(void);
/* 1 if --now or $LEAD_NOW fixed the clock. */
int lead_now_fixed(void);

/* ---- csvin.c: reading CSV and TSV --------------------------------------- */

enum lead_fmt {
	LEAD_FMT_AUTO = 0,
	LEAD_FMT_CSV,
	LEAD_FMT_TSV,
	LEAD_FMT_JSON,
	LEAD_FMT_TABLE
};

struct lead_record;

struct lead_inopts {
	enum lead_fmt fmt;	/* AUTO: extension, else sniffed */
	int delim;		/* CSV delimiter; 0: ',' or sniffed */
	const char *encoding;	/* iconv name; NULL: UTF-8 (UTF-16 by BOM) */
	long skip;		/* physical lines to skip before the header */
	int no_header;		/* first record is data; needs columns */
	const char *columns;	/* "a,b,c": names for --no-header */
	int nohash;		/* the caller hashed the input already */
	/* Which table of a report to read, when the reader looks for it (no
	 * skip, no no_header; lead-csv(5)): how well a candidate header
	 * (names trimmed) suits the caller, 0 not at all, higher better;
	 * the first of the best wins.  NULL, or 0 for every candidate: the
	 * first table with data. */
	int (*want)(const struct lead_record *hdr, void *ctx);
	void *want_ctx;
};

struct lead_record {
	size_t n;		/* number of fields */
	char **f;		/* n NUL-terminated fields (valid until next) */
	size_t *len;		/* their lengths */
	long line;		/* physical line where the record starts */
	const char *bad;	/* non-NULL: unusable record, and why */
};

struct lead_reader;

/* Open path ("-" or NULL: standard input).  On failure prints why,
 * sets lead_reader_status (LEAD_EX_USAGE: unknown encoding; LEAD_EX_RUNTIME:
 * cannot read; LEAD_EX_REJECT: not a text file) and returns NULL. */
extern int lead_reader_status;
struct lead_reader *lead_reader_open(const char *path,
    const struct lead_inopts *o);
/* The header record (names), or NULL with a message printed if the input
 * has none (empty file). */
const struct lead_record *lead_reader_header(struct lead_reader *r);
/* Next data record: 1 and *rec set, 0 at end of input or of the table
 * (a footer, the next section), -1 on an I/O error (message printed). */
int lead_reader_next(struct lead_reader *r, const struct lead_record **rec);
/*
 * Records read ahead of their use, so that a store can read what they
 * name at once (a round trip for many records on a server): copies, good
 * until the next fill.  Zero it to start.  lead_ahead_next gives the
 * next record, reading up to max more when those ahead run out and then
 * calling filled(ctx, recs, n) with them; it returns as
 * lead_reader_next does.  While it reads, it calls reading(ctx), if
 * set, every few hundred records (lead_db_pump: the server stores the
 * rows before meanwhile).
 */
struct lead_ahead {
	struct lead_record **rec;
	size_t n, next, cap;
	int rc;			/* the reader's last answer; 0: not begun */
	void (*reading)(void *ctx);
};
int lead_ahead_next(struct lead_ahead *a, struct lead_reader *r, size_t max,
    void (*filled)(void *ctx, struct lead_record *const *rec, size_t n),
    void *ctx, const struct lead_record **rec);
void lead_ahead_free(struct lead_ahead *a);
/* A record's value of a column, trimmed, copied (the record is left as
 * it was read); NULL if blank or a placeholder.  Caller frees. */
char *lead_record_value(const struct lead_record *rec, int col);
/* Read ahead up to max data records, for deciding a column's format
 * from its values: *recs, *n (valid until the next lead_reader_next,
 * which gives them out again, in order; the record it gave last is no
 * longer valid).  0, or -1 on an I/O error (message printed). */
int lead_reader_sample(struct lead_reader *r, size_t max,
    const struct lead_record *const **recs, size_t *n);
/* Records read ahead to decide what a column holds: a sample, never a
 * second pass over the file. */
#define LEAD_SAMPLE 1000
struct lead_timecol;
/* Decide the order of day and month of each time column cols[i] (-1:
 * none) into tc[i], from a sample (call right after the header); -v
 * says how.  0, or -1 on an I/O error (message printed). */
int lead_reader_dates(struct lead_reader *r, const int *cols, size_t ncols,
    struct lead_timecol *tc);
/* A record with more fields than the header has names, the extra ones
 * not all blank ("budget approved, wants demo" unquoted): why, in buf;
 * else NULL.  Every reader rejects such a record rather than cut it. */
const char *lead_record_extra(const struct lead_record *rec, size_t nhdr,
    char *buf, size_t n);
/* Data records given out so far (lead_reader_next), bad ones too. */
long lead_reader_records(const struct lead_reader *r);
/* Every record a command read is accounted for: given (records the
 * reader gave out) = read (the command's count) = the sum of its
 * outcomes.  Else a bug: dies with LEAD_EX_SOFTWARE, naming the file,
 * before anything is committed. */
void lead_reader_account(const struct lead_reader *r, long read, long sum);
/* The decimal mark of amount column col, from the values of a sample
 * that can have only one ("1.234,56"): the one most of them have; 0 if
 * none says (lead_money_parse then decides value by value). */
int lead_reader_decimal(struct lead_reader *r, int col);
/* The heading or title line above the header the reader found (a
 * report's "Attendee Details"), or NULL. */
const char *lead_reader_section(const struct lead_reader *r);
/* The name used in messages: the path, or "-" as "stdin". */
const char *lead_reader_name(const struct lead_reader *r);
enum lead_fmt lead_reader_fmt(const struct lead_reader *r);
int lead_reader_delim(const struct lead_reader *r);
/* SHA-256 of the raw bytes read so far (all of them after EOF). */
void lead_reader_sha256(struct lead_reader *r, char out[65]);
/* Bytes of raw input read so far, and the total if known (else -1). */
int64_t lead_reader_pos(const struct lead_reader *r);
int64_t lead_reader_size(const struct lead_reader *r);
void lead_reader_close(struct lead_reader *r);

/* ---- out.c: writing TSV, CSV, JSON Lines, tables ------------------------ */

enum lead_coltype { LEAD_COL_TEXT = 0, LEAD_COL_NUM };

struct lead_outopts {
	enum lead_fmt fmt;	/* AUTO means TSV */
	int no_header;
	int raw;		/* CSV: no formula-injection guard */
};

struct lead_out;

/* A writer of rows with the given column names onto fp. */
struct lead_out *lead_out_new(FILE *fp, const struct lead_outopts *o,
    const char *const *cols, size_t ncols);
/* Type of column i (JSON writes numbers unquoted; tables right-align). */
void lead_out_coltype(struct lead_out *w, size_t i, enum lead_coltype t);
/* One row of ncols values; NULL is empty (JSON null). */
void lead_out_row(struct lead_out *w, const char *const *vals);
/* lead_out_new, with the columns listed in num (ended by -1) numbers. */
struct lead_out *lead_out_num(FILE *fp, const struct lead_outopts *o,
    const char *const *cols, size_t ncols, const int *num);
/* Flush (tables are written here) and free.  -1 on a write error. */
int lead_out_close(struct lead_out *w);
/* Terminal columns of valid UTF-8 text, by a fixed table (not the locale). */
size_t lead_dispwidth(const char *s);
/* v made safe for a terminal and cut to maxw columns ("..." at the cut);
 * caller frees. */
char *lead_cell(const char *v, size_t maxw);
/* A new file at path for writing (a file of that name is replaced; a
 * link there is removed, not followed), with this mode; dies with
 * LEAD_EX_RUNTIME if it cannot be made. */
FILE *lead_file_new(const char *path, int mode);

/* ---- reject.c: rejected records ------------------------------------------ */

struct lead_rejects;

/* Rejects of this run, written to path (NULL: only reported).  A temp
 * file is removed if the command dies. */
struct lead_rejects *lead_rejects_new(const char *path);
/* Before the records of an input with this header and format. */
void lead_rejects_input(struct lead_rejects *rj, const struct lead_record *hdr,
    enum lead_fmt fmt);
/* Report a rejected record ("prog: file:line: why"; the first 20, or all
 * with -v) and write it to the reject file. */
void lead_rejects_add(struct lead_rejects *rj, const char *file,
    const struct lead_record *rec, const char *why);
/* Put the reject files in place, and free. */
void lead_rejects_finish(struct lead_rejects *rj);

/* ---- colmap.c: header names to leadkit fields --------------------------- */

/* A field a command knows, with the export header names that mean it. */
struct lead_fieldspec {
	const char *name;		/* leadkit field name */
	const char *const *aliases;	/* NULL-terminated, may be NULL */
	unsigned flags;			/* LEAD_FIELD_*: of a lead field */
};
/* A lead field that is about a person (--forget erases it); one that is
 * read but not kept as a column of its own (a full name is split). */
#define LEAD_FIELD_PERSONAL	1u
#define LEAD_FIELD_UNSTORED	2u

struct lead_colmap {
	size_t nfields;
	int *col;		/* per field: input column index or -1 */
	size_t ncols;
	int *field;		/* per column: field index, -1 (extra), -2 (ignored) */
	char **attr;		/* per column: attribute name for extras */
};

/* Bind header names to fields: --map overrides ("field=Column", matched
 * like header names) first, then names and aliases.  Returns 0, or -1
 * with *err set to a message (caller frees), and m freed, for a --map
 * naming an unknown field, a column the header lacks, or a column another
 * --map gave to another field. */
int lead_colmap_bind(struct lead_colmap *m, const struct lead_fieldspec *f,
    size_t nf, const struct lead_record *hdr, char *const *maps, size_t nmaps,
    char **err);
void lead_colmap_free(struct lead_colmap *m);
/* Which table of a report a command reads (lead_inopts.want): one that
 * maps one of the fields need lists (ended by -1), or has the column
 * col; the more fields it maps, the better. */
struct lead_want {
	const struct lead_fieldspec *f;
	size_t nf;
	char *const *maps;
	size_t nmaps;
	const int *need;
	const char *col;
};
int lead_colmap_want(const struct lead_record *hdr, void *ctx);
/* Index of the header column called name (matched like header names),
 * or -1. */
int lead_header_find(const struct lead_record *hdr, const char *name);
/* Index of a field by name, or -1. */
int lead_field_index(const struct lead_fieldspec *f, size_t nf,
    const char *name);
/* The attribute name an extra column is kept under: snake_case of the
 * header name ("Time in Session (minutes)" -> time_in_session_minutes).
 * Caller frees. */
char *lead_attr_name(const char *header);

/* The standard lead fields, in the order of lead_lead_fields[], which
 * also lists the export header names that map to each. */
enum lead_leadfield {
	LF_EMAIL, LF_FIRST_NAME, LF_LAST_NAME, LF_FULL_NAME, LF_COMPANY,
	LF_TITLE, LF_PHONE, LF_COUNTRY, LF_REGION, LF_CITY, LF_INDUSTRY,
	LF_COMPANY_SIZE, LF_WEBSITE, LF_SOURCE, LF_CAMPAIGN, LF_CREATED_AT,
	LF_NFIELDS
};
extern const struct lead_fieldspec lead_lead_fields[LF_NFIELDS];

/* The columns of a reps file and of an event file, as their readers
 * (and the fuzzers) bind them. */
enum { RF_NAME, RF_EMAIL, RF_TERRITORY, RF_CAPACITY, RF_WEIGHT,
	RF_AVAILABLE, RF_MANAGER, RF_NFIELDS };
extern const struct lead_fieldspec lead_rep_fields[RF_NFIELDS];
enum { EV_EMAIL, EV_KEY, EV_TS, EV_KIND, EV_NOTE, EV_CHANNEL, EV_ACTOR,
	EV_CONTENT, EV_OUTCOME, EV_NEXT, EV_DUE, EV_AMOUNT, EV_LEAD, EV_NFIELDS };
extern const struct lead_fieldspec lead_eventfile_fields[EV_NFIELDS];

/* ---- db.c: the database, through its driver ---------------------------- */

/* Schema version this leadkit writes. */
#define LEAD_SCHEMA_VERSION 7

/* --db, else $LEAD_DB, else ./leads.db */
const char *lead_db_path(const char *opt);
/* Open (creating it, mode 0600, only if create) and migrate, with the
 * driver that claims the name.  Dies with a clear message and
 * LEAD_EX_RUNTIME (or LEAD_EX_BUSY) on failure.  create LEAD_DB_DRY: a
 * dry run of the command that would create it: a missing database is an
 * empty one in memory, and no file is made. */
#define LEAD_DB_DRY LEAD_OPEN_DRY
struct lead_conn *lead_db_open(const char *path, int create,
    double wait_secs);
/* The SQL dialect of the database this process opened (SQLite until
 * one is): for SQL made before a connection is at hand (rules). */
extern enum lead_dialect lead_db_dialect;
/* Finalizes whatever is still prepared. */
void lead_db_close(struct lead_conn *db);
/* The invocation's write transaction (the one-writer lock, waiting up
 * to --wait), a read snapshot, commit, roll back.  Die on failure (75 if
 * busy). */
void lead_db_begin(struct lead_conn *db);
void lead_db_begin_read(struct lead_conn *db);
void lead_db_commit(struct lead_conn *db);
/* The end of the invocation's transaction: commit, or for a dry run
 * roll back; either way out with the output held until then. */
void lead_db_end(struct lead_conn *db, int dry_run);
void lead_db_rollback(struct lead_conn *db);
/* Savepoints inside the transaction; rollback_to also releases. */
void lead_db_savepoint(struct lead_conn *db, const char *name);
void lead_db_release(struct lead_conn *db, const char *name);
void lead_db_rollback_to(struct lead_conn *db, const char *name);
void lead_db_tune(struct lead_conn *db, enum lead_tune what, long value);
/* Clear the copies of erased data an engine keeps beside the database:
 * 0 done, 1 another connection holds them (try again later). */
int lead_db_flush_erased(struct lead_conn *db);
/* The database's salt for the hashes of forgotten addresses (meta), or
 * NULL before schema 7. */
const char *lead_db_salt(struct lead_conn *db);
void lead_db_exec(struct lead_conn *db, const char *sql);
struct lead_stmt *lead_db_prepare(struct lead_conn *db, const char *sql);
/* {"a","b"}: the text of a PostgreSQL array of v, for CAST(?N AS
 * text[]) (or bigint[]).  Caller frees. */
char *lead_db_array(char *const *v, size_t n);
/* Bulk writes (driver.h): NULL where the engine has none (SQLite);
 * lead_db_bulk_row dies on an error, as lead_db_step. */
struct lead_bulk *lead_db_bulk(struct lead_conn *db, const char *into,
    const char *set);
void lead_db_bulk_row(struct lead_conn *db, struct lead_bulk *b,
    const char *const *v, int n);
/* Let the bulks' rows go on to the server while the command does other
 * work (driver.h's pump); call it now and then in a long loop. */
void lead_db_pump(struct lead_conn *db);
/* A statement whose rows may be many (a table read whole): the engine
 * hands them over in batches (a cursor in PostgreSQL), not all at once.
 * Inside a transaction. */
struct lead_stmt *lead_db_scan(struct lead_conn *db, const char *sql);
/* Step, dying on anything but LEAD_ROW or LEAD_DONE. */
int lead_db_step(struct lead_stmt *st);
/* Step a statement that returns nothing, then reset it. */
void lead_db_run(struct lead_stmt *st);
/* The connection's last error as the command's exit: 75 busy, 70 a bug,
 * else 3, with "what: message". */
_Noreturn void lead_db_fail(struct lead_conn *db, const char *what);
/* The first column of the first row of a query with one integer
 * parameter (none if the query has none), or dflt if it has no row. */
int64_t lead_db_int64(struct lead_conn *db, const char *sql, int64_t arg,
    int64_t dflt);
/* The same for a text (NULL: no row, or NULL); caller frees. */
char *lead_db_text(struct lead_conn *db, const char *sql, int64_t arg);
/* A statement prepared once for this connection and this SQL (a static
 * string: its address is the key), reset and unbound; lead_db_close
 * finalizes it.  Do not finalize it yourself. */
struct lead_stmt *lead_db_cached(struct lead_conn *db, const char *sql);
/* Bind text, or NULL for a NULL pointer or blank string. */
void lead_db_bind_text(struct lead_stmt *st, int i, const char *s);
/* Bind parameters from first on, one a letter of types: i an int64_t,
 * d a double, s text (NULL: NULL; kept, not copied), b text with blank
 * as NULL (lead_db_bind_text), n NULL (no argument). */
void lead_db_binds(struct lead_stmt *st, int first, const char *types, ...);
/* Prepare, bind (lead_db_binds from ?1), step once and finalize: a
 * statement that runs once. */
void lead_db_do(struct lead_conn *db, const char *sql, const char *types,
    ...);
/* A named setting (the setting table), or NULL; caller frees. */
char *lead_setting(struct lead_conn *db, const char *name);
void lead_setting_set(struct lead_conn *db, const char *name,
    const char *value, const char *at);
/* Quote an identifier for SQL ("a""b"), a string ('it''s', or NULL);
 * caller frees. */
char *lead_db_ident(const char *name);
char *lead_db_literal(const char *s);

/* ---- stage.c: the lead lifecycle ---------------------------------------- */

/* The stages, in funnel order, then the ends: the one list (the schema's
 * CHECK in drv-sqlite.c spells the same names). */
enum lead_stage {
	LEAD_S_NEW, LEAD_S_NURTURE, LEAD_S_MQL, LEAD_S_SAL, LEAD_S_SQL,
	LEAD_S_OPPORTUNITY, LEAD_S_WON, LEAD_S_LOST, LEAD_S_DISQUALIFIED,
	LEAD_NSTAGE
};
extern const char *const lead_stage_names[LEAD_NSTAGE];
/* A stage's index in lead_stage_names, or -1. */
int lead_stage_index(const char *s);

/* 1 if s is one of the stages (new, nurture, mql, sal, sql, opportunity,
 * won, lost, disqualified). */
int lead_stage_valid(const char *s);
/* NULL if a lead may move from one stage to the other by the lifecycle,
 * else why not (static). */
const char *lead_stage_check(const char *from, const char *to);
/* Move a lead to a stage, recording it in stage_history with the actor
 * and reason (either may be NULL), the touch and the batch (0: none). */
void lead_stage_set(struct lead_conn *db, int64_t lead, const char *from,
    const char *to, const char *actor, const char *reason, int64_t activity,
    int64_t batch, const char *at);

/* ---- contact.c: the contact protocol and contact caps ------------------- */

/* The context a touch carries, as the protocol sees it. */
enum lead_ctx {
	LEAD_CTX_OUTCOME = 1 << 0, LEAD_CTX_NOTE = 1 << 1,
	LEAD_CTX_NEXT = 1 << 2, LEAD_CTX_DUE = 1 << 3,
	LEAD_CTX_CONTENT = 1 << 4, LEAD_CTX_CHANNEL = 1 << 5,
	LEAD_CTX_BY = 1 << 6, LEAD_CTX_AMOUNT = 1 << 7
};

struct lead_touch {
	const char *kind, *outcome, *note, *next, *due, *content, *channel;
	const char *actor, *amount;
	const char *missing;	/* context the protocol asks and it lacks */
};

struct lead_protocol {
	struct lead_protocol_rule {
		char *kind;		/* "*" for every kind */
		unsigned need;		/* LEAD_CTX_* */
	} *rule;
	size_t nrule;
	char **boiler;		/* notes that say nothing, in colkey form */
	size_t nboiler;
	int minnote;		/* shortest note that can say something */
	char **kind;		/* the team's own kinds ("kind" lines) */
	size_t nkind;
};

/* The protocol leadkit ships, in the file format of lead-log(1). */
extern const char lead_protocol_default[];
/* A fingerprint of a touch's context: with the lead, time and kind it
 * makes the same touch, recorded twice, one row (activity.fp). */
int64_t lead_touch_fp(const struct lead_touch *t);
/* Parse a protocol; errors as "name:line:col: what" on stderr, -1. */
int lead_protocol_parse(struct lead_protocol *p, const char *text,
    const char *name);
void lead_protocol_free(struct lead_protocol *p);
/* NULL if the touch carries what the protocol asks of its kind, else
 * what it lacks (caller frees). */
char *lead_protocol_check(const struct lead_protocol *p,
    const struct lead_touch *t);
/* The context the protocol asks of the touch and it lacks, as field
 * names ("outcome, note"), or NULL (caller frees): what an imported
 * history is kept without. */
char *lead_protocol_missing(const struct lead_protocol *p,
    const struct lead_touch *t);

/* A contact cap: at most max outbound touches on channel in window. */
struct lead_cap {
	char channel[16];	/* email, call, meeting, sms, social, mail, all */
	char spec[48];		/* as written: "email=3/7d" */
	long max;
	int64_t window;		/* seconds */
};

/* "email=3/7d,call=2/7d,all=5/7d": the number of caps, or -1 with a
 * message in err (caller frees). */
int lead_caps_parse(const char *spec, struct lead_cap *caps, int maxcaps,
    char **err);
/* The contact channel of an outbound kind (email_sent: email, call:
 * call, ...), or NULL for what the lead did (opens, visits, ...). */
const char *lead_kind_channel(const char *kind);
/* The outbound kinds of a channel ("all": every one), as an SQL list of
 * quoted literals for "kind IN (...)"; static. */
const char *lead_channel_kinds(const char *channel);

/* ---- kinds.c: vendor event names to leadkit's kinds ---------------------- */

struct lead_kindmap {
	struct lead_kindent {
		char *name;	/* a vendor name, in lead_colkey form */
		char *kind;
	} *ent;
	size_t n;
	int sorted;
};

/* The map leadkit ships, in the file format of lead-log --kinds. */
extern const char lead_kinds_default[];
/* The built-in map with the team's file (text; NULL: none) on top.
 * Errors in the team's file as "name:line: what" on stderr, -1. */
int lead_kindmap_load(struct lead_kindmap *m, const char *team,
    const char *name);
void lead_kindmap_free(struct lead_kindmap *m);
/* Any name map of that file format: the built-in text with the team's
 * on top; kinds: the names mapped to must be activity kinds. */
int lead_namemap_load(struct lead_kindmap *m, const char *builtin,
    const char *team, const char *name, int kinds);
/* The source names leadkit ships: the team's name for each alias. */
extern const char lead_sources_default[];
/* The kind a vendor event name means (the name any map gives), or NULL. */
const char *lead_kindmap_kind(const struct lead_kindmap *m,
    const char *vendor);

/* ---- geo.c: countries and territories ----------------------------------- */

/* The ISO 3166 alpha-2 code of a country as exports write it ("USA",
 * "United States", "Deutschland", "UK"), or NULL if unknown. */
const char *lead_country_code(const char *s);
/* How closely a territory entry covers a lead in this country and
 * region: 4 its country or region by name, 3 a group of countries
 * ("DACH", "Nordics"), 2 a part of the world ("EMEA"), 1 "*", 0 not. */
int lead_territory_match(const char *entry, const char *country,
    const char *region);
/* 1 if a territory entry names a country or region leadkit knows. */
int lead_territory_known(const char *entry);

/* ---- rules.c: the scoring rule language (lead-rules.5) ------------------- */

/* What a field named in a rule reads. */
enum lead_slot_type {
	LEAD_SLOT_COLUMN,	/* a lead column, or SQL over the lead row */
	LEAD_SLOT_ATTR,		/* an imported attribute (lead.attrs) */
	LEAD_SLOT_FREEMAIL,	/* "yes" if the email's domain is free mail */
	LEAD_SLOT_DAYS,		/* whole days from a time to now */
	LEAD_SLOT_SCORE,	/* what the rules make (mql lines only) */
	LEAD_SLOT_FIT,
	LEAD_SLOT_BEHAVIOR,
	LEAD_SLOT_GRADE
};

/* The lead fields a rule may read, and the store's expression of each
 * over a lead row (NULL: made by the scan); store-rules.c holds them. */
struct lead_rulefield {
	const char *name, *sql;
	enum lead_slot_type type;
};
#define LEAD_RULE_FIELDS_MAX 64
extern const struct lead_rulefield lead_rule_fields[];
extern const size_t lead_nrule_fields;
/* The expression of a lead's attribute attr (any bytes); caller frees. */
char *lead_attr_sql(const char *attr);

struct lead_slot {
	enum lead_slot_type type;
	char *name;		/* "title", "attr.seats" */
	char *sql;		/* the expression over a lead row, or NULL */
};

/* The activity fields a behavior rule's where clause reads. */
enum lead_event_field {
	LEAD_EV_CHANNEL, LEAD_EV_ACTOR, LEAD_EV_CONTENT, LEAD_EV_OUTCOME,
	LEAD_EV_NOTE, LEAD_EV_NEXT, LEAD_EV_DUE, LEAD_EV_AMOUNT,
	LEAD_EV_NFIELDS
};
extern const char *const lead_event_fields[LEAD_EV_NFIELDS];

struct lead_cond;

enum lead_rule_type { LEAD_RULE_FIT, LEAD_RULE_BEHAVIOR };

struct lead_rule {
	enum lead_rule_type type;
	int line;
	char *text;		/* the statement as written, for --explain */
	int64_t points;		/* hundredths of a point */
	struct lead_cond *cond;	/* fit: when; behavior: where (or NULL) */
	char *kind;		/* behavior: the activity kind */
	int64_t within;		/* seconds, 0: no window */
	int64_t halflife;	/* seconds, 0: no decay */
	int64_t cap;		/* hundredths, 0: no cap */
	unsigned evfields;	/* bit per lead_event_field the where reads */
};

struct lead_rules {
	struct lead_rule *rule;
	size_t nrule;
	struct lead_grade {
		char *name;
		int64_t min;	/* fit >= min (hundredths) */
		int any;	/* no band: every lead left */
		int line;
	} *grade;		/* highest band first */
	size_t ngrade;
	struct lead_mql {
		struct lead_cond *cond;
		int line;
		char *text;
	} *mql;			/* any one makes a lead sales-ready */
	size_t nmql;
	struct lead_slot *slot;	/* the values fit and mql lines read */
	size_t nslot;
	char **kind;		/* kinds declared with "kind" */
	size_t nkind;
	int64_t reentry;	/* "reentry after DUR": seconds, 0 none */
	int reentry_line;
};

/* The parser's questions to the database: is there a lead with the
 * attribute name (what 0), an activity of the kind name (what 1)? */
typedef int lead_rules_known_fn(void *ctx, int what, const char *name);

/* Parse a rule file.  Errors as "name:line:col: what" on stderr; -1 and
 * r empty if any.  known NULL takes every name on trust. */
int lead_rules_parse(struct lead_rules *r, const char *text, const char *name,
    lead_rules_known_fn *known, void *ctx);
void lead_rules_free(struct lead_rules *r);
/* A condition on its own, one line (lead-report --where), added to r as
 * an mql line: it reads the lead fields of the rules and the stored
 * score, fit, behavior and grade, and extra (name, SQL pairs over a lead
 * row, NULL-terminated; may be NULL) before them.  Errors as
 * "name:1:col: what" on stderr; -1.  r starts zeroed; free it with
 * lead_rules_free either way. */
int lead_where_parse(struct lead_rules *r, const char *text, const char *name,
    lead_rules_known_fn *known, void *ctx, const char *const *extra);
/* The slot of r that a field name reads, as lead_where_parse reads it:
 * its index, or -1 with the error on stderr. */
int lead_where_field(struct lead_rules *r, const char *field, const char *name,
    lead_rules_known_fn *known, void *ctx, const char *const *extra);
/* The value of slot s for the raw value its SQL read: "yes" or NULL for
 * free mail, days before now to a tenth for a time (buf holds it), else
 * raw. */
const char *lead_slot_value(const struct lead_slot *s, const char *raw,
    lead_time now, char buf[32]);
/* A condition over vals (indexed by slot, or by lead_event_field in a
 * where clause); NULL values are missing. */
int lead_cond_eval(const struct lead_cond *c, const char *const *vals);
/* The number in a field value as exports write them ("1,000+",
 * "200-499", "$1.5M"): 1 and *v, or 0 if there is none. */
int lead_value_number(const char *s, double *v);
/* Hundredths as a number: "73.5", "-12.25", "60". */
char *lead_cents_format(int64_t c, char buf[32]);

/* ---- opt.c: options shared by every command ----------------------------- */

/* Codes of the shared options (the short ones are their letters). */
enum lead_optcode {
	LEAD_OPT_HELP = 0x100,
	LEAD_OPT_VERSION,
	LEAD_OPT_WAIT,
	LEAD_OPT_NOW,
	LEAD_OPT_CSV,
	LEAD_OPT_TSV,
	LEAD_OPT_JSON,
	LEAD_OPT_TABLE,
	LEAD_OPT_NO_HEADER,
	LEAD_OPT_RAW,
	LEAD_OPT_DELIM,
	LEAD_OPT_ENCODING,
	LEAD_OPT_SKIP,
	LEAD_OPT_COLUMNS,
	LEAD_OPT_PROGRESS,
	LEAD_OPT_NO_PROGRESS,
	LEAD_OPT_TZ,
	LEAD_OPT_DATE_ORDER,
	LEAD_OPT_FIRST_FREE	/* commands number their own from here */
};

/*
 * A command's options are one table: each line an option (its long
 * name, its letter or 0, the code getopt_long returns, its argument's
 * name or NULL, "[=NAME]" if optional, "NAME..." for the operands it
 * takes instead, and its help, lines joined by \n)
 * or a heading (LEAD_HEADING: a line of --help as it is).  An option
 * with .str or .flag is set there; the others go to the command's
 * function.  From it
 * lead_options_parse builds getopt_long's arrays and lead_usage the
 * --help; tests/001 checks each --help against the man page's OPTIONS.
 */
struct lead_option {
	const char *name;
	int letter;
	int code;
	const char *arg;
	const char *help;
	const char **str;	/* the option sets *str to its argument */
	int *flag;		/* the option sets *flag to 1 */
};
#define LEAD_HEADING(text)	{ .help = text }

/* The groups of shared options a command takes besides those every
 * command takes (-d, --wait, --now, -q, -v, --tz, --date-order, --help,
 * --version). */
enum lead_shared {
	LEAD_TAKES_OUTPUT = 1 << 0,	/* --csv --tsv --json --table
					 * --no-header --raw */
	LEAD_TAKES_INPUT = 1 << 1,	/* --delimiter --encoding --skip */
	LEAD_TAKES_COLUMNS = 1 << 2,	/* --columns (of an input without
					 * a header) */
	LEAD_TAKES_PROGRESS = 1 << 3	/* --progress --no-progress */
};

/* A command: its synopsis (lines without the program name, NULL-
 * terminated), its options (ending with a line of zeros), and the shared
 * groups it takes. */
struct lead_usage {
	const char *const *synopsis;
	const struct lead_option *options;
	unsigned takes;
};

/* What the shared options set. */
struct lead_common {
	const char *db;
	double wait;			/* seconds, default 10 */
	enum lead_fmt fmt;		/* --csv/--tsv/--json/--table */
	int no_header;
	int raw;
	int progress;			/* -1 auto (stderr is a tty), 0, 1 */
	const char *tz;			/* --tz */
	const char *now;		/* --now, read after --tz */
	struct lead_inopts in;		/* reading: fmt, delim, ... */
	struct lead_outopts out;	/* writing */
};

void lead_common_init(struct lead_common *c);
/* Parse the options of argv by the command's table (lead_common_init
 * first): the shared ones into c (--help and --version exit here), the
 * command's own through fn(code, optarg, ctx).  An option the command
 * does not take is a usage error (exit 2).  Leaves optind at the first
 * operand (getopt_long permutes: options may follow operands). */
void lead_options_parse(const struct lead_usage *u, struct lead_common *c,
    int argc, char **argv, void (*fn)(int code, char *arg, void *ctx),
    void *ctx);
/* After option parsing: settle the in/out formats from --csv etc. */
/* An option's text that is kept or shown (a source, a note, a name)
 * must be safe text (lead_text_unsafe): else a usage error. */
void lead_opt_text(const char *name, const char *val, int lines);
void lead_common_done(struct lead_common *c);
_Noreturn void lead_usage(const struct lead_usage *u, int status);
/* Parse a number option or die with a usage error naming the option. */
long lead_opt_long(const char *opt, const char *arg, long min, long max);
double lead_opt_double(const char *opt, const char *arg, double min);
/* Progress on stderr, at most a few times a second: a percentage of
 * total, or a count of records when total is 0.  done < 0: finish. */
void lead_progress(const struct lead_common *c, const char *what,
    int64_t done, int64_t total);

/* ---- score.c: applying the rules to the leads ---------------------------- */

/* The parser's questions (lead_rules_known_fn), answered from the
 * database db (the ctx). */
int lead_rules_known(void *ctx, int what, const char *name);
/* The current rules version (0: none), a version's text (NULL: none;
 * caller frees), and the current rules parsed: lead_rules_load returns
 * the version, or -1 and e (LEAD_EX_USAGE) if there are none or they
 * no longer parse. */
int64_t lead_rules_version(struct lead_conn *db);
char *lead_rules_text(struct lead_conn *db, int64_t id);
int64_t lead_rules_load(struct lead_conn *db, struct lead_rules *r,
    struct lead_err *e);

/* A lead's sum of a rule with a where clause (see where_pass), and the
 * behavior rules of a kind. */
struct lead_wsum {
	int64_t sum;
	long count;
};
struct lead_kindrules {
	size_t *rule, nrule;
};

/* A rule set being applied: its kinds hashed to its behavior rules, and
 * per lead the running sums and the result. */
struct lead_eval {
	const struct lead_rules *r;
	int *col;		/* per slot: column of the lead query */
	struct lead_map kt;	/* kind to its lead_kindrules */
	int wpass;		/* where rules read by where_pass */
	int *widx;		/* per rule: its index among them, or -1 */
	struct lead_map wm;	/* lead id to nw lead_wsums */
	size_t nw;
	int64_t *sum;		/* per rule: points so far (FRAC) */
	long *count;		/* per rule: events matched */
	const char **vals;	/* per slot, for this lead */
	char (*vbuf)[32];	/* per slot: room for a value made (days) */
	/* the result for the lead */
	int64_t *cents;		/* per rule */
	int64_t score, fit, behavior;
	int grade;		/* index, -1: none */
	int mql;		/* index of the mql line met, -1: none */
	char sbuf[4][32];
};

/* The leads (all, or those in temp.pick) and their activity, merged by
 * lead id; one or two rule sets applied to each lead. */
struct lead_scan {
	struct lead_conn *db;
	int pick;
	lead_time now;
	struct lead_eval e[2];
	int ne;
	struct lead_stmt *lq, *aq;
	int nlcol;
	/* the current lead */
	int64_t id, owner;
	const char *email, *stage, *grade;
	int scored;		/* it has a stored score */
	int64_t old_score, old_fit;
	int arc;		/* activity cursor: 0 unstepped, ROW, DONE */
	unsigned evused;	/* touch fields the merged scan reads */
	long nbad;		/* events with an unreadable time */
};

/* Start a scan of every lead (pick 0) or of those in temp.pick, scoring
 * each under r0 and, if given, r1 too, as at time now.  progress: where
 * a long pass reports. */
void lead_scan_open(struct lead_scan *s, struct lead_conn *db, int pick, lead_time now,
    const struct lead_rules *r0, const struct lead_rules *r1,
    const struct lead_common *progress);
/* The next lead, scored: 1, or 0 at the end. */
int lead_scan_next(struct lead_scan *s);
void lead_scan_close(struct lead_scan *s);
/* The grade a rule set gave the lead, or NULL. */
const char *lead_eval_grade(const struct lead_eval *e);
/* (Re)make the empty temp table pick (id INTEGER PRIMARY KEY). */
void lead_pick_create(struct lead_conn *db);
/* Add the leads a list names to temp.pick: lead-import -p output (id,
 * email), any CSV/TSV with an email column, or bare emails one a line.
 * The number of records that name no lead (each reported); -1 and e if
 * the list cannot be read (lead_list_read). */
long lead_pick_file(struct lead_conn *db, const char *path,
    const struct lead_inopts *in, struct lead_err *e);
/* A REAL column in hundredths. */
int64_t lead_db_cents(struct lead_stmt *st, int col);

/* ---- lifecycle.c: the one lifecycle policy (lead.7, LIFECYCLE) --------- */

/* A lead as a command names it. */
struct lead_ref {
	int64_t id;
	char email[320];	/* "" for a lead known only by a source key */
	char label[400];	/* how messages name it: the email, else
				 * "lead 15 (lead_id 00Q5)" */
	int forgotten;
};

/* Find the lead that arg names: an email; "id:N" or N, a leadkit id;
 * "SYSTEM:KEY" or KEY, a source key (lead_key).  1 if found; 0 with why
 * set if there is none, arg is invalid, or it names two leads (an id and
 * another lead's key). */
int lead_ref_find(struct lead_conn *db, const char *arg, struct lead_ref *r,
    char *why, size_t n);
/* lead_ref_find, where keyonly says that a bare word is a source key
 * only (a CRM's id column: its 12345 is not leadkit's lead 12345). */
int lead_ref_find_as(struct lead_conn *db, const char *arg, int keyonly,
    struct lead_ref *r, char *why, size_t n);

/* The leads a list names, read whole (so that "lead-import -p | cmd -"
 * sees what lead-import committed): leadkit's own lists (id, email, ...)
 * by id; any CSV/TSV by its email column, else a key or id column (a
 * CRM's "Lead ID"); or one reference a line.  ref[i] is NULL for a
 * record that names none (reported, counted in bad). */
struct lead_list {
	char *name;		/* for messages: the path, or "stdin" */
	char **ref;		/* n references for lead_ref_find_as */
	long *line;
	unsigned char *askey;	/* per reference: keyonly */
	size_t n;
	long bad;
};
/* NULL and e if the list cannot be opened or read, or names no column
 * a lead is known by. */
struct lead_list *lead_list_read(const char *path,
    const struct lead_inopts *in, struct lead_err *e);
/* Add a reference (the list takes it; NULL for a record that names
 * none). */
void lead_list_add(struct lead_list *l, char *ref, long line, int askey);
void lead_list_free(struct lead_list *l);
/* The column of a header that holds a source key or record id ("Lead
 * ID", "Contact ID", "Record ID", "id", ...), or -1. */
int lead_key_col(const struct lead_record *hdr);

/* Do-not-contact channels, as bits. */
enum { LEAD_DNC_EMAIL = 1, LEAD_DNC_PHONE = 2 };
/* The bits a suppression channel (email, phone, all) stops; 0 if it is
 * none of those. */
int lead_optout_bits(const char *channel);
/* The channels the suppression list stops for an email (it, or the hash
 * a forgotten person is kept by), and the reason (caller frees). */
int lead_optout_find(struct lead_conn *db, const char *email, char **reason);
/* 1 if the suppression list holds hashed (forgotten) addresses. */
int lead_optouts_hashed(struct lead_conn *db);
/* A lead that has just come to exist with this email, or just got it:
 * flag it as the suppression list says.  The bits newly set. */
int lead_optout_apply(struct lead_conn *db, int64_t id, const char *email,
    const char *at);
/* "email", "phone", "email, phone", or NULL: the channels blocked. */
const char *lead_dnc_text(int dnc_email, int dnc_phone);
/* Why a contact on channel (email, call, sms, meeting, ..., all) is
 * blocked by the flags, or NULL if it is not. */
const char *lead_dnc_blocks(const char *channel, int dnc_email,
    int dnc_phone);

/* The kinds leadkit itself names (lead.7), NULL-terminated. */
extern const char *const lead_std_kinds[];
/* 1 if a kind is the lead's own doing (an open, a visit, a download,
 * a webinar; any kind a team adds that is not a contact by sales). */
int lead_kind_behavior(const char *kind);
/* The kinds that are not behaviour, as SQL literals for "kind NOT IN". */
const char *lead_behavior_sql(void);
/* The stage a stage word used as a kind moves the lead to (quote:
 * opportunity, won, lost, disqualified, sql, nurture), or NULL. */
const char *lead_kind_stage(const char *kind);
/* NULL if a rep may type this kind (standard, a stage word, or declared
 * by the team); else why not, with a suggestion (caller frees). */
char *lead_kind_unknown(const char *kind, const char *const *declared,
    size_t nd);

/* How a lead last came back from sales to marketing. */
struct lead_return {
	char at[LEAD_TIME_LEN];	/* when */
	char how[16];		/* rejected, recycled, nurtured */
	char by[256];		/* the rep whose lead it was (else the actor) */
	char reason[512];
	int64_t rep;		/* that rep's id, 0 if none */
	int rejected;		/* times rejected in all */
};
/* 1 and r filled if the lead came back from sales (to nurture from mql
 * or later), else 0. */
int lead_return_find(struct lead_conn *db, int64_t lead, struct lead_return *r);
/* Every lead that came back from sales, as lead_return_find finds
 * them: its id, in decimal, a key of set. */
void lead_returned_leads(struct lead_conn *db, struct lead_strmap *set);
/* Up to max returns of the lead, the latest first; how many. */
size_t lead_returns(struct lead_conn *db, int64_t lead, struct lead_return *r,
    size_t max);
/* 1 if the lead may become sales-ready now: it never came back from
 * sales, or it has behaved since it did, or the re-entry time (seconds
 * after it came back; 0: none) has passed.  Else 0 and why. */
int lead_requalify(struct lead_conn *db, int64_t lead, lead_time now, int64_t reentry,
    char *why, size_t n);

/* The active reps of the team, for the commands that name one. */
struct lead_reps {
	int64_t *id;
	char **name, **email;	/* email[i] may be NULL */
	size_t n;
	int loaded;
};
void lead_reps_load(struct lead_conn *db, struct lead_reps *t);
void lead_reps_free(struct lead_reps *t);
/* The rep who names: a name or email (any case), or an unambiguous
 * prefix of either.  Its index, or -1 with why (with suggestions). */
int lead_rep_match(const char *who, const char *const *names,
    const char *const *emails, size_t n, char *why, size_t nwhy);

#endif
