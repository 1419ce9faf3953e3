/*
 * lead-score: the agreed definition of a sales-ready lead, applied.
 *
 * The rules (lead-rules.5) are a text file that sales and marketing agree
 * on.  "-r FILE" checks it, stores it as a new version when it differs
 * from the stored ones, and scores; runs without -r (cron) use the stored
 * version.  A run applies them to every lead (common/score.c), keeps
 * each lead's score,
 * fit and grade when they change (lead_score holds them per run),
 * promotes the leads that meet an mql line, and prints the ones that
 * changed.  Scores are kept in hundredths, so --explain sums exactly.
 */
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store-rules.h"

static const char *const synopsis[] = {
	"[-anqv] [-d db] [-r rules] [--changed] [--demote] [--scores] "
	    "[output options] [file ...]",
	"--explain [-d db] [-r rules] [output options] lead ...",
	"--diff rules [-d db] [output options] [file ...]",
	"--check -r rules [-d db]",
	"--rules[=version] [-d db]",
	"--history [-d db] [output options]",
	NULL
};

enum {
	OPT_CHANGED = LEAD_OPT_FIRST_FREE, OPT_DEMOTE, OPT_EXPLAIN, OPT_DIFF,
	OPT_CHECK, OPT_RULES, OPT_HISTORY, OPT_SCORES
};

static struct {
	struct lead_common c;
	const char *file;	/* -r */
	const char *diff;
	const char *rules_version;
	int all, dry_run, changed, demote, explain, check, rules, history;
	int scores;
} opt;

static struct lead_err failed;	/* what a library call failed on */

static const struct lead_option options[] = {
	LEAD_HEADING("Scoring (every lead; or the leads listed in files, - for stdin):"),
	{ "rule-file", 'r', 'r', "FILE",
	    .help = "check FILE, store it as the current rules if\n"
	    "it is new, and score with it",
	    .str = &opt.file },
	{ "changed", 0, OPT_CHANGED, NULL,
	    .help = "only the leads with new activity or changed\n"
	    "fields since the last run",
	    .flag = &opt.changed },
	{ "demote", 0, OPT_DEMOTE, NULL,
	    .help = "move unowned mql leads that no longer meet\n"
	    "the mql rules back to nurture",
	    .flag = &opt.demote },
	{ "all", 'a', 'a', NULL,
	    .help = "print every lead scored, not only the changed",
	    .flag = &opt.all },
	{ "scores", 0, OPT_SCORES, NULL,
	    .help = "print every lead whose score changed, not\n"
	    "only those whose standing did (stage, grade,\n"
	    "score band of 10)",
	    .flag = &opt.scores },
	{ "dry-run", 'n', 'n', NULL,
	    .help = "do everything, change nothing",
	    .flag = &opt.dry_run },
	LEAD_HEADING("Looking:"),
	{ "explain", 0, OPT_EXPLAIN, "LEAD...",
	    .help = "each rule's points for these leads (email,\n"
	    "id or source key)",
	    .flag = &opt.explain },
	{ "diff", 0, OPT_DIFF, "FILE",
	    .help = "the leads whose mql status or grade FILE\n"
	    "would change, changing nothing",
	    .str = &opt.diff },
	{ "check", 0, OPT_CHECK, NULL,
	    .help = "only check the rule file given with -r",
	    .flag = &opt.check },
	{ "rules", 0, OPT_RULES, "[=VERSION]",
	    .help = "print the current (or that) rule file" },
	{ "history", 0, OPT_HISTORY, NULL,
	    .help = "the versions of the rules, and their runs",
	    .flag = &opt.history },
	{ 0 }
};

static const struct lead_usage usage = { synopsis, options,
    LEAD_TAKES_OUTPUT | LEAD_TAKES_INPUT | LEAD_TAKES_PROGRESS };

/* ---- rule versions ------------------------------------------------------------ */

/* The stored rules, or exit 2. */
static int64_t
rules_load(struct lead_conn *db, struct lead_rules *r)
{
	int64_t v = lead_rules_load(db, r, &failed);

	if (v < 0)
		lead_err_exit(&failed);
	return v;
}

