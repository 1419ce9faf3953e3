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

#include "store-touches.h"

static const char *const synopsis[] = {
	"[-nqv] [-d db] lead kind [--at time] [--by rep] [--channel channel] "
	    "[--content asset] [--outcome outcome] [--note text] "
	    "[--next text] [--due when] [--stage stage] [--amount amount] "
	    "[--reason text] [--force] [--enforce] [--create]",
	"[-nqv] [-d db] [--kind kind] [--create] [--source name] "
	    "[--map field=column] [--reject file] [--strict] "
	    "[format options] [file ...]",
	"show [-d db] [output options] lead ...",
	"may-contact [-d db] [--channel channel] lead",
	"todo [-d db] [--by rep] [output options]",
	"protocol [-d db]",
	"cap [-d db]",
	"kinds [-d db]",
	"--protocol file [-n] [-d db]",
	"--kinds file [-n] [-d db]",
	"--cap spec [-n] [-d db]",
	NULL
};

enum {
	OPT_AT = LEAD_OPT_FIRST_FREE, OPT_BY, OPT_CHANNEL, OPT_CONTENT,
	OPT_OUTCOME, OPT_NOTE, OPT_NEXT, OPT_DUE, OPT_STAGE, OPT_AMOUNT,
	OPT_REASON, OPT_FORCE, OPT_ENFORCE, OPT_CREATE, OPT_KIND, OPT_SOURCE,
	OPT_MAP, OPT_REJECT, OPT_STRICT, OPT_PROTOCOL, OPT_CAP, OPT_KINDS
};

static struct {
	struct lead_common c;
	int dry_run, force, enforce, create, strict;
	const char *at, *by, *channel, *content, *outcome, *note, *next, *due;
	const char *stage, *amount, *reason, *kind, *source, *reject;
	const char *protocol, *cap, *kinds;
	char **maps;
	size_t nmaps;
} opt;

static struct lead_err failed;	/* what a library call failed on */

static const struct lead_option options[] = {
	LEAD_HEADING("A lead is named by its email, its id (15, id:15) or a source key"),
	LEAD_HEADING("(00Q5, or lead_id:00Q5)."),
	LEAD_HEADING("One touch:"),
	{ "at", 0, OPT_AT, "TIME",
	    .help = "when it happened (default: now)",
	    .str = &opt.at },
	{ "by", 0, OPT_BY, "REP",
	    .help = "who did it: a rep's name, email, or the start\n"
	    "of either",
	    .str = &opt.by },
	{ "channel", 0, OPT_CHANNEL, "CHANNEL",
	    .help = "email, call, meeting, sms, social, mail, ...",
	    .str = &opt.channel },
	{ "content", 0, OPT_CONTENT, "ASSET",
	    .help = "the asset shown or sent",
	    .str = &opt.content },
	{ "outcome", 0, OPT_OUTCOME, "OUTCOME",
	    .help = "connected, voicemail, no_answer, ...",
	    .str = &opt.outcome },
	{ "note", 0, OPT_NOTE, "TEXT",
	    .help = "what was said, learned or agreed",
	    .str = &opt.note },
	{ "next", 0, OPT_NEXT, "TEXT",
	    .help = "the next step promised",
	    .str = &opt.next },
	{ "due", 0, OPT_DUE, "WHEN",
	    .help = "when the next step is due (3d, or a time)",
	    .str = &opt.due },
	{ "stage", 0, OPT_STAGE, "STAGE",
	    .help = "move the lead: sql, opportunity, won, lost,\n"
	    "disqualified, nurture",
	    .str = &opt.stage },
	{ "amount", 0, OPT_AMOUNT, "AMOUNT",
	    .help = "the amount of a quote or a won deal",
	    .str = &opt.amount },
	{ "reason", 0, OPT_REASON, "TEXT",
	    .help = "why (lost, disqualified and nurture need one)",
	    .str = &opt.reason },
	{ "force", 0, OPT_FORCE, NULL,
	    .help = "a stage change the lifecycle would refuse",
	    .flag = &opt.force },
	{ "enforce", 0, OPT_ENFORCE, NULL,
	    .help = "refuse a touch over the contact cap or to a\n"
	    "do-not-contact lead (default: warn)",
	    .flag = &opt.enforce },
	{ "create", 0, OPT_CREATE, NULL,
	    .help = "create an unknown lead",
	    .flag = &opt.create },
	LEAD_HEADING("Many touches (CSV/TSV files, or standard input):"),
	{ "kind", 0, OPT_KIND, "KIND",
	    .help = "the kind of every touch without a kind column",
	    .str = &opt.kind },
	{ "source", 0, OPT_SOURCE, "NAME",
	    .help = "first-touch source of leads made by --create",
	    .str = &opt.source },
	{ "map", 0, OPT_MAP, "FIELD=COLUMN",
	    .help = "fields: email key ts kind note channel actor\n"
	    "content outcome next due amount" },
	{ "reject", 0, OPT_REJECT, "FILE",
	    .help = "write rejected records to FILE",
	    .str = &opt.reject },
	{ "strict", 0, OPT_STRICT, NULL,
	    .help = "any rejected record aborts the whole run",
	    .flag = &opt.strict },
	{ "dry-run", 'n', 'n', NULL,
	    .help = "do everything, change nothing",
	    .flag = &opt.dry_run },
	LEAD_HEADING("Subcommands:"),
	LEAD_HEADING("  show LEAD...          a lead's timeline (- reads a list from stdin)"),
	LEAD_HEADING("  may-contact LEAD      exit 0 if the lead may be contacted now, else 1"),
	LEAD_HEADING("  todo                  the promised next steps still owed (--by REP)"),
	LEAD_HEADING("  protocol, cap, kinds  print the contact protocol, the contact caps,"),
	LEAD_HEADING("                        the kind map (vendor event names to kinds)"),
	{ "protocol", 0, OPT_PROTOCOL, "FILE",
	    .help = "adopt a contact protocol file",
	    .str = &opt.protocol },
	{ "kinds", 0, OPT_KINDS, "FILE",
	    .help = "adopt the team's kind map (added to leadkit's)",
	    .str = &opt.kinds },
	{ "cap", 0, OPT_CAP, "SPEC",
	    .help = "set the caps: email=3/7d,call=2/7d,all=5/7d",
	    .str = &opt.cap },
	{ 0 }
};

static const struct lead_usage usage = { synopsis, options,
    LEAD_TAKES_OUTPUT | LEAD_TAKES_INPUT | LEAD_TAKES_COLUMNS |
    LEAD_TAKES_PROGRESS };

