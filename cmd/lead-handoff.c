/*
 * lead-handoff: sales-ready leads reach the right rep, with their
 * context, and nobody can ignore them.
 *
 * "reps FILE" keeps the sales team (versioned like the rules).  "assign"
 * gives every unowned MQL an owner: the owner of its company's domain,
 * else a rep whose territory covers it, taking turns by weight (each rep
 * has a place in a virtual time: the lowest goes next and moves on by
 * 1/weight), within each rep's capacity of open leads; it prints the
 * hand-off sheet.  accept, reject, overdue, escalate, reassign and
 * recycle run the rest of the hand-off; every change is in the stage
 * history and the assignment records.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store-team.h"

static const char *const synopsis[] = {
	"reps [-n] [-d db] [format options] file",
	"reps [-d db] [output options]",
	"assign [-nqv] [-d db] [--sla duration|grade=duration,...] "
	    "[--to rep] [--force] [--sheet dir] [output options] [file ...]",
	"accept [-n] [-d db] [--by rep] [--force] lead ...",
	"reject [-n] [-d db] --reason text [--disqualify] [--by rep] "
	    "[--force] lead ...",
	"overdue [-d db] [output options]",
	"escalate [-n] [-d db] [--to rep] [--sla duration]",
	"reassign [-n] [-d db] --to rep [--sla duration] [--force] lead ...",
	"recycle [-n] [-d db] --idle duration",
	NULL
};

enum {
	OPT_SLA = LEAD_OPT_FIRST_FREE, OPT_TO, OPT_SHEET, OPT_BY, OPT_FORCE,
	OPT_REASON, OPT_DISQUALIFY, OPT_IDLE
};

static struct {
	struct lead_common c;
	const char *sla, *to, *sheet, *by, *reason, *idle;
	int dry_run, force, disqualify;
} opt;

static struct lead_err failed;	/* what a library call failed on */

static const struct lead_option options[] = {
	LEAD_HEADING("Subcommands:"),
	LEAD_HEADING("  reps FILE             load the sales team (name, email, territory,"),
	LEAD_HEADING("                        capacity, weight, available, manager)"),
	LEAD_HEADING("  reps                  list the reps, with their open leads"),
	LEAD_HEADING("  assign                give every unowned MQL (or the leads listed)"),
	LEAD_HEADING("                        an owner; print the hand-off sheet"),
	LEAD_HEADING("  accept LEAD...        the owner accepts: stage sal (a lead is an"),
	LEAD_HEADING("                        email, an id or a source key)"),
	LEAD_HEADING("  reject LEAD...        the owner rejects: back to nurture, with"),
	LEAD_HEADING("                        --reason (--disqualify: disqualified)"),
	LEAD_HEADING("  overdue               assigned leads past their SLA, untouched"),
	LEAD_HEADING("  escalate              reassign the overdue leads (to the rep's"),
	LEAD_HEADING("                        manager, --to REP, or the next rep)"),
	LEAD_HEADING("  reassign LEAD...      give leads to another rep (--to REP)"),
	LEAD_HEADING("  recycle --idle DUR    owned leads sales has not touched for DUR"),
	LEAD_HEADING("                        go back to nurture"),
	LEAD_HEADING("Options:"),
	{ "sla", 0, OPT_SLA, "SPEC",
	    .help = "time to first touch: 24h, or per grade:\n"
	    "A=4h,B=24h,*=48h (default 24h)",
	    .str = &opt.sla },
	{ "to", 0, OPT_TO, "REP",
	    .help = "the rep (name, email, or the start of either)",
	    .str = &opt.to },
	{ "sheet", 0, OPT_SHEET, "DIR",
	    .help = "also write one sheet per rep into DIR",
	    .str = &opt.sheet },
	{ "by", 0, OPT_BY, "REP",
	    .help = "who accepts or rejects (the owner, or --force)",
	    .str = &opt.by },
	{ "force", 0, OPT_FORCE, NULL,
	    .help = "hand over past capacity, availability or\n"
	    "do-not-contact; act for another rep",
	    .flag = &opt.force },
	{ "reason", 0, OPT_REASON, "TEXT",
	    .help = "why a lead is rejected (required)",
	    .str = &opt.reason },
	{ "disqualify", 0, OPT_DISQUALIFY, NULL,
	    .help = "reject as a dead end, not back to nurture",
	    .flag = &opt.disqualify },
	{ "idle", 0, OPT_IDLE, "DURATION",
	    .help = "for recycle: 30d, 6w, ...",
	    .str = &opt.idle },
	{ "dry-run", 'n', 'n', NULL,
	    .help = "do everything, change nothing",
	    .flag = &opt.dry_run },
	{ 0 }
};

static const struct lead_usage usage = { synopsis, options,
    LEAD_TAKES_OUTPUT | LEAD_TAKES_INPUT | LEAD_TAKES_COLUMNS |
    LEAD_TAKES_PROGRESS };

/* The time of the run, taken once. */
static char now[LEAD_TIME_LEN];
static lead_time tnow;

/* ---- the sales team -------------------------------------------------------- */

/* A rep as assigning sees them. */
struct rep {
	int64_t id;
	char *name, *email, *manager;
	char **terr;		/* territory entries; none: anywhere */
	size_t nterr;
	long capacity;		/* 0: no limit */
	long open;		/* open leads owned now */
	double weight, pass;
	int available;
	int active;		/* on the team: not removed from the reps file */
	int shunned;		/* may not have the lead routed now */
};

struct team {
	struct rep *rep;
	size_t n;
	size_t nactive;
};

/* "US, CA; Germany" into entries. */
static void
split_list(const char *s, char ***out, size_t *n)
{
	char *copy = lead_xstrdup(s ? s : ""), *save = NULL, *tok;

	*out = NULL;
	*n = 0;
	for (tok = strtok_r(copy, ",;|/", &save); tok;
	    tok = strtok_r(NULL, ",;|/", &save)) {
		lead_trim(tok);
		if (*tok == '\0')
			continue;
		*out = lead_xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[(*n)++] = lead_xstrdup(tok);
	}
	free(copy);
}

static int
yesno(const char *s, int *v)
{
	static const char *const yes[] = { "yes", "y", "true", "1", "on",
	    "x", "ja", "oui", "si", NULL };
	static const char *const no[] = { "no", "n", "false", "0", "off",
	    "nein", "non", NULL };

	if (s == NULL || *s == '\0') {
		*v = 1;
		return 0;
	}
	for (int i = 0; yes[i]; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return *v = 1, 0;
	for (int i = 0; no[i]; i++)
		if (strcasecmp(s, no[i]) == 0)
			return *v = 0, 0;
	return -1;
}

static void
team_free(struct team *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct rep *r = &t->rep[i];

		free(r->name);
		free(r->email);
		free(r->manager);
		for (size_t j = 0; j < r->nterr; j++)
			free(r->terr[j]);
		free(r->terr);
	}
	free(t->rep);
	t->rep = NULL;
	t->n = 0;
}

/* The active reps, with their open leads. */
static void
team_load(struct lead_conn *db, struct team *t)
{
	/* The reps who left are loaded too, never to route to, but to say
	 * whose account a lead was. */
	struct lead_stmt *st = lead_team_reps(db);

	memset(t, 0, sizeof *t);
	while (lead_db_step(st) == LEAD_ROW) {
		struct rep *r;

		t->rep = lead_xrealloc(t->rep, (t->n + 1) * sizeof *t->rep);
		r = &t->rep[t->n++];
		memset(r, 0, sizeof *r);
		r->id = lead_column_int64(st, 0);
		r->name = lead_xstrdup(lead_column_text(st, 1));
		if (lead_column_text(st, 2))
			r->email = lead_xstrdup((const char *)
			    lead_column_text(st, 2));
		split_list(lead_column_text(st, 3), &r->terr,
		    &r->nterr);
		/* "*" is anywhere: the same as no territory, a generalist. */
		for (size_t j = 0; j < r->nterr; j++)
			if (strcmp(r->terr[j], "*") == 0) {
				for (size_t k = 0; k < r->nterr; k++)
					free(r->terr[k]);
				r->nterr = 0;
				break;
			}
		r->capacity = lead_column_int(st, 4);
		r->weight = lead_column_double(st, 5);
		r->available = lead_column_int(st, 6);
		if (lead_column_text(st, 7))
			r->manager = lead_xstrdup((const char *)
			    lead_column_text(st, 7));
		r->pass = lead_column_double(st, 8);
		r->open = lead_column_int(st, 9);
		r->active = lead_column_int(st, 10);
		r->available &= r->active;
		t->nactive += r->active;
	}
	lead_finalize(st);
}

