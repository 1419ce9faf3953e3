/*
 * lead-report: the shared measurements sales and marketing both trust.
 *
 * Named reports over the lead database, each a table on stdout: the
 * funnel by cohort, campaign cost and return, the reps' follow-up against
 * their SLA, how well the scoring rules pick, aging, velocity, rejection
 * reasons, content influence, contact fatigue, and a filtered lead list.
 * Every report reads one snapshot of the database (one read transaction)
 * and changes nothing.  The denominators of every percentage are in
 * lead-report(1).
 *
 * This file parses the options and opens the snapshot; each report is a
 * file of report/, a function of the report_ctx (report.h) made here.
 * The reports that count leads read the lead table once, in one pass,
 * with each lead's stages (stage_history, read once into an array by lead
 * id) beside it; medians are taken in C over the kept samples.  --chart
 * and --svg draw any report's rows as bars (report/emit.c).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report/report.h"

static const char *const synopsis[] = {
	"funnel|campaigns|sla|velocity|rejections [-d db] [--since time] "
	    "[--until time] [--by key] [lead filters] [chart options] "
	    "[output options] [file ...]",
	"aging [-d db] [--stuck duration] [--since time] [--until time] "
	    "[--by key] [lead filters] [chart options] [output options] "
	    "[file ...]",
	"scoring [-d db] [--band width] [--since time] [--until time] "
	    "[lead filters] [chart options] [output options] [file ...]",
	"content [-d db] [--goal stage] [--since time] [--until time] "
	    "[lead filters] [chart options] [output options] [file ...]",
	"fatigue [-d db] [--cap spec] [lead filters] [chart options] "
	    "[output options] [file ...]",
	"leads [-d db] [--columns list] [--since time] [--until time] "
	    "[lead filters] [chart options] [output options] [file ...]",
	NULL
};

enum {
	OPT_SINCE = LEAD_OPT_FIRST_FREE, OPT_UNTIL, OPT_BY, OPT_STAGE,
	OPT_OWNER, OPT_SOURCE, OPT_CAMPAIGN, OPT_WHERE, OPT_BAND, OPT_STUCK,
	OPT_GOAL, OPT_CAP, OPT_COLUMNS, OPT_CHART, OPT_BAR, OPT_ASCII, OPT_SVG,
	OPT_WIDTH
};

static struct report_opts opt;

static const struct lead_option options[] = {
	LEAD_HEADING("Reports:"),
	LEAD_HEADING("  funnel      leads reaching each stage, and stage-to-stage conversion"),
	LEAD_HEADING("  campaigns   leads, conversions, cost and return per source/campaign"),
	LEAD_HEADING("  sla         per rep: assigned, accepted, time to first touch, SLA"),
	LEAD_HEADING("  scoring     conversion by score band, by grade, and of the MQLs"),
	LEAD_HEADING("  aging       leads in each open stage, and those stuck in it"),
	LEAD_HEADING("  velocity    median days from stage to stage"),
	LEAD_HEADING("  rejections  why sales rejected leads, by source and campaign"),
	LEAD_HEADING("  content     the assets seen by leads that progressed, and not"),
	LEAD_HEADING("  fatigue     leads at or over a contact cap now"),
	LEAD_HEADING("  leads       a filtered lead list"),
	LEAD_HEADING("Period and grouping:"),
	{ "since", 0, OPT_SINCE, "TIME",
	    .help = "the period's start (a date, a time, or a\n"
	    "duration back from now: 90d)",
	    .str = &opt.since },
	{ "until", 0, OPT_UNTIL, "TIME",
	    .help = "the period's end; --until DATE includes\n"
	    "that day",
	    .str = &opt.until },
	{ "by", 0, OPT_BY, "KEY",
	    .help = "source, campaign, owner, month or week" },
	LEAD_HEADING("Lead filters (any report; files name leads, - for stdin):"),
	{ "stage", 0, OPT_STAGE, "LIST",
	    .help = "the leads now at these stages (mql,sal)",
	    .str = &opt.stage },
	{ "owner", 0, OPT_OWNER, "REP",
	    .help = "owned by this rep (name or email)",
	    .str = &opt.owner },
	{ "source", 0, OPT_SOURCE, "NAME",
	    .help = "of this first-touch source",
	    .str = &opt.source },
	{ "campaign", 0, OPT_CAMPAIGN, "NAME",
	    .help = "of this first-touch campaign",
	    .str = &opt.campaign },
	{ "where", 0, OPT_WHERE, "COND",
	    .help = "a condition as in lead-rules(5): score > 50",
	    .str = &opt.where },
	LEAD_HEADING("Report options:"),
	{ "band", 0, OPT_BAND, "N",
	    .help = "scoring: score band width (default 10)" },
	{ "stuck", 0, OPT_STUCK, "DURATION",
	    .help = "aging: stuck after this long (default 30d)" },
	{ "goal", 0, OPT_GOAL, "STAGE",
	    .help = "content: progressed means reached STAGE\n"
	    "(default opportunity)" },
	{ "cap", 0, OPT_CAP, "SPEC",
	    .help = "fatigue: these caps, not the stored ones",
	    .str = &opt.cap },
	{ "columns", 0, OPT_COLUMNS, "LIST",
	    .help = "leads: the columns to print",
	    .str = &opt.columns },
	LEAD_HEADING("Chart options:"),
	{ "chart", 0, OPT_CHART, "[=COLUMN]",
	    .help = "draw the rows as bars instead of the table" },
	{ "bar", 0, OPT_BAR, "COLUMN",
	    .help = "the number column the bars show",
	    .str = &opt.chartcol },
	{ "ascii", 0, OPT_ASCII, NULL,
	    .help = "bars of '#', not Unicode blocks",
	    .flag = &opt.ascii },
	{ "svg", 0, OPT_SVG, "FILE",
	    .help = "also write the chart as an SVG picture",
	    .str = &opt.svg },
	{ "width", 0, OPT_WIDTH, "N",
	    .help = "chart width (default $COLUMNS, else 80)" },
	{ 0 }
};

static const struct lead_usage usage = { synopsis, options,
    LEAD_TAKES_OUTPUT | LEAD_TAKES_INPUT };

/* ---- options ------------------------------------------------------------------ */

