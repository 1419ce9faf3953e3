/*
 * lead-import: bring lead lists into the lead database.
 *
 * Each input file is one import batch, and the whole invocation one
 * transaction.  A record is matched to a lead by its normalised email, or
 * by the source system's id (--key); a new lead is inserted, a known one
 * merged field by field (fill blanks by default, never blank out, never
 * change the first-touch source), and every change is recorded with its
 * before and after values so that the batch can be undone.  Columns that
 * are not lead fields are kept as attributes (lead.attrs, JSON).
 */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store-copy.h"
#include "store-leads.h"

static const char *const synopsis[] = {
	"[-npqv] [-d db] [--source name] [--campaign name] [--kind kind] "
	    "[--cost amount] [--activity kind [--at-column column]] "
	    "[--key column [--key-system name]] [--map field=column] [--update] "
	    "[--merge field=policy] [--reject file] [--strict] [--force] "
	    "[--suppress [--channel channel]] [--hosts] [format options] "
	    "[file ...]",
	"--undo batch [-nqv] [-d db] [--force]",
	"--forget lead ... [-nqv] [-d db] [format options]",
	"--batches [-d db] [output options]",
	"--sources[=file] [-n] [-d db]",
	"--copy db [-nq] [-d db] [output options]",
	NULL
};

enum {
	OPT_SOURCE = LEAD_OPT_FIRST_FREE, OPT_CAMPAIGN, OPT_KIND, OPT_COST,
	OPT_ACTIVITY, OPT_AT_COLUMN, OPT_KEY, OPT_MAP, OPT_UPDATE, OPT_MERGE,
	OPT_REJECT, OPT_STRICT, OPT_FORCE, OPT_SUPPRESS, OPT_UNDO, OPT_FORGET,
	OPT_BATCHES, OPT_KEY_SYSTEM, OPT_CHANNEL, OPT_SOURCES, OPT_HOSTS,
	OPT_COPY
};

/* How a known lead's field takes a value from the list. */
enum policy { POL_FILL, POL_UPDATE, POL_KEEP };

static struct {
	struct lead_common c;
	int dry_run, print, strict, force, update;
	const char *source, *campaign, *kind, *activity, *at_column, *key;
	const char *key_system;
	double cost;
	int have_cost;
	char **maps;
	size_t nmaps;
	enum policy pol[LF_NFIELDS + 1];
	const char *reject;
	int suppress;
	const char *channel;		/* of --suppress: email, phone, all */
	long undo;
	int forget, batches, sources, hosts;
	const char *sources_file;	/* --sources=FILE */
	const char *copy;		/* --copy DB */
} opt;

static struct lead_err failed;	/* what a library call failed on */

static const struct lead_option options[] = {
	LEAD_HEADING("Attribution:"),
	{ "source", 0, OPT_SOURCE, "NAME",
	    .help = "first-touch source of new leads (webinar, content, ...)",
	    .str = &opt.source },
	{ "campaign", 0, OPT_CAMPAIGN, "NAME",
	    .help = "campaign of this list",
	    .str = &opt.campaign },
	{ "kind", 0, OPT_KIND, "KIND",
	    .help = "kind of list (webinar, whitepaper, tradeshow, crm, ...)",
	    .str = &opt.kind },
	{ "cost", 0, OPT_COST, "AMOUNT",
	    .help = "what the list cost, for cost per lead and ROI\n"
	    "($4,500.00, 4.500,00 EUR, ...)" },
	{ "activity", 0, OPT_ACTIVITY, "KIND",
	    .help = "record each row as a touch of this kind",
	    .str = &opt.activity },
	{ "hosts", 0, OPT_HOSTS, NULL,
	    .help = "import a report's hosts and panelists too",
	    .flag = &opt.hosts },
	{ "at-column", 0, OPT_AT_COLUMN, "COLUMN",
	    .help = "the touch time of each row (default: now)",
	    .str = &opt.at_column },
	LEAD_HEADING("Identity and merging:"),
	{ "key", 0, OPT_KEY, "COLUMN",
	    .help = "the source system's record id (lists without email)",
	    .str = &opt.key },
	{ "key-system", 0, OPT_KEY_SYSTEM, "NAME",
	    .help = "whose ids they are (default: --source, else COLUMN)",
	    .str = &opt.key_system },
	{ "map", 0, OPT_MAP, "FIELD=COLUMN",
	    .help = "read FIELD from COLUMN (repeatable)" },
	{ "update", 0, OPT_UPDATE, NULL,
	    .help = "overwrite fields with the list's non-blank values" },
	{ "merge", 0, OPT_MERGE, "FIELD=POLICY",
	    .help = "per field: fill (default), update or keep" },
	LEAD_HEADING("Safety:"),
	{ "dry-run", 'n', 'n', NULL,
	    .help = "do everything, print the summary, change nothing",
	    .flag = &opt.dry_run },
	{ "reject", 0, OPT_REJECT, "FILE",
	    .help = "write rejected records (with _line and _reason) to FILE",
	    .str = &opt.reject },
	{ "strict", 0, OPT_STRICT, NULL,
	    .help = "any rejected record aborts the whole import, and\n"
	    "a time that cannot be read rejects its record",
	    .flag = &opt.strict },
	{ "force", 0, OPT_FORCE, NULL,
	    .help = "import content already imported; undo with later changes",
	    .flag = &opt.force },
	{ "suppress", 0, OPT_SUPPRESS, "[=ARG]",
	    .help = "the list is do-not-contact (opt-outs, do-not-call)" },
	{ "channel", 0, OPT_CHANNEL, "CHANNEL",
	    .help = "what it stops: email (default), phone or all\n"
	    "(--suppress=CHANNEL says the same)" },
	{ "undo", 0, OPT_UNDO, "BATCH",
	    .help = "reverse an import batch" },
	{ "forget", 0, OPT_FORGET, "LEAD...",
	    .help = "erase a person's personal data; a lead is an email,\n"
	    "an id or a source key (- reads a list from stdin)",
	    .flag = &opt.forget },
	{ "batches", 0, OPT_BATCHES, NULL,
	    .help = "list the import batches",
	    .flag = &opt.batches },
	{ "copy", 0, OPT_COPY, "DB",
	    .help = "copy the leadkit database DB (a file or a URL) whole\n"
	    "into an empty --db, and count both",
	    .str = &opt.copy },
	{ "sources", 0, OPT_SOURCES, "[=FILE]",
	    .help = "print the source map; with FILE, adopt the\n"
	    "team's (source names: NAME: alias | alias)" },
	LEAD_HEADING("Output (--csv, --tsv, --json, --table ... below):"),
	{ "print", 'p', 'p', NULL,
	    .help = "print the affected leads (id, email, status;\n"
	    "and dnc, the channels blocked, for --suppress)",
	    .flag = &opt.print },
	{ 0 }
};

static const struct lead_usage usage = { synopsis, options,
    LEAD_TAKES_OUTPUT | LEAD_TAKES_INPUT | LEAD_TAKES_COLUMNS |
    LEAD_TAKES_PROGRESS };

/* The time of a row that records no touch. */
#define NO_TOUCH INT64_MIN

/* A pseudo-field for --merge: the extra attributes as a whole. */
#define LF_ATTRS LF_NFIELDS

/* The lead columns written from a list, in lead_lead_fields[] order
 * (full_name is split into first and last, never stored). */
static const char *const dbcol[LF_NFIELDS] = {
	[LF_EMAIL] = "email", [LF_FIRST_NAME] = "first_name",
	[LF_LAST_NAME] = "last_name", [LF_FULL_NAME] = NULL,
	[LF_COMPANY] = "company", [LF_TITLE] = "title", [LF_PHONE] = "phone",
	[LF_COUNTRY] = "country", [LF_REGION] = "region", [LF_CITY] = "city",
	[LF_INDUSTRY] = "industry", [LF_COMPANY_SIZE] = "company_size",
	[LF_WEBSITE] = "website", [LF_SOURCE] = "source",
	[LF_CAMPAIGN] = "campaign", [LF_CREATED_AT] = "created_at",
};

/* Lead fields merged under a policy (the rest have fixed rules). */
static const int merged_fields[] = {
	LF_FIRST_NAME, LF_LAST_NAME, LF_COMPANY, LF_TITLE, LF_PHONE,
	LF_COUNTRY, LF_REGION, LF_CITY, LF_INDUSTRY, LF_COMPANY_SIZE,
	LF_WEBSITE,
};
#define NMERGED (sizeof merged_fields / sizeof *merged_fields)

struct counts {
	long read, new, updated, unchanged, merged, rejected;
	long hosts;		/* organisers, hosts, panelists: not leads */
	long moved, owned;	/* stages a status column moved, owners given */
	long unread;		/* optional values kept unread as attributes */
};

/* Everything one input file's import needs. */
struct import {
	struct lead_conn *db;
	struct lead_importer *st;
	struct lead_reader *rd;
	const char *name;
	const struct lead_record *hdr;
	struct lead_colmap map;
	int keycol, atcol;
	int rolecol;		/* a webinar report's role column, or -1 */
	int durcol;		/* its time in session, or -1 */
	int ownercol;		/* a CRM's owner column, or -1 */
	int statuscol;		/* a CRM's lead status or lifecycle stage */
	struct lead_reps reps;		/* the active reps, for ownercol */
	char *keysys;
	int64_t batch;
	struct counts n;
	struct lead_out *print;
	struct lead_rejects *rej;
	char now[LEAD_TIME_LEN];
	int have_optouts;	/* the suppression list is not empty */
	struct lead_kindmap sources;	/* source names to the team's */
	lead_time future;	/* times after this are far in the future */
	long nfuture[2];	/* such times: created_at, --at-column */
	long nunread[2];	/* times that could not be read, the same */
	struct lead_timecol tcol[2];	/* how those columns' dates read */
	char *ftattr[3];	/* the attribute names of the first-touch
				 * columns (source, campaign, created_at) */
	int ahead_on;		/* records read ahead (next_record) */
	struct lead_ahead ahead;
};

/* ---- rejects ---------------------------------------------------------------- */