/* A rep by name or email, or NULL. */
static struct rep *
team_find(struct team *t, const char *who)
{
	for (size_t i = 0; who && i < t->n; i++)
		if (strcasecmp(t->rep[i].name, who) == 0 ||
		    (t->rep[i].email && strcasecmp(t->rep[i].email, who) == 0))
			return &t->rep[i];
	return NULL;
}

/* The rep --to or --by names: a name or email, or the start of either
 * (lead_rep_match); dies with suggestions if none or two. */
static struct rep *
team_need(struct team *t, const char *who, const char *opt_name)
{
	const char **names = lead_xcalloc(t->n + 1, sizeof *names);
	const char **emails = lead_xcalloc(t->n + 1, sizeof *emails);
	char why[512];
	int i;

	size_t *at = lead_xcalloc(t->n + 1, sizeof *at), n = 0;

	for (size_t k = 0; k < t->n; k++) {
		if (!t->rep[k].active)
			continue;
		at[n] = k;
		names[n] = t->rep[k].name;
		emails[n++] = t->rep[k].email;
	}
	i = lead_rep_match(who, names, emails, n, why, sizeof why);
	if (i >= 0)
		i = (int)at[i];
	free(at);
	free(names);
	free(emails);
	if (i < 0)
		lead_die(LEAD_EX_USAGE, "%s: %s", opt_name, why);
	return &t->rep[i];
}

/* A record as a TSV line (\t \n \r \\ escaped), for the stored version. */
static void
tsv_line(struct lead_buf *b, const struct lead_record *rec)
{
	for (size_t i = 0; i < rec->n; i++) {
		if (i)
			lead_buf_addc(b, '\t');
		for (const char *p = rec->f[i]; *p; p++)
			switch (*p) {
			case '\t': lead_buf_adds(b, "\\t"); break;
			case '\n': lead_buf_adds(b, "\\n"); break;
			case '\r': lead_buf_adds(b, "\\r"); break;
			case '\\': lead_buf_adds(b, "\\\\"); break;
			default: lead_buf_addc(b, *p);
			}
	}
	lead_buf_addc(b, '\n');
}

/* Read and check a reps file; any error is reported and exits 2 with
 * nothing changed.  The file's text is returned for the version. */
static void
reps_read(const char *path, struct team *t, struct lead_buf *text)
{
	struct lead_reader *rd = lead_reader_open(path, &opt.c.in);
	const struct lead_record *hdr, *rec;
	struct lead_colmap m;
	char *err;
	const char *name;
	char xb[128];
	long seen = 0, skipped = 0;
	int bad = 0, rc, any = 0;

	memset(t, 0, sizeof *t);
	if (rd == NULL)
		exit(lead_reader_status == LEAD_EX_REJECT ? LEAD_EX_USAGE :
		    lead_reader_status);
	name = lead_reader_name(rd);
	if ((hdr = lead_reader_header(rd)) == NULL)
		lead_die(LEAD_EX_USAGE, "%s: no reps", name);
	if (lead_colmap_bind(&m, lead_rep_fields, RF_NFIELDS, hdr, NULL, 0,
	    &err) < 0)
		lead_die(LEAD_EX_USAGE, "%s: %s", name, err);
	for (size_t c = 0; c < m.ncols; c++)
		if (m.field[c] == -1) {
			lead_warn_at(name, hdr->line, "unknown column '%s'; a "
			    "reps file has name, email, territory, capacity, "
			    "weight, available, manager", hdr->f[c]);
			bad = 1;
		}
	if (m.col[RF_NAME] < 0)
		lead_die(LEAD_EX_USAGE, "%s: no name column", name);
	tsv_line(text, hdr);
	while ((rc = lead_reader_next(rd, &rec)) > 0) {
		struct rep r = { .weight = 1, .available = 1 };
		const char *v[RF_NFIELDS];
		char *end;

		seen++;
		for (int f = 0; f < RF_NFIELDS; f++) {
			int c = m.col[f];

			v[f] = c >= 0 && (size_t)c < rec->n ?
			    lead_trim(rec->f[c]) : NULL;
			if (v[f] && lead_blank(v[f]))
				v[f] = NULL;
		}
		if (rec->bad || lead_record_extra(rec, hdr->n, xb,
		    sizeof xb) != NULL) {
			lead_warn_at(name, rec->line, "%s", rec->bad ?
			    rec->bad : xb);
			bad = 1;
			skipped++;
			continue;
		}
		tsv_line(text, rec);
		if (v[RF_NAME] == NULL) {
			lead_warn_at(name, rec->line, "a rep needs a name");
			bad = 1;
			skipped++;
			continue;
		}
		if (team_find(t, v[RF_NAME])) {
			lead_warn_at(name, rec->line, "rep '%s' is listed "
			    "twice", v[RF_NAME]);
			bad = 1;
			skipped++;
			continue;
		}
		if (v[RF_EMAIL]) {
			char e[512];

			snprintf(e, sizeof e, "%s", v[RF_EMAIL]);
			if (lead_email_norm(e) != NULL) {
				lead_warn_at(name, rec->line, "invalid email "
				    "'%s'", v[RF_EMAIL]);
				bad = 1;
				skipped++;
				continue;
			}
			if (team_find(t, e)) {
				lead_warn_at(name, rec->line, "email '%s' is "
				    "listed twice", e);
				bad = 1;
				skipped++;
				continue;
			}
			r.email = lead_xstrdup(e);
		}
		if (v[RF_CAPACITY]) {
			r.capacity = strtol(v[RF_CAPACITY], &end, 10);
			if (*end || r.capacity < 0 || r.capacity > 1000000) {
				lead_warn_at(name, rec->line, "capacity '%s' "
				    "is not a number of leads", v[RF_CAPACITY]);
				bad = 1;
			} else if (r.capacity == 0) {
				lead_warn_at(name, rec->line, "capacity 0: "
				    "a rep who takes no leads is available "
				    "no (a blank capacity is no limit)");
				bad = 1;
			}
		}
		if (v[RF_WEIGHT]) {
			r.weight = strtod(v[RF_WEIGHT], &end);
			if (*end || !(r.weight >= 0.001 && r.weight <= 1000)) {
				lead_warn_at(name, rec->line, "weight '%s' is "
				    "not a number from 0.001 to 1000",
				    v[RF_WEIGHT]);
				bad = 1;
			}
		}
		if (yesno(v[RF_AVAILABLE], &r.available) < 0) {
			lead_warn_at(name, rec->line, "available '%s': yes "
			    "or no", v[RF_AVAILABLE]);
			bad = 1;
		}
		split_list(v[RF_TERRITORY], &r.terr, &r.nterr);
		for (size_t j = 0; j < r.nterr; j++)
			if (!lead_territory_known(r.terr[j]))
				lead_note("%s:%ld: territory '%s' is no country "
				    "or region leadkit knows; it covers the "
				    "leads whose region is '%s'", name,
				    rec->line, r.terr[j], r.terr[j]);
		r.name = lead_xstrdup(v[RF_NAME]);
		if (v[RF_MANAGER])
			r.manager = lead_xstrdup(v[RF_MANAGER]);
		t->rep = lead_xrealloc(t->rep, (t->n + 1) * sizeof *t->rep);
		t->rep[t->n++] = r;
		any |= r.available;
	}
	if (rc < 0)
		exit(LEAD_EX_RUNTIME);
	/* Every row is a rep or an error said: none lost. */
	lead_reader_account(rd, seen, (long)t->n + skipped);
	for (size_t i = 0; i < t->n; i++)
		if (t->rep[i].manager && !team_find(t, t->rep[i].manager)) {
			lead_warn("%s: %s's manager '%s' is not in the file",
			    name, t->rep[i].name, t->rep[i].manager);
			bad = 1;
		}
	if (t->n == 0 && !bad)
		lead_die(LEAD_EX_USAGE, "%s: no reps", name);
	if (!any && !bad) {
		lead_warn("%s: no rep is available: nobody could take a lead",
		    name);
		bad = 1;
	}
	if (bad)
		lead_die(LEAD_EX_USAGE, "%s: invalid reps file; nothing "
		    "changed", name);
	lead_colmap_free(&m);
	lead_reader_close(rd);
}