#define B(x) (1u << (x))
#define LEADKEYS (B(BY_SOURCE) | B(BY_CAMPAIGN) | B(BY_OWNER) | \
	B(BY_MONTH) | B(BY_WEEK))

static const struct report {
	const char *name;
	int (*run)(struct report_ctx *);
	unsigned by;		/* the --by keys it takes */
} reports[] = {
	{ "funnel", report_funnel, LEADKEYS },
	{ "campaigns", report_campaigns, B(BY_SOURCE) | B(BY_CAMPAIGN) },
	{ "sla", report_sla, B(BY_OWNER) | B(BY_MONTH) | B(BY_WEEK) },
	{ "scoring", report_scoring, 0 },
	{ "aging", report_aging, LEADKEYS },
	{ "velocity", report_velocity, LEADKEYS },
	{ "rejections", report_rejections, LEADKEYS },
	{ "content", report_content, 0 },
	{ "fatigue", report_fatigue, 0 },
	{ "leads", report_leads, 0 },
};
#define NREPORTS (sizeof reports / sizeof *reports)

/* --since/--until: a time, a date (--until: through its end) or a
 * duration back from now. */
static void
window_arg(const char *name, const char *arg, lead_time now, char *out,
    int until)
{
	lead_time t;
	int64_t d;

	if (lead_duration_parse(arg, &d) == 0)
		t = now - d;
	else if (lead_time_parse(arg, &t) == 0) {
		if (until && strchr(arg, ':') == NULL &&
		    strspn(arg, "0123456789") != strlen(arg))
			t += 86400;
	} else
		lead_die(LEAD_EX_USAGE, "%s: '%s' is not a time, a date or a "
		    "duration (90d)", name, arg);
	lead_time_format(t, out);
}