static void
reject(struct import *im, const struct lead_record *rec, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
reject(struct import *im, const struct lead_record *rec, const char *fmt, ...)
{
	char why[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	im->n.rejected++;
	lead_rejects_add(im->rej, im->name, rec, why);
}

/* ---- statements ------------------------------------------------------------ */

/* ---- one record --------------------------------------------------------------- */


/* The company domain: the website's host, else the email's domain unless
 * it is free mail. */
static char *
domain_of(const char *website, const char *email)
{
	const char *s, *e;

	if (website) {
		s = strstr(website, "://");
		s = s ? s + 3 : website;
		if (strncasecmp(s, "www.", 4) == 0)
			s += 4;
		e = s + strcspn(s, "/:?# ");
		if (e > s && memchr(s, '.', (size_t)(e - s)))
			return lead_lower(lead_xstrndup(s, (size_t)(e - s)));
	}
	if (email) {
		s = lead_email_domain(email);
		if (*s && !lead_freemail(s))
			return lead_xstrdup(s);
	}
	return NULL;
}

/* "Last, First" or "First Middle Last" into the first and last names. */
static void
split_name(struct lead_leadrow *r, const char *full)
{
	const char *comma = strchr(full, ','), *sp;

	if (comma) {
		r->v[LF_LAST_NAME] = lead_trim(lead_xstrndup(full,
		    (size_t)(comma - full)));
		r->v[LF_FIRST_NAME] = lead_trim(lead_xstrdup(comma + 1));
	} else if ((sp = strrchr(full, ' ')) != NULL) {
		r->v[LF_FIRST_NAME] = lead_trim(lead_xstrndup(full,
		    (size_t)(sp - full)));
		r->v[LF_LAST_NAME] = lead_trim(lead_xstrdup(sp + 1));
	} else
		r->v[LF_FIRST_NAME] = lead_xstrdup(full);
	for (int f = LF_FIRST_NAME; f <= LF_LAST_NAME; f++)
		if (r->v[f] && lead_blank(r->v[f])) {
			free(r->v[f]);
			r->v[f] = NULL;
		}
}

/* A mapped value, trimmed; NULL when blank or a placeholder. */
static char *
value(const struct lead_record *rec, int col)
{
	char *s;

	if (col < 0 || (size_t)col >= rec->n)
		return NULL;
	s = lead_trim(rec->f[col]);
	return lead_blank(s) ? NULL : s;
}

/* Extra columns as a JSON object; NULL if there are none. */
static char *
extras_json(const struct import *im, const struct lead_record *rec,
    unsigned unread)
{
	struct lead_buf b = { 0 };

	for (size_t c = 0; c < im->map.ncols && c < rec->n; c++) {
		char *v, *name = NULL;

		/* A value that could not be read is kept as it was
		 * written, under its column's name. */
		if ((unread & 1) && (int)c == im->map.col[LF_CREATED_AT])
			name = lead_attr_name(im->hdr->f[c]);
		else if ((unread & 2) && (int)c == im->atcol)
			name = lead_attr_name(im->hdr->f[c]);
		else if (im->map.field[c] != -1 || (int)c == im->keycol ||
		    (int)c == im->atcol)
			continue;
		if ((v = value(rec, (int)c)) == NULL) {
			free(name);
			continue;
		}
		lead_buf_addc(&b, b.len ? ',' : '{');
		lead_buf_json(&b, name ? name : im->map.attr[c]);
		lead_buf_addc(&b, ':');
		lead_buf_json(&b, v);
		free(name);
	}
	if (b.len)
		lead_buf_addc(&b, '}');
	return b.len ? lead_buf_take(&b) : NULL;
}

/* A time far in the future is kept as given (the list says so), but
 * counted, to be reported once per column: a wrong year or a
 * month/day swap, more often than not. */
static void
future_check(struct import *im, const struct lead_record *rec, int col,
    lead_time t, int which)
{
	if (t <= im->future)
		return;
	im->nfuture[which]++;
	if (lead_verbosity > 0)
		lead_warn_at(im->name, rec->line, "time '%.100s' in '%s' is more "
		    "than a day in the future; kept", lead_trim(rec->f[col]),
		    im->hdr->f[col]);
}

/* A time that cannot be read costs the value, not the lead: kept as an
 * attribute, counted, reported once per column (each with -v). */
static void
unread(struct import *im, const struct lead_record *rec, int col, int which)
{
	im->nunread[which]++;
	im->n.unread++;
	if (lead_verbosity > 0)
		lead_warn_at(im->name, rec->line, "'%.100s' in '%s' is not a "
		    "time; kept as the attribute of that name",
		    lead_trim(rec->f[col]), im->hdr->f[col]);
}

/* Say how many times of each column were far in the future, or could
 * not be read. */
static void
future_report(struct import *im)
{
	int col[2] = { im->map.col[LF_CREATED_AT], im->atcol };

	for (int i = 0; i < 2; i++)
		if (im->nunread[i] > 0) {
			char *attr = lead_attr_name(im->hdr->f[col[i]]);

			lead_warn("%s: %ld value%s in '%s' %s not a time; kept "
			    "as written in the attribute %s%s%s", im->name,
			    im->nunread[i], im->nunread[i] == 1 ? "" : "s",
			    im->hdr->f[col[i]], im->nunread[i] == 1 ? "is" :
			    "are", attr, i ? ", no touch made" : "",
			    lead_verbosity > 0 ? "" : " (-v lists them)");
			free(attr);
		}
	im->nunread[0] = im->nunread[1] = 0;

	for (int i = 0; i < 2; i++)
		if (im->nfuture[i] > 0)
			lead_warn("%s: %ld time%s in '%s' %s more than a day "
			    "in the future; kept as given%s", im->name,
			    im->nfuture[i], im->nfuture[i] == 1 ? "" : "s",
			    im->hdr->f[col[i]], im->nfuture[i] == 1 ? "is" :
			    "are", lead_verbosity > 0 ? "" : " (-v lists them)");
	im->nfuture[0] = im->nfuture[1] = 0;
}

/* ---- source names ----------------------------------------------------------- */

/*
 * Source names are one vocabulary, so that a report groups "Webinar",
 * "WEBINAR" and "Zoom Webinar" together: the team's map (--sources=FILE,
 * stored) first, then the spelling an earlier list already gave (case,
 * spaces and punctuation aside), then leadkit's map; else as written.
 */
/* *v, a source name, as the team calls it. */
static void
source_name(struct import *im, char **v)
{
	const char *name = lead_kindmap_kind(&im->sources, *v);

	if (name && strcmp(name, *v) != 0) {
		free(*v);
		*v = lead_xstrdup(name);
	}
}

static void
sources_load(struct import *im)
{
	struct lead_buf t = { 0 };
	char *team = lead_setting(im->db, "sources");
	struct lead_stmt *st = lead_batch_sources(im->db);

	while (lead_db_step(st) == LEAD_ROW) {
		const char *v = lead_column_text(st, 0);

		if (strpbrk(v, ":|#\n") == NULL)
			lead_buf_addf(&t, "%s: %s\n", v, v);
	}
	lead_finalize(st);
	if (team)
		lead_buf_adds(&t, team);
	if (lead_namemap_load(&im->sources, lead_sources_default, t.s,
	    "stored source map", 0) < 0)
		lead_die(LEAD_EX_USAGE, "the stored source map is invalid; "
		    "adopt a fixed one with --sources=FILE");
	lead_buf_free(&t);
	free(team);
	if (opt.source) {
		char *v = lead_xstrdup(opt.source);

		source_name(im, &v);
		if (strcmp(v, opt.source) != 0)
			lead_debug("--source %s: the source is called %s here",
			    opt.source, v);
		opt.source = v;	/* freed at exit */
	}
}

/* --sources: print the source map; --sources=FILE: adopt the team's. */
static int
run_sources(struct lead_conn *db)
{
	char *text, now[LEAD_TIME_LEN];
	struct lead_kindmap m;

	if (opt.sources_file == NULL) {
		text = lead_setting(db, "sources");
		fputs(lead_sources_default, stdout);
		if (text)
			printf("# The team's, from lead-import --sources=FILE "
			    "(they win):\n%s", text);
		free(text);
		return LEAD_EX_OK;
	}
	if ((text = lead_read_text(opt.sources_file, "source map",
	    &failed)) == NULL)
		lead_err_exit(&failed);
	if (lead_namemap_load(&m, lead_sources_default, text,
	    strcmp(opt.sources_file, "-") ? opt.sources_file : "stdin", 0) < 0)
		lead_die(LEAD_EX_USAGE, "source map not changed");
	lead_kindmap_free(&m);
	lead_db_begin(db);
	lead_setting_set(db, "sources", text, lead_time_format(lead_now(),
	    now));
	lead_db_end(db, opt.dry_run);
	lead_note("source map adopted from %s%s", opt.sources_file,
	    opt.dry_run ? " (dry run: nothing changed)" : "");
	free(text);
	return LEAD_EX_OK;
}

/* The role column of a webinar or meeting report ("Role", "Attendee
 * Type", "User Type"), or -1. */
static int
role_col(const struct lead_record *hdr)
{
	static const char *const names[] = { "role", "attendeetype",
	    "usertype", "participantrole", "attendeerole", "registranttype",
	    "participanttype", NULL };

	for (int i = 0; names[i]; i++) {
		int c = lead_header_find(hdr, names[i]);

		if (c >= 0)
			return c;
	}
	return -1;
}

/* A CRM's owner column, and its lead status or lifecycle stage. */
static const char *const owner_names[] = { "contactowner", "leadowner",
	"owner", "assigneduser", "assignedto", "recordowner", "salesowner",
	"hubspotowner", "accountowner", NULL };
static const char *const status_names[] = { "leadstatus", "lifecyclestage",
	"status", "leadstage", "stage", NULL };

/* The first column of hdr called one of names, or -1. */
static int
first_col(const struct lead_record *hdr, const char *const *names)
{
	for (int i = 0; names[i]; i++) {
		int c = lead_header_find(hdr, names[i]);

		if (c >= 0)
			return c;
	}
	return -1;
}

/* The stage a CRM's lead status or lifecycle stage means (HubSpot,
 * Salesforce, Zoho, Marketo, Pipedrive), or NULL if it says nothing
 * leadkit can use. */
static const char *
status_stage(const char *status)
{
	static const struct {
		const char *status, *stage;
	} map[] = {
		{ "marketingqualifiedlead", "mql" }, { "mql", "mql" },
		{ "prequalified", "mql" }, { "marketingqualified", "mql" },
		{ "salesacceptedlead", "sal" }, { "sal", "sal" },
		{ "accepted", "sal" },
		{ "salesqualifiedlead", "sql" }, { "sql", "sql" },
		{ "qualified", "sql" }, { "closedconverted", "sql" },
		{ "converted", "sql" },
		{ "opportunity", "opportunity" }, { "proposal", "opportunity" },
		{ "customer", "won" }, { "evangelist", "won" },
		{ "closedwon", "won" }, { "won", "won" },
		{ "closedlost", "lost" }, { "lost", "lost" },
		{ "lostlead", "lost" },
		{ "unqualified", "disqualified" },
		{ "disqualified", "disqualified" }, { "junk", "disqualified" },
		{ "junklead", "disqualified" }, { "notqualified", "disqualified" },
		{ "closednotconverted", "disqualified" },
		{ "badtiming", "nurture" }, { "nurture", "nurture" },
		{ "recycled", "nurture" },
	};
	char *k = lead_colkey(status);
	const char *stage = NULL;

	for (size_t i = 0; i < sizeof map / sizeof *map && !stage; i++)
		if (strcmp(k, map[i].status) == 0)
			stage = map[i].stage;
	free(k);
	return stage;
}

/* The time-in-session column of a webinar or meeting report, or -1. */
static int
duration_col(const struct lead_record *hdr)
{
	static const char *const names[] = { "timeinsessionminutes",
	    "timeinsession", "attendanceduration", "durationminutes",
	    "minutesattended", "attendedminutes", "inmeetingduration",
	    "duration", NULL };

	for (int i = 0; names[i]; i++) {
		int c = lead_header_find(hdr, names[i]);

		if (c >= 0)
			return c;
	}
	return -1;
}

/* 1 if a role says the person ran the event: they are us, not leads. */
static int
is_host(const char *role)
{
	static const char *const hosts[] = { "host", "cohost", "alternativehost",
	    "panelist", "panellist", "organizer", "organiser", "presenter",
	    "moderator", "speaker", "producer", NULL };
	char *k = lead_colkey(role);
	int yes = 0;

	for (int i = 0; hosts[i] && !yes; i++)
		yes = strcmp(k, hosts[i]) == 0 || (strncmp(k, hosts[i],
		    strlen(hosts[i])) == 0 && k[strlen(hosts[i])] == 's');
	free(k);
	return yes;
}

/* Build the list's version of the lead from a record.  NULL on success,
 * else why the record is rejected (in why). */
static const char *
parse_record(struct import *im, const struct lead_record *rec,
    struct lead_leadrow *r, char **key, lead_time *at, char *why, size_t whylen)
{
	char *s;
	const char *bad;
	lead_time t = 0;
	unsigned lost = 0;	/* values that could not be read */

	memset(r, 0, sizeof *r);
	*key = NULL;
	if (rec->bad)
		return rec->bad;
	if (lead_record_extra(rec, im->hdr->n, why, whylen) != NULL)
		return why;
	for (int f = 0; f < LF_NFIELDS; f++)
		if ((s = value(rec, im->map.col[f])) != NULL)
			r->v[f] = lead_xstrdup(s);
	if (r->v[LF_EMAIL] && (bad = lead_email_norm(r->v[LF_EMAIL])) != NULL) {
		snprintf(why, whylen, "invalid email '%.200s': %s",
		    rec->f[im->map.col[LF_EMAIL]], bad);
		return why;
	}
	if (im->keycol >= 0 && (s = value(rec, im->keycol)) != NULL)
		*key = s;
	if (r->v[LF_EMAIL] == NULL && *key == NULL) {
		if (im->keycol >= 0)
			snprintf(why, whylen, "no email and no '%s'",
			    im->hdr->f[im->keycol]);
		else
			snprintf(why, whylen, "no email");
		return why;
	}
	if (r->v[LF_CREATED_AT] && lead_time_read(r->v[LF_CREATED_AT],
	    im->tcol[0].order, &t) < 0) {
		if (opt.strict) {
			snprintf(why, whylen, "invalid time '%.100s' in '%s'",
			    r->v[LF_CREATED_AT],
			    im->hdr->f[im->map.col[LF_CREATED_AT]]);
			return why;
		}
		unread(im, rec, im->map.col[LF_CREATED_AT], 0);
		free(r->v[LF_CREATED_AT]);
		r->v[LF_CREATED_AT] = NULL;
		lost |= 1;
	} else if (r->v[LF_CREATED_AT]) {
		free(r->v[LF_CREATED_AT]);
		r->v[LF_CREATED_AT] = lead_xmalloc(LEAD_TIME_LEN);
		lead_time_format(t, r->v[LF_CREATED_AT]);
	}
	/* A row whose --at-column is blank (a no-show) is no touch. */
	*at = lead_now();
	if (im->atcol >= 0 && (s = value(rec, im->atcol)) == NULL)
		*at = NO_TOUCH;
	else if (im->atcol >= 0 && lead_time_read(s, im->tcol[1].order,
	    at) < 0) {
		if (opt.strict) {
			snprintf(why, whylen, "invalid time '%.100s' in '%s'", s,
			    im->hdr->f[im->atcol]);
			return why;
		}
		unread(im, rec, im->atcol, 1);
		*at = NO_TOUCH;
		lost |= 2;
	}
	if (r->v[LF_CREATED_AT])
		future_check(im, rec, im->map.col[LF_CREATED_AT], t, 0);
	if (im->atcol >= 0 && *at != NO_TOUCH)
		future_check(im, rec, im->atcol, *at, 1);
	if (r->v[LF_FULL_NAME] && !r->v[LF_FIRST_NAME] && !r->v[LF_LAST_NAME])
		split_name(r, r->v[LF_FULL_NAME]);
	r->domain = domain_of(r->v[LF_WEBSITE], r->v[LF_EMAIL]);
	r->attrs = extras_json(im, rec, lost);
	return NULL;
}

/* The fields a record changed in a known lead, with old and new values,
 * kept with the batch for undo. */
struct changes {
	int n;
	const char *name[24];
	char *old[24], *new[24];
};

static void
change(struct changes *c, const char *name, const char *old, const char *new)
{
	if (c->n == 24)
		lead_die(LEAD_EX_RUNTIME, "internal error: too many changes");
	c->name[c->n] = name;
	c->old[c->n] = old ? lead_xstrdup(old) : NULL;
	c->new[c->n] = new ? lead_xstrdup(new) : NULL;
	c->n++;
}

/* The old (or new) values as a JSON object. */
static char *
changes_json(const struct changes *c, int new)
{
	struct lead_buf b = { 0 };

	for (int i = 0; i < c->n; i++) {
		const char *v = new ? c->new[i] : c->old[i];

		lead_buf_addc(&b, i ? ',' : '{');
		lead_buf_json(&b, c->name[i]);
		lead_buf_addc(&b, ':');
		if (v)
			lead_buf_json(&b, v);
		else
			lead_buf_adds(&b, "null");
	}
	lead_buf_adds(&b, c->n ? "}" : "{}");
	return lead_buf_take(&b);
}

static void
changes_free(struct changes *c)
{
	for (int i = 0; i < c->n; i++) {
		free(c->old[i]);
		free(c->new[i]);
	}
	c->n = 0;
}

static int
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* A number-valued change, such as a do-not-contact flag. */
static void
change_int(struct changes *c, const char *name, int64_t old, int64_t new)
{
	char o[24], n[24];

	snprintf(o, sizeof o, "%lld", (long long)old);
	snprintf(n, sizeof n, "%lld", (long long)new);
	change(c, name, o, n);
}

/* The lead's last batch becomes this one (none before its first). */
static void
change_batch(struct changes *c, int64_t old, int64_t new)
{
	change_int(c, "last_batch", old, new);
	if (old == 0) {
		free(c->old[c->n - 1]);
		c->old[c->n - 1] = NULL;
	}
}

/* Flag a known lead do-not-contact on more channels (de, dp: the flags
 * it is to have), recording the change so that undo takes it back.  0 if
 * it had those flags already. */
static int
dnc_raise(struct changes *ch, struct lead_leadrow *l, int de, int dp,
    const char *reason, const char *at)
{
	if (de == l->dnc_email && dp == l->dnc_phone)
		return 0;
	change_int(ch, "dnc_email", l->dnc_email, de);
	change_int(ch, "dnc_phone", l->dnc_phone, dp);
	change(ch, "dnc_reason", l->dnc_reason, reason);
	change(ch, "dnc_at", l->dnc_at, at);
	l->dnc_email = de;
	l->dnc_phone = dp;
	free(l->dnc_reason);
	l->dnc_reason = reason ? lead_xstrdup(reason) : NULL;
	free(l->dnc_at);
	l->dnc_at = lead_xstrdup(at);
	return 1;
}

/* A new lead is flagged as the suppression list says for its email. */
static void
optout_new(struct import *im, struct lead_leadrow *r)
{
	int bits;

	if (!im->have_optouts || r->v[LF_EMAIL] == NULL || r->dnc_reason)
		return;
	bits = lead_importer_optout(im->st, r->v[LF_EMAIL], &r->dnc_reason);
	r->dnc_email = (bits & LEAD_DNC_EMAIL) != 0;
	r->dnc_phone = (bits & LEAD_DNC_PHONE) != 0;
	if (bits == 0) {
		free(r->dnc_reason);
		r->dnc_reason = NULL;
	}
}

/* A known lead that gets its email from this list (one first known by a
 * CRM key) is flagged as the suppression list says, as a new lead is: an
 * opt-out holds however a lead comes to exist (lead.7, LIFECYCLE). */
static void
optout_known(struct import *im, struct lead_leadrow *l, struct changes *ch)
{
	char *reason;
	int bits;

	if (!im->have_optouts)
		return;
	bits = lead_importer_optout(im->st, l->v[LF_EMAIL], &reason);
	dnc_raise(ch, l, l->dnc_email || (bits & LEAD_DNC_EMAIL),
	    l->dnc_phone || (bits & LEAD_DNC_PHONE), reason, im->now);
	free(reason);
}

/* Merge attributes (json.c): the winner's values replace, and the
 * lead's keys keep their order, so that a list repeating what the lead
 * has gives back the same text. */
static char *
merge_attrs(const struct lead_leadrow *l, const char *add, enum policy p)
{
	const char *cur = l->attrs;
	char *m;

	if (add == NULL || p == POL_KEEP)
		return cur ? lead_xstrdup(cur) : NULL;
	if (cur == NULL || strcmp(cur, "{}") == 0)
		return lead_xstrdup(add);
	if ((m = lead_json_merge(cur, add, p == POL_UPDATE ?
	    LEAD_JSON_UPDATE : 0)) == NULL)
		lead_die(LEAD_EX_RUNTIME, "lead %" PRId64 ": its attrs are not "
		    "a JSON object; nothing changed", l->id);
	return m;
}

/* 1 if two attribute objects (NULL: none) hold the same keys with the
 * same values, in whatever order and JSON spelling. */
static int
attrs_same(const char *a, const char *b)
{
	if (same(a, b))
		return 1;
	/* The same members in another order are as long: most changes are
	 * settled without SQL. */
	if (a == NULL || b == NULL || strlen(a) != strlen(b))
		return 0;
	return lead_json_same(a, b) == 1;
}

/* A known lead keeps its first touch (source, campaign, created_at: one
 * attribution model, lead.7).  The list's own values for it, such as a
 * CRM's lead source and create date, are kept among the attributes
 * under their column's name, like any extra column: nothing is lost. */
static void
first_touch_attrs(struct import *im, const struct lead_leadrow *l,
    struct lead_leadrow *r)
{
	static const int ft[3] = { LF_SOURCE, LF_CAMPAIGN, LF_CREATED_AT };
	struct lead_buf b = { 0 };

	for (int i = 0; i < 3; i++) {
		const char *lv = l->v[ft[i]], *rv = r->v[ft[i]];

		if (rv == NULL || lv == NULL || strcmp(lv, rv) == 0 ||
		    im->ftattr[i] == NULL)
			continue;
		lead_buf_addc(&b, b.len ? ',' : '{');
		lead_buf_json(&b, im->ftattr[i]);
		lead_buf_addc(&b, ':');
		lead_buf_json(&b, rv);
	}
	if (b.len == 0)
		return;
	if (r->attrs) {
		/* Both are objects: "{a..." + "," + "x...}". */
		r->attrs[strlen(r->attrs) - 1] = ',';
		lead_buf_adds(&b, "}");
		r->attrs = lead_xrealloc(r->attrs, strlen(r->attrs) + b.len);
		strcat(r->attrs, b.s + 1);
		lead_buf_free(&b);
	} else {
		lead_buf_addc(&b, '}');
		r->attrs = lead_buf_take(&b);
	}
}

/* Merge the list's row r into the known lead l (in place).  Returns 1 if
 * anything changed, with the before/after images in the buffers. */
static int
merge(struct import *im, struct lead_leadrow *l, struct lead_leadrow *r,
    struct changes *ch)
{
	char *attrs;

	for (size_t i = 0; i < NMERGED; i++) {
		int f = merged_fields[i];
		const char *nv = r->v[f];

		if (nv == NULL || same(l->v[f], nv))
			continue;
		if (opt.pol[f] == POL_KEEP ||
		    (opt.pol[f] == POL_FILL && l->v[f] != NULL))
			continue;
		change(ch, dbcol[f], l->v[f], nv);
		free(l->v[f]);
		l->v[f] = lead_xstrdup(nv);
	}
	/* The first touch is filled where blank, never overwritten. */
	first_touch_attrs(im, l, r);
	for (int f = LF_SOURCE; f <= LF_CREATED_AT; f++)
		if (l->v[f] == NULL && r->v[f] && opt.pol[f] != POL_KEEP) {
			change(ch, dbcol[f], NULL, r->v[f]);
			l->v[f] = lead_xstrdup(r->v[f]);
		}
	if (l->v[LF_EMAIL] == NULL && r->v[LF_EMAIL]) {
		change(ch, "email", NULL, r->v[LF_EMAIL]);
		l->v[LF_EMAIL] = lead_xstrdup(r->v[LF_EMAIL]);
		optout_known(im, l, ch);
	}
	if (!same(l->domain, r->domain) && r->domain &&
	    (l->domain == NULL || opt.pol[LF_WEBSITE] == POL_UPDATE)) {
		change(ch, "domain", l->domain, r->domain);
		free(l->domain);
		l->domain = lead_xstrdup(r->domain);
	}
	attrs = merge_attrs(l, r->attrs, opt.pol[LF_ATTRS]);
	if (!attrs_same(attrs, l->attrs)) {
		change(ch, "attrs", l->attrs, attrs);
		free(l->attrs);
		l->attrs = attrs;
	} else
		free(attrs);
	return ch->n > 0;
}

/* A line of -p; a suppression list's lines say the channels the lead
 * is now do-not-contact on (dnc). */
static void
print_lead(struct import *im, int64_t id, const char *email, const char *what,
    const char *dnc)
{
	char idbuf[24];
	const char *vals[4];

	if (im->print == NULL)
		return;
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
	vals[0] = idbuf;
	vals[1] = email;
	vals[2] = what;
	vals[3] = dnc;
	lead_out_row(im->print, vals);
}

static void
batch_lead(struct import *im, int64_t lead, const char *action,
    const struct changes *ch)
{
	char *before = NULL, *after = NULL;

	if (ch && ch->n) {
		before = changes_json(ch, 0);
		after = changes_json(ch, 1);
	}
	lead_importer_batch_lead(im->st, im->batch, lead, action, before,
	    after);
	free(before);
	free(after);
}

/* A later row for a lead this batch already changed: add its changes to
 * the batch's undo images (the first old value stays).  1 if the lead was
 * "unchanged" by its first row and is "updated" now. */
static int
batch_lead_extend(struct import *im, int64_t lead, const struct changes *ch)
{
	return lead_importer_batch_lead_extend(im->st, im->batch, lead, ch->n,
	    ch->name, ch->old, ch->new);
}

/* Minutes in a session as reports write them: "47", "47.5", "0:47:10",
 * "47:10" (minutes and seconds), "1h 5m"; -1 if none. */
static double
session_minutes(const char *s)
{
	int64_t secs;
	int h = 0, m = 0, sec = 0, n = 0;
	char *end;
	double v;

	if (s == NULL)
		return -1;
	v = strtod(s, &end);
	if (end != s && *end == '\0' && v >= 0 && v < 1e6)
		return v;
	if (sscanf(s, "%d:%d:%d%n", &h, &m, &sec, &n) == 3 && s[n] == '\0')
		return h * 60 + m + sec / 60.0;
	if (sscanf(s, "%d:%d%n", &m, &sec, &n) == 2 && s[n] == '\0')
		return m + sec / 60.0;
	if (lead_duration_parse(s, &secs) == 0)
		return secs / 60.0;
	return -1;
}

/*
 * A CRM's lead status moves the lead forward through the lifecycle, never
 * back (a CRM that says "Open" of a lead sales accepted here says nothing
 * new), recorded in the stage history with the import as actor.
 */
static void
status_move(struct import *im, const struct lead_record *rec, int64_t lead)
{
	const char *v = value(rec, im->statuscol), *to;
	char reason[256], *from;
	static const char *const order[] = { "new", "nurture", "mql", "sal",
	    "sql", "opportunity", "won", NULL };
	int rf = -1, rt = -1;

	if (v == NULL || (to = status_stage(v)) == NULL)
		return;
	if ((from = lead_lead_stage(im->db, lead)) == NULL)
		return;
	for (int i = 0; order[i]; i++) {
		if (strcmp(from, order[i]) == 0)
			rf = i;
		if (strcmp(to, order[i]) == 0)
			rt = i;
	}
	/* Forward only: a closed lead stays closed, and lost or
	 * disqualified close only an open lead. */
	if (strcmp(from, to) == 0 || lead_stage_check(from, to) != NULL ||
	    (rt >= 0 && rf >= 0 && rt <= rf) || (rt < 0 && rf < 0)) {
		free(from);
		return;
	}
	snprintf(reason, sizeof reason, "%s '%.100s' in %s",
	    im->hdr->f[im->statuscol], v, im->name);
	lead_stage_set(im->db, lead, from, to, "lead-import", reason, 0,
	    im->batch, im->now);
	free(from);
	im->n.moved++;
}

/*
 * A CRM's owner column that names a rep of the team (by name or email,
 * exactly: a CRM writes its users in full) makes that rep the owner of an
 * unowned open lead, with an assignment that says why.  Anything else is
 * kept as the attribute the column is.
 */
static void
owner_take(struct import *im, const struct lead_record *rec, int64_t lead)
{
	const char *v = value(rec, im->ownercol);
	char reason[256];
	size_t i;

	if (v == NULL)
		return;
	if (!im->reps.loaded)
		lead_reps_load(im->db, &im->reps);
	for (i = 0; i < im->reps.n; i++)
		if (strcasecmp(im->reps.name[i], v) == 0 || (im->reps.email[i] &&
		    strcasecmp(im->reps.email[i], v) == 0))
			break;
	if (i == im->reps.n)
		return;
	snprintf(reason, sizeof reason, "owner in %s ('%.100s')", im->name,
	    im->hdr->f[im->ownercol]);
	if (lead_lead_own(im->db, lead, im->reps.id[i], im->now, reason))
		im->n.owned++;
}

/*
 * The list itself as a touch of its lead.  A report that lists a person
 * once per join (a webinar's attendees) makes one attendance touch per
 * person and batch: at the first join, with the minutes of every join
 * summed in its note (again: the lead had a row of this batch before).
 */
static void
add_activity(struct import *im, int64_t lead, lead_time at, int again,
    double minutes)
{
	/* The touch as lead-log would record it, so both dedupe alike; the
	 * note is not part of it (the minutes grow as joins are read). */
	struct lead_touch t = { .kind = opt.activity, .channel = opt.kind,
	    .actor = "lead-import", .content = opt.campaign };
	char ts[LEAD_TIME_LEN];
	struct lead_list_touch lt = { .lead = lead, .batch = im->batch,
	    .ts = lead_time_format(at, ts), .kind = opt.activity,
	    .channel = opt.kind, .content = opt.campaign,
	    .minutes = minutes };

	if (!again)
		lt.fp = lead_touch_fp(&t);
	lead_importer_touch(im->st, &lt, again);
}

/* Find the lead a record means: by email, else by key.  0: not found;
 * 1: found (*l filled); -1: email and key disagree (why set). */
static int
find_lead(struct import *im, const struct lead_leadrow *r, const char *key,
    struct lead_leadrow *l, char *why, size_t whylen)
{
	int64_t keyid = 0;
	int found = 0;

	if (key)
		keyid = lead_importer_by_key(im->st, im->keysys, key);
	if (r->v[LF_EMAIL])
		found = lead_importer_by_email(im->st, r->v[LF_EMAIL], l);
	if (found && keyid && keyid != l->id) {
		snprintf(why, whylen, "'%.100s' belongs to lead %lld, but "
		    "email '%s' to lead %lld", key, (long long)keyid,
		    r->v[LF_EMAIL], (long long)l->id);
		lead_leadrow_free(l);
		return -1;
	}
	if (!found && keyid) {
		found = lead_importer_by_id(im->st, keyid, l);
		if (found && r->v[LF_EMAIL] && l->v[LF_EMAIL]) {
			snprintf(why, whylen, "'%.100s' belongs to lead %lld "
			    "with email '%s', not '%s'", key, (long long)keyid,
			    l->v[LF_EMAIL], r->v[LF_EMAIL]);
			lead_leadrow_free(l);
			return -1;
		}
	}
	return found;
}

/* A row of a --suppress list: note the email, flag the lead if known. */
static void
suppress_row(struct import *im, struct lead_leadrow *r, struct lead_leadrow *l,
    int found)
{
	int bits = lead_optout_bits(opt.channel);
	struct changes ch = { 0 };
	const char *reason = opt.source ? opt.source : "suppression list";

	if (r->v[LF_EMAIL])
		lead_importer_suppress(im->st, r->v[LF_EMAIL], opt.channel,
		    opt.source, im->now, im->batch);
	if (!found) {
		im->n.new++;
		return;
	}
	if (!dnc_raise(&ch, l, l->dnc_email || (bits & LEAD_DNC_EMAIL),
	    l->dnc_phone || (bits & LEAD_DNC_PHONE), reason, im->now)) {
		im->n.unchanged++;
		return;
	}
	change_batch(&ch, l->last_batch, im->batch);
	lead_importer_dnc(im->st, l->id, l->dnc_email, l->dnc_phone, reason,
	    im->now, im->batch);
	batch_lead(im, l->id, "updated", &ch);
	print_lead(im, l->id, l->v[LF_EMAIL], "suppressed",
	    lead_dnc_text(l->dnc_email, l->dnc_phone));
	im->n.updated++;
	changes_free(&ch);
}

/* Write a known lead back, merged. */
static void
update_lead(struct import *im, const struct lead_leadrow *l)
{
	lead_importer_update(im->st, l, im->batch, im->now);
}

/* Insert the list's row as a new lead, unless its email is known.  1 if
 * inserted (l->id set). */
static int
insert_lead(struct import *im, struct lead_leadrow *r, struct lead_leadrow *l)
{
	static const int deflt[] = { LF_SOURCE, LF_CAMPAIGN, LF_CREATED_AT };
	const char *val[] = { opt.source, opt.campaign, im->now };
	int filled[3] = { 0 };
	char *asgiven = r->v[LF_SOURCE];

	/* A new lead's first touch is the list's, unless its row says, in
	 * the team's name for the source. */
	if (asgiven) {
		r->v[LF_SOURCE] = lead_xstrdup(asgiven);
		source_name(im, &r->v[LF_SOURCE]);
	}
	for (int i = 0; i < 3; i++)
		if (r->v[deflt[i]] == NULL && val[i]) {
			r->v[deflt[i]] = lead_xstrdup(val[i]);
			filled[i] = 1;
		}
	optout_new(im, r);
	if ((l->id = lead_importer_insert(im->st, r, im->batch,
	    im->now)) != 0) {
		free(asgiven);
		return 1;
	}
	/* Known after all: merge the row as the list gave it. */
	for (int i = 0; i < 3; i++)
		if (filled[i]) {
			free(r->v[deflt[i]]);
			r->v[deflt[i]] = NULL;
		}
	if (asgiven) {
		free(r->v[LF_SOURCE]);
		r->v[LF_SOURCE] = asgiven;
	}
	return 0;
}

static void
import_record(struct import *im, const struct lead_record *rec)
{
	struct lead_leadrow r, l = { 0 };
	struct changes ch = { 0 };
	char why[512], *key;
	const char *bad;
	lead_time at;
	int found, again = 0;

	im->n.read++;
	if (im->rolecol >= 0 && (size_t)im->rolecol < rec->n && !rec->bad &&
	    is_host(rec->f[im->rolecol])) {
		im->n.hosts++;
		lead_debug("%s:%ld: %s, not a lead: skipped", im->name,
		    rec->line, lead_trim(rec->f[im->rolecol]));
		return;
	}
	if ((bad = parse_record(im, rec, &r, &key, &at, why, sizeof why))) {
		reject(im, rec, "%s", bad);
		lead_leadrow_free(&r);
		return;
	}
	/* While a list brings mostly new leads, try the insert first: for a
	 * new lead it saves a lookup; a known one costs a failed insert. */
	if (!opt.suppress && !key && im->n.new >= im->n.read / 2 &&
	    insert_lead(im, &r, &l)) {
		found = 0;
	} else if ((found = find_lead(im, &r, key, &l, why, sizeof why)) < 0) {
		reject(im, rec, "%s", why);
		lead_leadrow_free(&r);
		return;
	} else if (!found && !opt.suppress && !insert_lead(im, &r, &l))
		lead_die(LEAD_EX_RUNTIME, "lead '%s' appeared during the import",
		    r.v[LF_EMAIL]);
	if (opt.suppress) {
		suppress_row(im, &r, &l, found);
	} else if (!found) {
		print_lead(im, l.id, r.v[LF_EMAIL], "new", NULL);
		im->n.new++;
	} else if (l.last_batch == im->batch) {
		again = 1;
		/* Another row for a lead this batch has seen. */
		if (merge(im, &l, &r, &ch)) {
			update_lead(im, &l);
			if (batch_lead_extend(im, l.id, &ch)) {
				im->n.unchanged--;
				im->n.updated++;
			}
		}
		im->n.merged++;
	} else {
		int changed = merge(im, &l, &r, &ch);

		change_batch(&ch, l.last_batch, im->batch);
		if (changed) {
			update_lead(im, &l);
		} else {
			lead_importer_named(im->st, l.id, im->batch);
		}
		batch_lead(im, l.id, changed ? "updated" : "unchanged", &ch);
		print_lead(im, l.id, l.v[LF_EMAIL],
		    changed ? "updated" : "unchanged", NULL);
		if (changed)
			im->n.updated++;
		else
			im->n.unchanged++;
	}
	if (key && !opt.suppress) {
		lead_importer_key_add(im->st, im->keysys, key, l.id,
		    im->batch);
	}
	if (!opt.suppress && im->statuscol >= 0)
		status_move(im, rec, l.id);
	if (!opt.suppress && im->ownercol >= 0)
		owner_take(im, rec, l.id);
	/* Attendance is one touch a person and report, however many joins
	 * it lists; any other list's rows are touches each (a send log). */
	again &= im->durcol >= 0 || (opt.activity &&
	    strncmp(opt.activity, "webinar_", 8) == 0);
	if (opt.activity && !opt.suppress && at != NO_TOUCH)
		add_activity(im, l.id, at, again, im->durcol < 0 ? -1 :
		    session_minutes(value(rec, im->durcol)));
	changes_free(&ch);
	lead_leadrow_free(&r);
	lead_leadrow_free(&l);
}

/* ---- one file ------------------------------------------------------------------ */

/* ---- reading ahead ---------------------------------------------------------- */

/* Records read ahead at a time, where the store reads their leads at once
 * (lead_importer_ahead): a round trip for as many records, and a point
 * where the client waits for the server (10,000: 8% faster than 2,000
 * over a socket, more over a network; some 12 MB more). */
#define AHEAD 10000

/* The records just read ahead: have the store read their leads. */
static void
ahead_read(void *ctx, struct lead_record *const *rec, size_t n)
{
	struct import *im = ctx;
	char **email = lead_xcalloc(n + 1, sizeof *email);
	char **key = lead_xcalloc(n + 1, sizeof *key);
	size_t ne = 0, nk = 0;

	for (size_t i = 0; i < n; i++) {
		const struct lead_record *r = rec[i];
		char *e;

		if (r->bad)
			continue;
		if ((e = lead_record_value(r, im->map.col[LF_EMAIL])) != NULL &&
		    lead_email_norm(e) == NULL)
			email[ne++] = e;
		else
			free(e);
		if ((key[nk] = lead_record_value(r, im->keycol)) != NULL)
			nk++;
	}
	lead_importer_ahead(im->st, email, ne, im->keysys, key, nk,
	    im->have_optouts);
	for (size_t i = 0; i < ne; i++)
		free(email[i]);
	for (size_t i = 0; i < nk; i++)
		free(key[i]);
	free(email);
	free(key);
}

/* While reading ahead, the leads before go on to the server. */
static void
ahead_pump(void *ctx)
{
	lead_db_pump(((struct import *)ctx)->db);
}

/* The next record: the reader's, or the next of those read ahead. */
static int
next_record(struct import *im, const struct lead_record **rec)
{
	if (!im->ahead_on)
		return lead_reader_next(im->rd, rec);
	return lead_ahead_next(&im->ahead, im->rd, AHEAD, ahead_read, im, rec);
}

static void
ahead_end(struct import *im)
{
	if (im->ahead_on)
		lead_importer_ahead(im->st, NULL, 0, NULL, NULL, 0, 0);
	lead_ahead_free(&im->ahead);
	im->ahead_on = 0;
}

static void
list_columns(struct lead_buf *b, const struct lead_record *hdr)
{
	for (size_t c = 0; c < hdr->n && c < 30; c++)
		lead_buf_addf(b, "%s'%s'", c ? ", " : "", hdr->f[c]);
	if (hdr->n > 30)
		lead_buf_adds(b, ", ...");
}

/* 1 if an extra column of the file is kept under this name. */
static int
attr_taken(const struct import *im, const char *name)
{
	for (size_t c = 0; c < im->map.ncols; c++)
		if (im->map.attr[c] && strcmp(im->map.attr[c], name) == 0)
			return 1;
	return 0;
}

/* The attribute names the first-touch columns are kept under in a known
 * lead (first_touch_attrs): their own, made unique like extras' are. */
static void
first_touch_names(struct import *im)
{
	for (int i = 0; i < 3; i++) {
		int col = im->map.col[LF_SOURCE + i];
		char *base, *name;

		if (col < 0)
			continue;
		base = lead_attr_name(im->hdr->f[col]);
		name = lead_xstrdup(base);
		for (int n = 2; name[0] == '\0' || attr_taken(im, name); n++) {
			free(name);
			name = lead_xmalloc(strlen(base) + 24);
			sprintf(name, "%s_%d", base[0] ? base : "column", n);
		}
		free(base);
		im->ftattr[i] = name;
	}
}

/* Bind the header: fields, --key, --at-column.  Dies with a usage error
 * (nothing changed) when the list cannot be read as asked. */
/*
 * No header names the email: the column whose values are addresses
 * (nine in ten of those given, in the sample; the most such values if
 * several) is read as the email, and the note says which.  -1 if there
 * is none.
 */
static int
email_by_content(struct import *im)
{
	const struct lead_record *const *recs;
	size_t n, most = 0;
	int best = -1;

	if (lead_reader_sample(im->rd, LEAD_SAMPLE, &recs, &n) < 0 ||
	    n == 0)
		return -1;
	for (size_t c = 0; c < im->map.ncols; c++) {
		size_t given = 0, addr = 0;

		/* A "Registrant" or "Attendee" column (a name, by its
		 * header) may hold the addresses. */
		if (im->map.field[c] == -2 || (int)c == im->keycol)
			continue;
		for (size_t i = 0; i < n; i++) {
			char buf[320];
			const char *v = c < recs[i]->n ? recs[i]->f[c] : "";

			if (*v == '\0')
				continue;
			given++;
			if (strlen(v) < sizeof buf && strchr(v, '@') != NULL) {
				memcpy(buf, v, strlen(v) + 1);
				addr += lead_email_norm(buf) == NULL;
			}
		}
		if (addr > most && addr * 10 >= given * 9) {
			most = addr;
			best = (int)c;
		}
	}
	if (best < 0)
		return -1;
	free(im->map.attr[best]);
	im->map.attr[best] = NULL;
	if (im->map.field[best] >= 0)
		im->map.col[im->map.field[best]] = -1;
	im->map.field[best] = LF_EMAIL;
	im->map.col[LF_EMAIL] = best;
	lead_note("%s: no column is called email; column '%.100s' holds "
	    "addresses and is read as the email (--map email=COLUMN "
	    "chooses another)", im->name, im->hdr->f[best]);
	return best;
}

static void
bind_header(struct import *im)
{
	struct lead_buf b = { 0 };
	char *err;

	if (lead_colmap_bind(&im->map, lead_lead_fields, LF_NFIELDS, im->hdr,
	    opt.maps, opt.nmaps, &err) < 0)
		lead_die(LEAD_EX_USAGE, "%s: %s", im->name, err);
	im->keycol = im->atcol = -1;
	im->rolecol = opt.hosts ? -1 : role_col(im->hdr);
	im->durcol = duration_col(im->hdr);
	im->ownercol = first_col(im->hdr, owner_names);
	im->statuscol = first_col(im->hdr, status_names);
	if (opt.key && (im->keycol = lead_header_find(im->hdr, opt.key)) < 0) {
		list_columns(&b, im->hdr);
		lead_die(LEAD_EX_USAGE, "%s: --key: no column '%s' (columns: %s)",
		    im->name, opt.key, b.s);
	}
	if (im->keycol >= 0) {
		if (im->map.field[im->keycol] >= 0)
			im->map.col[im->map.field[im->keycol]] = -1;
		im->map.field[im->keycol] = -2;
		im->keysys = lead_attr_name(opt.key_system ? opt.key_system :
		    opt.source ? opt.source : opt.key);
	}
	if (opt.at_column &&
	    (im->atcol = lead_header_find(im->hdr, opt.at_column)) < 0) {
		list_columns(&b, im->hdr);
		lead_die(LEAD_EX_USAGE, "%s: --at-column: no column '%s' "
		    "(columns: %s)", im->name, opt.at_column, b.s);
	}
	first_touch_names(im);
	if (im->map.col[LF_EMAIL] < 0 && im->keycol < 0)
		email_by_content(im);
	if (im->map.col[LF_EMAIL] < 0 && im->keycol < 0) {
		list_columns(&b, im->hdr);
		lead_die(LEAD_EX_USAGE, "%s: no email column (columns: %s); "
		    "name it with --map email=COLUMN, or give --key COLUMN",
		    im->name, b.s);
	}
	{
		const int tcols[2] = { im->map.col[LF_CREATED_AT], im->atcol };

		lead_reader_dates(im->rd, tcols, 2, im->tcol);
	}
	if (lead_verbosity > 0)
		for (size_t c = 0; c < im->map.ncols; c++)
			lead_debug("%s: column '%s' -> %s", im->name,
			    im->hdr->f[c], (int)c == im->keycol ? "key" :
			    (int)c == im->atcol ? "activity time" :
			    im->map.field[c] >= 0 ?
			    lead_lead_fields[im->map.field[c]].name :
			    im->map.field[c] == -2 ? "(ignored)" : im->map.attr[c]);
	lead_buf_free(&b);
}

/* The options that shaped a batch, for the record and for knowing a
 * repeat: the same bytes read another way (an opt-out list for another
 * channel, another --map) are not a repeat.  NULL if none. */
static const char *
batch_options(void)
{
	static struct lead_buf o;
	static int done;

	if (done)
		return o.len ? o.s : NULL;
	done = 1;
	if (opt.key)
		lead_buf_addf(&o, "--key '%s' ", opt.key);
	for (size_t i = 0; i < opt.nmaps; i++)
		lead_buf_addf(&o, "--map '%s' ", opt.maps[i]);
	if (opt.update)
		lead_buf_adds(&o, "--update ");
	if (opt.suppress)
		lead_buf_addf(&o, "--suppress --channel %s ", opt.channel);
	if (o.len)
		o.s[--o.len] = '\0';
	return o.len ? o.s : NULL;
}

static const char *
batch_kind(void)
{
	return opt.suppress ? "suppression" : opt.kind;
}

/* A new batch row for this import of path. */
static void
new_batch(struct import *im, const char *path)
{
	struct lead_batch_row b = { .file = path ? path : "-",
	    .source = opt.source, .campaign = opt.campaign,
	    .kind = batch_kind(), .activity = opt.activity,
	    .options = batch_options(), .at = im->now,
	    .have_cost = opt.have_cost, .cost = opt.cost };

	im->batch = lead_importer_batch_new(im->st, &b);
}

/* SHA-256 of a regular file, so that a list imported before is skipped
 * before any of it is parsed.  0 if computed. */
static int
file_sha256(const char *path, char hex[65])
{
	struct lead_sha256 c;
	struct stat st;
	char buf[1 << 16];
	ssize_t n;
	int fd;

	if (path == NULL || strcmp(path, "-") == 0 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	lead_sha256_init(&c);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		lead_sha256_update(&c, buf, (size_t)n);
	close(fd);
	if (n < 0)
		return -1;
	lead_sha256_hex(&c, hex);
	return 0;
}

/* A file's hash, computed on the other core while the import runs. */
struct hasher {
	const char *path;
	char hex[65];
	int rc;
	pthread_t tid;
	int running;
};

static void *
hasher_run(void *arg)
{
	struct hasher *h = arg;

	h->rc = file_sha256(h->path, h->hex);
	return NULL;
}

/* Size of a regular file, or -1. */
static int64_t
regular_size(const char *path)
{
	struct stat st;

	if (path == NULL || strcmp(path, "-") == 0 || stat(path, &st) < 0 ||
	    !S_ISREG(st.st_mode))
		return -1;
	return st.st_size;
}

/* Has a standing import had exactly this many bytes?  Only then can the
 * content be a repeat, and only then must it be hashed before parsing. */
static int
size_seen(struct import *im, int64_t size)
{
	return lead_importer_size_seen(im->st, size);
}

/* The batch that imported this content before, read the same way, if
 * any: 1 and a note. */
static int
imported_before(struct import *im, const char *name, const char *hash,
    int64_t self)
{
	char at[LEAD_TIME_LEN + 8];
	int64_t id = lead_importer_batch_same(im->st, hash, self,
	    batch_options(), batch_kind(), at, sizeof at);

	if (id)
		lead_note("%s: the same content was imported as batch %lld on "
		    "%s; nothing done (--force imports it again)", name,
		    (long long)id, at);
	return id != 0;
}

/* Import one file as one batch, inside a savepoint so that content
 * imported before can be rolled back alone.  Adds to *tot. */
static void
import_file(struct import *im, const char *path, struct counts *tot)
{
	const struct lead_record *rec;
	struct lead_inopts in = opt.c.in;
	static const int need[] = { LF_EMAIL, -1 };
	struct lead_want want = { lead_lead_fields, LF_NFIELDS, opt.maps,
	    opt.nmaps, need, opt.key };
	struct hasher h = { 0 };
	char hash[65];
	int64_t act0, size;
	int rc;

	im->n = (struct counts){ 0 };
	/* A file of a size imported before is hashed before it is parsed,
	 * so that a repeat is skipped at once; any other file is hashed on
	 * the side while it is imported; a pipe is hashed as it is read. */
	if ((size = regular_size(path)) >= 0 && size_seen(im, size)) {
		if (file_sha256(path, hash) == 0) {
			if (!opt.force && imported_before(im, path, hash, 0))
				return;
			in.nohash = 1;
		}
	} else if (size >= 0) {
		h.path = path;
		if (pthread_create(&h.tid, NULL, hasher_run, &h) == 0) {
			h.running = 1;
			in.nohash = 1;
		}
	}
	/* A report's table is the one with the lead's email or key. */
	in.want = lead_colmap_want;
	in.want_ctx = &want;
	if ((im->rd = lead_reader_open(path, &in)) == NULL) {
		if (h.running)
			pthread_join(h.tid, NULL);
		if (lead_reader_status != LEAD_EX_REJECT)
			lead_die(lead_reader_status, "nothing imported");
		tot->rejected++;
		return;
	}
	im->name = lead_reader_name(im->rd);
	if ((im->hdr = lead_reader_header(im->rd)) == NULL) {
		if (h.running)
			pthread_join(h.tid, NULL);
		lead_reader_close(im->rd);
		tot->rejected++;
		return;
	}
	if (lead_reader_section(im->rd) != NULL)
		lead_note("%s: reading the table under '%.200s' (line %ld)",
		    im->name, lead_reader_section(im->rd), im->hdr->line);
	bind_header(im);
	lead_rejects_input(im->rej, im->hdr, lead_reader_fmt(im->rd));
	/* Piped input is hashed as it is read: keep a way back in case it
	 * turns out to be a list imported before.  (A savepoint costs a
	 * sub-journal of every page changed; files do not need one.) */
	if (!in.nohash)
		lead_db_savepoint(im->db, "file");
	new_batch(im, path);
	act0 = opt.activity ? lead_touch_max_id(im->db) : 0;
	/* Read ahead where the store can use it: not for a suppression
	 * list, nor for a CRM's status and owner columns (their moves read
	 * and write a record at a time). */
	im->ahead_on = lead_importer_reads_ahead(im->st) && !opt.suppress &&
	    im->statuscol < 0 && im->ownercol < 0;
	im->ahead.reading = ahead_pump;
	while ((rc = next_record(im, &rec)) == 1) {
		import_record(im, rec);
		if ((im->n.read & 4095) == 0 && lead_reader_size(im->rd) > 0)
			lead_progress(&opt.c, im->name, lead_reader_pos(im->rd),
			    lead_reader_size(im->rd));
		else if ((im->n.read & 4095) == 0)
			lead_progress(&opt.c, im->name, im->n.read, 0);
	}
	lead_progress(&opt.c, im->name, -1, 0);
	ahead_end(im);
	if (rc < 0)
		lead_die(LEAD_EX_RUNTIME, "%s: nothing imported", im->name);
	lead_reader_account(im->rd, im->n.read, im->n.new + im->n.updated +
	    im->n.unchanged + im->n.merged + im->n.rejected + im->n.hosts);
	future_report(im);
	if (h.running) {
		pthread_join(h.tid, NULL);
		h.running = 0;
		if (h.rc < 0)
			lead_die(LEAD_EX_RUNTIME, "%s: cannot read it again to "
			    "hash it", path);
		memcpy(hash, h.hex, sizeof hash);
	} else if (!in.nohash)
		lead_reader_sha256(im->rd, hash);
	if (!opt.force && !in.nohash &&
	    imported_before(im, im->name, hash, im->batch)) {
		lead_db_rollback_to(im->db, "file");
		/* Its rejects were reported; they are not counted again. */
		im->n = (struct counts){ 0 };
	} else {
		struct lead_batch_counts bc = { im->n.read, im->n.new,
		    im->n.updated, im->n.unchanged, im->n.merged,
		    im->n.rejected, lead_reader_pos(im->rd) };

		lead_importer_batch_done(im->st, im->batch, hash, &bc);
		if (opt.activity)
			lead_importer_batch_touches(im->st, im->batch, act0);
		if (!in.nohash)
			lead_db_release(im->db, "file");
		lead_debug("%s: batch %lld: %ld read, %ld new, %ld updated, "
		    "%ld unchanged, %ld merged, %ld rejected", im->name,
		    (long long)im->batch, im->n.read, im->n.new, im->n.updated,
		    im->n.unchanged, im->n.merged, im->n.rejected);
	}
	tot->read += im->n.read;
	tot->new += im->n.new;
	tot->updated += im->n.updated;
	tot->unchanged += im->n.unchanged;
	tot->merged += im->n.merged;
	tot->rejected += im->n.rejected;
	tot->hosts += im->n.hosts;
	tot->moved += im->n.moved;
	tot->owned += im->n.owned;
	tot->unread += im->n.unread;
	lead_colmap_free(&im->map);
	free(im->keysys);
	im->keysys = NULL;
	for (int i = 0; i < 3; i++) {
		free(im->ftattr[i]);
		im->ftattr[i] = NULL;
	}
	lead_reader_close(im->rd);
	im->rd = NULL;
}

static int
run_import(struct lead_conn *db, int argc, char **argv)
{
	static char *stdin_only[] = { "-", NULL };
	struct lead_importer st;
	struct import im = { 0 };
	struct counts tot = { 0 };
	struct lead_out *print = NULL;
	char unreadb[64] = "", hostsb[80] = "", stateb[96] = "";
	static const char *const pcols[] = { "id", "email", "status", "dnc" };

	if (argc == 0) {
		argv = stdin_only;
		argc = 1;
	}
	/* 32 MiB holds the hot part of the email index of a million leads;
	 * a larger cache measured no faster, and memory stays flat. */
	lead_db_tune(db, LEAD_TUNE_CACHE_KIB, 32768);
	lead_db_begin(db);
	lead_importer_open(&st, db);
	im.db = db;
	im.st = &st;
	im.rej = lead_rejects_new(opt.reject);
	lead_time_format(lead_now(), im.now);
	sources_load(&im);
	/* No opt-outs, no lookup per new lead (an import of a million). */
	im.have_optouts = lead_optouts_any(db);
	im.future = lead_now() + 86400;
	if (opt.print) {
		print = lead_out_new(stdout, &opt.c.out, pcols,
		    opt.suppress ? 4 : 3);
		lead_out_coltype(print, 0, LEAD_COL_NUM);
		im.print = print;
	}
	for (int i = 0; i < argc; i++)
		import_file(&im, argv[i], &tot);
	lead_importer_close(&st);
	lead_kindmap_free(&im.sources);
	lead_reps_free(&im.reps);
	lead_rejects_finish(im.rej);
	if (opt.strict && tot.rejected) {
		lead_db_rollback(db);
		lead_warn("%ld record%s rejected; nothing imported (--strict)",
		    tot.rejected, tot.rejected == 1 ? "" : "s");
		return LEAD_EX_REJECT;
	}
	lead_db_end(db, opt.dry_run);
	/* A -p that could not be written is exit 3, at exit; the import
	 * stands (lead_stdout_init says so). */
	if (print)
		(void)lead_out_close(print);
	if (opt.suppress)
		lead_note("%ld read, %ld flagged do-not-contact by %s, %ld "
		    "already flagged, %ld not yet leads, %ld rejected%s",
		    tot.read, tot.updated, strcmp(opt.channel, "all") == 0 ?
		    "email and phone" : opt.channel, tot.unchanged, tot.new,
		    tot.rejected, opt.dry_run ? " (dry run: nothing changed)" :
		    "");
	else {
		if (tot.unread)
			snprintf(unreadb, sizeof unreadb, "; %ld value%s kept "
			    "unread", tot.unread, tot.unread == 1 ? "" : "s");
		if (tot.hosts)
			snprintf(hostsb, sizeof hostsb, ", %ld %s (not "
			    "leads; --hosts imports them)", tot.hosts,
			    tot.hosts == 1 ? "host or panelist" :
			    "hosts and panelists");
		if (tot.moved || tot.owned)
			snprintf(stateb, sizeof stateb, "; %ld moved on by their "
			    "status, %ld given to their owner", tot.moved,
			    tot.owned);
		lead_note("%ld read, %ld new, %ld updated, %ld unchanged, "
		    "%ld merged, %ld rejected%s%s%s%s", tot.read, tot.new,
		    tot.updated, tot.unchanged, tot.merged, tot.rejected,
		    hostsb, unreadb, stateb, opt.dry_run ?
		    " (dry run: nothing changed)" : "");
	}
	return tot.rejected ? LEAD_EX_REJECT : LEAD_EX_OK;
}

/* ---- undo ----------------------------------------------------------------------- */


static int
run_undo(struct lead_conn *db, int64_t b)
{
	char now[LEAD_TIME_LEN], command[64], undone[LEAD_TIME_LEN + 8];
	int64_t busy, removed, restored;
	struct lead_undo u;

	lead_db_begin(db);
	if (!lead_batch_get(db, b, command, sizeof command, undone,
	    sizeof undone))
		lead_die(LEAD_EX_USAGE, "--undo: no batch %lld", (long long)b);
	if (strcmp(command, "lead-import"))
		lead_die(LEAD_EX_USAGE, "--undo: batch %lld is not an import "
		    "(it is from %s)", (long long)b, command);
	if (*undone)
		lead_die(LEAD_EX_USAGE, "--undo: batch %lld was undone on %s",
		    (long long)b, undone);
	/* Leads the batch created that have a life of their own since. */
	busy = lead_batch_busy(db, b);
	if (busy && !opt.force)
		lead_die(LEAD_EX_USAGE, "--undo: %lld lead%s that batch %lld "
		    "created %s been touched since (later imports, activity, "
		    "stage changes); nothing changed (--force removes them too)",
		    (long long)busy, busy == 1 ? "" : "s", (long long)b,
		    busy == 1 ? "has" : "have");
	lead_batch_undo(db, b, lead_time_format(lead_now(), now), &u);
	removed = u.removed;
	restored = u.restored;
	lead_db_end(db, opt.dry_run);
	lead_note("batch %lld undone: %lld lead%s removed, %lld restored%s",
	    (long long)b, (long long)removed, removed == 1 ? "" : "s",
	    (long long)restored, opt.dry_run ? " (dry run: nothing changed)" : "");
	return LEAD_EX_OK;
}

/* ---- forget --------------------------------------------------------------------- */

/* What --forget did with the leads named. */
struct forgot {
	long erased, before, missing;
};


/* An opt-out outlives the person's data: the suppression entry of the
 * address (or the flags of its lead) is kept by the hash of the address
 * only, so that a re-import of it is still flagged do-not-contact.  1 if
 * the address itself was on the suppression list. */
static int
forget_optout(struct lead_conn *db, const char *email, const char *now)
{
	char hashed[LEAD_EMAIL_HASH_LEN];

	lead_email_hash(lead_db_salt(db), email, hashed);
	return lead_optout_forget(db, email, hashed, now);
}

/* Erase one lead: personal fields, free text about it, its keys.  The
 * anonymous row stays, so counts by source, stage and campaign do not
 * change. */
static void
forget_lead(struct lead_conn *db, int64_t id, const char *now)
{
	lead_lead_forget(db, id, now);
}

/* An address that names no lead: erase its suppression entry's address
 * (kept by hash); or say it was forgotten before, if its hash is all
 * that is left.  0 if neither. */
static int
forget_address(struct lead_conn *db, const char *arg, const char *now,
    struct forgot *n)
{
	char email[320], hashed[LEAD_EMAIL_HASH_LEN];
	char legacy[LEAD_EMAIL_HASH_LEN];
	int known;

	snprintf(email, sizeof email, "%s", arg);
	if (strchr(email, '@') == NULL || lead_email_norm(email) != NULL)
		return 0;
	if (forget_optout(db, email, now)) {
		lead_debug("--forget: %s: no lead; its opt-out is now kept by "
		    "hash only", email);
		n->erased++;
		return 1;
	}
	lead_email_hash(lead_db_salt(db), email, hashed);
	lead_email_hash(NULL, email, legacy);
	known = lead_optout_hashed(db, hashed, legacy);
	if (known) {
		lead_note("--forget: %s was forgotten before; nothing to erase",
		    email);
		n->before++;
	}
	return known;
}

/* Forget the lead that ref names (an email, a leadkit id or a source
 * key); file and line say where it was named, for messages. */
static void
forget_ref(struct lead_conn *db, const char *ref, const char *file, long line,
    const char *now, struct forgot *n)
{
	struct lead_ref r;
	char why[600];

	if (!lead_ref_find(db, ref, &r, why, sizeof why)) {
		if (forget_address(db, ref, now, n))
			return;
		if (file)
			lead_warn_at(file, line, "%s", why);
		else
			lead_warn("--forget: %s", why);
		n->missing++;
		return;
	}
	if (r.forgotten) {
		lead_note("--forget: %s was forgotten before; nothing to erase",
		    r.label);
		n->before++;
		return;
	}
	if (r.email[0])
		forget_optout(db, r.email, now);
	forget_lead(db, r.id, now);
	lead_debug("--forget: erased %s", r.label);
	n->erased++;
}

/* Forget the leads of a list: bare lines (emails, ids, keys), any CSV
 * with an email or id column, or lead-import -p output. */
static void
forget_list(struct lead_conn *db, struct lead_list *l, const char *now,
    struct forgot *n)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->ref[i] == NULL)
			n->missing++;	/* reported by lead_list_read */
		else
			forget_ref(db, l->ref[i], l->name, l->line[i], now, n);
}

/*
 * Old page images of the people erased live on in the write-ahead log,
 * and in the database file until the log is copied back: checkpoint and
 * truncate it, waiting up to --wait for the readers that hold an older
 * snapshot.  If it cannot be done, say so and exit 3: never report an
 * erasure while the data is still on disk.
 */
static void
wal_clear(struct lead_conn *db)
{
	double waited = 0;

	for (;;) {
		if (lead_db_flush_erased(db) == 0)
			return;
		if (waited >= opt.c.wait)
			break;
		usleep(100000);
		waited += 0.1;
	}
	lead_die(LEAD_EX_RUNTIME, "--forget: the erasure is committed, but "
	    "another connection is reading the database, so the old copies "
	    "of the data in its write-ahead log could not be cleared within "
	    "--wait (%g s); once it has finished, run lead-import --forget "
	    "again (with the same leads: any --forget clears the log)",
	    opt.c.wait);
}

static int
run_forget(struct lead_conn *db, int argc, char **argv)
{
	char now[LEAD_TIME_LEN];
	struct forgot n = { 0 };
	struct lead_list *list = NULL;
	int listdone = 0;

	if (argc == 0)
		lead_die(LEAD_EX_USAGE, "--forget: name the leads to erase (an "
		    "email, an id or a source key; - reads them from standard "
		    "input)");
	lead_time_format(lead_now(), now);
	/* A list on standard input is read before the write lock is
	 * taken: "lead-import -p ... | lead-import --forget -" must not
	 * wait on itself. */
	for (int i = 0; i < argc && list == NULL; i++)
		if (strcmp(argv[i], "-") == 0)
			if ((list = lead_list_read("-", &opt.c.in, &failed)) ==
			    NULL)
				lead_err_exit(&failed);
	/* Overwrite what is deleted, rather than leave it in free pages. */
	lead_db_tune(db, LEAD_TUNE_SECURE_DELETE, 1);
	lead_db_begin(db);
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "-") == 0 && !listdone) {
			forget_list(db, list, now, &n);
			listdone = 1;
		} else if (strcmp(argv[i], "-") != 0)
			forget_ref(db, argv[i], NULL, 0, now, &n);
	if (opt.dry_run)
		lead_db_rollback(db);
	else {
		lead_db_commit(db);
		wal_clear(db);
	}
	lead_note("%ld %s, %ld forgotten before, %ld not found%s", n.erased,
	    opt.dry_run ? "to erase" : "erased", n.before, n.missing,
	    opt.dry_run ? " (dry run: nothing changed)" : "");
	if (list)
		lead_list_free(list);
	return n.missing ? LEAD_EX_REJECT : LEAD_EX_OK;
}