/* What logging needs, made once. */
struct logger {
	struct lead_conn *db;
	struct lead_protocol proto;
	struct lead_cap caps[LEAD_TOUCH_MAXCAPS];
	int ncaps;
	struct lead_touches st;	/* the statements of logging */
	struct lead_reps reps;		/* the active reps, for --by */
	char now[LEAD_TIME_LEN];
	lead_time tnow;		/* the run's clock, read once */
	int64_t batch;
	struct lead_kindmap kinds;	/* vendor event names */
	struct kcache {
		char raw[64], kind[64];
		int unknown;
	} kcache[32];		/* the event names of a file repeat */
	unsigned nkcache;
	struct unknown {
		char kind[64];
		long n;
	} unk[8];		/* kinds nothing knows, for the summary */
	long nunk, nunkother;
	const char *filekind;	/* of a file without a kind column */
	struct lead_timecol tcol[2];	/* how its ts and due dates read */
	int decimal;		/* its amounts' decimal mark; 0: '.' */
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
	if (spec && (lg->ncaps = lead_caps_parse(spec, lg->caps,
	    LEAD_TOUCH_MAXCAPS, &err)) < 0)
		lead_die(LEAD_EX_USAGE, "stored caps: %s", err);
	free(spec);
}

/* The kind map: leadkit's, with the team's stored file on top. */
static void
load_kinds(struct logger *lg)
{
	char *text = lead_setting(lg->db, "kinds");

	if (lead_kindmap_load(&lg->kinds, text, "stored kind map") < 0)
		lead_die(LEAD_EX_USAGE, "the stored kind map is invalid; adopt "
		    "a fixed one with --kinds FILE");
	free(text);
}

/* --protocol FILE and --cap SPEC: checked, then stored together. */
static int
run_settings(struct lead_conn *db)
{
	struct lead_protocol p;
	struct lead_cap caps[LEAD_TOUCH_MAXCAPS];
	char *text = NULL, *kinds = NULL, *err, now[LEAD_TIME_LEN];

	if (opt.protocol) {
		if ((text = lead_read_text(opt.protocol, "protocol file",
		    &failed)) == NULL)
			lead_err_exit(&failed);
		if (lead_protocol_parse(&p, text, strcmp(opt.protocol, "-") ?
		    opt.protocol : "stdin") < 0)
			lead_die(LEAD_EX_USAGE, "contact protocol not changed");
		lead_protocol_free(&p);
	}
	if (opt.cap && lead_caps_parse(opt.cap, caps,
	    LEAD_TOUCH_MAXCAPS, &err) < 0)
		lead_die(LEAD_EX_USAGE, "%s; nothing changed", err);
	if (opt.kinds) {
		struct lead_kindmap m;

		if ((kinds = lead_read_text(opt.kinds, "kind map", &failed)) ==
		    NULL)
			lead_err_exit(&failed);
		if (lead_kindmap_load(&m, kinds, strcmp(opt.kinds, "-") ?
		    opt.kinds : "stdin") < 0)
			lead_die(LEAD_EX_USAGE, "kind map not changed");
		lead_kindmap_free(&m);
	}
	lead_time_format(lead_now(), now);
	lead_db_begin(db);
	if (text)
		lead_setting_set(db, "protocol", text, now);
	if (opt.cap)
		lead_setting_set(db, "caps", opt.cap, now);
	if (kinds)
		lead_setting_set(db, "kinds", kinds, now);
	lead_db_end(db, opt.dry_run);
	if (text)
		lead_note("contact protocol adopted from %s%s", opt.protocol,
		    opt.dry_run ? " (dry run: nothing changed)" : "");
	if (opt.cap)
		lead_note("contact caps set to %s%s", opt.cap,
		    opt.dry_run ? " (dry run: nothing changed)" : "");
	if (kinds)
		lead_note("kind map adopted from %s%s", opt.kinds,
		    opt.dry_run ? " (dry run: nothing changed)" : "");
	free(text);
	free(kinds);
	return LEAD_EX_OK;
}

static int
run_print_setting(struct lead_conn *db, const char *name)
{
	char *v = lead_setting(db, name);

	if (strcmp(name, "protocol") == 0)
		fputs(v ? v : lead_protocol_default, stdout);
	else if (strcmp(name, "kinds") == 0) {
		fputs(lead_kinds_default, stdout);
		if (v)
			printf("# The team's, from lead-log --kinds (they win "
			    "where both name an event):\n%s%s", v,
			    *v && v[strlen(v) - 1] != '\n' ? "\n" : "");
	}
	else if (v)
		printf("%s\n", v);
	else
		lead_note("no contact caps set (lead-log --cap SPEC sets them)");
	free(v);
	return LEAD_EX_OK;
}

/* ---- logging a touch --------------------------------------------------------- */

static void
logger_open(struct logger *lg, struct lead_conn *db)
{
	memset(lg, 0, sizeof *lg);
	lg->db = db;
	lg->tnow = lead_now();
	lead_time_format(lg->tnow, lg->now);
	load_protocol(lg);
	load_caps(lg);
	load_kinds(lg);
	lead_touches_open(&lg->st, db, lg->caps, lg->ncaps);
}

static void
logger_close(struct logger *lg)
{
	lead_protocol_free(&lg->proto);
	lead_kindmap_free(&lg->kinds);
	lead_reps_free(&lg->reps);
	lead_touches_close(&lg->st);
}

struct leadref {
	struct lead_touchlead row;	/* id, stage, do-not-contact */
	char label[400];	/* how messages name it */
};

/* Make a new lead of an email (--create): first seen in its touch (at
 * ts), flagged if the email is on a suppression list. */
static void
create_lead(struct logger *lg, const char *email, const char *ts,
    struct leadref *l)
{
	const char *domain = lead_email_domain(email);
	struct lead_touchlead *row = &l->row;

	row->id = lead_touches_lead_new(&lg->st, email,
	    lead_freemail(domain) ? NULL : domain,
	    opt.source ? opt.source : "lead-log", lg->batch, ts ? ts : lg->now,
	    lg->now);
	strcpy(row->stage, "new");
	/* An opt-out holds however the lead comes to exist. */
	row->dnc_email = row->dnc_phone = 0;
	if (lead_optout_apply(lg->db, row->id, email, lg->now))
		lead_touches_lead_id(&lg->st, row->id, row);
}

/*
 * Find the lead a reference names: an email (the fast path of event
 * files), a leadkit id or a source key.  With --create, an unknown email
 * becomes a new lead.  1 if found, 2 if created, 0 if unknown (why set).
 */
static int
find_lead(struct logger *lg, const char *ref, int keyonly, const char *ts,
    struct leadref *l, char *why, size_t n)
{
	char email[512];
	const char *bad;
	struct lead_ref r;

