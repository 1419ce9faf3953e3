/*
 * lead-log: record every interaction with a lead, with its context.
 *
 * One touch from the command line, typed by a rep; or many from CSV/TSV
 * (marketing automation exports).  Every touch must carry the context the
 * contact protocol (stored in the database) asks of its kind.  A touch can
 * move the lead through the lifecycle (--stage), and the owner's first
 * touch after a hand-off stops the SLA clock.  "show" prints a lead's
 * timeline; "may-contact" answers, as an exit status, whether the lead
 * may be contacted now under the contact caps.
 */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lead.h"

static const char *const synopsis[] = {
	"[-nqv] [-d db] email kind [--at time] [--by rep] [--channel channel] "
	    "[--content asset] [--outcome outcome] [--note text] "
	    "[--next text] [--due when] [--stage stage] [--amount amount] "
	    "[--reason text] [--force] [--enforce] [--create]",
	"[-nqv] [-d db] [--kind kind] [--create] [--source name] "
	    "[--map field=column] [--reject file] [--strict] "
	    "[format options] [file ...]",
	"show [-d db] [output options] email ...",
	"may-contact [-d db] [--channel channel] email",
	"protocol [-d db]",
	"cap [-d db]",
	"--protocol file [-n] [-d db]",
	"--cap spec [-n] [-d db]",
	NULL
};

static const char options_help[] =
	"One touch:\n"
	"  --at TIME             when it happened (default: now)\n"
	"  --by REP              who did it (a rep's name or email)\n"
	"  --channel CHANNEL     email, call, meeting, sms, social, mail, ...\n"
	"  --content ASSET       the asset shown or sent\n"
	"  --outcome OUTCOME     connected, voicemail, no_answer, ...\n"
	"  --note TEXT           what was said, learned or agreed\n"
	"  --next TEXT           the next step promised\n"
	"  --due WHEN            when the next step is due (3d, or a time)\n"
	"  --stage STAGE         move the lead: sql, opportunity, won, lost,\n"
	"                        disqualified, nurture\n"
	"  --amount AMOUNT       the amount of a quote or a won deal\n"
	"  --reason TEXT         why (lost, disqualified and nurture need one)\n"
	"  --force               a stage change the lifecycle would refuse\n"
	"  --enforce             refuse a touch over the contact cap or to a\n"
	"                        do-not-contact lead (default: warn)\n"
	"  --create              create an unknown lead\n"
	"Many touches (CSV/TSV files, or standard input):\n"
	"  --kind KIND           the kind of every touch without a kind column\n"
	"  --source NAME         first-touch source of leads made by --create\n"
	"  --map FIELD=COLUMN    fields: email ts kind note channel actor\n"
	"                        content outcome next due amount\n"
	"  --reject FILE         write rejected records to FILE\n"
	"  --strict              any rejected record aborts the whole run\n"
	"  -n, --dry-run         do everything, change nothing\n"
	"Subcommands:\n"
	"  show EMAIL...         a lead's timeline (- reads emails from stdin)\n"
	"  may-contact EMAIL     exit 0 if the lead may be contacted now, else 1\n"
	"  protocol, cap         print the contact protocol, the contact caps\n"
	"  --protocol FILE       adopt a contact protocol file\n"
	"  --cap SPEC            set the caps: email=3/7d,call=2/7d,all=5/7d\n"
	"Common:\n"
	"  -d, --db FILE         database (default $LEAD_DB, else ./leads.db)\n"
	"  --wait SECS, --now TIME, -q, -v, --csv, --tsv, --json, --table,\n"
	"  --no-header, --raw, --delimiter C, --encoding NAME, --skip N,\n"
	"  --progress, --no-progress, --help, --version\n";

static const struct lead_usage usage = { synopsis, options_help };

enum {
	OPT_AT = LEAD_OPT_FIRST_FREE, OPT_BY, OPT_CHANNEL, OPT_CONTENT,
	OPT_OUTCOME, OPT_NOTE, OPT_NEXT, OPT_DUE, OPT_STAGE, OPT_AMOUNT,
	OPT_REASON, OPT_FORCE, OPT_ENFORCE, OPT_CREATE, OPT_KIND, OPT_SOURCE,
	OPT_MAP, OPT_REJECT, OPT_STRICT, OPT_PROTOCOL, OPT_CAP
};

static const struct option longopts[] = {
	LEAD_COMMON_LONGOPTS,
	{ "dry-run", no_argument, NULL, 'n' },
	{ "at", required_argument, NULL, OPT_AT },
	{ "by", required_argument, NULL, OPT_BY },
	{ "channel", required_argument, NULL, OPT_CHANNEL },
	{ "content", required_argument, NULL, OPT_CONTENT },
	{ "outcome", required_argument, NULL, OPT_OUTCOME },
	{ "note", required_argument, NULL, OPT_NOTE },
	{ "next", required_argument, NULL, OPT_NEXT },
	{ "due", required_argument, NULL, OPT_DUE },
	{ "stage", required_argument, NULL, OPT_STAGE },
	{ "amount", required_argument, NULL, OPT_AMOUNT },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "enforce", no_argument, NULL, OPT_ENFORCE },
	{ "create", no_argument, NULL, OPT_CREATE },
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "map", required_argument, NULL, OPT_MAP },
	{ "reject", required_argument, NULL, OPT_REJECT },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "protocol", required_argument, NULL, OPT_PROTOCOL },
	{ "cap", required_argument, NULL, OPT_CAP },
	{ NULL, 0, NULL, 0 }
};

static struct {
	struct lead_common c;
	int dry_run, force, enforce, create, strict;
	const char *at, *by, *channel, *content, *outcome, *note, *next, *due;
	const char *stage, *amount, *reason, *kind, *source, *reject;
	const char *protocol, *cap;
	char **maps;
	size_t nmaps;
} opt;