/* The leads a list names, picked; exit if it cannot be read. */
static long
pick_file(struct lead_conn *db, const char *path)
{
	long bad = lead_pick_file(db, path, &opt.c.in, &failed);

	if (bad < 0)
		lead_err_exit(&failed);
	return bad;
}

/* Read and check a rule file; exits 2 on any error. */
static char *
rules_from_file(struct lead_conn *db, const char *path, struct lead_rules *r)
{
	char *text = lead_read_text(path, "rule file", &failed);
	const char *name = strcmp(path, "-") == 0 ? "stdin" : path;

	if (text == NULL) {
		lead_db_rollback(db);
		lead_err_exit(&failed);
	}
	if (lead_rules_parse(r, text, name, lead_rules_known, db) < 0) {
		lead_db_rollback(db);
		lead_die(LEAD_EX_USAGE, "%s: invalid rules; nothing changed",
		    name);
	}
	return text;
}

/* Store text as a version (if new) and make it current; its id. */
static int64_t
adopt(struct lead_conn *db, const char *text, const char *path, const char *now)
{
	struct lead_sha256 c;
	char hex[65], idbuf[32];
	int64_t id, cur = lead_rules_version(db);

	lead_sha256_init(&c);
	lead_sha256_update(&c, text, strlen(text));
	lead_sha256_hex(&c, hex);
	if ((id = lead_ruleset_find(db, hex)) == 0) {
		id = lead_ruleset_add(db, hex, text, strcmp(path, "-") == 0 ?
		    "stdin" : path, now);
		lead_note("rules: version %lld %s from %s", (long long)id,
		    opt.dry_run ? "would be stored" : "stored", path);
	} else if (id != cur)
		lead_note("rules: back to version %lld (the same text as %s)",
		    (long long)id, path);
	if (id != cur) {
		snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
		lead_setting_set(db, "rules", idbuf, now);
	}
	return id;
}

static int
run_print_rules(struct lead_conn *db)
{
	int64_t id = opt.rules_version ? lead_opt_long("--rules",
	    opt.rules_version, 1, LONG_MAX) : lead_rules_version(db);
	char *text = id ? lead_rules_text(db, id) : NULL;

	if (text == NULL)
		lead_die(LEAD_EX_USAGE, opt.rules_version ? "no rules version "
		    "%s" : "no rules stored yet%s", opt.rules_version ?
		    opt.rules_version : "");
	/* As stored, byte for byte: "--rules=N > f; lead-score -r f"
	 * goes back to version N. */
	fputs(text, stdout);
	free(text);
	return LEAD_EX_OK;
}

static int
run_history(struct lead_conn *db)
{
	static const char *const cols[] = { "version", "stored_at", "file",
	    "sha256", "runs", "first_run", "last_run", "current" };
	static const int num[] = { 0, 4, -1 };
	struct lead_stmt *st = lead_ruleset_history(db,
	    lead_rules_version(db));
	struct lead_out *w = lead_out_num(stdout, &opt.c.out, cols, 8, num);
	const char *vals[8];

	while (lead_db_step(st) == LEAD_ROW) {
		for (int i = 0; i < 8; i++)
			vals[i] = lead_column_text(st, i);
		lead_out_row(w, vals);
	}
	lead_finalize(st);
	if (lead_out_close(w) < 0)
		lead_die(LEAD_EX_RUNTIME, "write error on standard output");
	return LEAD_EX_OK;
}

/* ---- choosing leads ------------------------------------------------------------ */

/*
 * The leads a --changed run rescores, found by ranges of ids above the
 * marks the last full or --changed run left: new touches, new leads, the
 * leads an import batch named (updated, suppressed), stage changes other
 * than lead-score's own, and assignments.  0, or -1 if that cannot be
 * lead_rules_known (no such run, other rules, something undone since): then every
 * lead is scored.
 */