	memset(l, 0, sizeof *l);
	if (strchr(ref, '@') == NULL) {
		if (!lead_ref_find_as(lg->db, ref, keyonly, &r, why, n))
			return 0;
		if (r.forgotten) {
			snprintf(why, n, "%s was forgotten (--forget)", r.label);
			return 0;
		}
		snprintf(l->label, sizeof l->label, "%s", r.label);
		return lead_touches_lead_id(&lg->st, r.id, &l->row);
	}
	snprintf(email, sizeof email, "%s", ref);
	if ((bad = lead_email_norm(email)) != NULL) {
		snprintf(why, n, "invalid email '%.200s': %s", ref, bad);
		return 0;
	}
	snprintf(l->label, sizeof l->label, "%.300s", email);
	if (lead_touches_lead_email(&lg->st, email, &l->row))
		return 1;
	if (!opt.create) {
		snprintf(why, n, "no lead '%.300s' (import it first, or log with "
		    "--create)", email);
		return 0;
	}
	create_lead(lg, email, ts, l);
	return 2;
}

/* The rep --by names, as stored (so that the owner's touch stops the
 * SLA clock); dies with suggestions if the team has no such rep.  A
 * database without a team takes the name as given. */
static const char *
by_rep(struct logger *lg, const char *who, int logging)
{
	char why[512];
	int i;

	if (who == NULL)
		return NULL;
	lead_reps_load(lg->db, &lg->reps);
	if (lg->reps.n == 0)
		return who;
	if ((i = lead_rep_match(who, (const char *const *)lg->reps.name,
	    (const char *const *)lg->reps.email, lg->reps.n, why,
	    sizeof why)) < 0)
		lead_die(LEAD_EX_USAGE, "--by: %s%s", why, logging ?
		    "; nothing logged" : "");
	return lg->reps.name[i];
}

/* Is the lead over a contact cap, or do-not-contact, for this touch?
 * NULL if not, else why (caller frees). */
static char *
contact_check(struct logger *lg, const struct leadref *l, const char *channel,
    lead_time at)
{
	struct lead_buf b = { 0 };
	char to[LEAD_TIME_LEN], from[LEAD_TIME_LEN];

	const char *dnc;

	if (channel == NULL)
		return NULL;
	if ((dnc = lead_dnc_blocks(channel, l->row.dnc_email,
	    l->row.dnc_phone)))
		lead_buf_adds(&b, dnc);
	lead_time_format(at, to);
	for (int i = 0; i < lg->ncaps && b.len == 0; i++) {
		struct lead_cap *c = &lg->caps[i];
		long n;

		if (strcmp(c->channel, "all") && strcmp(c->channel, channel))
			continue;
		lead_time_format(at - c->window, from);
		n = lead_touches_capped(&lg->st, i, l->row.id, from, to);
		if (n >= c->max)
			lead_buf_addf(&b, "over the contact cap %s: %ld %s "
			    "touch%s in that window", c->spec, n, c->channel,
			    n == 1 ? "" : "es");
	}
	return b.len ? lead_buf_take(&b) : NULL;
}

/* The touch's amount as stored, or NULL (none). */
static const double *
touch_amount(const struct logger *lg, const struct lead_touch *t, double *v)
{
	return t->amount && *t->amount &&
	    lead_money_parse(t->amount, lg->decimal, v) == 0 ? v : NULL;
}

/* Store one touch.  The activity id, or 0 if the same touch was stored
 * before. */
static int64_t
add_touch(struct logger *lg, const struct leadref *l,
    const struct lead_touch *t, const char *ts)
{
	double amount;
	int64_t act;

	act = lead_touches_add(&lg->st, l->row.id, t, ts,
	    touch_amount(lg, t, &amount), lg->batch);
	if (act == 0)
		return 0;
	/* An unsubscribe is the lead saying no more email. */
	if (strcmp(t->kind, "unsubscribe") == 0)
		lead_touches_unsubscribe(&lg->st, l->row.id, ts);
	/* The owner's first touch after the hand-off stops the SLA clock:
	 * a contact, or a quote sent. */
	if (t->actor && (lead_kind_channel(t->kind) ||
	    strcmp(t->kind, "quote") == 0))
		lead_touches_first(&lg->st, &l->row, t->actor, ts);
	return act;
}

/* Was this very touch logged before? */
static int
logged_before(struct logger *lg, const struct leadref *l,
    const struct lead_touch *t, const char *ts)
{
	double amount;
	int64_t fp;

	return lead_touches_find(&lg->st, l->row.id, t, ts,
	    touch_amount(lg, t, &amount), &fp);
}

/* An amount as exports and people write it ("$22,700.00", "1.234,56
 * EUR", lead_money_parse), not below zero (a quote or a deal; a refund
 * is not a negative deal).  NULL if it is one, else why not. */
static const char *
amount_invalid(const char *s, int decimal)
{
	double v;

	if (s == NULL || *s == '\0')
		return NULL;
	if (lead_money_parse(s, decimal, &v) < 0)
		return "is not an amount";
	return v < 0 ? "is negative (an amount is what a deal is worth)" :
	    NULL;
}

/* A touch more than a day ahead of the clock is most likely a date read
 * the wrong way round, or a typo: kept, but said. */
#define FUTURE_SLACK (24 * 3600)

/* ---- one touch ----------------------------------------------------------------- */

/*
 * The stage a touch moves its lead to, or NULL: --stage, else a stage
 * word used as the kind (quote: opportunity, won, lost, disqualified).
 * A quote on a lead past opportunity is only a touch (a second quote);
 * any other stage word the lifecycle refuses is refused, never ignored.
 */
static const char *
target_stage(const char *kind, const char *cur)
{
	const char *to = opt.stage ? opt.stage : lead_kind_stage(kind);

	if (to && opt.stage == NULL && strcmp(to, cur) == 0)
		return NULL;
	if (to && opt.stage == NULL && strcmp(kind, "quote") == 0 &&
	    lead_stage_check(cur, to) != NULL)
		return NULL;
	return to;
}

/* Why a stage change cannot be made as asked, or NULL. */
static const char *
stage_refused(const char *to, const char *cur, char *buf, size_t n)
{
	const char *bad;

	if (!opt.force && (bad = lead_stage_check(cur, to)) != NULL) {
		snprintf(buf, n, "%s -> %s: %s (--force overrides)", cur, to,
		    bad);
		return buf;
	}
	if (strcmp(to, "won") == 0 && !opt.amount)
		return "a won deal needs --amount";
	if ((strcmp(to, "lost") == 0 || strcmp(to, "disqualified") == 0 ||
	    strcmp(to, "nurture") == 0) && !opt.reason && !opt.note) {
		snprintf(buf, n, "moving to %s needs --reason (or a --note "
		    "that says why)", to);
		return buf;
	}
	return NULL;
}

/* An argument that is an email must be a valid one: a usage error
 * (exit 2), like any other malformed argument, before anything else. */