/* The fields of an event file, with the export names that mean them. */
enum { EV_EMAIL, EV_TS, EV_KIND, EV_NOTE, EV_CHANNEL, EV_ACTOR, EV_CONTENT,
	EV_OUTCOME, EV_NEXT, EV_DUE, EV_AMOUNT, EV_NFIELDS };

#define A(...) (const char *const[]){ __VA_ARGS__, NULL }
static const struct lead_fieldspec event_fields[EV_NFIELDS] = {
	[EV_EMAIL] = { "email", A("emailaddress", "workemail", "contactemail",
	    "recipient", "recipientemail", "leademail", "useremail") },
	[EV_TS] = { "ts", A("time", "timestamp", "date", "datetime",
	    "occurredat", "eventtime", "eventdate", "activitydate",
	    "activitytime", "createdat", "created", "at", "when") },
	[EV_KIND] = { "kind", A("type", "event", "eventtype", "activity",
	    "activitytype", "action", "eventname") },
	[EV_NOTE] = { "note", A("detail", "details", "description", "notes",
	    "comment", "comments", "body", "summary") },
	[EV_CHANNEL] = { "channel", A("medium") },
	[EV_ACTOR] = { "actor", A("by", "user", "rep", "owner", "performedby",
	    "agent") },
	[EV_CONTENT] = { "content", A("asset", "url", "page", "pageurl",
	    "subject", "emailname", "link", "file", "document") },
	[EV_OUTCOME] = { "outcome", A("result", "disposition", "callresult") },
	[EV_NEXT] = { "next", A("nextstep", "followup") },
	[EV_DUE] = { "due", A("duedate", "followupdate", "nextdate") },
	[EV_AMOUNT] = { "amount", A("value", "dealamount", "revenue") },
};

/* What logging needs, made once. */
struct logger {
	sqlite3 *db;
	struct lead_protocol proto;
	struct lead_cap caps[16];
	int ncaps;
	sqlite3_stmt *by_email, *create, *add, *first_touch, *exists;
	sqlite3_stmt *unsubscribe;
	sqlite3_stmt *capcount[16];
	char now[LEAD_TIME_LEN];
	int64_t batch;
};

/* ---- settings: protocol and caps ------------------------------------------ */

/* The stored protocol, else the default one. */
static void
load_protocol(struct logger *lg)
{
	char *text = lead_setting(lg->db, "protocol");

	if (lead_protocol_parse(&lg->proto, text ? text :
	    lead_protocol_default, "stored protocol") < 0)
		lead_die(LEAD_EX_USAGE, "the stored contact protocol is "
		    "invalid; adopt a fixed one with --protocol FILE");
	free(text);
}

static void
load_caps(struct logger *lg)
{
	char *spec = lead_setting(lg->db, "caps"), *err;

	lg->ncaps = 0;
	if (spec && (lg->ncaps = lead_caps_parse(spec, lg->caps, 16, &err)) < 0)
		lead_die(LEAD_EX_USAGE, "stored caps: %s", err);
	free(spec);
	for (int i = 0; i < lg->ncaps; i++) {
		char sql[512];

		snprintf(sql, sizeof sql, "SELECT count(*) FROM activity "
		    "WHERE lead_id = ?1 AND ts > ?2 AND ts <= ?3 AND kind IN "
		    "(%s)", lead_channel_kinds(lg->caps[i].channel));
		lg->capcount[i] = lead_db_prepare(lg->db, sql);
	}
}

/* --protocol FILE and --cap SPEC: checked, then stored together. */
static int
run_settings(sqlite3 *db)
{
	struct lead_protocol p;
	struct lead_cap caps[16];
	char *text = NULL, *err, now[LEAD_TIME_LEN];

	if (opt.protocol) {
		text = lead_read_text(opt.protocol, "protocol file");
		if (lead_protocol_parse(&p, text, strcmp(opt.protocol, "-") ?
		    opt.protocol : "stdin") < 0)
			lead_die(LEAD_EX_USAGE, "contact protocol not changed");
		lead_protocol_free(&p);
	}
	if (opt.cap && lead_caps_parse(opt.cap, caps, 16, &err) < 0)
		lead_die(LEAD_EX_USAGE, "%s; nothing changed", err);
	lead_time_format(lead_now(), now);
	lead_db_begin(db);
	if (text)
		lead_setting_set(db, "protocol", text, now);
	if (opt.cap)
		lead_setting_set(db, "caps", opt.cap, now);
	opt.dry_run ? lead_db_rollback(db) : lead_db_commit(db);
	if (text)
		lead_note("contact protocol adopted from %s%s", opt.protocol,
		    opt.dry_run ? " (dry run: nothing changed)" : "");
	if (opt.cap)
		lead_note("contact caps set to %s%s", opt.cap,
		    opt.dry_run ? " (dry run: nothing changed)" : "");
	free(text);
	return LEAD_EX_OK;
}

static int
run_print_setting(sqlite3 *db, const char *name)
{
	char *v = lead_setting(db, name);

	if (strcmp(name, "protocol") == 0)
		fputs(v ? v : lead_protocol_default, stdout);
	else if (v)
		printf("%s\n", v);
	else
		lead_note("no contact caps set (lead-log --cap SPEC sets them)");
	free(v);
	return LEAD_EX_OK;
}

/* ---- logging a touch --------------------------------------------------------- */

