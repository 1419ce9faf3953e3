/*
 * opt.c: the options every command shares, usage, and progress.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lead.h"

void
lead_common_init(struct lead_common *c)
{
	const char *w = getenv("LEAD_WAIT");

	memset(c, 0, sizeof *c);
	lead_stdout_init();
	lead_signals_init();
	c->wait = 10;
	c->progress = -1;
	if (w && *w)
		c->wait = lead_opt_double("LEAD_WAIT", w, 0);
}

long
lead_opt_long(const char *opt, const char *arg, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max)
		lead_die(LEAD_EX_USAGE, "%s: expected a whole number from %ld "
		    "to %ld, not '%s'", opt, min, max, arg);
	return v;
}

double
lead_opt_double(const char *opt, const char *arg, double min)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !(v >= min) || v > 1e15)
		lead_die(LEAD_EX_USAGE, "%s: expected a number, not '%s'",
		    opt, arg);
	return v;
}

/* "," ";" "|" "tab" "\t" ... as one byte. */
static int
delimiter(const char *arg)
{
	if (!strcmp(arg, "tab") || !strcmp(arg, "\\t") || !strcmp(arg, "\t"))
		return '\t';
	if (!strcmp(arg, "semicolon"))
		return ';';
	if (!strcmp(arg, "comma"))
		return ',';
	if (!strcmp(arg, "pipe"))
		return '|';
	if (strlen(arg) != 1 || arg[0] == '"' || arg[0] == '\n' ||
	    arg[0] == '\r' || (unsigned char)arg[0] >= 0x80)
		lead_die(LEAD_EX_USAGE, "--delimiter: expected one ASCII "
		    "character (or tab), not '%s'", arg);
	return (unsigned char)arg[0];
}

/* The shared options, by group (0: every command takes them). */
static const struct shared {
	unsigned group;
	struct lead_option o;
} shared[] = {
	{ 0, { "db", 'd', 'd', "FILE", .help = NULL } },
	{ 0, { "wait", 0, LEAD_OPT_WAIT, "SECS", .help = NULL } },
	{ 0, { "now", 0, LEAD_OPT_NOW, "TIME", .help = NULL } },
	{ 0, { "quiet", 'q', 'q', NULL, .help = NULL } },
	{ 0, { "verbose", 'v', 'v', NULL, .help = NULL } },
	{ LEAD_TAKES_OUTPUT, { "csv", 0, LEAD_OPT_CSV, NULL, .help = NULL } },
	{ LEAD_TAKES_OUTPUT, { "tsv", 0, LEAD_OPT_TSV, NULL, .help = NULL } },
	{ LEAD_TAKES_OUTPUT, { "json", 0, LEAD_OPT_JSON, NULL, .help = NULL } },
	{ LEAD_TAKES_OUTPUT, { "table", 0, LEAD_OPT_TABLE, NULL, .help = NULL } },
	{ LEAD_TAKES_OUTPUT, { "no-header", 0, LEAD_OPT_NO_HEADER, NULL,
	    .help = NULL } },
	{ LEAD_TAKES_OUTPUT, { "raw", 0, LEAD_OPT_RAW, NULL, .help = NULL } },
	{ LEAD_TAKES_INPUT, { "delimiter", 0, LEAD_OPT_DELIM, "C", .help = NULL } },
	{ LEAD_TAKES_INPUT, { "encoding", 0, LEAD_OPT_ENCODING, "NAME",
	    .help = NULL } },
	{ LEAD_TAKES_INPUT, { "skip", 0, LEAD_OPT_SKIP, "N", .help = NULL } },
	{ LEAD_TAKES_COLUMNS, { "columns", 0, LEAD_OPT_COLUMNS, "LIST",
	    .help = NULL } },
	{ LEAD_TAKES_PROGRESS, { "progress", 0, LEAD_OPT_PROGRESS, NULL,
	    .help = NULL } },
	{ LEAD_TAKES_PROGRESS, { "no-progress", 0, LEAD_OPT_NO_PROGRESS,
	    NULL, .help = NULL } },
	{ 0, { "help", 0, LEAD_OPT_HELP, NULL, .help = NULL } },
	{ 0, { "version", 0, LEAD_OPT_VERSION, NULL, .help = NULL } },
	{ 0, { "tz", 0, LEAD_OPT_TZ, "AREA/CITY", .help = NULL } },
	{ 0, { "date-order", 0, LEAD_OPT_DATE_ORDER, "dmy|mdy", .help = NULL } },
};
enum { NSHARED = sizeof shared / sizeof shared[0] };

static int
takes(const struct lead_usage *u, const struct shared *sh)
{
	return sh->group == 0 || (u->takes & sh->group);
}

/* "-r, --rule-file FILE" */
static void
option_name(struct lead_buf *b, const struct lead_option *o)
{
	if (o->letter)
		lead_buf_addf(b, "-%c, ", o->letter);
	lead_buf_addf(b, "--%s", o->name);
	if (o->arg)
		lead_buf_addf(b, "%s%s", o->arg[0] == '[' ? "" : " ", o->arg);
}