static void
ref_check(const char *ref, const char *tail)
{
	char email[512];
	const char *bad;

	if (strchr(ref, '@') == NULL)
		return;
	snprintf(email, sizeof email, "%s", ref);
	if ((bad = lead_email_norm(email)) != NULL)
		lead_die(LEAD_EX_USAGE, "invalid email '%.300s': %s%s", ref,
		    bad, tail);
}

static int
run_one(struct lead_conn *db, char *ref, char *kind)
{
	struct logger lg;
	struct leadref l;
	struct lead_touch t = { 0 };
	char ts[LEAD_TIME_LEN], due[LEAD_TIME_LEN], *why, whyb[512];
	const char *bad, *to;
	lead_time at = lead_now(), dt;
	int64_t secs, act;
	int found;

	ref_check(ref, "; nothing logged");
	if ((bad = lead_kind_norm(kind)) != NULL)
		lead_die(LEAD_EX_USAGE, "kind '%s': %s", kind, bad);
	if (opt.at && lead_time_parse(opt.at, &at) < 0)
		lead_die(LEAD_EX_USAGE, "--at: invalid time '%s'", opt.at);
	if (at > lead_now() + FUTURE_SLACK)
		lead_warn("--at: %s is in the future; logged as given",
		    lead_time_format(at, ts));
	if (opt.due) {
		if (lead_duration_parse(opt.due, &secs) == 0)
			dt = at + secs;
		else if (lead_time_parse(opt.due, &dt) < 0)
			lead_die(LEAD_EX_USAGE, "--due: '%s' is neither a time "
			    "nor a duration (3d, 24h)", opt.due);
		t.due = lead_time_format(dt, due);
	}
	if ((bad = amount_invalid(opt.amount, 0)) != NULL)
		lead_die(LEAD_EX_USAGE, "--amount: '%s' %s", opt.amount, bad);
	if (opt.stage && (!lead_stage_valid(opt.stage) ||
	    strcmp(opt.stage, "new") == 0 || strcmp(opt.stage, "mql") == 0 ||
	    strcmp(opt.stage, "sal") == 0))
		lead_die(LEAD_EX_USAGE, "--stage: '%s' is not a stage a touch "
		    "sets (sql, opportunity, won, lost, disqualified, nurture)",
		    opt.stage);
	t.kind = kind;
	t.content = opt.content;
	t.outcome = opt.outcome;
	t.note = opt.note;
	t.next = opt.next;
	t.amount = opt.amount;
	t.channel = opt.channel ? opt.channel : lead_kind_channel(kind);
	lead_time_format(at, ts);

	lead_db_begin(db);
	logger_open(&lg, db);
	/* A rep types the kind: "cal" is a typo, not a new kind of touch. */
	if ((why = lead_kind_unknown(kind, (const char *const *)lg.proto.kind,
	    lg.proto.nkind)) != NULL)
		lead_die(LEAD_EX_USAGE, "%s; nothing logged", why);
	t.actor = by_rep(&lg, opt.by, 1);
	if ((why = lead_protocol_check(&lg.proto, &t)) != NULL)
		lead_die(LEAD_EX_USAGE, "%s: nothing logged: %s", ref, why);
	if ((found = find_lead(&lg, ref, 0, ts, &l, whyb, sizeof whyb)) == 0)
		lead_die(LEAD_EX_REJECT, "%s", whyb);
	if ((to = target_stage(kind, l.row.stage)) != NULL &&
	    (bad = stage_refused(to, l.row.stage, whyb, sizeof whyb)) !=
	    NULL)
		lead_die(LEAD_EX_USAGE, "%s: %s; nothing logged", l.label, bad);
	if (logged_before(&lg, &l, &t, ts)) {
		lead_note("%s: this %s at %s is logged already", l.label, kind,
		    ts);
		logger_close(&lg);
		lead_db_rollback(db);
		return LEAD_EX_OK;
	}
	if ((why = contact_check(&lg, &l, lead_kind_channel(kind), at))) {
		if (opt.enforce)
			lead_die(LEAD_EX_REJECT, "%s: nothing logged: %s "
			    "(--enforce)", l.label, why);
		lead_warn("%s: warning: %s", l.label, why);
		free(why);
	}
	if ((act = add_touch(&lg, &l, &t, ts)) == 0) {
		lead_note("%s: this %s at %s is logged already", l.label, kind,
		    ts);
	} else {
		if (to && strcmp(to, l.row.stage) != 0)
			lead_stage_set(db, l.row.id, l.row.stage, to, t.actor,
			    opt.reason ? opt.reason : opt.note ? opt.note : kind,
			    act, 0, ts);
		if (to && strcmp(to, l.row.stage) == 0)
			to = NULL;
		lead_note("%s: %s logged at %s%s%s%s%s%s%s", l.label, kind, ts,
		    found == 2 ? " (new lead)" : "", to ? "; stage " : "",
		    to ? l.row.stage : "", to ? " -> " : "", to ? to : "",
		    !to && lead_kind_stage(kind) && strcmp(lead_kind_stage(kind),
		    l.row.stage) == 0 ? "; the lead is at that stage already" :
		    "");
	}
	logger_close(&lg);
	lead_db_end(db, opt.dry_run);
	if (opt.dry_run)
		lead_note("dry run: nothing changed");
	return LEAD_EX_OK;
}

/* ---- many touches ----------------------------------------------------------- */