static void
logger_open(struct logger *lg, sqlite3 *db)
{
	memset(lg, 0, sizeof *lg);
	lg->db = db;
	lead_time_format(lead_now(), lg->now);
	load_protocol(lg);
	load_caps(lg);
	lg->by_email = lead_db_prepare(db, "SELECT id, stage, dnc_email, "
	    "dnc_phone FROM lead WHERE email = ?");
	lg->create = lead_db_prepare(db, "INSERT INTO lead (email, domain, "
	    "source, first_batch, last_batch, created_at, updated_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6)");
	lg->add = lead_db_prepare(db, "INSERT OR IGNORE INTO activity "
	    "(lead_id, ts, kind, channel, actor, content, outcome, note, "
	    "next_step, due, amount, batch_id, fp) VALUES (?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?)");
	lg->exists = lead_db_prepare(db, "SELECT 1 FROM activity WHERE "
	    "lead_id = ? AND ts = ? AND kind = ? AND fp = ?");
	lg->unsubscribe = lead_db_prepare(db, "UPDATE lead SET dnc_email = 1, "
	    "dnc_reason = 'unsubscribe', dnc_at = ?2 WHERE id = ?1 AND "
	    "dnc_email = 0");
	lg->first_touch = lead_db_prepare(db, "UPDATE assignment SET "
	    "first_touch_at = ?1 WHERE lead_id = ?2 AND ended_at IS NULL AND "
	    "first_touch_at IS NULL AND at <= ?1 AND rep_id IN (SELECT id "
	    "FROM rep WHERE name = ?3 COLLATE NOCASE OR email = lower(?3))");
}

static void
logger_close(struct logger *lg)
{
	lead_protocol_free(&lg->proto);
	for (int i = 0; i < lg->ncaps; i++)
		sqlite3_finalize(lg->capcount[i]);
	sqlite3_finalize(lg->by_email);
	sqlite3_finalize(lg->create);
	sqlite3_finalize(lg->add);
	sqlite3_finalize(lg->first_touch);
	sqlite3_finalize(lg->exists);
	sqlite3_finalize(lg->unsubscribe);
}

struct leadref {
	int64_t id;
	char stage[16];
	int dnc_email, dnc_phone;
};

/* Find the lead of a normalised email; create it with --create.  1 if
 * found, 2 if created, 0 if unknown. */
