/*
 * time.c: reading the time stamps that exports carry, writing them as
 * UTC ISO 8601, durations, and the clock that --now and $LEAD_NOW fix.
 *
 * Everything is computed here from the civil calendar (proleptic
 * Gregorian) rather than with strptime, mktime or timegm, so that results
 * do not depend on the locale or the C library.  Only a time given in a
 * named zone's local time (--tz, $LEAD_TZ) asks the C library, through
 * localtime_r and the system's zone database, for that zone's offset.
 * The parser reads only between the trimmed ends of its input.
 *
 * Accepted time forms (surrounding white space ignored; month and weekday
 * names, AM/PM and zone names in any case):
 *
 *   2026-11-22T09:30:00Z  2026-11-22T09:30:00.123+01:00  2026-11-22T09:30Z
 *   2026-11-22 09:30[:SS] 2026-11-22  2026/11/22 [09:30[:SS]]
 *   11/22/2026  22/11/2026  22.11.2026  22-11-2026  5/7/24  [,] [9:30[:SS] [AM|PM]]
 *   Nov 22, 2026 [9:30[:SS] [AM|PM]]  Nov 22 2026 9:30AM
 *   22 Nov 2026 [14:05[:SS]]  15 Apr, 2021 00:03:00  7th May 2024
 *   May 7th, 2024 at 10:26 AM
 *   Sun, 22 Nov 2026 09:30:00 +0000
 *   epoch seconds (9 or 10 digits) or milliseconds (13 digits)
 *
 * A numeric date's order of day and month is the caller's (a column's,
 * decided from its values) or --date-order's; else a first number over
 * 12 is a day, a second over 12 a day, and otherwise '/' is month first
 * (as US exports write it) and '.' and '-' day first.  Two-digit years
 * are 2000-2068 and 1969-1999, as POSIX reads them.
 *
 * After a time of day: Z, UTC, GMT, +HH:MM, +HHMM, +HH (or -), or one of
 * EST EDT CST CDT MST MDT PST PDT, taken as fixed offsets whatever the
 * date.  No zone means UTC, or the local time of --tz's zone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lead.h"

#define YEAR_MIN	1900
#define YEAR_MAX	9999

/* Durations longer than about a century are typing mistakes. */
#define DUR_MAX		((int64_t)3155760000)	/* 100 * 365.25 days */

/* A read position and the end it must never pass. */
struct cur {
	const char *p, *end;
};

struct when {
	int year, mon, day;
	int hour, min, sec;
	int wday;		/* -1: no weekday given */
	long off;		/* seconds east of UTC */
	int zoned;		/* the input gave its zone */
};

/* --date-order: how ambiguous numeric dates read; 0: by separator. */
static int date_order;
/* --tz: times without a zone are local times of TZ's zone. */
static int tz_local;

static const char *const monthnames[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};

static const char *const daynames[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday"
};

static const struct {
	const char *name;
	long off;
} zones[] = {
	{ "z", 0 }, { "utc", 0 }, { "gmt", 0 },
	{ "est", -5 * 3600 }, { "edt", -4 * 3600 },
	{ "cst", -6 * 3600 }, { "cdt", -5 * 3600 },
	{ "mst", -7 * 3600 }, { "mdt", -6 * 3600 },
	{ "pst", -8 * 3600 }, { "pdt", -7 * 3600 }
};

/* ASCII only: <ctype.h> answers depend on the locale. */
static int
isdig(int c)
{
	return c >= '0' && c <= '9';
}