struct counts {
	long read, logged, dup, created, rejected;
	long lacking;		/* logged without the context asked of reps */
	long moved;		/* stage changes the touches made */
	long kept;		/* stage words the lifecycle refused: logged */
	long future;		/* touch times more than a day ahead */
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

/*
 * The leadkit kind of an event name as an export writes it: the kind
 * map's ("Open Email", "EMAIL_OPEN", "email.read": email_open), else the
 * name itself as a kind, which *unknown says no one declared.  NULL and
 * why if it cannot be a kind.  The names of a file repeat: the last few
 * are remembered.
 */
static const char *
event_kind(struct logger *lg, char *raw, int *unknown, const char **why)
{
	unsigned n = lg->nkcache < 32 ? lg->nkcache : 32, slot;
	char copy[64];
	const char *k;
	char *msg;

	for (unsigned i = 0; i < n; i++)
		if (strcmp(lg->kcache[i].raw, raw) == 0) {
			*unknown = lg->kcache[i].unknown;
			return lg->kcache[i].kind;
		}
	if (strlen(raw) >= sizeof copy)
		copy[0] = '\0';
	else
		strcpy(copy, raw);
	/* A kind the map names is known: the map says what it means. */
	if ((k = lead_kindmap_kind(&lg->kinds, raw)) != NULL)
		*unknown = 0;
	else if ((*why = lead_kind_norm(raw)) != NULL)
		return NULL;
	else {
		k = raw;
		msg = lead_kind_unknown(k, (const char *const *)lg->proto.kind,
		    lg->proto.nkind);
		*unknown = msg != NULL;
		free(msg);
	}
	if (copy[0] == '\0' || strlen(k) >= sizeof lg->kcache[0].kind)
		return k;
	slot = lg->nkcache++ % 32;
	strcpy(lg->kcache[slot].raw, copy);
	strcpy(lg->kcache[slot].kind, k);
	lg->kcache[slot].unknown = *unknown;
	return lg->kcache[slot].kind;
}

/* Count a touch of a kind nothing knows (not leadkit's, not mapped, not
 * declared), for the summary: a scoring rule must not miss it silently. */
static void
kind_unknown(struct logger *lg, const char *kind)
{
	size_t i;

	lg->nunk++;
	for (i = 0; i < 8 && lg->unk[i].kind[0]; i++)
		if (strcmp(lg->unk[i].kind, kind) == 0)
			break;
	if (i == 8) {
		lg->nunkother++;
		return;
	}
	if (lg->unk[i].kind[0] == '\0')
		snprintf(lg->unk[i].kind, sizeof lg->unk[i].kind, "%s", kind);
	lg->unk[i].n++;
}

/* A stage word in an event file (a CRM's closed deals: won, lost,
 * quote) moves the lead as lead-log KIND would; a move the lifecycle
 * refuses keeps the touch, the stage stays, and it is said. */
static void
event_stage(struct logger *lg, const char *file, const struct lead_record *rec,
    const struct leadref *l, const struct lead_touch *t, int64_t act,
    const char *ts, struct counts *n)
{
	const char *to = lead_kind_stage(t->kind), *bad;

	if (to == NULL || strcmp(to, l->row.stage) == 0)
		return;
	if (strcmp(t->kind, "quote") == 0 &&
	    lead_stage_check(l->row.stage, to) != NULL)
		return;		/* another quote on a lead past it */
	if ((bad = lead_stage_check(l->row.stage, to)) != NULL) {
		if (n->kept++ < 20 || lead_verbosity > 0)
			lead_warn_at(file, rec->line, "%s: %s -> %s: %s; the "
			    "touch is logged, the stage stays", l->label,
			    l->row.stage, to, bad);
		return;
	}
	lead_stage_set(lg->db, l->row.id, l->row.stage, to, t->actor,
	    t->note ? t->note : t->outcome ? t->outcome : t->kind, act,
	    lg->batch, ts);
	lead_touches_staged(&lg->st, l->row.id, to);
	n->moved++;
}

/* One record of an event file. */
static void
log_record(struct logger *lg, const char *file, const struct lead_record *rec,
    const struct lead_colmap *m, struct counts *n)
{
	struct lead_touch t = { 0 };
	struct leadref l;
	char ts[LEAD_TIME_LEN], due[LEAD_TIME_LEN], *s, *ref, *why;
	char whyb[512];
	const char *bad;
	lead_time at;
	char *missing = NULL;
	int64_t act;
	int found, bykey = 0, unknown = 0;

	n->read++;
	if (rec->bad) {
		reject(file, rec, n, "%s", rec->bad);
		return;
	}
	if (lead_record_extra(rec, m->ncols, whyb, sizeof whyb) != NULL) {
		reject(file, rec, n, "%s", whyb);
		return;
	}
	/* The lead: its email, else the record id of the system the events
	 * come from (or leadkit's own id). */
	if ((ref = field(rec, m, EV_EMAIL)) == NULL &&
	    (bykey = 1, ref = field(rec, m, EV_KEY)) == NULL &&
	    (bykey = 2, ref = field(rec, m, EV_LEAD)) == NULL) {
		reject(file, rec, n, m->col[EV_KEY] >= 0 ||
		    m->col[EV_LEAD] >= 0 ? "no email or key" : "no email");
		return;
	}
	if ((s = field(rec, m, EV_KIND)) == NULL && lg->filekind == NULL) {
		reject(file, rec, n, "no kind (give --kind for a "
		    "file without a kind column)");
		return;
	}
	t.kind = lg->filekind;
	if (s && (t.kind = event_kind(lg, s, &unknown, &bad)) == NULL) {
		reject(file, rec, n, "kind '%.100s': %s", s, bad);
		return;
	}
	if ((s = field(rec, m, EV_TS)) == NULL) {
		reject(file, rec, n, "no time");
		return;
	}
	if (lead_time_read(s, lg->tcol[0].order, &at) < 0) {
		reject(file, rec, n, "invalid time '%.100s'", s);
		return;
	}
	if (at > lg->tnow + FUTURE_SLACK && n->future++ >= 0 &&
	    lead_verbosity > 0)
		lead_warn_at(file, rec->line, "time '%.100s' is in the future; "
		    "logged as given", s);
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

		if (lead_time_read(s, lg->tcol[1].order, &d) < 0) {
			reject(file, rec, n, "invalid due time "
			    "'%.100s'", s);
			return;
		}
		t.due = lead_time_format(d, due);
	}
	if ((bad = amount_invalid(t.amount, lg->decimal)) != NULL) {
		reject(file, rec, n, "amount '%.100s' %s", t.amount, bad);
		return;
	}
	/* The protocol is for what reps type now: an imported history is
	 * kept whole, each touch marked with what it lacks (--strict
	 * refuses them). */
	if (opt.strict && (why = lead_protocol_check(&lg->proto, &t)) != NULL) {
		reject(file, rec, n, "%s", why);
		free(why);
		return;
	}
	t.missing = missing = opt.strict ? NULL :
	    lead_protocol_missing(&lg->proto, &t);
	if (!bykey && strchr(ref, '@') == NULL) {
		reject(file, rec, n, "invalid email '%.200s': no '@'", ref);
		free(missing);
		return;
	}
	/* A key column holds the source system's ids, not leadkit's. */
	if ((found = find_lead(lg, ref, bykey == 1, ts, &l, whyb,
	    sizeof whyb)) == 0) {
		reject(file, rec, n, "%s", whyb);
		free(missing);
		return;
	}
	if (found == 2)
		n->created++;
	if ((act = add_touch(lg, &l, &t, ts)) != 0) {
		n->logged++;
		n->lacking += missing != NULL;
		if (unknown)
			kind_unknown(lg, t.kind);
		event_stage(lg, file, rec, &l, &t, act, ts, n);
	} else
		n->dup++;
	free(missing);
}

/* The kind of every touch of a file without a kind column whose columns
 * say it (a CRM's export of calls: "Call Start Time", "Call Result"; of
 * meetings: "Meeting Start Time"), or NULL. */