/* Store a reps file: a new version if its content differs from the
 * latest; reps by name (added, changed), reps no longer listed made
 * inactive (their history stays).  A new rep, or one back from being
 * unavailable, joins the turns at the average place of the available
 * reps: neither owed a run of leads nor made to wait out everyone's. */
static int
run_reps_load(struct lead_conn *db, const char *path)
{
	struct team t;
	struct lead_buf text = { 0 };
	struct lead_sha256 c;
	char hex[65];
	struct lead_repsync rs;
	long added = 0, changed = 0, gone;

	reps_read(path, &t, &text);
	lead_db_begin(db);
	lead_sha256_init(&c);
	lead_sha256_update(&c, text.s, text.len);
	lead_sha256_hex(&c, hex);
	lead_team_version_add(db, hex, text.s, text.len, strcmp(path, "-") ?
	    path : "stdin", now);
	lead_repsync_open(&rs, db, now, lead_team_start_pass(db));
	for (size_t i = 0; i < t.n; i++) {
		struct rep *r = &t.rep[i];
		struct lead_buf terr = { 0 };
		struct lead_rep_row row = { .name = r->name, .email = r->email,
		    .manager = r->manager, .capacity = r->capacity,
		    .weight = r->weight, .available = r->available };

		for (size_t j = 0; j < r->nterr; j++)
			lead_buf_addf(&terr, "%s%s", j ? ", " : "", r->terr[j]);
		row.territory = terr.s;
		switch (lead_repsync_put(&rs, &row)) {
		case LEAD_REP_ADDED: added++; break;
		case LEAD_REP_CHANGED: changed++; break;
		}
		lead_buf_free(&terr);
	}
	gone = lead_repsync_close(&rs);
	lead_db_end(db, opt.dry_run);
	lead_note("%zu reps: %ld added, %ld changed, %ld no longer listed "
	    "(kept, inactive)%s", t.n, added, changed, gone, opt.dry_run ?
	    " (dry run: nothing changed)" : "");
	team_free(&t);
	lead_buf_free(&text);
	return LEAD_EX_OK;
}

/* A write error shows at exit, as exit 3 (lead_stdout_init). */
static void
out_close(struct lead_out *w)
{
	(void)lead_out_close(w);
}

/* A query's rows as they are. */
static void
print_rows(struct lead_stmt *st, const char *const *cols, size_t n,
    const int *num)
{
	struct lead_out *w = lead_out_num(stdout, &opt.c.out, cols, n, num);
	const char *vals[16];

	while (lead_db_step(st) == LEAD_ROW) {
		for (size_t i = 0; i < n; i++)
			vals[i] = lead_column_text(st, (int)i);
		lead_out_row(w, vals);
	}
	lead_finalize(st);
	out_close(w);
}

static int
run_reps_list(struct lead_conn *db)
{
	static const char *const cols[] = { "name", "email", "territory",
	    "capacity", "open", "weight", "available", "manager" };
	static const int num[] = { 3, 4, 5, -1 };

	print_rows(lead_team_listing(db), cols, 8, num);
	return LEAD_EX_OK;
}

/* ---- assigning --------------------------------------------------------------- */

/* --sla: "24h", or per grade "A=4h,B=24h,*=48h". */
static struct sla {
	char *grade;
	int64_t secs;
} *slas;
static size_t nsla;