/* ---- batches -------------------------------------------------------------------- */

static int
run_batches(struct lead_conn *db)
{
	static const char *const cols[] = {
		"id", "at", "command", "file", "sha256", "source", "campaign",
		"kind", "cost", "activity", "read", "new", "updated",
		"unchanged", "merged", "rejected", "undone_at"
	};
	enum { NCOLS = sizeof cols / sizeof *cols };
	struct lead_stmt *st = lead_batch_list(db);
	struct lead_out *w = lead_out_new(stdout, &opt.c.out, cols, NCOLS);
	const char *vals[NCOLS];

	for (size_t i = 0; i < NCOLS; i++)
		if (i == 0 || i == 8 || (i >= 10 && i <= 15))
			lead_out_coltype(w, i, LEAD_COL_NUM);
	while (lead_db_step(st) == LEAD_ROW) {
		for (int i = 0; i < NCOLS; i++)
			vals[i] = lead_column_text(st, i);
		lead_out_row(w, vals);
	}
	lead_finalize(st);
	if (lead_out_close(w) < 0)
		lead_die(LEAD_EX_RUNTIME, "write error on standard output");
	return LEAD_EX_OK;
}

/* A row of the source naming a row that is not there would be refused
 * by the other side's keys in the middle of the copy: say which, up to
 * ten, and copy nothing. */