static const char *
file_kind(const struct lead_record *hdr)
{
	int call = 0, meeting = 0;

	for (size_t i = 0; i < hdr->n; i++) {
		char *k = lead_colkey(hdr->f[i]);

		call += strncmp(k, "call", 4) == 0;
		meeting += strncmp(k, "meeting", 7) == 0;
		free(k);
	}
	return call > meeting ? "call" : meeting > call ? "meeting" : NULL;
}

/* Records read ahead at a time where the store reads their leads at
 * once (lead_touches_ahead): a round trip for as many. */
#define AHEAD 2000

struct ahead_ctx {
	struct logger *lg;
	const struct lead_colmap *m;
};

/* While reading ahead, the touches before go on to the server. */
static void
ahead_pump(void *ctx)
{
	lead_db_pump(((struct ahead_ctx *)ctx)->lg->db);
}

static void
ahead_read(void *ctx, struct lead_record *const *rec, size_t n)
{
	struct ahead_ctx *a = ctx;
	char **email = lead_xcalloc(n + 1, sizeof *email), *e;
	char **ts = lead_xcalloc(n + 1, sizeof *ts), *v;
	size_t ne = 0;
	lead_time at;

	for (size_t i = 0; i < n; i++) {
		if (rec[i]->bad)
			continue;
		if ((e = lead_record_value(rec[i], a->m->col[EV_EMAIL])) &&
		    strchr(e, '@') && lead_email_norm(e) == NULL) {
			/* Its time as log_record will store it; a time it
			 * will refuse is said there, in the records' order. */
			v = lead_record_value(rec[i], a->m->col[EV_TS]);
			if (v && lead_time_read(v, a->lg->tcol[0].order,
			    &at) == 0) {
				ts[ne] = lead_xmalloc(LEAD_TIME_LEN);
				lead_time_format(at, ts[ne]);
			}
			free(v);
			email[ne++] = e;
		} else
			free(e);
	}
	lead_touches_ahead(&a->lg->st, email, ts, ne);
	for (size_t i = 0; i < ne; i++) {
		free(email[i]);
		free(ts[i]);
	}
	free(email);
	free(ts);
}