static void
sla_parse(const char *spec)
{
	char *copy = lead_xstrdup(spec ? spec : "24h"), *save = NULL, *tok;

	nsla = 0;
	for (tok = strtok_r(copy, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		const char *g = "*", *d = lead_trim(tok);
		int64_t secs;

		if (eq) {
			*eq = '\0';
			g = lead_trim(tok);
			d = lead_trim(eq + 1);
		}
		if (lead_duration_parse(d, &secs) < 0 || secs <= 0)
			lead_die(LEAD_EX_USAGE, "--sla: '%s' is not a duration "
			    "or GRADE=duration list (24h, A=4h,B=24h,*=48h)",
			    spec);
		/* As many grades as the rules define, of any length. */
		slas = lead_xrealloc(slas, (nsla + 1) * sizeof *slas);
		slas[nsla].grade = lead_xstrdup(g);
		slas[nsla++].secs = secs;
	}
	free(copy);
	if (nsla == 0)
		lead_die(LEAD_EX_USAGE, "--sla: no duration");
}

static int64_t
sla_for(const char *grade)
{
	for (size_t i = 0; i < nsla; i++)
		if (grade && strcasecmp(slas[i].grade, grade) == 0)
			return slas[i].secs;
	for (size_t i = 0; i < nsla; i++)
		if (strcmp(slas[i].grade, "*") == 0)
			return slas[i].secs;
	return 24 * 3600;
}

static void
slas_free(void)
{
	for (size_t i = 0; i < nsla; i++)
		free(slas[i].grade);
	free(slas);
	slas = NULL;
	nsla = 0;
}

/* Company domains to their owner: a lead of a company someone owns goes
 * to them.  Free mail never counts as a company. */
static struct lead_strmap doms;

static void
dom_add(const char *name, int64_t rep)
{
	int64_t *v;

	if (name == NULL || *name == '\0' || lead_freemail(name))
		return;
	if (*(v = lead_strmap_put(&doms, name)) == 0)
		*v = rep;
}

static int64_t
dom_owner(const char *name)
{
	int64_t *v;

	if (name == NULL || *name == '\0')
		return 0;
	return (v = lead_strmap_get(&doms, name)) != NULL ? *v : 0;
}

static void
doms_free(void)
{
	lead_strmap_free(&doms);
}


static void
doms_load(struct lead_conn *db)
{
	/* An account's owner is the first rep on the team and available who
	 * owns one of its leads, else the first who is not (route says
	 * whose account it was, and routes it like an unowned one). */
	struct lead_stmt *st = lead_team_accounts(db);

	while (lead_db_step(st) == LEAD_ROW)
		dom_add(lead_column_text(st, 0),
		    lead_column_int64(st, 1));
	lead_finalize(st);
}

static int
has_room(const struct rep *r)
{
	return r->available && (r->capacity == 0 || r->open < r->capacity);
}

/* How closely a rep's territory covers a lead (lead_territory_match). */
static int
covers(const struct rep *r, const char *country, const char *region)
{
	int best = 0;

	for (size_t i = 0; i < r->nterr; i++) {
		int l = lead_territory_match(r->terr[i], country, region);

		if (l > best)
			best = l;
	}
	return best;
}

/* The next rep by weighted turns, among the available reps with room
 * whose territory covers the lead most closely (a rep for Germany before
 * one for DACH before one for EMEA), or among the generalists; NULL if
 * there is none. */
static struct rep *
next_rep(struct team *t, const char *country, const char *region,
    int generalists, int shun)
{
	struct rep *best = NULL;
	int blevel = 0;

	for (size_t i = 0; i < t->n; i++) {
		struct rep *r = &t->rep[i];
		int level;

		if ((shun && r->shunned) || !has_room(r))
			continue;
		if (generalists)
			level = r->nterr == 0;
		else
			level = covers(r, country, region);
		if (level == 0 || level < blevel)
			continue;
		if (best == NULL || level > blevel || r->pass < best->pass) {
			best = r;
			blevel = level;
		}
	}
	return best;
}

static struct rep *
team_byid(struct team *t, int64_t id)
{
	for (size_t i = 0; id && i < t->n; i++)
		if (t->rep[i].id == id)
			return &t->rep[i];
	return NULL;
}

/*
 * The rep a lead goes to and why; NULL (and why not) if it is held.
 * The company's owner first; an owner who is not available or left the
 * team locks nothing: the lead routes like an unowned one, and
 * why says whose account it was.  shun: the reps who rejected this lead
 * (rep.shunned) may not have it.
 */
static struct rep *
route(struct team *t, const char *domain, const char *country,
    const char *region, int shun, char *why, size_t n)
{
	struct rep *owner = team_byid(t, dom_owner(domain)), *r;
	int refused = owner && shun && owner->shunned;
	struct lead_buf was = { 0 };	/* whose account it was: any name */

	if (owner && !refused && has_room(owner)) {
		snprintf(why, n, "account: %s owns %s", owner->name, domain);
		return owner;
	}
	if (owner && !refused && owner->available) {
		snprintf(why, n, "%s belongs to %s, who is at capacity",
		    domain, owner->name);
		return NULL;
	}
	lead_buf_adds(&was, "");
	if (owner)
		lead_buf_addf(&was, "account of %s (%s); ", owner->name,
		    refused ? "who rejected this lead" : !owner->active ?
		    "no longer on the team" : "not available");
	if ((r = next_rep(t, country, region, 0, shun)) != NULL)
		snprintf(why, n, "%sterritory %s, next in turn", was.s,
		    country && *country ? country : region);
	else if ((r = next_rep(t, country, region, 1, shun)) != NULL)
		snprintf(why, n, "%snext in turn", was.s);
	else
		snprintf(why, n, "%sno available rep with room covers %s",
		    was.s, country && *country ? country : region && *region ?
		    region : "a lead without a country");
	lead_buf_free(&was);
	return r;
}

/*
 * A lead sales sent back does not silently go back to a rep who
 * rejected it, whatever happened since (another rep nurturing it, a
 * recycle): another rep if one can take it, else a rejecter, saying so
 * (the sheet's history column says when and why).
 */
static struct rep *
route_lead(struct lead_handing *h, struct team *t, int64_t id,
    const char *domain, const char *country, const char *region, char *why,
    size_t n)
{
	const struct lead_rejecter *rj;
	size_t nrj = lead_handing_rejecters(h, id, &rj);
	struct rep *r;
	int shun = 0;

	for (size_t i = 0; i < t->n; i++)
		t->rep[i].shunned = 0;
	for (size_t i = 0; i < nrj; i++)
		if ((r = team_byid(t, rj[i].rep)) != NULL)
			r->shunned = shun = 1;
	if ((r = route(t, domain, country, region, shun, why, n)) != NULL ||
	    !shun)
		return r;
	if ((r = route(t, domain, country, region, 0, why, n)) != NULL &&
	    r->shunned)
		for (size_t i = 0; i < nrj; i++)
			if (rj[i].rep == r->id)
				snprintf(why, n, "back to %s, who rejected it "
				    "on %.10s: no other rep can take it",
				    r->name, rj[i].at);
	return r;
}

/* A rep takes a lead: the due time of its SLA, the rep's open leads and
 * turn moved on. */
static void
take(struct rep *r, const char *grade, int64_t nowt, char due[LEAD_TIME_LEN])
{
	lead_time_format(nowt + sla_for(grade), due);
	r->open++;
	r->pass += 1 / r->weight;
}

/* Hand a lead to a rep: the owner, the assignment with its SLA, the
 * rep's turn.  Recorded in temp.handed for the sheet. */
static void
hand(struct lead_conn *db, int64_t lead, const char *grade, struct rep *r,
    const char *why, int64_t nowt)
{
	char due[LEAD_TIME_LEN];

	take(r, grade, nowt, due);
	lead_team_hand(db, lead, r->id, now, due, why, r->pass);
}

/* ---- the hand-off sheet ---------------------------------------------------- */

static const char *const sheet_cols[] = { "rep", "rep_email", "due", "email",
	"name", "company", "title", "phone", "country", "first_source",
	"first_campaign", "last_source", "last_campaign", "score", "grade",
	"reasons", "last_touches", "why", "dnc", "history", "promises" };
#define NSHEET (sizeof sheet_cols / sizeof sheet_cols[0])

struct reason {
	int64_t id;
	char *text;
};

static int
reason_cmp(const void *a, const void *b)
{
	const struct reason *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* The three rules that gave each handed lead the most, under the current
 * rules (none if no rules are stored), sorted by lead id. */
static struct reason *
reasons(struct lead_conn *db, size_t *n)
{
	struct lead_rules r;
	struct lead_scan s;
	struct reason *out = NULL;
	char b[32];

	*n = 0;
	if (lead_rules_version(db) == 0)
		return NULL;
	if (lead_rules_load(db, &r, &failed) < 0)
		lead_err_exit(&failed);
	lead_pick_create(db);
	lead_team_pick_handed(db);
	lead_scan_open(&s, db, 1, tnow, &r, NULL, &opt.c);
	while (lead_scan_next(&s)) {
		struct lead_eval *e = &s.e[0];
		struct lead_buf t = { 0 };
		size_t top[3];
		int ntop = 0;

		/* The rules in order of what they gave, most first. */
		for (size_t i = 0; i < r.nrule; i++) {
			int j;

			if (e->cents[i] <= 0)
				continue;
			for (j = ntop; j > 0 && e->cents[top[j - 1]] <
			    e->cents[i]; j--)
				if (j < 3)
					top[j] = top[j - 1];
			if (j < 3) {
				top[j] = i;
				if (ntop < 3)
					ntop++;
			}
		}
		for (int j = 0; j < ntop; j++)
			lead_buf_addf(&t, "%s%s (+%s)", j ? "; " : "",
			    r.rule[top[j]].text,
			    lead_cents_format(e->cents[top[j]], b));
		out = lead_xrealloc(out, (*n + 1) * sizeof *out);
		out[*n].id = s.id;
		out[*n].text = t.s ? lead_buf_take(&t) : lead_xstrdup("");
		(*n)++;
	}
	lead_scan_close(&s);
	lead_rules_free(&r);
	if (*n > 1)
		qsort(out, *n, sizeof *out, reason_cmp);
	return out;
}

/* The sheet files of a run: written under temporary names, put in place
 * (sheets_finish) only once the hand-offs are committed. */
static struct sheetf {
	char *path, *tmp;
} *sheetfs;
static size_t nsheetfs;

/* The bytes of a rep's name a sheet file name keeps.  With its dot,
 * number, extension and ".tmp" it stays far below NAME_MAX (255 bytes):
 * a longer name is cut at a UTF-8 boundary and ends in "-" and 8 hex
 * digits of the SHA-256 of the whole name, so that two long names that
 * start alike still get files of their own. */
#define SHEET_NAME_MAX 200

/* The file name of a rep's sheet, added to p: letters, digits and any
 * non-ASCII (UTF-8) bytes kept, the rest made '_'. */
static void
sheet_name(struct lead_buf *p, const char *rep)
{
	struct lead_buf n = { 0 };
	struct lead_sha256 c;
	char hex[65];
	size_t cut;

	lead_buf_adds(&n, "");
	for (const unsigned char *q = (const unsigned char *)rep; *q; q++)
		lead_buf_addc(&n, (*q >= 'a' && *q <= 'z') || (*q >= 'A' &&
		    *q <= 'Z') || (*q >= '0' && *q <= '9') || *q >= 0x80 ||
		    *q == '-' || (*q == '.' && n.len > 0) ? (char)*q : '_');
	if (n.len <= SHEET_NAME_MAX) {
		lead_buf_add(p, n.s, n.len);
		lead_buf_free(&n);
		return;
	}
	/* Not inside a character: back to the start of the one cut. */
	cut = SHEET_NAME_MAX - 9;
	for (int k = 0; k < 3 && ((unsigned char)n.s[cut] & 0xc0) == 0x80;
	    k++)
		cut--;
	lead_sha256_init(&c);
	lead_sha256_update(&c, rep, strlen(rep));
	lead_sha256_hex(&c, hex);
	lead_buf_add(p, n.s, cut);
	lead_buf_addf(p, "-%.8s", hex);
	lead_buf_free(&n);
}

/* A rep's sheet file in dir, named after the rep (sheet_name); a name
 * two reps would share gets the second a number. */
static FILE *
sheet_file(const char *dir, const char *rep)
{
	struct lead_buf p = { 0 }, t = { 0 };
	const char *ext = opt.c.out.fmt == LEAD_FMT_CSV ? "csv" :
	    opt.c.out.fmt == LEAD_FMT_JSON ? "jsonl" :
	    opt.c.out.fmt == LEAD_FMT_TABLE ? "txt" : "tsv";
	struct sheetf *f;
	size_t base, i;
	int n = 1;

	lead_buf_addf(&p, "%s/", dir);
	base = p.len;
	sheet_name(&p, rep);
	for (;;) {
		lead_buf_reset(&t);
		if (n == 1)
			lead_buf_addf(&t, "%s.%s", p.s, ext);
		else
			lead_buf_addf(&t, "%s-%d.%s", p.s, n, ext);
		for (i = 0; i < nsheetfs; i++)
			if (strcmp(sheetfs[i].path, t.s) == 0)
				break;
		if (i == nsheetfs)
			break;
		n++;
	}
	/* Listed before it is made: if it cannot be, sheets_die frees it. */
	sheetfs = lead_xrealloc(sheetfs, (nsheetfs + 1) * sizeof *sheetfs);
	f = &sheetfs[nsheetfs++];
	f->path = lead_buf_take(&t);
	lead_buf_addf(&t, "%s/.%s.tmp", dir, f->path + base);
	f->tmp = lead_buf_take(&t);
	lead_buf_free(&p);
	return lead_file_new(f->tmp, 0600);
}

/* Put the sheet files in place (ok), or remove them. */
static void
sheets_finish(int ok)
{
	for (size_t i = 0; i < nsheetfs; i++) {
		if (ok && rename(sheetfs[i].tmp, sheetfs[i].path) < 0)
			lead_warn("%s: %s", sheetfs[i].path, strerror(errno));
		if (!ok)
			unlink(sheetfs[i].tmp);
		free(sheetfs[i].path);
		free(sheetfs[i].tmp);
	}
	free(sheetfs);
	sheetfs = NULL;
	nsheetfs = 0;
}

static void
sheets_die(void)
{
	sheets_finish(0);
}

/* Returns the sheet names; older ones are summed up as "and earlier". */
#define HISTORY_MAX 3

/* What the rep should know of the lead's past with sales: each time it
 * came back, the latest first (when, how, from whom, why); NULL if it
 * never did. */
static const char *
history(struct lead_conn *db, int64_t id, char *buf, size_t n)
{
	struct lead_return r[HISTORY_MAX + 1];
	size_t nr = lead_returns(db, id, r, HISTORY_MAX + 1), len = 0;

	if (nr == 0)
		return NULL;
	buf[0] = '\0';
	for (size_t i = 0; i < nr && i < HISTORY_MAX && len < n; i++) {
		snprintf(buf + len, n - len, "%s%s %.10s%s%s%s%s", i ? "; " :
		    "", r[i].how, r[i].at, r[i].by[0] ? " by " : "", r[i].by,
		    r[i].reason[0] ? ": " : "", r[i].reason);
		len = strlen(buf);
	}
	if (nr > HISTORY_MAX && len < n)
		snprintf(buf + len, n - len, "; and earlier");
	len = strlen(buf);
	if (r[0].rejected > 1 && len < n)
		snprintf(buf + len, n - len, " (rejected %d times)",
		    r[0].rejected);
	return buf;
}

/* Print the sheet of the leads in temp.handed, by rep; with --sheet
 * (and not -n), also one file a rep. */
static void
sheet(struct lead_conn *db)
{
	static const int num[] = { 13, -1 };
	size_t nr;
	struct reason *rs = reasons(db, &nr);
	struct lead_map nurtured = { 0 };	/* the leads with a history */
	struct lead_out *w = lead_out_num(stdout, &opt.c.out, sheet_cols, NSHEET, num), *fw = NULL;
	struct lead_stmt *st = lead_team_sheet(db);
	const char *dir = opt.dry_run ? NULL : opt.sheet;
	char *last = NULL, b[32], hist[4096];
	FILE *fp = NULL;

	if (dir && mkdir(dir, 0700) < 0 && errno != EEXIST)
		lead_die(LEAD_EX_RUNTIME, "%s: %s", dir, strerror(errno));
	if (dir)
		lead_atdie(sheets_die);
	lead_team_handed_nurtured(db, &nurtured);
	while (lead_db_step(st) == LEAD_ROW) {
		const char *v[NSHEET];
		struct reason key = { .id = lead_column_int64(st, 15) }, *f;

		for (int i = 0; i < 13; i++)
			v[i] = lead_column_text(st, i);
		v[13] = lead_column_type(st, 13) == LEAD_NULL ? NULL :
		    lead_cents_format(lead_db_cents(st, 13), b);
		v[14] = lead_column_text(st, 14);
		f = rs ? bsearch(&key, rs, nr, sizeof *rs, reason_cmp) : NULL;
		v[15] = f ? f->text : NULL;
		v[16] = lead_column_text(st, 16);
		v[17] = lead_column_text(st, 17);
		v[18] = lead_column_text(st, 18);
		v[19] = lead_map_find(&nurtured, &key.id, sizeof key.id) < 0 ?
		    NULL : history(db, key.id, hist, sizeof hist);
		v[20] = lead_column_text(st, 19);
		lead_out_row(w, v);
		if (dir == NULL)
			continue;
		if (last == NULL || strcmp(last, v[0]) != 0) {
			if ((fw && lead_out_close(fw) < 0) ||
			    (fp && fclose(fp) != 0))
				lead_die(LEAD_EX_RUNTIME, "%s: write error",
				    dir);
			fp = sheet_file(dir, v[0]);
			fw = lead_out_num(fp, &opt.c.out, sheet_cols, NSHEET,
			    num);
			free(last);
			last = lead_xstrdup(v[0]);
		}
		lead_out_row(fw, v);
	}
	lead_finalize(st);
	free(last);
	if ((fw && lead_out_close(fw) < 0) || (fp && fclose(fp) != 0))
		lead_die(LEAD_EX_RUNTIME, "%s: write error", dir);
	out_close(w);
	for (size_t i = 0; i < nr; i++)
		free(rs[i].text);
	free(rs);
	lead_map_free(&nurtured);
}

/* The first leads held back are named, all of them with -v: a nightly
 * mail is read, not scrolled. */
#define MAXHELD 20

static int
held_say(long nheld)
{
	return nheld < MAXHELD || lead_verbosity > 0;
}

static void
handed_create(struct lead_conn *db)
{
	lead_team_handed_create(db);
}

static int
run_assign(struct lead_conn *db, int argc, char **argv)
{
	struct team t;
	struct rep *to = NULL;
	struct lead_stmt *st;
	struct lead_handing h;
	long assigned = 0, dnc = 0, held = 0, skipped = 0, bad = 0, n;
	lead_time nowt = tnow;
	int list = argc > 0;

	if (list) {
		lead_pick_create(db);
		for (int i = 0; i < argc; i++)
			if ((n = lead_pick_file(db, argv[i], &opt.c.in,
			    &failed)) < 0)
				lead_err_exit(&failed);
			else
				bad += n;
	} else if (opt.to)
		lead_die(LEAD_EX_USAGE, "--to assigns the leads listed (a file, "
		    "or - for stdin); give them");
	/* One assign at a time: the second waits here, then sees the
	 * owners the first gave. */
	lead_db_begin(db);
	team_load(db, &t);
	if (t.nactive == 0)
		lead_die(LEAD_EX_USAGE, "no reps: load the sales team with "
		    "lead-handoff reps FILE");
	if (opt.to)
		to = team_need(&t, opt.to, "--to");
	doms_load(db);
	handed_create(db);
	lead_handing_open(&h, db, list);
	st = lead_team_to_assign(db, list);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);
		const char *email = lead_column_text(st, 1);
		const char *grade = lead_column_text(st, 2);
		const char *country = lead_column_text(st, 5);
		const char *region = lead_column_text(st, 6);
		const char *domain = lead_column_text(st, 7);
		const char *stage = lead_column_text(st, 8);
		const char *owner = lead_column_text(st, 9);
		char who[64 + 320], why[512], due[LEAD_TIME_LEN];
		struct rep *r;
		int dnc_email = lead_column_int(st, 3);
		int dnc_phone = lead_column_int(st, 4);

		if (email)
			snprintf(who, sizeof who, "%s", email);
		else
			snprintf(who, sizeof who, "id:%lld", (long long)id);
		if (owner) {
			lead_note("%s: already owned by %s (reassign moves it)",
			    who, owner);
			skipped++;
			continue;
		}
		if (strcmp(stage, "won") == 0 || strcmp(stage, "lost") == 0 ||
		    strcmp(stage, "disqualified") == 0) {
			lead_note("%s: %s; not handed off", who, stage);
			skipped++;
			continue;
		}
		/* Routing gives sales the leads the agreed rules call
		 * sales-ready, also from a list ("lead-import -p | lead-score
		 * - | assign -"); a rep named by hand is a person's decision. */
		if (strcmp(stage, "mql") != 0 && !opt.force && to == NULL) {
			lead_note("%s: %s, not sales-ready: skipped (lead-score "
			    "promotes the leads that meet the rules; --to REP "
			    "or --force hands it over anyway)", who, stage);
			skipped++;
			continue;
		}
		/* A calling queue cannot call a lead who opted out of calls;
		 * an email opt-out goes to the rep flagged on the sheet. */
		if (dnc_phone && !opt.force) {
			if (held_say(held + dnc))
				lead_warn("%s: do-not-contact (%s); held back, "
				    "not handed to a calling queue (--force "
				    "hands it off anyway)", who,
				    lead_dnc_text(dnc_email, dnc_phone));
			dnc++;
			continue;
		}
		if (to) {
			if (!has_room(to) && !opt.force) {
				if (held_say(held + dnc))
					lead_warn("%s: %s is %s; held back "
					    "(--force hands it over anyway)",
					    who, to->name, to->available ?
					    "at capacity" : "not available");
				held++;
				continue;
			}
			snprintf(why, sizeof why, "by hand");
			r = to;
		} else if ((r = route_lead(&h, &t, id, domain, country, region,
		    why, sizeof why)) == NULL) {
			if (held_say(held + dnc))
				lead_warn("%s: held back: %s", who, why);
			held++;
			continue;
		}
		take(r, grade, nowt, due);
		lead_handing_hand(&h, id, r->id, now, due, why, r->pass);
		/* A lead handed over from a list is sales-ready by that
		 * decision: the SLA clock and capacity count it. */
		if (strcmp(stage, "new") == 0 || strcmp(stage, "nurture") == 0) {
			char reason[1024];

			snprintf(reason, sizeof reason, "handed to %s (%s)",
			    r->name, why);
			lead_handing_stage(&h, id, stage, "mql", "lead-handoff",
			    reason, now);
		}
		if (dnc_email || dnc_phone)
			lead_warn("%s: do-not-contact (%s), handed to %s%s; the "
			    "sheet says so", who, lead_dnc_text(dnc_email,
			    dnc_phone), r->name, dnc_phone ? " anyway (--force)" :
			    "");
		dom_add(domain, r->id);
		assigned++;
		if (assigned % 1024 == 0)
			lead_progress(&opt.c, "assigned", assigned, 0);
	}
	lead_progress(&opt.c, "assigned", -1, 0);
	lead_finalize(st);
	lead_handing_close(&h);
	sheet(db);
	lead_db_end(db, opt.dry_run);
	sheets_finish(1);
	if (held + dnc > MAXHELD && lead_verbosity <= 0)
		lead_warn("%ld more leads held back (-v lists them all)",
		    held + dnc - MAXHELD);
	lead_note("%ld assigned, %ld held back (%ld do-not-contact), %ld "
	    "skipped%s", assigned, held + dnc, dnc, skipped, opt.dry_run ?
	    " (dry run: nothing changed)" : "");
	team_free(&t);
	doms_free();
	return bad ? LEAD_EX_REJECT : LEAD_EX_OK;
}