/* The command's options, their help from column 24; then the shared
 * ones it takes, as a list. */
static void
usage_options(FILE *fp, const struct lead_usage *u)
{
	struct lead_buf b = { 0 };
	size_t col;

	for (const struct lead_option *o = u->options; o->name || o->help;
	    o++) {
		if (o->name == NULL) {
			fprintf(fp, "%s\n", o->help);
			continue;
		}
		b.len = 0;
		lead_buf_adds(&b, "  ");
		option_name(&b, o);
		if (b.len > 21) {
			fprintf(fp, "%s\n", b.s);
			b.len = 0;
		}
		for (const char *h = o->help, *nl; h; h = nl ? nl + 1 : NULL) {
			nl = strchr(h, '\n');
			fprintf(fp, "%-24s%.*s\n", b.len ? b.s : "",
			    nl ? (int)(nl - h) : (int)strlen(h), h);
			b.len = 0;
			if (b.s)
				b.s[0] = '\0';
		}
	}
	fprintf(fp, "Common:\n"
	    "  -d, --db FILE         database (default $LEAD_DB, else "
	    "./leads.db)\n");
	col = 0;
	for (size_t i = 1; i < NSHARED; i++) {
		const struct lead_option *o = &shared[i].o;

		if (!takes(u, &shared[i]) || o->code == LEAD_OPT_TZ ||
		    o->code == LEAD_OPT_DATE_ORDER)
			continue;
		b.len = 0;
		option_name(&b, o);
		if (col && col + 2 + b.len > 72) {
			fputs(",\n", fp);
			col = 0;
		} else if (col) {
			fputs(", ", fp);
			col += 2;
		}
		if (col == 0) {
			fputs("  ", fp);
			col = 2;
		}
		fputs(b.s, fp);
		col += b.len;
	}
	fputs("\n  --tz AREA/CITY, --date-order dmy|mdy (times without a zone, "
	    "dates\n  that read either way)\n", fp);
	free(b.s);
}

_Noreturn void
lead_usage(const struct lead_usage *u, int status)
{
	FILE *fp = status == 0 ? stdout : stderr;

	for (size_t i = 0; u->synopsis[i]; i++)
		fprintf(fp, "%s %s %s\n", i == 0 ? "usage:" : "      ",
		    lead_progname, u->synopsis[i]);
	if (status == 0) {
		fputc('\n', fp);
		usage_options(fp, u);
	} else
		fprintf(fp, "Try '%s --help' for more.\n", lead_progname);
	exit(status);
}

/* Handle a shared option.  1 if it was one (help and version exit). */
static int
opt_common(struct lead_common *c, int opt, const char *arg,
    const struct lead_usage *u)
{
	switch (opt) {
	case 'd':
		c->db = arg;
		break;
	case 'q':
		lead_verbosity = lead_verbosity > 0 ? 0 : -1;
		break;
	case 'v':
		lead_verbosity++;
		break;
	case LEAD_OPT_HELP:
		lead_usage(u, 0);
	case LEAD_OPT_VERSION:
		printf("%s (leadkit) %s\n", lead_progname, LEAD_VERSION);
		exit(0);
	case LEAD_OPT_WAIT:
		c->wait = lead_opt_double("--wait", arg, 0);
		break;
	case LEAD_OPT_NOW:
		c->now = arg;
		break;
	case LEAD_OPT_TZ:
		c->tz = arg;
		break;
	case LEAD_OPT_DATE_ORDER:
		if (strcmp(arg, "dmy") == 0)
			lead_date_order_set(LEAD_DATE_DMY);
		else if (strcmp(arg, "mdy") == 0)
			lead_date_order_set(LEAD_DATE_MDY);
		else
			lead_die(LEAD_EX_USAGE, "--date-order: expected dmy (day "
			    "first) or mdy (month first), not '%s'", arg);
		break;
	case LEAD_OPT_CSV:
		c->fmt = LEAD_FMT_CSV;
		break;
	case LEAD_OPT_TSV:
		c->fmt = LEAD_FMT_TSV;
		break;
	case LEAD_OPT_JSON:
		c->fmt = LEAD_FMT_JSON;
		break;
	case LEAD_OPT_TABLE:
		c->fmt = LEAD_FMT_TABLE;
		break;
	case LEAD_OPT_NO_HEADER:
		c->no_header = 1;
		break;
	case LEAD_OPT_RAW:
		c->raw = 1;
		break;
	case LEAD_OPT_DELIM:
		c->in.delim = delimiter(arg);
		break;
	case LEAD_OPT_ENCODING:
		c->in.encoding = arg;
		break;
	case LEAD_OPT_SKIP:
		c->in.skip = lead_opt_long("--skip", arg, 0, 1000000);
		break;
	case LEAD_OPT_COLUMNS:
		c->in.columns = arg;
		break;
	case LEAD_OPT_PROGRESS:
		c->progress = 1;
		break;
	case LEAD_OPT_NO_PROGRESS:
		c->progress = 0;
		break;
	case '?':
	case ':':
		lead_usage(u, LEAD_EX_USAGE);
	default:
		return 0;
	}
	return 1;
}