static void
copy_orphans(struct lead_conn *src)
{
	struct lead_stmt *st = lead_copy_orphans(src);
	long n = 0;

	if (st == NULL)
		return;
	while (lead_db_step(st) == LEAD_ROW) {
		char row[32] = "";

		if (++n > 10)
			continue;
		/* (A table without rowids has none to name.) */
		if (lead_column_type(st, 1) != LEAD_NULL)
			snprintf(row, sizeof row, " %lld",
			    (long long)lead_column_int64(st, 1));
		lead_warn("--copy: %s: %s row%s names a row of %s that is "
		    "not there", lead_db_name(src), lead_column_text(st, 0),
		    row, lead_column_text(st, 2));
	}
	lead_finalize(st);
	if (n > 0)
		lead_die(LEAD_EX_RUNTIME, "--copy: %s: %ld row%s name%s rows "
		    "that are not there (deleted by hand?), which the copy's "
		    "foreign keys refuse: delete or mend them, then copy "
		    "again; nothing copied",
		    lead_db_name(src), n, n == 1 ? "" : "s", n == 1 ? "s" : "");
}

/*
 * --copy DB: the leadkit database DB, whole, into the empty one of --db
 * (a team moving to a server, or back to a file): every table row for
 * row with its ids, in one transaction, then both counted; any count
 * that differs rolls it all back.  Prints a row a table.
 */