/* One of the command's own options (lead_options_parse). */
static void
option(int c, char *arg, void *ctx)
{
	(void)ctx;
	switch (c) {
	case OPT_BY:
		for (opt.by = BY_SOURCE; opt.by <= BY_WEEK; opt.by++)
			if (strcasecmp(arg, bynames[opt.by]) == 0)
				break;
		if (opt.by > BY_WEEK)
			lead_die(LEAD_EX_USAGE, "--by: '%s' is not "
			    "source, campaign, owner, month or week",
			    arg);
		break;
	case OPT_BAND:
		opt.band_set = 1;
		opt.band = lead_opt_double("--band", arg, 0);
		if (opt.band < 0.01)
			lead_die(LEAD_EX_USAGE, "--band: a width of at "
			    "least 0.01, not '%s'", arg);
		break;
	case OPT_STUCK:
		opt.stuck_set = 1;
		if (lead_duration_parse(arg, &opt.stuck) < 0) {
			long days = lead_opt_long("--stuck", arg, 0,
			    100000);

			opt.stuck = (int64_t)days * 86400;
		}
		break;
	case OPT_GOAL: opt.goal = arg; opt.goal_set = 1; break;
	/* The output's columns here: a report reads no headerless input. */
	case OPT_CHART:
		opt.chart = 1;
		if (arg)
			opt.chartcol = arg;
		break;
	case OPT_WIDTH:
		opt.width = lead_opt_long("--width", arg, 20, 1000);
		break;
	default: lead_usage(&usage, LEAD_EX_USAGE);
	}
}

static void
parse_options(int argc, char **argv)
{
	opt.band = 10;
	opt.stuck = 30 * 86400;
	opt.goal = "opportunity";
	lead_options_parse(&usage, &opt.c, argc, argv, option, NULL);
	lead_common_done(&opt.c);
}

/* The report named, and its options checked against it. */
static const struct report *
check_options(const char *name)
{
	const struct report *r = NULL;

	for (size_t i = 0; i < NREPORTS; i++)
		if (strcmp(name, reports[i].name) == 0)
			r = &reports[i];
	if (r == NULL)
		lead_die(LEAD_EX_USAGE, "no report '%s' (funnel, campaigns, "
		    "sla, scoring, aging, velocity, rejections, content, "
		    "fatigue, leads)", name);
	if (opt.by && !(r->by & B(opt.by)))
		lead_die(LEAD_EX_USAGE, "%s: --by %s does not apply%s", name,
		    bynames[opt.by], r->by ? "" : " (it takes no --by)");
	if (opt.columns && r->run != report_leads)
		lead_die(LEAD_EX_USAGE, "--columns goes with the leads report");
	if (opt.cap && r->run != report_fatigue)
		lead_die(LEAD_EX_USAGE, "--cap goes with the fatigue report");
	if ((opt.since || opt.until) && r->run == report_fatigue)
		lead_die(LEAD_EX_USAGE, "fatigue is as of now (--now sets "
		    "it); --since and --until do not apply");
	{
		int s = lead_stage_index(opt.goal);

		if (s < S_MQL || s > S_WON || s == S_NURTURE)
			lead_die(LEAD_EX_USAGE, "--goal: '%s' is not one of "
			    "mql, sal, sql, opportunity, won", opt.goal);
	}
	if (opt.stage) {
		char *list = lead_xstrdup(opt.stage), *p, *save = NULL;

		for (p = strtok_r(list, ", ", &save); p;
		    p = strtok_r(NULL, ", ", &save))
			if (lead_stage_index(p) < 0)
				lead_die(LEAD_EX_USAGE, "--stage: '%s' is not a "
				    "stage (new, nurture, mql, sal, sql, "
				    "opportunity, won, lost, disqualified)", p);
		if (lead_stage_index(strtok_r(strcpy(list, opt.stage), ", ",
		    &save)) < 0)
			lead_die(LEAD_EX_USAGE, "--stage: no stage named");
		free(list);
	}
	if (opt.ascii && !opt.chart)
		lead_die(LEAD_EX_USAGE, "--ascii goes with --chart");
	if (opt.chartcol && !opt.chart && !opt.svg)
		lead_die(LEAD_EX_USAGE, "--bar goes with --chart or --svg");
	if (opt.band_set && r->run != report_scoring)
		lead_die(LEAD_EX_USAGE, "--band goes with the scoring report");
	if (opt.stuck_set && r->run != report_aging)
		lead_die(LEAD_EX_USAGE, "--stuck goes with the aging report");
	if (opt.goal_set && r->run != report_content)
		lead_die(LEAD_EX_USAGE, "--goal goes with the content report");
	return r;
}