static int
pick_changed(struct lead_conn *db, int64_t version)
{
	struct lead_scoremarks m;
	const char *why = NULL;

	if (!lead_scorerun_last(db, &m))
		why = "no full run yet";
	else if (m.version != version)
		why = "the rules changed since the last run";
	else if (!m.marked)
		why = "the last run is from an older leadkit";
	else if (lead_score_undone_since(db, m.at, m.mark[0]))
		why = "activity was undone since the last run";
	if (why) {
		lead_note("--changed: %s; scoring every lead", why);
		return -1;
	}
	lead_pick_create(db);
	lead_pick_since(db, m.mark);
	return 0;
}

/* ---- scoring run ----------------------------------------------------------------- */

static const char *const run_cols[] = { "id", "email", "score", "fit",
	"grade", "stage", "prev_score", "prev_fit", "prev_grade",
	"prev_stage" };

static void
out_close(struct lead_out *w)
{
	if (lead_out_close(w) < 0)
		lead_die(LEAD_EX_RUNTIME, "write error on standard output");
}

/* The score band a standing is read in: lead-report scoring's default
 * bands of 10 points. */
#define BAND 1000	/* hundredths */

static int64_t
band_of(int64_t cents)
{
	return cents >= 0 ? cents / BAND : -((-cents + BAND - 1) / BAND);
}

/* Did the lead's standing change: scored for the first time, its stage,
 * its grade, or its band of the score? */
static int
standing_changed(const struct lead_scan *s, int64_t score, const char *grade,
    const char *stage)
{
	if (!s->scored || strcmp(stage, s->stage) != 0)
		return 1;
	if ((grade == NULL) != (s->grade == NULL) ||
	    (grade && strcmp(grade, s->grade) != 0))
		return 1;
	return band_of(score) != band_of(s->old_score);
}

/*
 * The stage moves of a run, made in the order the leads were scored but
 * together, after the scores they follow: a move is statements, and a
 * statement writes what the server holds back first (driver.h's bulks),
 * so moves made one by one amid the scores would cost a write of the
 * held scores each.  The scan reads its own snapshot, and a lead is
 * scored once, so nothing the run reads waits on them.
 */
struct move {
	int64_t id;
	char from[16];
	const char *to;
	char reason[256];
};

struct moves {
	struct move *m;
	size_t n, cap;
	const char *at;
};

/* A lead's id as a key of a lead_strmap. */
static const char *
id_key(int64_t id, char buf[32])
{
	snprintf(buf, 32, "%lld", (long long)id);
	return buf;
}

/* Moves held at most before they are made. */
#define MOVES_HELD 4096

static void
moves_make(struct lead_conn *db, struct moves *mv)
{
	for (size_t i = 0; i < mv->n; i++)
		lead_stage_set(db, mv->m[i].id, mv->m[i].from, mv->m[i].to,
		    "lead-score", mv->m[i].reason, 0, 0, mv->at);
	mv->n = 0;
}

static void
moves_add(struct lead_conn *db, struct moves *mv, int64_t id,
    const char *from, const char *to, const char *reason)
{
	struct move *m;

	if (mv->n == MOVES_HELD)
		moves_make(db, mv);
	if (mv->n == mv->cap) {
		mv->cap = mv->cap ? 2 * mv->cap : 64;
		mv->m = lead_xrealloc(mv->m, mv->cap * sizeof *mv->m);
	}
	m = &mv->m[mv->n++];
	m->id = id;
	snprintf(m->from, sizeof m->from, "%s", from);
	m->to = to;
	snprintf(m->reason, sizeof m->reason, "%s", reason);
}