static void
log_file(struct logger *lg, const char *path, struct counts *tot)
{
	struct lead_reader *rd;
	const struct lead_record *hdr, *rec;
	struct lead_colmap m;
	struct counts n = { 0 };
	struct lead_logbatch b;
	char *err;
	int rc;
	static const int need[] = { EV_EMAIL, EV_KEY, EV_LEAD, -1 };
	struct lead_want want = { lead_eventfile_fields, EV_NFIELDS, opt.maps,
	    opt.nmaps, need, NULL };
	struct lead_inopts in = opt.c.in;
	struct lead_ahead la = { .reading = ahead_pump };
	struct ahead_ctx ac;
	int ahead = lead_touches_reads_ahead(&lg->st);

	/* A report's table is the one that names the leads. */
	in.want = lead_colmap_want;
	in.want_ctx = &want;
	if ((rd = lead_reader_open(path, &in)) == NULL) {
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
	if (lead_reader_section(rd) != NULL)
		lead_note("%s: reading the table under '%.200s' (line %ld)",
		    lead_reader_name(rd), lead_reader_section(rd), hdr->line);
	if (lead_colmap_bind(&m, lead_eventfile_fields, EV_NFIELDS, hdr, opt.maps,
	    opt.nmaps, &err) < 0)
		lead_die(LEAD_EX_USAGE, "%s: %s", lead_reader_name(rd), err);
	if ((m.col[EV_EMAIL] < 0 && m.col[EV_KEY] < 0 &&
	    m.col[EV_LEAD] < 0) || m.col[EV_TS] < 0)
		lead_die(LEAD_EX_USAGE, "%s: events need an email (or a lead's "
		    "id or key) and a time column (--map email=COLUMN, --map "
		    "key=COLUMN, --map ts=COLUMN)", lead_reader_name(rd));
	{
		const int tcols[2] = { m.col[EV_TS], m.col[EV_DUE] };

		lead_reader_dates(rd, tcols, 2, lg->tcol);
		lg->decimal = lead_reader_decimal(rd, m.col[EV_AMOUNT]);
	}
	lg->filekind = opt.kind;
	if (m.col[EV_KIND] < 0 && opt.kind == NULL &&
	    (lg->filekind = file_kind(hdr)) != NULL)
		lead_note("%s: no kind column; its columns say every touch is "
		    "a %s", lead_reader_name(rd), lg->filekind);
	if (m.col[EV_KIND] < 0 && lg->filekind == NULL)
		lead_die(LEAD_EX_USAGE, "%s: no kind column; give --kind or "
		    "--map kind=COLUMN", lead_reader_name(rd));
	lead_rejects_input(rejects, hdr, lead_reader_fmt(rd));
	lead_logbatch_open(lg->db, &b, path ? path : "-", opt.source, opt.kind,
	    lg->now);
	lg->batch = b.id;
	ac.lg = lg;
	ac.m = &m;
	while ((rc = ahead ? lead_ahead_next(&la, rd, AHEAD, ahead_read, &ac,
	    &rec) : lead_reader_next(rd, &rec)) == 1) {
		log_record(lg, lead_reader_name(rd), rec, &m, &n);
		if ((n.read & 8191) == 0)
			lead_progress(&opt.c, lead_reader_name(rd),
			    lead_reader_pos(rd), lead_reader_size(rd));
	}
	lead_progress(&opt.c, lead_reader_name(rd), -1, 0);
	if (ahead)
		lead_touches_ahead(&lg->st, NULL, NULL, 0);
	lead_ahead_free(&la);
	if (rc < 0)
		lead_die(LEAD_EX_RUNTIME, "%s: nothing logged",
		    lead_reader_name(rd));
	lead_reader_account(rd, n.read, n.logged + n.dup + n.rejected);
	b.nread = n.read;
	b.nnew = n.logged;
	b.nunchanged = n.dup;
	b.nmerged = n.created;
	b.nrejected = n.rejected;
	b.bytes = lead_reader_pos(rd);
	lead_logbatch_close(lg->db, &b);
	lead_debug("%s: batch %lld: %ld read, %ld logged, %ld duplicates, "
	    "%ld leads created, %ld rejected", lead_reader_name(rd),
	    (long long)lg->batch, n.read, n.logged, n.dup, n.created,
	    n.rejected);
	tot->read += n.read;
	tot->logged += n.logged;
	tot->dup += n.dup;
	tot->created += n.created;
	tot->rejected += n.rejected;
	tot->moved += n.moved;
	tot->lacking += n.lacking;
	tot->kept += n.kept;
	if (n.future)
		lead_warn("%s: %ld touch%s more than a day in the future; "
		    "logged as given%s", lead_reader_name(rd), n.future,
		    n.future == 1 ? "" : "es", lead_verbosity > 0 ? "" :
		    " (-v lists them)");
	if (n.kept > 20 && lead_verbosity <= 0)
		lead_warn("%s: %ld more stage words the lifecycle refused (-v "
		    "lists them)", lead_reader_name(rd), n.kept - 20);
	lead_colmap_free(&m);
	lead_reader_close(rd);
}

static int
run_bulk(struct lead_conn *db, int argc, char **argv)
{
	static char *stdin_only[] = { "-", NULL };
	struct logger lg;
	struct counts tot = { 0 };
	char stages[128] = "";

	if (argc == 0) {
		if (isatty(STDIN_FILENO))
			lead_die(LEAD_EX_USAGE, "give an email and a kind, or "
			    "event files (or pipe them in); see --help");
		argv = stdin_only;
		argc = 1;
	}
	if (opt.kind && lead_kind_norm((char *)opt.kind) != NULL)
		lead_die(LEAD_EX_USAGE, "--kind: '%s' is not a kind", opt.kind);
	lead_db_tune(db, LEAD_TUNE_CACHE_KIB, 32768);
	lead_db_begin(db);
	logger_open(&lg, db);
	rejects = lead_rejects_new(opt.reject);
	for (int i = 0; i < argc; i++)
		log_file(&lg, argv[i], &tot);
	if (lg.nunk) {
		struct lead_buf u = { 0 };

		for (int i = 0; i < 8 && lg.unk[i].kind[0]; i++)
			lead_buf_addf(&u, "%s%s (%ld)", i ? ", " : "",
			    lg.unk[i].kind, lg.unk[i].n);
		if (lg.nunkother)
			lead_buf_addf(&u, ", %ld more", lg.nunkother);
		lead_warn("%ld touch%s of kinds leadkit does not know, kept: %s "
		    "(map them with --kinds, or declare them in the protocol "
		    "and the rules)", lg.nunk, lg.nunk == 1 ? "" : "es", u.s);
		lead_buf_free(&u);
	}
	if (tot.lacking)
		lead_note("%ld touch%s kept without the context the protocol "
		    "asks of reps (marked; --strict refuses them)", tot.lacking,
		    tot.lacking == 1 ? "" : "es");
	logger_close(&lg);
	lead_rejects_finish(rejects);
	if ((opt.strict && tot.rejected) || opt.dry_run)
		lead_db_rollback(db);
	else
		lead_db_commit(db);
	if (tot.moved || tot.kept)
		snprintf(stages, sizeof stages, ", %ld stage change%s (%ld "
		    "refused by the lifecycle)", tot.moved, tot.moved == 1 ?
		    "" : "s", tot.kept);
	lead_note("%ld read, %ld logged, %ld duplicates, %ld leads created, "
	    "%ld rejected%s%s", tot.read, tot.logged, tot.dup, tot.created,
	    tot.rejected, stages, opt.strict && tot.rejected ?
	    " (--strict: nothing logged)" : opt.dry_run ?
	    " (dry run: nothing changed)" : "");
	return tot.rejected ? LEAD_EX_REJECT : LEAD_EX_OK;
}

/* ---- show -------------------------------------------------------------------------- */

static void
show_profile(struct lead_conn *db, int64_t id)
{
	struct lead_stmt *st = lead_touches_profile(db, id);
	static const char *const label[LEAD_PROFILE_NCOLS] = {
		"email", "name", "title", "company", "phone", "country",
		"first source", "first campaign", "since", "stage", "owner",
		"score", "grade", "do-not-contact email",
		"do-not-contact phone", "promised last", "latest list",
		"has seen"
	};

	if (lead_db_step(st) == LEAD_ROW)
		for (int i = 0; i < LEAD_PROFILE_NCOLS; i++) {
			const char *v = lead_column_text(st, i);
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
	lead_finalize(st);
	putchar('\n');
}

static int
show_one(struct lead_conn *db, const char *arg, int table)
{
	static const char *const cols[] = { "email", "at", "event", "kind",
	    "detail", "by" };
	struct lead_stmt *st;
	struct lead_out *w;
	struct lead_ref r;
	const char *vals[6];
	char why[512];

	if (!lead_ref_find(db, arg, &r, why, sizeof why)) {
		lead_warn("%s", why);
		return -1;
	}
	if (table)
		show_profile(db, r.id);
	w = lead_out_new(stdout, &opt.c.out, table ? cols + 1 : cols,
	    table ? 5 : 6);
	st = lead_touches_timeline(db, r.id);
	while (lead_db_step(st) == LEAD_ROW) {
		vals[0] = r.email[0] ? r.email : r.label;
		for (int i = 0; i < 5; i++)
			vals[i + 1] = lead_column_text(st, i);
		lead_out_row(w, table ? vals + 1 : vals);
	}
	lead_finalize(st);
	if (lead_out_close(w) < 0)
		lead_die(LEAD_EX_RUNTIME, "write error on standard output");
	return 0;
}

static int
run_show(struct lead_conn *db, int argc, char **argv)
{
	int table = opt.c.out.fmt == LEAD_FMT_TABLE, bad = 0, first = 1;

	if (argc == 0)
		lead_die(LEAD_EX_USAGE, "show: name the leads (an email, an id "
		    "or a key; - reads a list)");
	for (int i = 0; i < argc; i++) {
		struct lead_list *l = NULL;
		size_t n = 1;

		if (strcmp(argv[i], "-") == 0) {
			if ((l = lead_list_read("-", &opt.c.in, &failed)) == NULL)
				lead_err_exit(&failed);
			n = l->n;
			bad |= l->bad > 0;
		}
		for (size_t j = 0; j < n; j++) {
			const char *ref = l ? l->ref[j] : argv[i];

			if (ref == NULL)
				continue;
			if (!first && table)
				putchar('\n');
			bad |= show_one(db, ref, table) < 0;
			if (!table)
				opt.c.out.no_header = 1;
			first = 0;
		}
		lead_list_free(l);
	}
	return bad ? LEAD_EX_REJECT : LEAD_EX_OK;
}

/* ---- may-contact ------------------------------------------------------------------- */

static int
run_may_contact(struct lead_conn *db, int argc, char **argv)
{
	static const char *const channels[] = { "all", "email", "call",
	    "phone", "meeting", "sms", "social", "mail", NULL };
	struct logger lg;
	struct leadref l;
	char *why, whyb[512];
	const char *ch = opt.channel ? opt.channel : "all";
	int k;

	if (argc != 1)
		lead_die(LEAD_EX_USAGE, "may-contact: name one lead");
	ref_check(argv[0], "");
	for (k = 0; channels[k] && strcmp(ch, channels[k]) != 0; k++)
		continue;
	if (channels[k] == NULL)
		lead_die(LEAD_EX_USAGE, "--channel: '%s' is not a contact "
		    "channel (email, call, phone, meeting, sms, social, mail)",
		    ch);
	/* A phone opt-out stops calls and texts: "phone" asks for both. */
	if (strcmp(ch, "phone") == 0)
		ch = "call";
	opt.create = 0;
	logger_open(&lg, db);
	if (find_lead(&lg, argv[0], 0, NULL, &l, whyb, sizeof whyb) == 0)
		lead_die(LEAD_EX_REJECT, "%s", whyb);
	why = contact_check(&lg, &l, ch, lead_now());
	logger_close(&lg);
	if (why) {
		lead_warn("%s: no: %s", l.label, why);
		free(why);
		return LEAD_EX_REJECT;
	}
	lead_debug("%s: yes", l.label);
	return LEAD_EX_OK;
}

/* ---- todo ----------------------------------------------------------------------------- */

/*
 * The next steps promised and not yet kept (the promise view of
 * leads.db(5)): by whoever promised, else the lead's owner; the ones
 * past due first.  --by REP: what that rep owes (promised, or on the
 * leads they own).
 */
static int
run_todo(struct lead_conn *db, int argc)
{
	static const char *const cols[] = { "rep", "email", "id", "promised_at",
	    "next", "due", "late", "stage" };
	static const int num[] = { 2, -1 };
	struct logger lg;
	struct lead_out *w;
	struct lead_stmt *st;
	const char *by, *vals[8];
	char now[LEAD_TIME_LEN], idb[24], lb[32];
	lead_time tnow = lead_now(), due;
	long n = 0, nlate = 0;

	if (argc > 0)
		lead_die(LEAD_EX_USAGE, "todo: no arguments (--by REP for one "
		    "rep's)");
	lead_db_begin_read(db);
	logger_open(&lg, db);
	by = by_rep(&lg, opt.by, 0);
	st = lead_touches_promises(db, by);
	w = lead_out_num(stdout, &opt.c.out, cols, 8, num);
	lead_time_format(tnow, now);
	while (lead_db_step(st) == LEAD_ROW) {
		for (int i = 0; i < 8; i++)
			vals[i] = i == 6 ? NULL : i == 7 ? (const char *)
			    lead_column_text(st, 6) : i == 2 ? idb :
			    lead_column_text(st, i);
		snprintf(idb, sizeof idb, "%lld",
		    (long long)lead_column_int64(st, 2));
		if (vals[5] && lead_time_stored(vals[5], &due) == 0 &&
		    due < tnow) {
			vals[6] = lead_duration_text(tnow - due, lb, sizeof lb);
			nlate++;
		}
		lead_out_row(w, vals);
		n++;
	}
	lead_finalize(st);
	if (lead_out_close(w) < 0)
		lead_die(LEAD_EX_RUNTIME, "write error on standard output");
	lead_note("%ld promise%s owed%s%s, %ld past due", n, n == 1 ? "" : "s",
	    by ? " by " : "", by ? by : "", nlate);
	logger_close(&lg);
	lead_db_rollback(db);
	return LEAD_EX_OK;
}

/* ---- main ---------------------------------------------------------------------------- */

/* One of the command's own options (lead_options_parse). */
static void
option(int c, char *arg, void *ctx)
{
	(void)ctx;
	switch (c) {
	case OPT_MAP:
		opt.maps = lead_xrealloc(opt.maps,
		    (opt.nmaps + 1) * sizeof *opt.maps);
		opt.maps[opt.nmaps++] = arg;
		break;
	default: lead_usage(&usage, LEAD_EX_USAGE);
	}
}

static void
parse_options(int argc, char **argv)
{
	/* Options may follow the operands ("lead-log bob@x call --note ..."). */
	lead_options_parse(&usage, &opt.c, argc, argv, option, NULL);
	lead_common_done(&opt.c);
	/* What is stored and shown again must be text a terminal, a
	 * spreadsheet and an SVG can show. */
	lead_opt_text("--note", opt.note, 1);
	lead_opt_text("--next", opt.next, 1);
	lead_opt_text("--outcome", opt.outcome, 0);
	lead_opt_text("--content", opt.content, 0);
	lead_opt_text("--by", opt.by, 0);
	lead_opt_text("--reason", opt.reason, 1);
	lead_opt_text("--source", opt.source, 0);
	lead_opt_text("--channel", opt.channel, 0);
}

/* "lead-log LEAD KIND" (a lead named by email, id or key), not event
 * files: an email, or two words neither of which is a file, the second
 * a kind ("lead-log 15 call"; "lead-log a.csv b.csv" stays files). */
static int
one_touch(int argc, char **argv)
{
	char kind[64];

	if (argc == 0)
		return 0;
	if (strchr(argv[0], '@') != NULL)
		return 1;
	if (argc != 2 || strcmp(argv[0], "-") == 0 ||
	    access(argv[0], F_OK) == 0 || access(argv[1], F_OK) == 0)
		return 0;
	snprintf(kind, sizeof kind, "%s", argv[1]);
	return lead_kind_norm(kind) == NULL;
}

int
main(int argc, char **argv)
{
	struct lead_conn *db;
	int rc;

	lead_setprog(argv[0]);
	signal(SIGPIPE, SIG_IGN);
	parse_options(argc, argv);
	argc -= optind;
	argv += optind;
	lead_output_check("--reject", opt.reject, lead_db_path(opt.c.db), argv,
	    (size_t)argc);
	db = lead_db_open(lead_db_path(opt.c.db), 0, opt.c.wait);
	if (opt.protocol || opt.cap || opt.kinds) {
		if (argc > 0)
			lead_die(LEAD_EX_USAGE, "--protocol, --cap and --kinds "
			    "take no other arguments");
		rc = run_settings(db);
	} else if (argc > 0 && strcmp(argv[0], "show") == 0)
		rc = run_show(db, argc - 1, argv + 1);
	else if (argc > 0 && strcmp(argv[0], "may-contact") == 0)
		rc = run_may_contact(db, argc - 1, argv + 1);
	else if (argc == 1 && strcmp(argv[0], "protocol") == 0)
		rc = run_print_setting(db, "protocol");
	else if (argc == 1 && strcmp(argv[0], "cap") == 0)
		rc = run_print_setting(db, "caps");
	else if (argc == 1 && strcmp(argv[0], "kinds") == 0)
		rc = run_print_setting(db, "kinds");
	else if (argc > 0 && strcmp(argv[0], "todo") == 0)
		rc = run_todo(db, argc - 1);
	else if (one_touch(argc, argv)) {
		if (argc != 2)
			lead_die(LEAD_EX_USAGE, "one touch is: lead-log LEAD "
			    "KIND [options]");
		rc = run_one(db, argv[0], argv[1]);
	} else
		rc = run_bulk(db, argc, argv);
	lead_db_close(db);
	free(opt.maps);
	return rc;
}