static int
run_copy(struct lead_conn *db, const char *path)
{
	static const char *const cols[] = { "table", "rows", "copied" };
	struct lead_conn *src;
	struct lead_out *w;
	int64_t *nsrc;
	char a[32], b[32];
	const char *vals[3];

	if (strcmp(opt.copy, path) == 0)
		lead_die(LEAD_EX_USAGE, "--copy %s: that is --db itself",
		    opt.copy);
	src = lead_db_open(opt.copy, 0, opt.c.wait);
	lead_db_begin_read(src);
	lead_db_begin(db);
	for (size_t i = 0; i < lead_ncopy_tables; i++) {
		const char *t = lead_copy_tables[i];
		int64_t n;

		if (strcmp(t, "meta") != 0 && (n = lead_copy_count(db, t)) > 0)
			lead_die(LEAD_EX_RUNTIME, "--copy: %s is not empty (%"
			    PRId64 " rows in %s); copy into a new database",
			    lead_db_name(db), n, t);
	}
	copy_orphans(src);
	lead_stdout_hold(1);
	nsrc = lead_xcalloc(lead_ncopy_tables, sizeof *nsrc);
	for (size_t i = 0; i < lead_ncopy_tables; i++) {
		nsrc[i] = lead_copy_count(src, lead_copy_tables[i]);
		lead_copy_table(src, db, lead_copy_tables[i]);
	}
	w = lead_out_new(stdout, &opt.c.out, cols, 3);
	lead_out_coltype(w, 1, LEAD_COL_NUM);
	lead_out_coltype(w, 2, LEAD_COL_NUM);
	for (size_t i = 0; i < lead_ncopy_tables; i++) {
		int64_t n = lead_copy_count(db, lead_copy_tables[i]);

		if (n != nsrc[i])
			lead_die(LEAD_EX_RUNTIME, "--copy: %s has %" PRId64
			    " rows in %s, the copy %" PRId64 "; nothing copied",
			    lead_db_name(src), nsrc[i], lead_copy_tables[i], n);
		snprintf(a, sizeof a, "%" PRId64, nsrc[i]);
		snprintf(b, sizeof b, "%" PRId64, n);
		vals[0] = lead_copy_tables[i], vals[1] = a, vals[2] = b;
		lead_out_row(w, vals);
	}
	if (lead_out_close(w) < 0)
		lead_die(LEAD_EX_RUNTIME, "write error on standard output");
	lead_db_end(db, opt.dry_run);
	lead_db_rollback(src);
	lead_db_close(src);
	lead_note("copied %s into %s, every table's rows counted%s",
	    opt.copy, lead_db_name(db), opt.dry_run ?
	    " (dry run: nothing changed)" : "");
	free(nsrc);
	return LEAD_EX_OK;
}