static int
find_lead(struct logger *lg, const char *email, const char *ts,
    struct leadref *l)
{
	sqlite3_stmt *st = lg->by_email;
	int found = 0;

	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	if (lead_db_step(st) == SQLITE_ROW) {
		l->id = sqlite3_column_int64(st, 0);
		snprintf(l->stage, sizeof l->stage, "%s",
		    sqlite3_column_text(st, 1));
		l->dnc_email = sqlite3_column_int(st, 2);
		l->dnc_phone = sqlite3_column_int(st, 3);
		found = 1;
	}
	sqlite3_reset(st);
	if (found || !opt.create)
		return found;
	st = lg->create;
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	if (!lead_freemail(lead_email_domain(email)))
		sqlite3_bind_text(st, 2, lead_email_domain(email), -1,
		    SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_text(st, 3, opt.source ? opt.source : "lead-log", -1,
	    SQLITE_STATIC);
	if (lg->batch)
		sqlite3_bind_int64(st, 4, lg->batch);
	else
		sqlite3_bind_null(st, 4);
	/* A lead first seen in its touch was created then. */
	sqlite3_bind_text(st, 5, ts ? ts : lg->now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, lg->now, -1, SQLITE_STATIC);
	lead_db_run(st);
	l->id = sqlite3_last_insert_rowid(lg->db);
	strcpy(l->stage, "new");
	l->dnc_email = l->dnc_phone = 0;
	return 2;
}

/* Is the lead over a contact cap, or do-not-contact, for this touch?
 * NULL if not, else why (caller frees). */
static char *
contact_check(struct logger *lg, const struct leadref *l, const char *channel,
    lead_time at)
{
	struct lead_buf b = { 0 };
	char to[LEAD_TIME_LEN], from[LEAD_TIME_LEN];

	if (channel == NULL)
		return NULL;
	if (l->dnc_email && strcmp(channel, "email") == 0)
		lead_buf_adds(&b, "the lead is do-not-contact by email");
	else if (l->dnc_phone && (strcmp(channel, "call") == 0 ||
	    strcmp(channel, "sms") == 0))
		lead_buf_adds(&b, "the lead is do-not-contact by phone");
	else if (l->dnc_email && l->dnc_phone)
		lead_buf_adds(&b, "the lead is do-not-contact");
	lead_time_format(at, to);
	for (int i = 0; i < lg->ncaps && b.len == 0; i++) {
		struct lead_cap *c = &lg->caps[i];
		sqlite3_stmt *st = lg->capcount[i];
		long n = 0;

		if (strcmp(c->channel, "all") && strcmp(c->channel, channel))
			continue;
		lead_time_format(at - c->window, from);
		sqlite3_bind_int64(st, 1, l->id);
		sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
		if (lead_db_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_reset(st);
		if (n >= c->max)
			lead_buf_addf(&b, "over the contact cap %s: %ld %s "
			    "touch%s in that window", c->spec, n, c->channel,
			    n == 1 ? "" : "es");
	}
	return b.len ? lead_buf_take(&b) : NULL;
}

/* Store one touch.  The activity id, or 0 if the same touch was stored
 * before. */
static int64_t
add_touch(struct logger *lg, const struct leadref *l,
    const struct lead_touch *t, const char *ts)
{
	sqlite3_stmt *st = lg->add;
	const char *vals[] = { t->channel, t->actor, t->content, t->outcome,
	    t->note, t->next, t->due };

	sqlite3_bind_int64(st, 1, l->id);
	sqlite3_bind_text(st, 2, ts, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, t->kind, -1, SQLITE_STATIC);
	for (int i = 0; i < 7; i++)
		lead_db_bind_text(st, 4 + i, vals[i]);
	if (t->amount && *t->amount)
		sqlite3_bind_double(st, 11, strtod(t->amount, NULL));
	else
		sqlite3_bind_null(st, 11);
	if (lg->batch)
		sqlite3_bind_int64(st, 12, lg->batch);
	else
		sqlite3_bind_null(st, 12);
	sqlite3_bind_int64(st, 13, lead_touch_fp(t));
	lead_db_run(st);
	if (sqlite3_changes(lg->db) == 0)
		return 0;
	/* An unsubscribe is the lead saying no more email. */
	if (strcmp(t->kind, "unsubscribe") == 0) {
		sqlite3_bind_int64(lg->unsubscribe, 1, l->id);
		sqlite3_bind_text(lg->unsubscribe, 2, ts, -1, SQLITE_STATIC);
		lead_db_run(lg->unsubscribe);
	}
	/* The owner's first touch after the hand-off stops the SLA clock:
	 * a contact, or a quote sent. */
	if (t->actor && (lead_kind_channel(t->kind) ||
	    strcmp(t->kind, "quote") == 0)) {
		sqlite3_bind_text(lg->first_touch, 1, ts, -1, SQLITE_STATIC);
		sqlite3_bind_int64(lg->first_touch, 2, l->id);
		sqlite3_bind_text(lg->first_touch, 3, t->actor, -1,
		    SQLITE_STATIC);
		lead_db_run(lg->first_touch);
	}
	return sqlite3_last_insert_rowid(lg->db);
}

/* Was this very touch logged before? */
static int
logged_before(struct logger *lg, const struct leadref *l,
    const struct lead_touch *t, const char *ts)
{
	sqlite3_stmt *st = lg->exists;
	int yes;

	sqlite3_bind_int64(st, 1, l->id);
	sqlite3_bind_text(st, 2, ts, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, t->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, lead_touch_fp(t));
	yes = lead_db_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

/* An amount is a plain number. */
static int
amount_valid(const char *s)
{
	char *end;
	double v;

	if (s == NULL || *s == '\0')
		return 1;
	/* Decimal only: strtod would take "nan", "inf" and "0x10". */
	if (s[strspn(s, "0123456789.-+eE")] != '\0')
		return 0;
	v = strtod(s, &end);
	return end != s && *end == '\0' && v > -1e15 && v < 1e15;
}

/* ---- one touch ----------------------------------------------------------------- */

/* The stage a touch moves its lead to, or NULL. */
static const char *
target_stage(const char *kind, const char *cur)
{
	if (opt.stage)
		return opt.stage;
	/* A quote is the lead becoming an opportunity, if the lifecycle
	 * agrees; otherwise it is only a touch. */
	if (strcmp(kind, "quote") == 0 &&
	    lead_stage_check(cur, "opportunity") == NULL)
		return "opportunity";
	return NULL;
}

static int
run_one(sqlite3 *db, char *email_arg, char *kind)
{
	struct logger lg;
	struct leadref l;
	struct lead_touch t = { 0 };
	char email[512], ts[LEAD_TIME_LEN], due[LEAD_TIME_LEN], *why;
	const char *bad, *to;
	lead_time at = lead_now(), dt;
	int64_t secs, act;
	int found;

	snprintf(email, sizeof email, "%s", email_arg);
	if ((bad = lead_email_norm(email)) != NULL)
		lead_die(LEAD_EX_USAGE, "invalid email '%s': %s", email_arg, bad);
	if ((bad = lead_kind_norm(kind)) != NULL)
		lead_die(LEAD_EX_USAGE, "kind '%s': %s", kind, bad);
	if (opt.at && lead_time_parse(opt.at, &at) < 0)
		lead_die(LEAD_EX_USAGE, "--at: invalid time '%s'", opt.at);
	if (opt.due) {
		if (lead_duration_parse(opt.due, &secs) == 0)
			dt = at + secs;
		else if (lead_time_parse(opt.due, &dt) < 0)
			lead_die(LEAD_EX_USAGE, "--due: '%s' is neither a time "
			    "nor a duration (3d, 24h)", opt.due);
		t.due = lead_time_format(dt, due);
	}
	if (!amount_valid(opt.amount))
		lead_die(LEAD_EX_USAGE, "--amount: '%s' is not a number",
		    opt.amount);
	if (opt.stage && (!lead_stage_valid(opt.stage) ||
	    strcmp(opt.stage, "new") == 0 || strcmp(opt.stage, "mql") == 0 ||
	    strcmp(opt.stage, "sal") == 0))
		lead_die(LEAD_EX_USAGE, "--stage: '%s' is not a stage a touch "
		    "sets (sql, opportunity, won, lost, disqualified, nurture)",
		    opt.stage);
	t.kind = kind;
	t.actor = opt.by;
	t.content = opt.content;
	t.outcome = opt.outcome;
	t.note = opt.note;
	t.next = opt.next;
	t.amount = opt.amount;
	t.channel = opt.channel ? opt.channel : lead_kind_channel(kind);
	lead_time_format(at, ts);

	lead_db_begin(db);
	logger_open(&lg, db);
	if ((why = lead_protocol_check(&lg.proto, &t)) != NULL)
		lead_die(LEAD_EX_USAGE, "%s: nothing logged: %s", email, why);
	if ((found = find_lead(&lg, email, ts, &l)) == 0)
		lead_die(LEAD_EX_REJECT, "no lead '%s' (import it first, or "
		    "log with --create)", email);
	to = target_stage(kind, l.stage);
	if (to) {
		if (!opt.force && (bad = lead_stage_check(l.stage, to)) != NULL)
			lead_die(LEAD_EX_USAGE, "%s: %s -> %s: %s; nothing logged "
			    "(--force overrides)", email, l.stage, to, bad);
		if (strcmp(to, "won") == 0 && !opt.amount)
			lead_die(LEAD_EX_USAGE, "%s: a won deal needs --amount",
			    email);
		if ((strcmp(to, "lost") == 0 || strcmp(to, "disqualified") == 0
		    || strcmp(to, "nurture") == 0) && !opt.reason)
			lead_die(LEAD_EX_USAGE, "%s: moving to %s needs --reason",
			    email, to);
	}
	if (logged_before(&lg, &l, &t, ts)) {
		lead_note("%s: this %s at %s is logged already", email, kind, ts);
		logger_close(&lg);
		lead_db_rollback(db);
		return LEAD_EX_OK;
	}
	if ((why = contact_check(&lg, &l, lead_kind_channel(kind), at))) {
		if (opt.enforce)
			lead_die(LEAD_EX_REJECT, "%s: nothing logged: %s "
			    "(--enforce)", email, why);
		lead_warn("%s: warning: %s", email, why);
		free(why);
	}
	if ((act = add_touch(&lg, &l, &t, ts)) == 0) {
		lead_note("%s: this %s at %s is logged already", email, kind, ts);
	} else {
		if (to && strcmp(to, l.stage) != 0)
			lead_stage_set(db, l.id, l.stage, to, opt.by,
			    opt.reason ? opt.reason : opt.note ? opt.note : kind,
			    act, 0, ts);
		if (to && strcmp(to, l.stage) == 0)
			to = NULL;
		lead_note("%s: %s logged at %s%s%s%s%s%s", email, kind, ts,
		    found == 2 ? " (new lead)" : "", to ? "; stage " : "",
		    to ? l.stage : "", to ? " -> " : "", to ? to : "");
	}
	logger_close(&lg);
	opt.dry_run ? lead_db_rollback(db) : lead_db_commit(db);
	if (opt.dry_run)
		lead_note("dry run: nothing changed");
	return LEAD_EX_OK;
}

/* ---- many touches ----------------------------------------------------------- */

struct counts {
	long read, logged, dup, created, rejected;
};

static struct lead_rejects *rejects;

static void
reject(const char *file, const struct lead_record *rec, struct counts *n,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
reject(const char *file, const struct lead_record *rec, struct counts *n,
    const char *fmt, ...)
{
	char why[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	n->rejected++;
	lead_rejects_add(rejects, file, rec, why);
}

static char *
field(const struct lead_record *rec, const struct lead_colmap *m, int f)
{
	int c = m->col[f];
	char *s;

	if (c < 0 || (size_t)c >= rec->n)
		return NULL;
	s = lead_trim(rec->f[c]);
	return lead_blank(s) ? NULL : s;
}

/* One record of an event file. */
static void
log_record(struct logger *lg, const char *file, const struct lead_record *rec,
    const struct lead_colmap *m, struct counts *n)
{
	struct lead_touch t = { 0 };
	struct leadref l;
	char email[512], ts[LEAD_TIME_LEN], due[LEAD_TIME_LEN], *s, *why;
	const char *bad;
	lead_time at;
	int found;

	n->read++;
	if (rec->bad) {
		reject(file, rec, n, "%s", rec->bad);
		return;
	}
	if ((s = field(rec, m, EV_EMAIL)) == NULL) {
		reject(file, rec, n, "no email");
		return;
	}
	snprintf(email, sizeof email, "%s", s);
	if ((bad = lead_email_norm(email)) != NULL) {
		reject(file, rec, n, "invalid email '%.200s': %s", s,
		    bad);
		return;
	}
	if ((s = field(rec, m, EV_KIND)) == NULL && opt.kind == NULL) {
		reject(file, rec, n, "no kind (give --kind for a "
		    "file without a kind column)");
		return;
	}
	t.kind = s ? s : opt.kind;
	if (s && (bad = lead_kind_norm(s)) != NULL) {
		reject(file, rec, n, "kind '%.100s': %s", s, bad);
		return;
	}
	if ((s = field(rec, m, EV_TS)) == NULL) {
		reject(file, rec, n, "no time");
		return;
	}
	if (lead_time_parse(s, &at) < 0) {
		reject(file, rec, n, "invalid time '%.100s'", s);
		return;
	}
	lead_time_format(at, ts);
	t.note = field(rec, m, EV_NOTE);
	t.actor = field(rec, m, EV_ACTOR);
	t.content = field(rec, m, EV_CONTENT);
	t.outcome = field(rec, m, EV_OUTCOME);
	t.next = field(rec, m, EV_NEXT);
	t.amount = field(rec, m, EV_AMOUNT);
	t.channel = field(rec, m, EV_CHANNEL);
	if (t.channel == NULL)
		t.channel = lead_kind_channel(t.kind);
	if ((s = field(rec, m, EV_DUE)) != NULL) {
		lead_time d;

		if (lead_time_parse(s, &d) < 0) {
			reject(file, rec, n, "invalid due time "
			    "'%.100s'", s);
			return;
		}
		t.due = lead_time_format(d, due);
	}
	if (!amount_valid(t.amount)) {
		reject(file, rec, n, "amount '%.100s' is not a "
		    "number", t.amount);
		return;
	}
	if ((why = lead_protocol_check(&lg->proto, &t)) != NULL) {
		reject(file, rec, n, "%s", why);
		free(why);
		return;
	}
	if ((found = find_lead(lg, email, ts, &l)) == 0) {
		reject(file, rec, n, "no lead '%s' (--create "
		    "creates unknown leads)", email);
		return;
	}
	if (found == 2)
		n->created++;
	if (add_touch(lg, &l, &t, ts))
		n->logged++;
	else
		n->dup++;
}

static void
log_file(struct logger *lg, const char *path, struct counts *tot)
{
	struct lead_reader *rd;
	const struct lead_record *hdr, *rec;
	struct lead_colmap m;
	struct counts n = { 0 };
	sqlite3_stmt *st;
	char *err;
	int64_t act0;
	int rc;

	if ((rd = lead_reader_open(path, &opt.c.in)) == NULL) {
		if (lead_reader_status != LEAD_EX_REJECT)
			lead_die(lead_reader_status, "nothing logged");
		tot->rejected++;
		return;
	}
	if ((hdr = lead_reader_header(rd)) == NULL) {
		lead_reader_close(rd);
		tot->rejected++;
		return;
	}
	if (lead_colmap_bind(&m, event_fields, EV_NFIELDS, hdr, opt.maps,
	    opt.nmaps, &err) < 0)
		lead_die(LEAD_EX_USAGE, "%s: %s", lead_reader_name(rd), err);
	if (m.col[EV_EMAIL] < 0 || m.col[EV_TS] < 0)
		lead_die(LEAD_EX_USAGE, "%s: events need an email and a time "
		    "column (--map email=COLUMN, --map ts=COLUMN)",
		    lead_reader_name(rd));
	if (m.col[EV_KIND] < 0 && opt.kind == NULL)
		lead_die(LEAD_EX_USAGE, "%s: no kind column; give --kind or "
		    "--map kind=COLUMN", lead_reader_name(rd));
	lead_rejects_input(rejects, hdr, lead_reader_fmt(rd));
	st = lead_db_prepare(lg->db, "INSERT INTO batch (command, file, source, "
	    "kind, at) VALUES ('lead-log', ?, ?, ?, ?)");
	lead_db_bind_text(st, 1, path ? path : "-");
	lead_db_bind_text(st, 2, opt.source);
	lead_db_bind_text(st, 3, opt.kind);
	sqlite3_bind_text(st, 4, lg->now, -1, SQLITE_STATIC);
	lead_db_step(st);
	sqlite3_finalize(st);
	lg->batch = sqlite3_last_insert_rowid(lg->db);
	act0 = lead_db_int64(lg->db, "SELECT max(id) FROM activity", 0, 0);
	while ((rc = lead_reader_next(rd, &rec)) == 1) {
		log_record(lg, lead_reader_name(rd), rec, &m, &n);
		if ((n.read & 8191) == 0)
			lead_progress(&opt.c, lead_reader_name(rd),
			    lead_reader_pos(rd), lead_reader_size(rd));
	}
	lead_progress(&opt.c, lead_reader_name(rd), -1, 0);
	if (rc < 0)
		lead_die(LEAD_EX_RUNTIME, "%s: nothing logged",
		    lead_reader_name(rd));
	st = lead_db_prepare(lg->db, "UPDATE batch SET nread = ?, nnew = ?, "
	    "nunchanged = ?, nmerged = ?, nrejected = ?, bytes = ?, "
	    "first_activity = (SELECT min(id) FROM activity WHERE id > ?7), "
	    "last_activity = (SELECT max(id) FROM activity WHERE id > ?7) "
	    "WHERE id = ?8");
	sqlite3_bind_int64(st, 1, n.read);
	sqlite3_bind_int64(st, 2, n.logged);
	sqlite3_bind_int64(st, 3, n.dup);
	sqlite3_bind_int64(st, 4, n.created);
	sqlite3_bind_int64(st, 5, n.rejected);
	sqlite3_bind_int64(st, 6, lead_reader_pos(rd));
	sqlite3_bind_int64(st, 7, act0);
	sqlite3_bind_int64(st, 8, lg->batch);
	lead_db_step(st);
	sqlite3_finalize(st);
	lead_debug("%s: batch %lld: %ld read, %ld logged, %ld duplicates, "
	    "%ld leads created, %ld rejected", lead_reader_name(rd),
	    (long long)lg->batch, n.read, n.logged, n.dup, n.created,
	    n.rejected);
	tot->read += n.read;
	tot->logged += n.logged;
	tot->dup += n.dup;
	tot->created += n.created;
	tot->rejected += n.rejected;
	lead_colmap_free(&m);
	lead_reader_close(rd);
}

static int
run_bulk(sqlite3 *db, int argc, char **argv)
{
	static char *stdin_only[] = { "-", NULL };
	struct logger lg;
	struct counts tot = { 0 };

	if (argc == 0) {
		if (isatty(STDIN_FILENO))
			lead_die(LEAD_EX_USAGE, "give an email and a kind, or "
			    "event files (or pipe them in); see --help");
		argv = stdin_only;
		argc = 1;
	}
	if (opt.kind && lead_kind_norm((char *)opt.kind) != NULL)
		lead_die(LEAD_EX_USAGE, "--kind: '%s' is not a kind", opt.kind);
	lead_db_exec(db, "PRAGMA cache_size=-32768");
	lead_db_begin(db);
	logger_open(&lg, db);
	rejects = lead_rejects_new(opt.reject);
	for (int i = 0; i < argc; i++)
		log_file(&lg, argv[i], &tot);
	logger_close(&lg);
	lead_rejects_finish(rejects);
	if ((opt.strict && tot.rejected) || opt.dry_run)
		lead_db_rollback(db);
	else
		lead_db_commit(db);
	lead_note("%ld read, %ld logged, %ld duplicates, %ld leads created, "
	    "%ld rejected%s", tot.read, tot.logged, tot.dup, tot.created,
	    tot.rejected, opt.strict && tot.rejected ?
	    " (--strict: nothing logged)" : opt.dry_run ?
	    " (dry run: nothing changed)" : "");
	return tot.rejected ? LEAD_EX_REJECT : LEAD_EX_OK;
}

/* ---- show -------------------------------------------------------------------------- */

/* A lead's timeline: touches, stage changes, assignments, scores and the
 * lists it came in, oldest first; at the same time, a list before a touch
 * before the stage change it caused. */
static const char timeline_sql[] =
	"SELECT at, event, kind, detail, actor FROM ("
	" SELECT ts AS at, 'touch' AS event, kind, trim("
	"  ifnull(channel || ' ', '') || ifnull('[' || outcome || '] ', '') ||"
	"  ifnull(content || ' ', '') || ifnull('\"' || note || '\" ', '') ||"
	"  ifnull('next: ' || next_step || ' ', '') ||"
	"  ifnull('due ' || due || ' ', '') ||"
	"  ifnull('amount ' || CASE WHEN amount = CAST(amount AS INTEGER)"
	"  THEN CAST(amount AS INTEGER) ELSE amount END, '')) AS detail,"
	"  actor, 1 AS pri,"
	"  id AS ord"
	"  FROM activity WHERE lead_id = ?1"
	" UNION ALL SELECT at, 'stage', to_stage, ifnull(from_stage, '?') ||"
	"  ' -> ' || to_stage || ifnull(': ' || reason, ''), actor, 2, id"
	"  FROM stage_history WHERE lead_id = ?1"
	" UNION ALL SELECT a.at, 'assigned', r.name, 'to ' || r.name ||"
	"  ifnull(', due ' || a.due, '') || ifnull(' (' || a.reason || ')', '') ||"
	"  ifnull('; first touch ' || a.first_touch_at, '') ||"
	"  ifnull('; accepted ' || a.accepted_at, '') ||"
	"  ifnull('; rejected ' || a.rejected_at || ': ' || a.reject_reason, ''),"
	"  a.actor, 3, a.id FROM assignment a JOIN rep r ON r.id = a.rep_id"
	"  WHERE a.lead_id = ?1"
	" UNION ALL SELECT r.at, 'score', s.grade, 'score ' || s.score ||"
	"  ifnull(', fit ' || s.fit, '') || ifnull(', grade ' || s.grade, ''),"
	"  'lead-score', 4, r.id FROM lead_score s JOIN score_run r"
	"  ON r.id = s.run_id WHERE s.lead_id = ?1"
	" UNION ALL SELECT b.at, 'list', b.kind, trim(ifnull(b.source, '') ||"
	"  ifnull(' / ' || b.campaign, '') || ifnull(' (' || b.file || ')', '') ||"
	"  ' ' || m.action), b.command, 0, b.id FROM batch_member m"
	"  JOIN batch b ON b.id = m.batch_id WHERE m.lead_id = ?1"
	"  AND b.undone_at IS NULL AND b.command = 'lead-import'"
	") ORDER BY at, pri, ord";

static void
show_profile(sqlite3 *db, int64_t id)
{
	sqlite3_stmt *st = lead_db_prepare(db, "SELECT email, trim(ifnull("
	    "first_name, '') || ' ' || ifnull(last_name, '')), title, "
	    "company, phone, country, source, campaign, created_at, stage, "
	    "(SELECT name FROM rep WHERE id = owner_id), score, grade, "
	    "dnc_email, dnc_phone, (SELECT trim(ifnull(next_step, '') || "
	    "ifnull(' (due ' || due || ')', '')) FROM activity WHERE lead_id = "
	    "lead.id AND next_step IS NOT NULL ORDER BY ts DESC LIMIT 1), "
	    "(SELECT b.source || ifnull(' / ' || b.campaign, '') FROM "
	    "batch_member m JOIN batch b ON b.id = m.batch_id WHERE "
	    "m.lead_id = lead.id AND b.undone_at IS NULL ORDER BY b.id DESC "
	    "LIMIT 1), (SELECT group_concat(content, '; ') FROM (SELECT "
	    "content FROM activity WHERE lead_id = lead.id AND content IS NOT "
	    "NULL AND kind IN ('download', 'content_view', 'webinar_attended', "
	    "'webinar_registered', 'email_click', 'page_visit', 'form_submit') "
	    "GROUP BY content ORDER BY max(ts) DESC LIMIT 8)) FROM lead "
	    "WHERE id = ?");
	static const char *const label[] = {
		"email", "name", "title", "company", "phone", "country",
		"first source", "first campaign", "since", "stage", "owner",
		"score", "grade", "do-not-contact email",
		"do-not-contact phone", "promised last", "latest list",
		"has seen"
	};

	sqlite3_bind_int64(st, 1, id);
	if (lead_db_step(st) == SQLITE_ROW)
		for (int i = 0; i < 18; i++) {
			const char *v = (const char *)sqlite3_column_text(st, i);
			char *safe;

			if (v == NULL || *v == '\0' || ((i == 13 || i == 14) &&
			    strcmp(v, "0") == 0))
				continue;
			if (i == 13 || i == 14)
				v = "yes";
			safe = lead_sanitize(v);
			printf("%-21s %s\n", label[i], safe);
			free(safe);
		}
	sqlite3_finalize(st);
	putchar('\n');
}

static int
show_one(sqlite3 *db, const char *arg, int table)
{
	static const char *const cols[] = { "email", "at", "event", "kind",
	    "detail", "by" };
	sqlite3_stmt *st;
	struct lead_out *w;
	char email[512];
	const char *bad, *vals[6];
	int64_t id = 0;

	snprintf(email, sizeof email, "%s", arg);
	if ((bad = lead_email_norm(email)) != NULL) {
		lead_warn("invalid email '%s': %s", arg, bad);
		return -1;
	}
	st = lead_db_prepare(db, "SELECT id FROM lead WHERE email = ?");
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	if (lead_db_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (id == 0) {
		lead_warn("no lead '%s'", email);
		return -1;
	}
	if (table)
		show_profile(db, id);
	w = lead_out_new(stdout, &opt.c.out, table ? cols + 1 : cols,
	    table ? 5 : 6);
	st = lead_db_prepare(db, timeline_sql);
	sqlite3_bind_int64(st, 1, id);
	while (lead_db_step(st) == SQLITE_ROW) {
		vals[0] = email;
		for (int i = 0; i < 5; i++)
			vals[i + 1] = (const char *)sqlite3_column_text(st, i);
		lead_out_row(w, table ? vals + 1 : vals);
	}
	sqlite3_finalize(st);
	if (lead_out_close(w) < 0)
		lead_die(LEAD_EX_RUNTIME, "write error on standard output");
	return 0;
}

static int
run_show(sqlite3 *db, int argc, char **argv)
{
	int table = opt.c.out.fmt == LEAD_FMT_TABLE, bad = 0, first = 1;
	char *line = NULL;
	size_t cap = 0;

	if (argc == 0)
		lead_die(LEAD_EX_USAGE, "show: name the leads' emails (or -)");
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-") != 0) {
			if (!first && table)
				putchar('\n');
			bad |= show_one(db, argv[i], table) < 0;
			if (!table)
				opt.c.out.no_header = 1;
			first = 0;
			continue;
		}
		while (getline(&line, &cap, stdin) > 0) {
			char *e = lead_trim(line);

			/* Lists from lead-import -p: id, email, status. */
			if (strchr(e, '\t'))
				e = strchr(e, '\t') + 1, e[strcspn(e, "\t")] = 0;
			if (lead_blank(e) || strcmp(e, "email") == 0)
				continue;
			if (!first && table)
				putchar('\n');
			bad |= show_one(db, e, table) < 0;
			if (!table)
				opt.c.out.no_header = 1;
			first = 0;
		}
	}
	free(line);
	return bad ? LEAD_EX_REJECT : LEAD_EX_OK;
}

/* ---- may-contact ------------------------------------------------------------------- */

static int
run_may_contact(sqlite3 *db, int argc, char **argv)
{
	struct logger lg;
	struct leadref l;
	char email[512], *why;
	const char *bad, *ch = opt.channel ? opt.channel : "all";

	if (argc != 1)
		lead_die(LEAD_EX_USAGE, "may-contact: name one lead's email");
	if (strcmp(ch, "all") != 0 && strcmp(ch, "email") != 0 &&
	    strcmp(ch, "call") != 0 && strcmp(ch, "meeting") != 0 &&
	    strcmp(ch, "sms") != 0 && strcmp(ch, "social") != 0 &&
	    strcmp(ch, "mail") != 0)
		lead_die(LEAD_EX_USAGE, "--channel: '%s' is not a contact "
		    "channel (email, call, meeting, sms, social, mail)", ch);
	snprintf(email, sizeof email, "%s", argv[0]);
	if ((bad = lead_email_norm(email)) != NULL)
		lead_die(LEAD_EX_USAGE, "invalid email '%s': %s", argv[0], bad);
	opt.create = 0;
	logger_open(&lg, db);
	if (find_lead(&lg, email, NULL, &l) == 0)
		lead_die(LEAD_EX_REJECT, "%s: no such lead", email);
	why = contact_check(&lg, &l, ch, lead_now());
	logger_close(&lg);
	if (why) {
		lead_warn("%s: no: %s", email, why);
		free(why);
		return LEAD_EX_REJECT;
	}
	lead_debug("%s: yes", email);
	return LEAD_EX_OK;
}

/* ---- main ---------------------------------------------------------------------------- */

static void
parse_options(int argc, char **argv)
{
	int c;

	lead_common_init(&opt.c);
	/* Options may follow the operands ("lead-log bob@x call --note ..."). */
	while ((c = getopt_long(argc, argv, "d:nqv", longopts, NULL)) != -1) {
		if (lead_opt_common(&opt.c, c, optarg, &usage))
			continue;
		switch (c) {
		case 'n': opt.dry_run = 1; break;
		case OPT_AT: opt.at = optarg; break;
		case OPT_BY: opt.by = optarg; break;
		case OPT_CHANNEL: opt.channel = optarg; break;
		case OPT_CONTENT: opt.content = optarg; break;
		case OPT_OUTCOME: opt.outcome = optarg; break;
		case OPT_NOTE: opt.note = optarg; break;
		case OPT_NEXT: opt.next = optarg; break;
		case OPT_DUE: opt.due = optarg; break;
		case OPT_STAGE: opt.stage = optarg; break;
		case OPT_AMOUNT: opt.amount = optarg; break;
		case OPT_REASON: opt.reason = optarg; break;
		case OPT_FORCE: opt.force = 1; break;
		case OPT_ENFORCE: opt.enforce = 1; break;
		case OPT_CREATE: opt.create = 1; break;
		case OPT_KIND: opt.kind = optarg; break;
		case OPT_SOURCE: opt.source = optarg; break;
		case OPT_MAP:
			opt.maps = lead_xrealloc(opt.maps,
			    (opt.nmaps + 1) * sizeof *opt.maps);
			opt.maps[opt.nmaps++] = optarg;
			break;
		case OPT_REJECT: opt.reject = optarg; break;
		case OPT_STRICT: opt.strict = 1; break;
		case OPT_PROTOCOL: opt.protocol = optarg; break;
		case OPT_CAP: opt.cap = optarg; break;
		default: lead_usage(&usage, LEAD_EX_USAGE);
		}
	}
	lead_common_done(&opt.c);
}

int
main(int argc, char **argv)
{
	sqlite3 *db;
	int rc;

	lead_setprog(argv[0]);
	signal(SIGPIPE, SIG_IGN);
	parse_options(argc, argv);
	argc -= optind;
	argv += optind;
	db = lead_db_open(lead_db_path(opt.c.db), 0, opt.c.wait);
	if (opt.protocol || opt.cap) {
		if (argc > 0)
			lead_die(LEAD_EX_USAGE, "--protocol and --cap take no "
			    "other arguments");
		rc = run_settings(db);
	} else if (argc > 0 && strcmp(argv[0], "show") == 0)
		rc = run_show(db, argc - 1, argv + 1);
	else if (argc > 0 && strcmp(argv[0], "may-contact") == 0)
		rc = run_may_contact(db, argc - 1, argv + 1);
	else if (argc == 1 && strcmp(argv[0], "protocol") == 0)
		rc = run_print_setting(db, "protocol");
	else if (argc == 1 && strcmp(argv[0], "cap") == 0)
		rc = run_print_setting(db, "caps");
	else if (argc > 0 && strchr(argv[0], '@') != NULL) {
		if (argc != 2)
			lead_die(LEAD_EX_USAGE, "one touch is: lead-log EMAIL "
			    "KIND [options]");
		rc = run_one(db, argv[0], argv[1]);
	} else
		rc = run_bulk(db, argc, argv);
	lead_db_close(db);
	free(opt.maps);
	return rc;
}