/* ---- accept, reject, reassign ------------------------------------------------ */

struct owned {
	int64_t id, rep, assignment;
	int dnc;		/* do-not-contact by phone: no calling queue */
	char email[512], stage[16];
	const char *rep_name;	/* the owner's, "" if none */
};

/* The lead a command names, with its owner (one of t) and open
 * assignment. */
static void
find_owned(struct lead_conn *db, const struct lead_ref *r, struct owned *o,
    struct team *t)
{
	struct lead_owned_row row;
	struct rep *owner;

	memset(o, 0, sizeof *o);
	snprintf(o->email, sizeof o->email, "%s", r->label);
	o->id = r->id;
	lead_team_owned(db, r->id, &row);
	snprintf(o->stage, sizeof o->stage, "%s", row.stage);
	o->rep = row.owner;
	o->assignment = row.assignment;
	o->dnc = row.dnc_phone;
	owner = team_byid(t, o->rep);
	o->rep_name = owner ? owner->name : "";
}

/* The leads named: each argument, or each lead of a list for "-".  Read
 * whole before the write lock is taken, so that "lead-import -p ... |
 * lead-handoff reject -" does not wait on itself. */
static struct lead_list *
named_leads(int argc, char **argv)
{
	struct lead_list *all = lead_xcalloc(1, sizeof *all);

	all->name = lead_xstrdup("arguments");
	for (int i = 0; i < argc; i++) {
		struct lead_list *l;

		if (strcmp(argv[i], "-") != 0) {
			lead_list_add(all, lead_xstrdup(argv[i]), 0, 0);
			continue;
		}
		if ((l = lead_list_read("-", &opt.c.in, &failed)) == NULL)
			lead_err_exit(&failed);
		all->bad += l->bad;
		for (size_t j = 0; j < l->n; j++)
			if (l->ref[j]) {
				lead_list_add(all, l->ref[j], l->line[j],
				    l->askey[j]);
				l->ref[j] = NULL;
			}
		lead_list_free(l);
	}
	return all;
}