static int
run_score(struct lead_conn *db, int argc, char **argv)
{
	static const int num[] = { 0, 2, 3, 6, 7, -1 };
	struct lead_rules r;
	struct lead_scan s;
	struct lead_out *w;
	struct lead_scorewrite sw;
	char now[LEAD_TIME_LEN], *text = NULL, reason[256], why[768];
	char b[4][32];
	const char *scope = "all", *vals[10];
	int64_t version, run;
	long nscored = 0, nchanged = 0, npromoted = 0, ndemoted = 0, bad = 0;
	long nheld = 0;
	int pick = 0;
	lead_time tnow;
	struct moves mv = { 0 };
	struct lead_strmap back = { 0 };

	/* A full run streams through the file; a run over a few leads
	 * reads a page here and there, each once: a small cache is enough,
	 * and does not make the kernel hand out and clear 64 MiB of pages. */
	lead_db_tune(db, LEAD_TUNE_CACHE_KIB, argc > 0 || opt.changed ? 8192 :
	    65536);
	/* The rule file and the lead lists are read before the write lock
	 * is taken: "lead-import -p | lead-score -" must not wait on
	 * itself. */
	if (opt.file)
		text = rules_from_file(db, opt.file, &r);
	if (argc > 0) {
		lead_pick_create(db);
		for (int i = 0; i < argc; i++)
			bad += pick_file(db, argv[i]);
		pick = 1;
		scope = "list";
	}
	lead_db_begin(db);
	/* One time for the whole run, taken once the run holds the data:
	 * what scored_at says is what --explain replays. */
	tnow = lead_now();
	lead_time_format(tnow, now);
	if (opt.file) {
		version = adopt(db, text, opt.file, now);
		free(text);
	} else
		version = rules_load(db, &r);
	if (argc == 0 && opt.changed && pick_changed(db, version) == 0) {
		pick = 1;
		scope = "changed";
	}
	/* A run over every lead asks which came back from sales once,
	 * not each lead that meets a line. */
	if (!pick)
		lead_returned_leads(db, &back);
	mv.at = now;
	run = lead_scorerun_begin(db, version, now, scope);
	lead_scorewrite_open(&sw, db, run, now);
	w = lead_out_num(stdout, &opt.c.out, run_cols, 10, num);
	lead_scan_open(&s, db, pick, tnow, &r, NULL, &opt.c);
	while (lead_scan_next(&s)) {
		struct lead_eval *e = &s.e[0];
		const char *grade = lead_eval_grade(e), *stage = s.stage;
		int changed = !s.scored || s.old_score != e->score ||
		    s.old_fit != e->fit || (grade == NULL) != (s.grade == NULL) ||
		    (grade && strcmp(grade, s.grade) != 0);

		nscored++;
		if (changed)
			lead_scorewrite(&sw, s.id, e->score, e->fit, grade);
		if (e->mql >= 0 && (strcmp(s.stage, "new") == 0 ||
		    strcmp(s.stage, "nurture") == 0) &&
		    (pick || lead_strmap_get(&back, id_key(s.id, b[0]))) &&
		    !lead_requalify(db, s.id, tnow, r.reentry, why,
		    sizeof why)) {
			/* Sent back by sales: sales-ready again only on new
			 * evidence, not on the score it had. */
			if (nheld++ < 20 || lead_verbosity > 0) {
				snprintf(b[0], sizeof b[0], "id:%lld",
				    (long long)s.id);
				lead_note("%s: meets mql line %d, but %s; stays "
				    "%s", s.email ? s.email : b[0],
				    r.mql[e->mql].line, why, s.stage);
			}
		} else if (e->mql >= 0 && (strcmp(s.stage, "new") == 0 ||
		    strcmp(s.stage, "nurture") == 0)) {
			snprintf(reason, sizeof reason, "rules v%lld line %d: "
			    "score %s, fit %s, grade %s", (long long)version,
			    r.mql[e->mql].line, lead_cents_format(e->score,
			    b[0]), lead_cents_format(e->fit, b[1]),
			    grade ? grade : "none");
			moves_add(db, &mv, s.id, s.stage, "mql", reason);
			stage = "mql";
			npromoted++;
		} else if (opt.demote && e->mql < 0 && s.owner == 0 &&
		    strcmp(s.stage, "mql") == 0) {
			snprintf(reason, sizeof reason, "rules v%lld: no "
			    "longer meets an mql line (score %s, grade %s)",
			    (long long)version, lead_cents_format(e->score,
			    b[0]), grade ? grade : "none");
			moves_add(db, &mv, s.id, s.stage, "nurture", reason);
			stage = "nurture";
			ndemoted++;
		}
		if (changed || stage != s.stage)
			nchanged++;
		/* What the nightly run prints: the leads whose standing
		 * changed, not every score that faded a little. */
		if (!opt.all && !(opt.scores && changed) && !standing_changed(&s,
		    e->score, grade, stage))
			continue;
		snprintf(b[0], sizeof b[0], "%lld", (long long)s.id);
		vals[0] = b[0];
		vals[1] = s.email;
		vals[2] = lead_cents_format(e->score, b[1]);
		vals[3] = lead_cents_format(e->fit, b[2]);
		vals[4] = grade;
		vals[5] = stage;
		vals[6] = s.scored ? lead_cents_format(s.old_score, b[3]) :
		    NULL;
		vals[7] = s.scored ? lead_cents_format(s.old_fit,
		    e->sbuf[3]) : NULL;
		vals[8] = s.grade;
		vals[9] = s.stage;
		lead_out_row(w, vals);
		if (nscored % 4096 == 0)
			lead_progress(&opt.c, "scored", nscored, 0);
	}
	lead_progress(&opt.c, "scored", -1, 0);
	if (s.nbad)
		lead_warn("%ld events with an unreadable time were left out",
		    s.nbad);
	if (nheld > 20 && lead_verbosity <= 0)
		lead_note("%ld more leads sent back by sales meet an mql line "
		    "without new evidence (-v lists them)", nheld - 20);
	lead_scan_close(&s);
	moves_make(db, &mv);
	free(mv.m);
	lead_strmap_free(&back);
	lead_scorewrite_close(&sw);
	lead_scorerun_end(db, run, nscored, nchanged, npromoted);
	lead_db_end(db, opt.dry_run);
	/* The run stands even if the reader of its output went away
	 * ("lead-score | head"); that is exit 3, at exit, saying so. */
	(void)lead_out_close(w);
	if (nheld)
		snprintf(reason, sizeof reason, ", %ld sent back by sales held "
		    "(no new evidence)", nheld);
	else
		reason[0] = '\0';
	lead_note("%ld scored, %ld changed, %ld promoted to mql%s%s%s (rules "
	    "version %lld)%s", nscored, nchanged, npromoted, reason, opt.demote ?
	    ", demoted " : "", opt.demote ? lead_cents_format(ndemoted * 100,
	    b[0]) : "", (long long)version, opt.dry_run ?
	    " (dry run: nothing changed)" : "");
	lead_rules_free(&r);
	return bad ? LEAD_EX_REJECT : LEAD_EX_OK;
}