static int
isalph(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
isblankc(int c)
{
	return c == ' ' || c == '\t';
}

static int
isws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
at_end(const struct cur *c)
{
	return c->p >= c->end;
}

static int
peek(const struct cur *c)
{
	return c->p < c->end ? (unsigned char)*c->p : -1;
}

/* Skip blanks, the no-break spaces too (U+00A0, and U+202F that CLDR
 * puts before AM and PM: "10:26\u202fAM"); the number skipped. */
static int
blanks(struct cur *c)
{
	int n = 0;

	for (;;) {
		size_t left = (size_t)(c->end - c->p);

		if (left >= 1 && isblankc((unsigned char)*c->p))
			c->p++;
		else if (left >= 2 && memcmp(c->p, "\xc2\xa0", 2) == 0)
			c->p += 2;
		else if (left >= 3 && memcmp(c->p, "\xe2\x80\xaf", 3) == 0)
			c->p += 3;
		else
			return n;
		n++;
	}
}

static int
accept(struct cur *c, int ch)
{
	if (peek(c) != ch)
		return 0;
	c->p++;
	return 1;
}

/*
 * A run of between min and max digits, no more: a longer run is an error
 * rather than two numbers, so "0930" is never an hour and a minute.
 */
static int
number(struct cur *c, int min, int max, int *v)
{
	const char *q = c->p;
	int n = 0, val = 0;

	while (q < c->end && isdig((unsigned char)*q)) {
		if (n < max)
			val = val * 10 + (*q - '0');
		q++;
		n++;
	}
	if (n < min || n > max)
		return -1;
	c->p = q;
	*v = val;
	return 0;
}

/* A run of letters, compared without case against a lower-case name. */
static int
wordis(const char *w, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (name[i] == '\0' || lower((unsigned char)w[i]) != name[i])
			return 0;
	return name[i] == '\0';
}

static size_t
wordlen(const struct cur *c)
{
	const char *q = c->p;

	while (q < c->end && isalph((unsigned char)*q))
		q++;
	return (size_t)(q - c->p);
}

/* A month name, full or in three letters ("Sept" too): 1-12, or -1. */
static int
month(struct cur *c)
{
	size_t n = wordlen(c);
	char abbr[4];

	for (int i = 0; i < 12; i++) {
		memcpy(abbr, monthnames[i], 3);
		abbr[3] = '\0';
		if (wordis(c->p, n, monthnames[i]) || wordis(c->p, n, abbr) ||
		    (i == 8 && wordis(c->p, n, "sept"))) {
			c->p += n;
			return i + 1;
		}
	}
	return -1;
}

/* A weekday name, full or in three letters: 0 (Sunday) to 6, or -1. */
static int
weekday(struct cur *c)
{
	size_t n = wordlen(c);
	char abbr[4];

	for (int i = 0; i < 7; i++) {
		memcpy(abbr, daynames[i], 3);
		abbr[3] = '\0';
		if (wordis(c->p, n, daynames[i]) || wordis(c->p, n, abbr)) {
			c->p += n;
			return i;
		}
	}
	return -1;
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
mdays(int y, int m)
{
	static const int d[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date, after Howard
 * Hinnant's days_from_civil: eras of 400 years make it exact and free
 * of tables.
 */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil. */
static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/*
 * A time of day: H:MM[:SS[.fff]], the hour in exactly two digits when
 * hour2 (ISO 8601), then AM or PM if ampm allows it.  "9:30AM" and
 * "9:30 AM" both read.
 */
static int
daytime(struct cur *c, struct when *w, int hour2, int ampm)
{
	const char *save;
	int pm = -1;
	size_t n;

	if (number(c, hour2 ? 2 : 1, 2, &w->hour) < 0 || !accept(c, ':') ||
	    number(c, 2, 2, &w->min) < 0)
		return -1;
	w->sec = 0;
	if (accept(c, ':')) {
		if (number(c, 2, 2, &w->sec) < 0)
			return -1;
		/* Fractions of a second are dropped, however many digits. */
		if (accept(c, '.')) {
			if (!isdig(peek(c)))
				return -1;
			while (isdig(peek(c)))
				c->p++;
		}
	}
	if (ampm) {
		save = c->p;
		blanks(c);
		n = wordlen(c);
		if (wordis(c->p, n, "am"))
			pm = 0;
		else if (wordis(c->p, n, "pm"))
			pm = 1;
		if (pm >= 0)
			c->p += n;
		else
			c->p = save;
	}
	if (pm >= 0) {
		if (w->hour < 1 || w->hour > 12)
			return -1;
		w->hour = w->hour % 12 + (pm ? 12 : 0);
	}
	if (w->hour > 23 || w->min > 59 || w->sec > 60)
		return -1;
	/* A leap second is stored as the second before it. */
	if (w->sec == 60)
		w->sec = 59;
	return 0;
}

/* An optional zone after the time of day, then the end of the input. */
static int
zone(struct cur *c, struct when *w)
{
	int sign, hh, mm = 0, v;
	size_t n;
	const char *q;

	w->off = 0;
	blanks(c);
	if (at_end(c))
		return 0;
	w->zoned = 1;
	if (peek(c) == '+' || peek(c) == '-') {
		sign = *c->p++ == '-' ? -1 : 1;
		q = c->p;
		while (q < c->end && isdig((unsigned char)*q))
			q++;
		if (q - c->p == 4) {
			if (number(c, 4, 4, &v) < 0)
				return -1;
			hh = v / 100;
			mm = v % 100;
		} else if (number(c, 2, 2, &hh) < 0)
			return -1;
		else if (accept(c, ':') && number(c, 2, 2, &mm) < 0)
			return -1;
		if (hh > 23 || mm > 59)
			return -1;
		w->off = sign * (hh * 3600L + mm * 60L);
	} else {
		n = wordlen(c);
		if (n == 0)
			return -1;
		for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
			if (wordis(c->p, n, zones[i].name)) {
				w->off = zones[i].off;
				c->p += n;
				return at_end(c) ? 0 : -1;
			}
		return -1;
	}
	return at_end(c) ? 0 : -1;
}

/* The rest after a date that may stop there: " time [zone]" or nothing. */
static int
rest(struct cur *c, struct when *w, int hour2, int ampm)
{
	if (at_end(c))
		return 0;
	/* "4/17/23, 7:29:57 PM": a comma may come before the time, and
	 * "May 7, 2024 at 10:26 AM" says "at". */
	if (accept(c, ',') + blanks(c) == 0)
		return -1;
	if (wordis(c->p, wordlen(c), "at")) {
		c->p += 2;
		if (blanks(c) == 0)
			return -1;
	}
	if (daytime(c, w, hour2, ampm) < 0)
		return -1;
	return zone(c, w);
}

/* YYYY-MM-DD or YYYY/MM/DD, then 'T' or blanks and a time, and a zone. */
static int
iso(struct cur *c, struct when *w)
{
	int sep;

	if (number(c, 4, 4, &w->year) < 0)
		return -1;
	sep = peek(c);
	if (sep != '-' && sep != '/')
		return -1;
	c->p++;
	if (number(c, 2, 2, &w->mon) < 0 || !accept(c, sep) ||
	    number(c, 2, 2, &w->day) < 0)
		return -1;
	if (sep == '-' && (peek(c) == 'T' || peek(c) == 't')) {
		c->p++;
		if (daytime(c, w, 1, 0) < 0)
			return -1;
		return zone(c, w);
	}
	return rest(c, w, 1, 0);
}

/*
 * A numeric date, N/N/YYYY, N.N.YYYY or N-N-YYYY (or a two-digit year):
 * in the order given, else by its numbers, else by its separator.
 */
static int
numeric(struct cur *c, struct when *w, int order)
{
	const char *y;
	int a, b, sep;

	if (number(c, 1, 2, &a) < 0)
		return -1;
	sep = peek(c);
	if (sep != '/' && sep != '.' && sep != '-')
		return -1;
	c->p++;
	y = NULL;
	if (number(c, 1, 2, &b) < 0 || !accept(c, sep) ||
	    (y = c->p, number(c, 2, 4, &w->year)) < 0 || c->p - y == 3)
		return -1;
	if (c->p - y == 2)
		w->year += w->year < 69 ? 2000 : 1900;
	if (order == 0)
		order = date_order;
	if (order == 0)
		order = a > 12 ? LEAD_DATE_DMY : b > 12 ? LEAD_DATE_MDY :
		    sep == '/' ? LEAD_DATE_MDY : LEAD_DATE_DMY;
	w->day = order == LEAD_DATE_DMY ? a : b;
	w->mon = order == LEAD_DATE_DMY ? b : a;
	return rest(c, w, 0, 1);
}

/* An English ordinal's ending after a day: "7th", "1st", "22nd". */
static void
ordinal(struct cur *c)
{
	size_t n = wordlen(c);

	if (wordis(c->p, n, "st") || wordis(c->p, n, "nd") ||
	    wordis(c->p, n, "rd") || wordis(c->p, n, "th"))
		c->p += n;
}

/* "Nov 22, 2026", "Nov 22 2026" and "May 7th, 2024", then an optional
 * time. */
static int
monthfirst(struct cur *c, struct when *w)
{
	if ((w->mon = month(c)) < 0 || blanks(c) == 0 ||
	    number(c, 1, 2, &w->day) < 0)
		return -1;
	ordinal(c);
	if (accept(c, ',')) {
		blanks(c);
	} else if (blanks(c) == 0)
		return -1;
	if (number(c, 4, 4, &w->year) < 0)
		return -1;
	return rest(c, w, 0, 1);
}

/* "22 Nov 2026", "15 Apr, 2021" and RFC 2822's "22 Nov 2026 09:30:00
 * +0000"; "22-Nov-2026" too. */
static int
dayfirst(struct cur *c, struct when *w)
{
	if (number(c, 1, 2, &w->day) < 0 || (ordinal(c), 0) ||
	    (accept(c, '-') == 0 && blanks(c) == 0) ||
	    (w->mon = month(c)) < 0 ||
	    (accept(c, ',') + accept(c, '-') + blanks(c) == 0) ||
	    number(c, 4, 4, &w->year) < 0)
		return -1;
	return rest(c, w, 0, 1);
}

/* Epoch seconds in 9 or 10 digits, or milliseconds in 13. */
static int
epoch(const char *s, size_t n, lead_time *t)
{
	int64_t v = 0;

	if (n != 9 && n != 10 && n != 13)
		return -1;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	*t = n == 13 ? v / 1000 : v;
	return 0;
}

/*
 * The stored form, "2026-11-22T09:30:00Z", read without the general
 * parser: scoring reads ten million of them.  Anything else goes to
 * lead_time_parse.
 */
int
lead_time_stored(const char *s, lead_time *t)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
	int v[20], mo, d, h, mi, se;

	for (int i = 0; i < 20; i++) {
		if (pat[i] == 'd') {
			if (!isdig((unsigned char)s[i]))
				return lead_time_parse(s, t);
			v[i] = s[i] - '0';
		} else if (s[i] != pat[i])
			return lead_time_parse(s, t);
	}
	if (s[20] != '\0')
		return lead_time_parse(s, t);
	mo = v[5] * 10 + v[6];
	d = v[8] * 10 + v[9];
	h = v[11] * 10 + v[12];
	mi = v[14] * 10 + v[15];
	se = v[17] * 10 + v[18];
	{
		int y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];

		if (mo < 1 || mo > 12 || d < 1 || d > mdays(y, mo) ||
		    h > 23 || mi > 59 || se > 60)
			return -1;
		*t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
		    se;
	}
	return 0;
}

/* The offset east of UTC of the --tz zone at t. */
static long
tz_offset(int64_t t)
{
	static int64_t hour = INT64_MIN;
	static long off;
	time_t tt = (time_t)t;
	struct tm tm;

	/* Offsets change on the hour or the half hour: one lookup an
	 * hour is enough for a file sorted by time. */
	if (t / 1800 == hour)
		return off;
	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	hour = t / 1800;
	off = tm.tm_gmtoff;
	return off;
}

/* A wall-clock time of the --tz zone as UTC.  A time the clocks
 * skipped reads with the offset before the change; one they went
 * through twice, as the second. */
static int64_t
from_local(int64_t local)
{
	long o1 = tz_offset(local), o2;
	int64_t t = local - o1;

	if ((o2 = tz_offset(t)) != o1)
		t = local - o2;
	return t;
}

/* A numeric date's shape: its two first numbers and its separator, or
 * 0 if s does not start with one ("28-08-2022 17:00": 28, 8, '-'). */
static int
shape(const char *s, int *a, int *b)
{
	int sep, n;

	while (isws((unsigned char)*s))
		s++;
	for (*a = 0, n = 0; isdig((unsigned char)*s) && n < 3; s++, n++)
		*a = *a * 10 + (*s - '0');
	if (n < 1 || n > 2 || (*s != '/' && *s != '.' && *s != '-'))
		return 0;
	sep = *s++;
	for (*b = 0, n = 0; isdig((unsigned char)*s) && n < 3; s++, n++)
		*b = *b * 10 + (*s - '0');
	if (n < 1 || n > 2 || *s != sep)
		return 0;
	return sep;
}

int
lead_time_order_hint(const char *s, int *sep)
{
	int a, b;

	if ((*sep = shape(s, &a, &b)) == 0)
		return -1;
	if (a > 12 && b <= 12)
		return LEAD_DATE_DMY;
	if (b > 12 && a <= 12)
		return LEAD_DATE_MDY;
	return 0;
}

int
lead_time_read(const char *s, int order, lead_time *t)
{
	struct cur c;
	struct when w = { .wday = -1 };
	const char *q;
	int64_t days;
	int rc;

	if (s == NULL)
		return -1;
	c.p = s;
	c.end = s + strlen(s);
	while (c.p < c.end && isws((unsigned char)*c.p))
		c.p++;
	while (c.end > c.p && isws((unsigned char)c.end[-1]))
		c.end--;
	if (at_end(&c))
		return -1;

	for (q = c.p; q < c.end && isdig((unsigned char)*q); q++)
		continue;
	if (q == c.end)
		return epoch(c.p, (size_t)(c.end - c.p), t);

	if (isalph(peek(&c))) {
		/* An optional weekday, as RFC 2822 and some exports lead. */
		q = c.p;
		if ((w.wday = weekday(&c)) >= 0) {
			if (accept(&c, ','))
				blanks(&c);
			else if (blanks(&c) == 0)
				return -1;
		} else
			c.p = q;
	}

	if (isalph(peek(&c)))
		rc = monthfirst(&c, &w);
	else {
		for (q = c.p; q < c.end && isdig((unsigned char)*q); q++)
			continue;
		if (q - c.p == 4 && w.wday < 0)
			rc = iso(&c, &w);
		else if (q - c.p <= 2 && q < c.end && (*q == '/' ||
		    *q == '.' || (*q == '-' && q + 1 < c.end &&
		    isdig((unsigned char)q[1]))) && w.wday < 0)
			rc = numeric(&c, &w, order);
		else if (q - c.p <= 2)
			rc = dayfirst(&c, &w);
		else
			rc = -1;
	}
	if (rc < 0 || !at_end(&c))
		return -1;

	if (w.year < YEAR_MIN || w.year > YEAR_MAX || w.mon < 1 ||
	    w.mon > 12 || w.day < 1 || w.day > mdays(w.year, w.mon))
		return -1;
	days = days_from_civil(w.year, w.mon, w.day);
	/* A weekday that disagrees with the date means the date is wrong. */
	if (w.wday >= 0 && ((days % 7) + 11) % 7 != w.wday)
		return -1;
	*t = days * 86400 + w.hour * 3600 + w.min * 60 + w.sec;
	/* An offset in the value always wins over --tz. */
	*t = w.zoned ? *t - w.off : tz_local ? from_local(*t) : *t;
	return 0;
}

int
lead_time_parse(const char *s, lead_time *t)
{
	return lead_time_read(s, 0, t);
}

void
lead_timecol_learn(struct lead_timecol *c, const char *v, long line)
{
	int sep, o = lead_time_order_hint(v, &sep);

	if (o < 0)
		return;
	c->sep = c->sep ? c->sep : sep;
	if (o == 0) {
		c->either++;
		return;
	}
	if ((o == LEAD_DATE_DMY ? c->dmy++ : c->mdy++) == 0 &&
	    c->line[o == LEAD_DATE_DMY] == 0) {
		snprintf(c->ex[o == LEAD_DATE_DMY], sizeof c->ex[0], "%s", v);
		c->line[o == LEAD_DATE_DMY] = line;
	}
}

void
lead_timecol_decide(struct lead_timecol *c)
{
	if (date_order)
		c->order = date_order;
	else if (c->dmy > c->mdy)
		c->order = LEAD_DATE_DMY;
	else if (c->mdy > c->dmy)
		c->order = LEAD_DATE_MDY;
	else if (c->dmy + c->mdy + c->either > 0)
		c->order = c->sep == '/' ? LEAD_DATE_MDY : LEAD_DATE_DMY;
}

char *
lead_timecol_text(const struct lead_timecol *c, char *buf, size_t n)
{
	int d = c->order == LEAD_DATE_DMY;

	if (c->order == 0)
		snprintf(buf, n, "no numeric dates");
	else if (date_order)
		snprintf(buf, n, "%s (--date-order)", d ? "day first" :
		    "month first");
	else if (c->dmy && c->mdy)
		snprintf(buf, n, "%s, as most values say (%ld against %ld; "
		    "'%s' on line %ld disagrees; --date-order decides)",
		    d ? "day first" : "month first", d ? c->dmy : c->mdy,
		    d ? c->mdy : c->dmy, c->ex[!d], c->line[!d]);
	else if (c->dmy || c->mdy)
		snprintf(buf, n, "%s ('%s' on line %ld can be read no other "
		    "way)", d ? "day first" : "month first", c->ex[d],
		    c->line[d]);
	else
		snprintf(buf, n, "%s, the default for dates written with '%c' "
		    "(no value in the first rows settles it; --date-order "
		    "decides)", d ? "day first" : "month first", c->sep);
	return buf;
}

void
lead_date_order_set(int order)
{
	date_order = order;
}

int
lead_time_zone_set(const char *name, char *why, size_t n)
{
	const char *dir = getenv("TZDIR");
	char path[4096], magic[4];
	FILE *fp;

	if (name == NULL || *name == '\0' || strcmp(name, "UTC") == 0) {
		tz_local = 0;
		return 0;
	}
	if (name[0] == '/' || name[0] == ':' || strstr(name, "..") ||
	    strlen(name) > 200) {
		snprintf(why, n, "'%.200s' is not a zone name (Area/City, as "
		    "Europe/Berlin)", name);
		return -1;
	}
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir :
	    "/usr/share/zoneinfo", name);
	if ((fp = fopen(path, "rb")) == NULL ||
	    fread(magic, 1, 4, fp) != 4 || memcmp(magic, "TZif", 4) != 0) {
		if (fp)
			fclose(fp);
		snprintf(why, n, "no zone '%.200s' in the zone database (%s; "
		    "Debian's tzdata package)", name, dir && *dir ? dir :
		    "/usr/share/zoneinfo");
		return -1;
	}
	fclose(fp);
	if (setenv("TZ", name, 1) < 0) {
		snprintf(why, n, "cannot set TZ");
		return -1;
	}
	tzset();
	tz_local = 1;
	return 0;
}

/* n as digits zero-padded to width, at p; the position after them. */
static char *
digits(char *p, int n, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + n % 10);
		n /= 10;
	}
	return p + width;
}