/* ---- main ------------------------------------------------------------------------ */

static enum policy
policy(const char *s)
{
	if (!strcmp(s, "fill"))
		return POL_FILL;
	if (!strcmp(s, "update"))
		return POL_UPDATE;
	if (!strcmp(s, "keep"))
		return POL_KEEP;
	lead_die(LEAD_EX_USAGE, "--merge: unknown policy '%s' "
	    "(fill, update or keep)", s);
}

static void
merge_option(const char *arg)
{
	const char *eq = strchr(arg, '=');
	char *field;
	int f;

	if (eq == NULL)
		lead_die(LEAD_EX_USAGE, "--merge '%s': expected FIELD=POLICY", arg);
	field = lead_xstrndup(arg, (size_t)(eq - arg));
	if (strcmp(field, "attrs") == 0)
		f = LF_ATTRS;
	else if ((f = lead_field_index(lead_lead_fields, LF_NFIELDS,
	    field)) < 0 || dbcol[f] == NULL || f == LF_EMAIL)
		lead_die(LEAD_EX_USAGE, "--merge: no field '%s' to merge", field);
	if ((f == LF_SOURCE || f == LF_CAMPAIGN || f == LF_CREATED_AT) &&
	    policy(eq + 1) == POL_UPDATE)
		lead_die(LEAD_EX_USAGE, "--merge: the first-touch %s is never "
		    "overwritten", field);
	opt.pol[f] = policy(eq + 1);
	free(field);
}