static int
accept_one(struct lead_conn *db, const struct lead_ref *ref, void *ctx)
{
	struct team *t = ctx;
	struct owned o;
	const char *why;
	struct rep *by = opt.by ? team_need(t, opt.by, "--by") : NULL;

	find_owned(db, ref, &o, t);
	if (o.rep == 0) {
		lead_warn("%s: has no owner to accept it (assign first)",
		    o.email);
		return -1;
	}
	if (by && by->id != o.rep && !opt.force) {
		lead_warn("%s: owned by %s, not %s (--force accepts for them)",
		    o.email, o.rep_name, by->name);
		return -1;
	}
	if ((why = lead_stage_check(o.stage, "sal")) != NULL) {
		lead_warn("%s: cannot accept a lead at %s: %s", o.email,
		    o.stage, why);
		return -1;
	}
	lead_stage_set(db, o.id, o.stage, "sal", by ? by->name : o.rep_name,
	    "accepted", 0, 0, now);
	lead_assignment_accept(db, o.assignment, now);
	lead_note("%s: accepted by %s", o.email, by ? by->name : o.rep_name);
	return 0;
}

static int
reject_one(struct lead_conn *db, const struct lead_ref *ref, void *ctx)
{
	struct owned o;
	const char *to = opt.disqualify ? "disqualified" : "nurture", *why;

	struct team *t = ctx;
	struct rep *by = opt.by ? team_need(t, opt.by, "--by") : NULL;

	find_owned(db, ref, &o, t);
	if (o.rep == 0) {
		lead_warn("%s: has no owner to reject it", o.email);
		return -1;
	}
	if (by && by->id != o.rep && !opt.force) {
		lead_warn("%s: owned by %s, not %s (--force rejects for them)",
		    o.email, o.rep_name, by->name);
		return -1;
	}
	if ((why = lead_stage_check(o.stage, to)) != NULL) {
		lead_warn("%s: cannot move a lead at %s to %s: %s", o.email,
		    o.stage, to, why);
		return -1;
	}
	lead_stage_set(db, o.id, o.stage, to, by ? by->name : o.rep_name,
	    opt.reason, 0, 0, now);
	lead_assignment_reject(db, o.assignment, now, opt.reason);
	lead_team_unown(db, o.id, now);
	lead_note("%s: rejected by %s%s", o.email, by ? by->name : o.rep_name,
	    opt.disqualify ? ", disqualified" : ", back to nurture");
	return 0;
}