/* ---- explain ---------------------------------------------------------------------- */

static int
run_explain(struct lead_conn *db, int argc, char **argv)
{
	static const char *const cols[] = { "email", "line", "rule",
	    "events", "points" };
	static const int num[] = { 1, 3, 4, -1 };
	struct lead_rules r;
	struct lead_out *w;
	struct lead_buf notes = { 0 };
	int64_t version = 0;
	int bad = 0;

	if (argc == 0)
		lead_die(LEAD_EX_USAGE, "--explain: name the leads (an email, "
		    "an id or a source key)");
	lead_db_begin_read(db);
	if (opt.file)
		free(rules_from_file(db, opt.file, &r));
	else
		version = rules_load(db, &r);
	w = lead_out_num(stdout, &opt.c.out, cols, 5, num);
	for (int a = 0; a < argc; a++) {
		char email[512], when[LEAD_TIME_LEN + 8] = "", b[3][32];
		const char *vals[5];
		struct lead_stored_score ss;
		struct lead_scan s;
		lead_time now = lead_now();
		int64_t id, stored;
		int has;

		struct lead_ref ref;
		char whyb[512];

		if (!lead_ref_find(db, argv[a], &ref, whyb, sizeof whyb)) {
			lead_warn("%s", whyb);
			bad = 1;
			continue;
		}
		snprintf(email, sizeof email, "%s", ref.label);
		/* The time the stored score was made at, if these rules
		 * made it: then the rows sum to it exactly. */
		lead_score_stored(db, ref.id, &ss);
		id = ss.id;
		stored = ss.score;
		snprintf(when, sizeof when, "%s", ss.at);
		has = ss.has && version != 0 && ss.version == version;
		if (id == 0) {
			lead_warn("no lead '%s'", email);
			bad = 1;
			continue;
		}
		if (has && !lead_now_fixed() && *when)
			lead_time_parse(when, &now);
		lead_pick_create(db);
		lead_pick_add(db, id);
		lead_scan_open(&s, db, 1, now, &r, NULL, &opt.c);
		if (lead_scan_next(&s)) {
			struct lead_eval *e = &s.e[0];

			for (size_t i = 0; i < r.nrule; i++) {
				if (r.rule[i].type == LEAD_RULE_FIT ?
				    e->cents[i] == 0 : e->count[i] == 0)
					continue;
				vals[0] = email;
				snprintf(b[0], sizeof b[0], "%d",
				    r.rule[i].line);
				vals[1] = b[0];
				vals[2] = r.rule[i].text;
				vals[3] = r.rule[i].type == LEAD_RULE_FIT ?
				    NULL : lead_cents_format(e->count[i] * 100,
				    b[1]);
				vals[4] = lead_cents_format(e->cents[i], b[2]);
				lead_out_row(w, vals);
			}
			/* Said after the rows (a table is written at the
			 * end). */
			lead_buf_addf(&notes, "%s: score %s (fit %s, behavior "
			    "%s), grade %s, %s\n", email,
			    lead_cents_format(e->score, b[0]),
			    lead_cents_format(e->fit, b[1]),
			    lead_cents_format(e->behavior, b[2]),
			    lead_eval_grade(e) ? lead_eval_grade(e) : "none",
			    e->mql >= 0 ? "meets mql" : "not mql");
			if (has && !lead_now_fixed() && e->score != stored)
				lead_buf_addf(&notes, "%s: the stored score "
				    "(%s, %s) is older than the lead's data; "
				    "lead-score brings it up to date\n", email,
				    lead_cents_format(stored, b[0]), when);
		}
		lead_scan_close(&s);
	}
	out_close(w);
	for (char *l = notes.s, *e; l && *l; l = e + 1) {
		e = strchr(l, '\n');
		*e = '\0';
		lead_note("%s", l);
	}
	lead_buf_free(&notes);
	lead_db_rollback(db);
	lead_rules_free(&r);
	return bad ? LEAD_EX_REJECT : LEAD_EX_OK;
}