static void
getopt_add(struct option **lo, size_t *i, struct lead_buf *so,
    const struct lead_option *o)
{
	size_t n = o->arg ? strlen(o->arg) : 0;
	int has = n == 0 || (n > 3 && strcmp(o->arg + n - 3, "...") == 0) ?
	    no_argument : o->arg[0] == '[' ? optional_argument :
	    required_argument;

	(*lo)[(*i)++] = (struct option){ o->name, has, NULL, o->code };
	if (o->letter) {
		lead_buf_addc(so, o->letter);
		if (has != no_argument)
			lead_buf_adds(so, has == optional_argument ? "::" : ":");
	}
}

/* A command's own option: into its variable, or to its function. */
static void
own(const struct lead_usage *u, int code, char *arg,
    void (*fn)(int, char *, void *), void *ctx)
{
	for (const struct lead_option *o = u->options; o->name || o->help;
	    o++) {
		if (o->name == NULL || o->code != code)
			continue;
		if (o->str) {
			*o->str = arg;
			return;
		}
		if (o->flag) {
			*o->flag = 1;
			return;
		}
		break;
	}
	if (fn == NULL)
		lead_usage(u, LEAD_EX_USAGE);
	fn(code, arg, ctx);
}

void
lead_options_parse(const struct lead_usage *u, struct lead_common *c,
    int argc, char **argv, void (*fn)(int, char *, void *), void *ctx)
{
	struct lead_buf so = { 0 };
	struct option *lo;
	size_t n = 0, max = NSHARED + 1;
	int opt;

	for (const struct lead_option *o = u->options; o->name || o->help;
	    o++)
		max++;
	lo = lead_xcalloc(max, sizeof *lo);
	lead_buf_adds(&so, "");
	for (size_t i = 0; i < NSHARED; i++)
		if (takes(u, &shared[i]))
			getopt_add(&lo, &n, &so, &shared[i].o);
	for (const struct lead_option *o = u->options; o->name || o->help;
	    o++)
		if (o->name)
			getopt_add(&lo, &n, &so, o);
	lead_common_init(c);
	while ((opt = getopt_long(argc, argv, so.s, lo, NULL)) != -1) {
		if (opt == '?' || opt == ':')
			lead_usage(u, LEAD_EX_USAGE);
		if (!opt_common(c, opt, optarg, u))
			own(u, opt, optarg, fn, ctx);
	}
	free(lo);
	free(so.s);
}

void
lead_common_done(struct lead_common *c)
{
	if (c->fmt == LEAD_FMT_CSV || c->fmt == LEAD_FMT_TSV)
		c->in.fmt = c->fmt;
	if (c->in.delim == '\t' && c->in.fmt == LEAD_FMT_AUTO)
		c->in.fmt = LEAD_FMT_CSV;
	c->in.no_header = c->no_header && c->in.columns != NULL;
	if (c->in.columns && !c->no_header)
		lead_die(LEAD_EX_USAGE, "--columns goes with --no-header");
	c->out.fmt = c->fmt == LEAD_FMT_AUTO ? LEAD_FMT_TSV : c->fmt;
	c->out.no_header = c->no_header;
	c->out.raw = c->raw;
	if (c->progress < 0)
		c->progress = isatty(STDERR_FILENO);
	/* Local times of a named zone, for every time given without one:
	 * in files, in arguments, in --now. */
	if (c->tz == NULL && (c->tz = getenv("LEAD_TZ")) != NULL && !*c->tz)
		c->tz = NULL;
	if (c->tz) {
		char why[512];

		if (lead_time_zone_set(c->tz, why, sizeof why) < 0)
			lead_die(LEAD_EX_USAGE, "%s: %s", getenv("LEAD_TZ") &&
			    c->tz == getenv("LEAD_TZ") ? "LEAD_TZ" : "--tz", why);
	}
	if (c->now)
		lead_now_set(c->now);
}

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void
lead_progress(const struct lead_common *c, const char *what, int64_t done,
    int64_t total)
{
	static double last;
	static int shown;
	double now;

	if (!c->progress || lead_verbosity < 0)
		return;
	if (done < 0) {
		if (shown)
			fputs("\r\033[K", stderr);
		shown = 0;
		return;
	}
	now = mono();
	if (now - last < 0.25)
		return;
	last = now;
	shown = 1;
	if (total > 0)
		fprintf(stderr, "\r%s: %s: %3d%%", lead_progname, what,
		    (int)(done * 100 / total));
	else
		fprintf(stderr, "\r%s: %s: %lld records", lead_progname, what,
		    (long long)done);
}

void
lead_opt_text(const char *name, const char *val, int lines)
{
	const char *why;

	if (val && (why = lead_text_unsafe(val, lines)) != NULL)
		lead_die(LEAD_EX_USAGE, "%s: the value holds %s; nothing done",
		    name, why);
}