/* Move a lead's open assignment to rep r (ending the old one). */
static void
move_to(struct lead_conn *db, const struct owned *o, struct rep *r, const char *why,
    const char *end_reason, struct team *t)
{
	char *grade;

	if (o->assignment)
		lead_assignment_end(db, o->assignment, now, end_reason);
	for (size_t i = 0; i < t->n; i++)
		if (t->rep[i].id == o->rep)
			t->rep[i].open--;
	grade = lead_team_grade(db, o->id);
	hand(db, o->id, grade, r, why, tnow);
	free(grade);
}

static int
reassign_one(struct lead_conn *db, const struct lead_ref *ref, void *ctx)
{
	struct team *t = ctx;
	struct rep *to = team_need(t, opt.to, "--to");
	struct owned o;
	char why[512];

	find_owned(db, ref, &o, t);
	if (strcmp(o.stage, "won") == 0 || strcmp(o.stage, "lost") == 0 ||
	    strcmp(o.stage, "disqualified") == 0) {
		lead_warn("%s: %s; not reassigned", o.email, o.stage);
		return -1;
	}
	/* As assign: a lead who opted out of calls reaches no calling
	 * queue; an email opt-out goes over, flagged on the sheet. */
	if (o.dnc && !opt.force) {
		lead_warn("%s: do-not-contact by phone; not handed over "
		    "(--force hands it over anyway)", o.email);
		return -1;
	}
	if (o.rep == to->id) {
		lead_note("%s: owned by %s already", o.email, to->name);
		return 0;
	}
	if (!has_room(to) && !opt.force) {
		lead_warn("%s: %s is %s (--force hands it over anyway)",
		    o.email, to->name, to->available ? "at capacity" :
		    "not available");
		return -1;
	}
	snprintf(why, sizeof why, "reassigned from %s", o.rep ? o.rep_name :
	    "nobody");
	move_to(db, &o, to, why, "reassigned", t);
	/* Handed over by hand: sales-ready by that decision, as assign. */
	if (strcmp(o.stage, "new") == 0 || strcmp(o.stage, "nurture") == 0) {
		char reason[1024];

		snprintf(reason, sizeof reason, "handed to %s (%s)", to->name,
		    why);
		lead_stage_set(db, o.id, o.stage, "mql", "lead-handoff", reason,
		    0, 0, now);
	}
	lead_note("%s: now owned by %s", o.email, to->name);
	return 0;
}

static int
run_each(struct lead_conn *db, int argc, char **argv,
    int (*fn)(struct lead_conn *, const struct lead_ref *, void *), const char *done)
{
	struct team t;
	struct lead_list *l = named_leads(argc, argv);
	long n[2] = { 0, l->bad };

	lead_db_begin(db);
	team_load(db, &t);
	handed_create(db);
	for (size_t i = 0; i < l->n; i++) {
		struct lead_ref r;
		char why[512];

		if (!lead_ref_find_as(db, l->ref[i], l->askey[i], &r, why,
		    sizeof why) || r.forgotten) {
			lead_warn("%s", r.forgotten ? "the lead was forgotten" :
			    why);
			n[1]++;
			continue;
		}
		n[fn(db, &r, &t) < 0]++;
	}
	lead_list_free(l);
	lead_db_end(db, opt.dry_run);
	lead_note("%ld %s, %ld not%s", n[0], done, n[1], opt.dry_run ?
	    " (dry run: nothing changed)" : "");
	team_free(&t);
	return n[1] ? LEAD_EX_REJECT : LEAD_EX_OK;
}

/* ---- overdue, escalate, recycle ---------------------------------------------- */

/* What is overdue: open assignments past their due time with no touch
 * by their owner, and promised next steps past their due time (the
 * promise view), by whoever promised (else the owner).  A lead without
 * email is shown as id:N, which every command takes. */
static int
run_overdue(struct lead_conn *db)
{
	static const char *const cols[] = { "rep", "email", "assigned_at",
	    "due", "late", "late_s", "score", "grade", "stage", "what" };
	static const int num[] = { 5, 6, -1 };
	struct lead_stmt *st = lead_team_overdue(db, now);
	struct lead_out *w = lead_out_num(stdout, &opt.c.out, cols, 10, num);
	long n = 0;

	while (lead_db_step(st) == LEAD_ROW) {
		char lb[32], sb[32], cb[32];
		int64_t s = lead_column_int64(st, 4);
		const char *v[10];

		for (int i = 0; i < 4; i++)
			v[i] = lead_column_text(st, i);
		v[4] = lead_duration_text(s, lb, sizeof lb);
		snprintf(sb, sizeof sb, "%lld", (long long)s);
		v[5] = sb;
		v[6] = lead_column_type(st, 5) == LEAD_NULL ? NULL :
		    lead_cents_format(lead_db_cents(st, 5), cb);
		v[7] = lead_column_text(st, 6);
		v[8] = lead_column_text(st, 7);
		v[9] = lead_column_text(st, 8);
		lead_out_row(w, v);
		n++;
	}
	lead_finalize(st);
	out_close(w);
	lead_debug("%ld overdue", n);
	return LEAD_EX_OK;
}

/*
 * Where an overdue lead escalates: --to, else the rep's manager if
 * available with room, else up the chain; with no manager, the next rep
 * in turn for its territory.  NULL with why if it stays: a chain whose
 * managers are all away does not hand the account to someone who cannot
 * work it.
 */
static struct rep *
escalation(struct team *t, struct rep *to, struct rep *cur,
    const char *manager, const char *country, const char *region, char *why,
    size_t n)
{
	struct lead_buf away = { 0 };
	struct rep *m;
	size_t hops = 0;

	if (to) {
		if (to == cur || (!has_room(to) && !opt.force)) {
			snprintf(why, n, "%s is %s", to->name, to == cur ?
			    "its owner already" : to->available ?
			    "at capacity" : "not available");
			return NULL;
		}
		return to;
	}
	for (m = manager ? team_find(t, manager) : NULL; m && hops++ < t->n;
	    m = m->manager ? team_find(t, m->manager) : NULL) {
		if (m != cur && has_room(m)) {
			lead_buf_free(&away);
			return m;
		}
		lead_buf_addf(&away, "%s%s (%s)", away.len ? ", " : "",
		    m->name, m == cur ? "its owner" : !m->active ? "gone" :
		    m->available ? "at capacity" : "not available");
	}
	if (away.len) {
		snprintf(why, n, "no manager up the chain can take it: %s",
		    away.s);
		lead_buf_free(&away);
		return NULL;
	}
	for (size_t i = 0; i < t->n; i++)
		t->rep[i].shunned = &t->rep[i] == cur;
	if ((m = next_rep(t, country, region, 0, 1)) == NULL)
		m = next_rep(t, country, region, 1, 1);
	if (m == NULL)
		snprintf(why, n, "no other rep can take it");
	return m;
}

/* After a lead of domain moved from one rep to another: if the old rep
 * still owns leads of that company, the account is split; say so, and
 * how to join it. */
static void
split_warn(struct lead_conn *db, const char *domain, const char *who,
    const struct rep *from, const struct rep *to)
{
	int64_t left;

	if (domain == NULL || *domain == '\0' || lead_freemail(domain))
		return;
	left = lead_team_account_open(db, from->id, domain);
	if (left > 0)
		lead_warn("%s: the %s account is now split: %s has this lead, "
		    "%s keeps %lld (lead-handoff reassign --to %s joins them)",
		    who, domain, to->name, from->name, (long long)left,
		    to->name);
}