/* ---- diff --------------------------------------------------------------------------- */

static int
run_diff(struct lead_conn *db, int argc, char **argv)
{
	static const char *const cols[] = { "id", "email", "stage", "score",
	    "new_score", "grade", "new_grade", "mql", "new_mql" };
	static const int num[] = { 0, 3, 4, -1 };
	struct lead_rules cur, nw;
	struct lead_scan s;
	struct lead_out *w;
	long nscored = 0, become = 0, stop = 0, shifted = 0, bad = 0;
	char *text;

	/* The lists first, as a scoring run reads them. */
	if (argc > 0) {
		lead_pick_create(db);
		for (int i = 0; i < argc; i++)
			bad += pick_file(db, argv[i]);
	}
	lead_db_begin_read(db);
	text = rules_from_file(db, opt.diff, &nw);
	free(text);
	rules_load(db, &cur);
	w = lead_out_num(stdout, &opt.c.out, cols, 9, num);
	lead_scan_open(&s, db, argc > 0, lead_now(), &cur, &nw, &opt.c);
	while (lead_scan_next(&s)) {
		struct lead_eval *a = &s.e[0], *z = &s.e[1];
		const char *ga = lead_eval_grade(a), *gz = lead_eval_grade(z);
		int gchange = (ga == NULL) != (gz == NULL) ||
		    (ga && strcmp(ga, gz) != 0);
		const char *vals[9];
		char b[3][32];

		nscored++;
		if ((a->mql >= 0) == (z->mql >= 0) && !gchange)
			continue;
		become += a->mql < 0 && z->mql >= 0;
		stop += a->mql >= 0 && z->mql < 0;
		shifted += gchange;
		snprintf(b[0], sizeof b[0], "%lld", (long long)s.id);
		vals[0] = b[0];
		vals[1] = s.email;
		vals[2] = s.stage;
		vals[3] = lead_cents_format(a->score, b[1]);
		vals[4] = lead_cents_format(z->score, b[2]);
		vals[5] = ga;
		vals[6] = gz;
		vals[7] = a->mql >= 0 ? "yes" : "no";
		vals[8] = z->mql >= 0 ? "yes" : "no";
		lead_out_row(w, vals);
	}
	lead_scan_close(&s);
	out_close(w);
	lead_db_rollback(db);
	lead_note("%s against the current rules: %ld leads, %ld would become "
	    "mql, %ld would stop being mql, %ld would change grade",
	    opt.diff, nscored, become, stop, shifted);
	lead_rules_free(&cur);
	lead_rules_free(&nw);
	return bad ? LEAD_EX_REJECT : LEAD_EX_OK;
}