int
main(int argc, char **argv)
{
	struct report_ctx ctx = { .opt = &opt };
	struct lead_err err;
	long n;
	const struct report *r;
	int rc, nobody = 0;

	lead_setprog(argv[0]);
	parse_options(argc, argv);
	argc -= optind;
	argv += optind;
	if (argc == 0)
		lead_die(LEAD_EX_USAGE, "which report? (funnel, campaigns, sla, "
		    "scoring, aging, velocity, rejections, content, fatigue, "
		    "leads; --help says more)");
	r = check_options(argv[0]);
	argc--;
	argv++;

	ctx.now = lead_now();
	lead_time_format(ctx.now, ctx.nowstr);
	snprintf(opt.to, sizeof opt.to, "9999-12-31T23:59:59Z");
	if (opt.since)
		window_arg("--since", opt.since, ctx.now, opt.from, 0);
	if (opt.until)
		window_arg("--until", opt.until, ctx.now, opt.to, 1);
	if (opt.since && opt.until && strcmp(opt.from, opt.to) >= 0)
		lead_die(LEAD_EX_USAGE, "--since %s is not before --until %s",
		    opt.from, opt.to);

	lead_output_check("--svg", opt.svg, lead_db_path(opt.c.db), argv,
	    (size_t)argc);
	ctx.db = lead_db_open(lead_db_path(opt.c.db), 0, opt.c.wait);
	/* The lead lists first, read whole: a list piped from lead-import -p
	 * names leads that exist only once the import has committed, which
	 * it has when the list ends. */
	if (argc > 0) {
		lead_pick_create(ctx.db);
		for (int i = 0; i < argc; i++)
			if ((n = lead_pick_file(ctx.db, argv[i], &opt.c.in,
			    &err)) < 0)
				lead_err_exit(&err);
			else
				nobody += n > 0;
		ctx.picked = 1;
	}
	/* Then one snapshot: every figure of the report from the same data. */
	/* A report streams through the tables: a small page cache is
	 * faster than a large one to fill (measured: the funnel of a million
	 * leads 0.50 s with 8 MiB, 0.77 s with 64 MiB). */
	lead_db_tune(ctx.db, LEAD_TUNE_CACHE_KIB, 8192);
	lead_db_begin_read(ctx.db);
	if (opt.where) {
		if (lead_where_parse(&ctx.fields, opt.where, "--where",
		    lead_rules_known, ctx.db, lead_report_fields) < 0)
			lead_die(LEAD_EX_USAGE, "--where: nothing reported");
		ctx.where_on = 1;
	}
	if (opt.owner && !lead_report_rep_exists(ctx.db, opt.owner))
		lead_die(LEAD_EX_USAGE, "--owner: no rep '%s' (lead-handoff reps "
		    "lists them)", opt.owner);
	ctx.maxid = lead_report_max_id(ctx.db, "lead");
	load_reps(&ctx);
	rc = r->run(&ctx);
	lead_db_rollback(ctx.db);
	lead_db_close(ctx.db);
	report_ctx_free(&ctx);
	if (rc == LEAD_EX_OK && nobody)
		rc = LEAD_EX_REJECT;
	return rc;
}