/*
 * The buffer holds four-digit years only, so times outside years 0000 to
 * 9999 are written as the nearest end of that range rather than overrun it.
 * The digits are placed by hand: nothing here depends on printf's idea of
 * how wide a number might be.
 */
char *
lead_time_format(lead_time t, char *buf)
{
	const lead_time lo = -62167219200LL;	/* 0000-01-01T00:00:00Z */
	const lead_time hi = 253402300799LL;	/* 9999-12-31T23:59:59Z */
	int64_t days, y;
	int secs, m, d;
	char *p;

	if (t < lo)
		t = lo;
	if (t > hi)
		t = hi;
	days = t / 86400;
	secs = (int)(t % 86400);
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	p = digits(buf, (int)y, 4);
	*p++ = '-';
	p = digits(p, m, 2);
	*p++ = '-';
	p = digits(p, d, 2);
	*p++ = 'T';
	p = digits(p, secs / 3600, 2);
	*p++ = ':';
	p = digits(p, secs / 60 % 60, 2);
	*p++ = ':';
	p = digits(p, secs % 60, 2);
	*p++ = 'Z';
	*p = '\0';
	return buf;
}

/*
 * NUMBER UNIT pairs with units w, d, h, m, s, each unit at most once and
 * largest first ("1h30m", not "30m1h"), so a typo cannot pass for a
 * different length.  A bare number is refused: minutes or seconds?
 */
