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

_Noreturn void
lead_usage(const struct lead_usage *u, int status)
{
	FILE *fp = status == 0 ? stdout : stderr;

	for (size_t i = 0; u->synopsis[i]; i++)
		fprintf(fp, "%s %s %s\n", i == 0 ? "usage:" : "      ",
		    lead_progname, u->synopsis[i]);
	if (status == 0)
		fprintf(fp, "\n%s", u->options);
	else
		fprintf(fp, "Try '%s --help' for more.\n", lead_progname);
	exit(status);
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

int
lead_opt_common(struct lead_common *c, int opt, const char *arg,
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