/* The channel a suppression list stops: --channel, or --suppress=. */
static void
channel_option(const char *name, const char *arg)
{
	if (lead_optout_bits(arg) == 0 || arg[0] == '\0')
		lead_die(LEAD_EX_USAGE, "%s: channel is email, phone or all, "
		    "not '%s'", name, arg);
	if (opt.channel && strcmp(opt.channel, arg) != 0)
		lead_die(LEAD_EX_USAGE, "%s %s: the list's channel is %s "
		    "already; give one", name, arg, opt.channel);
	opt.channel = arg;
}

/* One of the command's own options (lead_options_parse). */
static void
option(int c, char *arg, void *ctx)
{
	(void)ctx;
	switch (c) {
	case OPT_COST:
		if (lead_money_parse(arg, 0, &opt.cost) < 0 ||
		    opt.cost < 0)
			lead_die(LEAD_EX_USAGE, "--cost: '%s' is not an "
			    "amount of money (4500, $4,500.00, 4.500,00 "
			    "EUR)", arg);
		opt.have_cost = 1;
		break;
	case OPT_MAP:
		opt.maps = lead_xrealloc(opt.maps,
		    (opt.nmaps + 1) * sizeof *opt.maps);
		opt.maps[opt.nmaps++] = arg;
		break;
	case OPT_UPDATE:
		opt.update = 1;
		for (size_t i = 0; i < NMERGED; i++)
			opt.pol[merged_fields[i]] = POL_UPDATE;
		opt.pol[LF_ATTRS] = POL_UPDATE;
		break;
	case OPT_MERGE: merge_option(arg); break;
	case OPT_SUPPRESS:
		opt.suppress = 1;
		if (arg)
			channel_option("--suppress", arg);
		break;
	case OPT_CHANNEL: channel_option("--channel", arg); break;
	case OPT_UNDO:
		opt.undo = lead_opt_long("--undo", arg, 1, 1L << 40);
		break;
	case OPT_SOURCES:
		opt.sources = 1;
		opt.sources_file = arg;
		break;
	default: lead_usage(&usage, LEAD_EX_USAGE);
	}
}