/* ---- main ------------------------------------------------------------------------------ */

/* One of the command's own options (lead_options_parse). */
static void
option(int c, char *arg, void *ctx)
{
	(void)ctx;
	switch (c) {
	case OPT_RULES: opt.rules = 1; opt.rules_version = arg; break;
	default: lead_usage(&usage, LEAD_EX_USAGE);
	}
}

static void
parse_options(int argc, char **argv)
{
	lead_options_parse(&usage, &opt.c, argc, argv, option, NULL);
	lead_common_done(&opt.c);
	if (opt.explain + !!opt.diff + opt.check + opt.rules + opt.history > 1)
		lead_die(LEAD_EX_USAGE, "--explain, --diff, --check, --rules "
		    "and --history go one at a time");
	if (opt.check && opt.file == NULL)
		lead_die(LEAD_EX_USAGE, "--check: give the rule file with -r");
	if (opt.diff && opt.file)
		lead_die(LEAD_EX_USAGE, "--diff compares FILE with the current "
		    "rules; -r does not go with it");
	if ((opt.changed || opt.demote || opt.all || opt.dry_run ||
	    opt.scores) &&
	    (opt.explain || opt.diff || opt.check || opt.rules ||
	    opt.history))
		lead_die(LEAD_EX_USAGE, "--changed, --demote, --scores, -a and "
		    "-n go with a scoring run only");
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
	if ((opt.rules || opt.history || opt.check) && argc > 0)
		lead_die(LEAD_EX_USAGE, "unexpected argument '%s'", argv[0]);
	if (opt.changed && argc > 0)
		lead_die(LEAD_EX_USAGE, "--changed picks the leads itself; it "
		    "takes no lead list");
	db = lead_db_open(lead_db_path(opt.c.db), 0, opt.c.wait);
	if (opt.rules)
		rc = run_print_rules(db);
	else if (opt.history)
		rc = run_history(db);
	else if (opt.check) {
		struct lead_rules r;

		free(rules_from_file(db, opt.file, &r));
		lead_note("%s: %zu rules, %zu grades, %zu mql lines: valid",
		    opt.file, r.nrule, r.ngrade, r.nmql);
		lead_rules_free(&r);
		rc = LEAD_EX_OK;
	} else if (opt.explain)
		rc = run_explain(db, argc, argv);
	else if (opt.diff)
		rc = run_diff(db, argc, argv);
	else {
		/* The standing changes reach the pipe once they are stored. */
		lead_stdout_hold(0);
		rc = run_score(db, argc, argv);
	}
	lead_db_close(db);
	return rc;
}