int
lead_duration_parse(const char *s, int64_t *secs)
{
	static const char units[] = "wdhms";
	static const int64_t scale[] = { 604800, 86400, 3600, 60, 1 };
	const char *p, *end, *u;
	int64_t total = 0, v;
	int next = 0;	/* index in units of the smallest allowed next */

	if (s == NULL)
		return -1;
	p = s;
	end = s + strlen(s);
	while (p < end && isws((unsigned char)*p))
		p++;
	while (end > p && isws((unsigned char)end[-1]))
		end--;
	if (p == end)
		return -1;
	while (p < end) {
		if (!isdig((unsigned char)*p))
			return -1;
		for (v = 0; p < end && isdig((unsigned char)*p); p++) {
			v = v * 10 + (*p - '0');
			if (v > DUR_MAX)
				return -1;
		}
		if (p == end || (u = strchr(units, *p)) == NULL)
			return -1;
		if (u - units < next)
			return -1;
		next = (int)(u - units) + 1;
		p++;
		if (v > (DUR_MAX - total) / scale[u - units])
			return -1;
		total += v * scale[u - units];
	}
	*secs = total;
	return 0;
}

/* 0: not settled yet; 1: fixed at nowval; 2: the system clock. */
static int nowmode;
static lead_time nowval;

void
lead_now_set(const char *s)
{
	if (s == NULL) {
		s = getenv("LEAD_NOW");
		if (s == NULL || *s == '\0') {
			nowmode = 2;
			return;
		}
		if (lead_time_parse(s, &nowval) < 0)
			lead_die(LEAD_EX_USAGE, "invalid LEAD_NOW time '%s'",
			    s);
	} else if (lead_time_parse(s, &nowval) < 0)
		lead_die(LEAD_EX_USAGE, "invalid --now time '%s'", s);
	nowmode = 1;
}

lead_time
lead_now(void)
{
	if (nowmode == 0)
		lead_now_set(NULL);
	return nowmode == 1 ? nowval : (lead_time)time(NULL);
}

int
lead_now_fixed(void)
{
	lead_now();
	return nowmode == 1;
}

char *
lead_duration_text(int64_t s, char *buf, size_t n)
{
	if (s >= 86400)
		snprintf(buf, n, "%lldd %lldh", (long long)(s / 86400),
		    (long long)(s % 86400 / 3600));
	else if (s >= 3600)
		snprintf(buf, n, "%lldh %lldm", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	else
		snprintf(buf, n, "%lldm", (long long)(s / 60));
	return buf;
}