static void
parse_options(int argc, char **argv)
{
	lead_options_parse(&usage, &opt.c, argc, argv, option, NULL);
	lead_common_done(&opt.c);
	/* What is stored and shown again must be text a terminal, a
	 * spreadsheet and an SVG can show. */
	lead_opt_text("--source", opt.source, 0);
	lead_opt_text("--campaign", opt.campaign, 0);
	lead_opt_text("--kind", opt.kind, 0);
	lead_opt_text("--activity", opt.activity, 0);
	lead_opt_text("--key-system", opt.key_system, 0);
	if (opt.at_column && !opt.activity)
		lead_die(LEAD_EX_USAGE, "--at-column goes with --activity");
	if (opt.key_system && !opt.key)
		lead_die(LEAD_EX_USAGE, "--key-system goes with --key");
	if (opt.channel && !opt.suppress)
		lead_die(LEAD_EX_USAGE, "--channel goes with --suppress");
	/* An unsubscribe from a newsletter is not a do-not-call request. */
	if (opt.suppress && opt.channel == NULL)
		opt.channel = "email";
	if ((opt.undo != 0) + opt.forget + opt.batches + opt.sources +
	    (opt.copy != NULL) > 1)
		lead_die(LEAD_EX_USAGE, "--undo, --forget, --batches, --sources "
		    "and --copy are separate tasks; give one");
}

int
main(int argc, char **argv)
{
	struct lead_conn *db;
	const char *path;
	int rc, create;

	lead_setprog(argv[0]);
	/* "lead-import -p list | head" must not kill the import midway:
	 * a closed output is reported, the import still commits. */
	signal(SIGPIPE, SIG_IGN);
	parse_options(argc, argv);
	argc -= optind;
	argv += optind;
	if ((opt.undo || opt.batches || opt.sources || opt.copy) && argc > 0)
		lead_die(LEAD_EX_USAGE, "unexpected argument '%s'", argv[0]);
	create = !(opt.undo || opt.forget || opt.batches ||
	    (opt.sources && opt.sources_file == NULL));
	path = lead_db_path(opt.c.db);
	lead_output_check("--reject", opt.reject, path, argv, (size_t)argc);
	db = lead_db_open(path, create && opt.dry_run ? LEAD_DB_DRY : create,
	    opt.c.wait);
	if (opt.undo)
		rc = run_undo(db, opt.undo);
	else if (opt.forget)
		rc = run_forget(db, argc, argv);
	else if (opt.batches)
		rc = run_batches(db);
	else if (opt.sources)
		rc = run_sources(db);
	else if (opt.copy)
		rc = run_copy(db, path);
	else {
		/* -p describes the import: it reaches the next command of
		 * the pipe once the import is committed, never before. */
		if (opt.print)
			lead_stdout_hold(1);
		rc = run_import(db, argc, argv);
	}
	lead_db_close(db);
	free(opt.maps);
	return rc;
}