static int
run_escalate(struct lead_conn *db)
{
	struct team t;
	struct rep *to = NULL;
	struct lead_stmt *st;
	long moved = 0, held = 0;

	lead_db_begin(db);
	team_load(db, &t);
	if (opt.to)
		to = team_need(&t, opt.to, "--to");
	handed_create(db);
	st = lead_team_late(db, now);
	while (lead_db_step(st) == LEAD_ROW) {
		struct owned o = { .id = lead_column_int64(st, 0),
		    .rep = lead_column_int64(st, 1),
		    .assignment = lead_column_int64(st, 2) };
		const char *manager = lead_column_text(st, 3);
		const char *country = lead_column_text(st, 6);
		const char *region = lead_column_text(st, 7);
		const char *domain = lead_column_text(st, 8);
		struct rep *cur = team_byid(&t, o.rep), *r;
		char why[512];

		if (lead_column_text(st, 4))
			snprintf(o.email, sizeof o.email, "%s",
			    lead_column_text(st, 4));
		else
			snprintf(o.email, sizeof o.email, "id:%lld",
			    (long long)o.id);
		o.rep_name = lead_column_text(st, 5);
		if ((r = escalation(&t, to, cur, manager, country, region, why,
		    sizeof why)) == NULL) {
			lead_warn("%s: overdue with %s, and stays: %s", o.email,
			    o.rep_name, why);
			held++;
			continue;
		}
		snprintf(why, sizeof why, "escalated from %s: no first touch "
		    "within the SLA", o.rep_name);
		move_to(db, &o, r, why, "escalated", &t);
		lead_note("%s: escalated from %s to %s", o.email, o.rep_name,
		    r->name);
		if (cur)
			split_warn(db, domain, o.email, cur, r);
		moved++;
	}
	lead_finalize(st);
	sheet(db);
	lead_db_end(db, opt.dry_run);
	sheets_finish(1);
	lead_note("%ld escalated, %ld left with their owner%s", moved, held,
	    opt.dry_run ? " (dry run: nothing changed)" : "");
	team_free(&t);
	return LEAD_EX_OK;
}

/* Owned open leads that sales has not touched for --idle: back to
 * nurture, with the reason, the assignment ended. */
static int
run_recycle(struct lead_conn *db)
{
	int64_t idle;
	char since[LEAD_TIME_LEN], reason[128];
	struct lead_stmt *st;
	long n = 0;

	if (opt.idle == NULL)
		lead_die(LEAD_EX_USAGE, "recycle: give --idle DURATION (30d)");
	if (lead_duration_parse(opt.idle, &idle) < 0 || idle <= 0)
		lead_die(LEAD_EX_USAGE, "--idle: '%s' is not a duration",
		    opt.idle);
	lead_time_format(tnow - idle, since);
	snprintf(reason, sizeof reason, "recycled: no sales touch for %s",
	    opt.idle);
	lead_db_begin(db);
	st = lead_team_idle(db, since);
	while (lead_db_step(st) == LEAD_ROW) {
		int64_t id = lead_column_int64(st, 0);
		const char *email = lead_column_text(st, 1);
		char label[32];

		snprintf(label, sizeof label, "id:%lld", (long long)id);
		lead_stage_set(db, id, lead_column_text(st, 2),
		    "nurture", "lead-handoff", reason, 0, 0, now);
		lead_assignment_end(db, lead_column_int64(st, 4), now,
		    "recycled");
		lead_team_unown(db, id, now);
		lead_note("%s: %s (was %s's)", email ? email : label,
		    reason, lead_column_text(st, 3));
		n++;
	}
	lead_finalize(st);
	lead_db_end(db, opt.dry_run);
	lead_note("%ld recycled to nurture%s", n, opt.dry_run ?
	    " (dry run: nothing changed)" : "");
	return LEAD_EX_OK;
}

/* ---- main ------------------------------------------------------------------------ */

static void
parse_options(int argc, char **argv)
{
	lead_options_parse(&usage, &opt.c, argc, argv, NULL, NULL);
	lead_common_done(&opt.c);
	/* What is stored and shown again must be text a terminal, a
	 * spreadsheet and an SVG can show. */
	lead_opt_text("--reason", opt.reason, 1);
	lead_opt_text("--by", opt.by, 0);
	lead_opt_text("--to", opt.to, 0);
}

int
main(int argc, char **argv)
{
	struct lead_conn *db;
	const char *cmd;
	int rc;

	lead_setprog(argv[0]);
	signal(SIGPIPE, SIG_IGN);
	parse_options(argc, argv);
	argc -= optind;
	argv += optind;
	if (argc == 0)
		lead_usage(&usage, LEAD_EX_USAGE);
	cmd = *argv++;
	argc--;
	if (strcmp(cmd, "reject") == 0 && (opt.reason == NULL ||
	    lead_blank(lead_trim((char *)opt.reason))))
		lead_die(LEAD_EX_USAGE, "reject: give --reason (what marketing "
		    "should learn from it)");
	if (strcmp(cmd, "reassign") == 0 && opt.to == NULL)
		lead_die(LEAD_EX_USAGE, "reassign: give --to REP");
	if ((strcmp(cmd, "overdue") == 0 || strcmp(cmd, "escalate") == 0 ||
	    strcmp(cmd, "recycle") == 0) && argc > 0)
		lead_die(LEAD_EX_USAGE, "%s: unexpected argument '%s'", cmd,
		    argv[0]);
	{
		static const char *const cmds[] = { "reps", "assign", "accept",
		    "reject", "reassign", "overdue", "escalate", "recycle",
		    NULL };
		int k;

		for (k = 0; cmds[k] && strcmp(cmd, cmds[k]) != 0; k++)
			continue;
		if (cmds[k] == NULL)
			lead_die(LEAD_EX_USAGE, "unknown subcommand '%s'; see "
			    "--help", cmd);
	}
	if (strcmp(cmd, "reps") == 0 && argc > 1)
		lead_die(LEAD_EX_USAGE, "reps: one file");
	if (strcmp(cmd, "recycle") == 0) {
		int64_t idle;

		if (opt.idle == NULL)
			lead_die(LEAD_EX_USAGE, "recycle: give --idle DURATION "
			    "(30d)");
		if (lead_duration_parse(opt.idle, &idle) < 0 || idle <= 0)
			lead_die(LEAD_EX_USAGE, "--idle: '%s' is not a duration",
			    opt.idle);
	}
	if (strcmp(cmd, "assign") == 0 && opt.to && argc == 0)
		lead_die(LEAD_EX_USAGE, "--to assigns the leads listed (a file, "
		    "or - for stdin); give them");
	if ((strcmp(cmd, "accept") == 0 || strcmp(cmd, "reject") == 0 ||
	    strcmp(cmd, "reassign") == 0) && argc == 0)
		lead_die(LEAD_EX_USAGE, "%s: name the leads (emails, ids or keys; - for "
		    "stdin)", cmd);
	sla_parse(opt.sla);
	tnow = lead_now();
	lead_time_format(tnow, now);
	db = lead_db_open(lead_db_path(opt.c.db), 0, opt.c.wait);
	/* What a writer prints describes its changes: it reaches standard
	 * output once they are committed.  A sheet is what the reps work
	 * from: with standard output closed, nothing is handed off. */
	if (strcmp(cmd, "overdue") != 0 && (strcmp(cmd, "reps") != 0 || argc))
		lead_stdout_hold(strcmp(cmd, "assign") == 0 ||
		    strcmp(cmd, "reassign") == 0 ||
		    strcmp(cmd, "escalate") == 0);
	if (strcmp(cmd, "reps") == 0) {
		rc = argc ? run_reps_load(db, argv[0]) : run_reps_list(db);
	} else if (strcmp(cmd, "assign") == 0)
		rc = run_assign(db, argc, argv);
	else if (strcmp(cmd, "accept") == 0)
		rc = run_each(db, argc, argv, accept_one, "accepted");
	else if (strcmp(cmd, "reject") == 0)
		rc = run_each(db, argc, argv, reject_one, "rejected");
	else if (strcmp(cmd, "reassign") == 0)
		rc = run_each(db, argc, argv, reassign_one, "reassigned");
	else if (strcmp(cmd, "overdue") == 0)
		rc = run_overdue(db);
	else if (strcmp(cmd, "escalate") == 0)
		rc = run_escalate(db);
	else
		rc = run_recycle(db);
	lead_db_close(db);
	slas_free();
	return rc;
}
