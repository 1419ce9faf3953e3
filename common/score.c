/*
 * score.c: applying rules (lead-rules.5) to the leads: the engine of
 * lead-score, and of the reasons lead-handoff puts on a hand-off sheet.
 *
 * A scan reads the leads in id order and their activity through the
 * (lead_id, ts, kind) index in the same order, merging the two, so a
 * full rescoring is two sequential scans; the rules with a where clause,
 * which read touch fields the index does not hold, are summed beforehand
 * in one pass over the activity table in storage order.  The rule
 * versions stored in the database are read here too.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store-rules.h"

/* The current version's id (0: none). */
int64_t
lead_rules_version(struct lead_conn *db)
{
	char *v = lead_setting(db, "rules");
	int64_t id = v ? strtoll(v, NULL, 10) : 0;

	free(v);
	return id;
}

/* The current rules, parsed; exits 2 if there are none. */
int64_t
lead_rules_load(struct lead_conn *db, struct lead_rules *r, struct lead_err *e)
{
	int64_t id = lead_rules_version(db);
	char *text = id ? lead_rules_text(db, id) : NULL;
	char name[64];

	if (text == NULL)
		return lead_err_set(e, LEAD_EX_USAGE, "%s: no rules stored yet; "
		    "give a rule file with -r FILE (see lead-rules(5))",
		    lead_db_name(db));
	snprintf(name, sizeof name, "rules version %lld", (long long)id);
	if (lead_rules_parse(r, text, name, NULL, NULL) < 0) {
		free(text);
		return lead_err_set(e, LEAD_EX_USAGE, "the stored rules are "
		    "invalid; adopt fixed ones with -r FILE");
	}
	free(text);
	return id;
}

/* ---- evaluating one rule set ------------------------------------------------ */

/*
 * A touch's points after decay are summed in FRAC parts of a hundredth,
 * as integers: a rule's total does not depend on the order its touches
 * are read in, so that a full run, a run over a list and --explain agree
 * to the hundredth.
 */
#define FRAC 10000
#define MAXWHERE 16	/* where rules read in a pass of their own */



/* The where rules of a rule set, counted; 0 if there are too many to
 * read in a pass of their own. */
static size_t
where_rules(const struct lead_rules *r, int *widx)
{
	size_t nw = 0;

	for (size_t i = 0; i < r->nrule; i++) {
		int w = r->rule[i].type == LEAD_RULE_BEHAVIOR &&
		    r->rule[i].cond != NULL;

		if (widx)
			widx[i] = w ? (int)nw : -1;
		nw += (size_t)w;
	}
	return nw <= MAXWHERE ? nw : 0;
}

static void
evalr_init(struct lead_eval *e, const struct lead_rules *r, int wpass)
{
	memset(e, 0, sizeof *e);
	e->r = r;
	e->widx = lead_xcalloc(r->nrule + 1, sizeof *e->widx);
	e->wpass = wpass && where_rules(r, e->widx) > 0;
	e->col = lead_xcalloc(r->nslot + 1, sizeof *e->col);
	e->vals = lead_xcalloc(r->nslot + 1, sizeof *e->vals);
	e->vbuf = lead_xcalloc(r->nslot + 1, sizeof *e->vbuf);
	e->sum = lead_xcalloc(r->nrule + 1, sizeof *e->sum);
	e->count = lead_xcalloc(r->nrule + 1, sizeof *e->count);
	e->cents = lead_xcalloc(r->nrule + 1, sizeof *e->cents);
	e->kt.size = sizeof(struct lead_kindrules);
	for (size_t i = 0; i < r->nrule; i++) {
		const char *kind = r->rule[i].kind;
		struct lead_kindrules *k;

		if (r->rule[i].type != LEAD_RULE_BEHAVIOR ||
		    (e->wpass && e->widx[i] >= 0))
			continue;
		k = lead_map_put(&e->kt, kind, strlen(kind));
		k->rule = lead_xrealloc(k->rule, (k->nrule + 1) *
		    sizeof *k->rule);
		k->rule[k->nrule++] = i;
	}
}

static void
evalr_free(struct lead_eval *e)
{
	for (size_t i = 0; i < e->kt.n; i++)
		free(((struct lead_kindrules *)lead_map_at(&e->kt, i))->rule);
	lead_map_free(&e->kt);
	free(e->widx);
	lead_map_free(&e->wm);
	free(e->col);
	free(e->vals);
	free(e->vbuf);
	free(e->sum);
	free(e->count);
	free(e->cents);
}

/* What a touch of this age adds under rule ru (FRAC parts of a
 * hundredth), or 0 with *counts 0 if it does not count. */
static int64_t
touch_points(const struct lead_rule *ru, int64_t age, const char *const *ev,
    int *counts)
{
	double w = (double)ru->points * FRAC;

	*counts = 0;
	if (ru->within && age > ru->within)
		return 0;
	if (ru->cond && !lead_cond_eval(ru->cond, ev))
		return 0;
	if (ru->halflife)
		w *= exp2(-(double)age / (double)ru->halflife);
	*counts = 1;
	return llround(w);
}

static void
sum_add(int64_t *sum, int64_t w)
{
	if (__builtin_add_overflow(*sum, w, sum))
		*sum = w < 0 ? INT64_MIN : INT64_MAX;
}

/* One event of the current lead. */
static void
evalr_event(struct lead_eval *e, const char *kind, int64_t age,
    const char *const *ev)
{
	const struct lead_kindrules *k = lead_map_get(&e->kt, kind,
	    strlen(kind));

	if (k == NULL)
		return;
	for (size_t j = 0; j < k->nrule; j++) {
		size_t i = k->rule[j];
		int counts;
		int64_t w = touch_points(&e->r->rule[i], age, ev, &counts);

		sum_add(&e->sum[i], w);
		e->count[i] += counts;
	}
}

/*
 * The rules with a where clause read fields of the touch that the
 * (lead_id, ts, kind) index does not hold: fetching them in the merged
 * scan is a random read a touch.  They are summed here instead, in one
 * pass over the activity table in storage order, into a map of the
 * leads they apply to; the merged scan then reads the index alone.
 */
static void
where_pass(struct lead_conn *db, struct lead_eval *e, lead_time now,
    const struct lead_common *progress)
{
	const struct lead_rules *r = e->r;
	const char *kinds[MAXWHERE];
	struct lead_stmt *st;
	const char *ev[LEAD_EV_NFIELDS];
	size_t *wrule;
	unsigned used = 0;
	int64_t nread = 0;

	e->nw = where_rules(r, NULL);
	e->wm.size = e->nw * sizeof(struct lead_wsum);
	wrule = lead_xcalloc(e->nw, sizeof *wrule);
	for (size_t i = 0; i < r->nrule; i++)
		if (e->widx[i] >= 0) {
			wrule[e->widx[i]] = i;
			used |= r->rule[i].evfields;
		}
	for (size_t w = 0; w < e->nw; w++)
		kinds[w] = r->rule[wrule[w]].kind;
	st = lead_scan_where_touches(db, kinds, e->nw, used);
	while (lead_db_step(st) == LEAD_ROW) {
		const char *ts = lead_column_text(st, 1);
		const char *kind = lead_column_text(st, 2);
		lead_time t;

		if (++nread % 65536 == 0)
			lead_progress(progress, "touches read", nread, 0);
		if (ts == NULL || kind == NULL || lead_time_stored(ts, &t) < 0 ||
		    t > now)
			continue;	/* the merged scan counts the bad ones */
		for (int f = 0; f < LEAD_EV_NFIELDS; f++)
			ev[f] = lead_column_text(st, 3 + f);
		for (size_t w = 0; w < e->nw; w++) {
			const struct lead_rule *ru = &r->rule[wrule[w]];
			int counts;
			int64_t p, id;
			struct lead_wsum *ws;

			if (strcmp(ru->kind, kind) != 0)
				continue;
			p = touch_points(ru, now - t, ev, &counts);
			if (!counts)
				continue;
			id = lead_column_int64(st, 0);
			ws = lead_map_put(&e->wm, &id, sizeof id);
			sum_add(&ws[w].sum, p);
			ws[w].count++;
		}
	}
	lead_finalize(st);
	free(wrule);
}

/* The lead is read: its fit, behavior, grade, mql. */
static void
evalr_finish(struct lead_eval *e)
{
	const struct lead_rules *r = e->r;

	e->fit = e->behavior = 0;
	for (size_t i = 0; i < r->nrule; i++) {
		const struct lead_rule *ru = &r->rule[i];
		int64_t c;

		if (ru->type == LEAD_RULE_FIT) {
			c = lead_cond_eval(ru->cond, e->vals) ? ru->points : 0;
			e->fit += c;
		} else {
			/* Rounded half away from zero, to hundredths. */
			uint64_t a = e->sum[i] < 0 ? -(uint64_t)e->sum[i] :
			    (uint64_t)e->sum[i];

			c = (int64_t)((a + FRAC / 2) / FRAC);
			if (e->sum[i] < 0)
				c = -c;
			if (ru->cap && c > ru->cap)
				c = ru->cap;
			if (ru->cap && c < -ru->cap)
				c = -ru->cap;
			e->behavior += c;
		}
		e->cents[i] = c;
	}
	e->score = e->fit + e->behavior;
	e->grade = -1;
	for (size_t i = 0; i < r->ngrade; i++)
		if (r->grade[i].any || e->fit >= r->grade[i].min) {
			e->grade = (int)i;
			break;
		}
	for (size_t i = 0; i < r->nslot; i++) {
		switch (r->slot[i].type) {
		case LEAD_SLOT_SCORE:
			e->vals[i] = lead_cents_format(e->score, e->sbuf[0]);
			break;
		case LEAD_SLOT_FIT:
			e->vals[i] = lead_cents_format(e->fit, e->sbuf[1]);
			break;
		case LEAD_SLOT_BEHAVIOR:
			e->vals[i] = lead_cents_format(e->behavior, e->sbuf[2]);
			break;
		case LEAD_SLOT_GRADE:
			e->vals[i] = e->grade >= 0 ?
			    r->grade[e->grade].name : NULL;
			break;
		default:
			break;
		}
	}
	e->mql = -1;
	for (size_t i = 0; i < r->nmql; i++)
		if (lead_cond_eval(r->mql[i].cond, e->vals)) {
			e->mql = (int)i;
			break;
		}
}

const char *
lead_eval_grade(const struct lead_eval *e)
{
	return e->grade >= 0 ? e->r->grade[e->grade].name : NULL;
}

/* ---- the scan ------------------------------------------------------------------- */


/* Lead query columns before the rules' own. */
enum { LQ_ID, LQ_EMAIL, LQ_STAGE, LQ_OWNER, LQ_SCORE, LQ_FIT, LQ_GRADE,
	LQ_NFIXED };

/* The kinds of e's rules that the merged scan reads (those whose where
 * clause reads field evbit, if evbit), added to v. */
static void
kinds_of(struct lead_strv *v, const struct lead_eval *e, unsigned evbit)
{
	const struct lead_rules *r = e->r;

	for (size_t i = 0; i < r->nrule; i++) {
		const struct lead_rule *ru = &r->rule[i];

		if (ru->type != LEAD_RULE_BEHAVIOR ||
		    (e->wpass && e->widx[i] >= 0))
			continue;
		if (evbit && !(ru->evfields & evbit))
			continue;
		lead_strv_add(v, ru->kind);
	}
}

void
lead_scan_open(struct lead_scan *s, struct lead_conn *db, int pick, lead_time now,
    const struct lead_rules *r0, const struct lead_rules *r1,
    const struct lead_common *progress)
{
	const struct lead_rules *rs[2] = { r0, r1 };
	struct lead_strv exprs = { 0 }, kinds = { 0 };
	struct lead_strv fkinds[LEAD_EV_NFIELDS] = { { 0 } };
	unsigned evused = 0;

	memset(s, 0, sizeof *s);
	s->db = db;
	s->pick = pick;
	s->now = now;
	s->ne = r1 ? 2 : 1;
	for (int k = 0; k < s->ne; k++) {
		const struct lead_rules *r = rs[k];

		/* A full run reads the where rules' touches in a pass of
		 * their own; a few leads read them through the index. */
		evalr_init(&s->e[k], r, !pick);
		if (s->e[k].wpass)
			where_pass(db, &s->e[k], now, progress);
		for (size_t i = 0; i < r->nslot; i++) {
			size_t j;

			s->e[k].col[i] = -1;
			if (r->slot[i].sql == NULL)
				continue;
			for (j = 0; j < exprs.n; j++)
				if (strcmp(exprs.v[j], r->slot[i].sql) == 0)
					break;
			if (j == exprs.n)
				lead_strv_add(&exprs, r->slot[i].sql);
			s->e[k].col[i] = LQ_NFIXED + (int)j;
		}
		for (size_t i = 0; i < r->nrule; i++)
			if (!s->e[k].wpass || s->e[k].widx[i] < 0)
				evused |= r->rule[i].evfields;
		kinds_of(&kinds, &s->e[k], 0);
	}
	s->evused = evused;
	s->lq = lead_scan_leads(db, pick, &exprs);
	/* Read a touch's row only for the kinds whose where needs it: the
	 * scan otherwise stays in the index. */
	for (int f = 0; f < LEAD_EV_NFIELDS; f++)
		for (int k = 0; k < s->ne && (evused & (1u << f)); k++)
			kinds_of(&fkinds[f], &s->e[k], 1u << f);
	if (kinds.n > 0)	/* else no behavior rules: no touch to read */
		s->aq = lead_scan_touches(db, pick, &kinds, fkinds);
	lead_strv_free(&exprs);
	lead_strv_free(&kinds);
	for (int f = 0; f < LEAD_EV_NFIELDS; f++)
		lead_strv_free(&fkinds[f]);
}

void
lead_scan_close(struct lead_scan *s)
{
	lead_finalize(s->lq);
	lead_finalize(s->aq);
	for (int k = 0; k < s->ne; k++)
		evalr_free(&s->e[k]);
}

int64_t
lead_db_cents(struct lead_stmt *st, int col)
{
	return llround(lead_column_double(st, col) * 100);
}

/* The next lead, scored: 1, or 0 at the end. */
int
lead_scan_next(struct lead_scan *s)
{
	const char *ev[LEAD_EV_NFIELDS] = { NULL };

	if (lead_db_step(s->lq) != LEAD_ROW)
		return 0;
	s->id = lead_column_int64(s->lq, LQ_ID);
	s->email = lead_column_text(s->lq, LQ_EMAIL);
	s->stage = lead_column_text(s->lq, LQ_STAGE);
	s->owner = lead_column_int64(s->lq, LQ_OWNER);
	s->scored = lead_column_type(s->lq, LQ_SCORE) != LEAD_NULL;
	s->old_score = lead_db_cents(s->lq, LQ_SCORE);
	s->old_fit = lead_db_cents(s->lq, LQ_FIT);
	s->grade = lead_column_text(s->lq, LQ_GRADE);
	for (int k = 0; k < s->ne; k++) {
		struct lead_eval *e = &s->e[k];

		memset(e->sum, 0, e->r->nrule * sizeof *e->sum);
		memset(e->count, 0, e->r->nrule * sizeof *e->count);
		for (size_t i = 0; i < e->r->nslot; i++) {
			const char *v;

			if (e->col[i] < 0)
				continue;
			v = lead_column_text(s->lq,
			    e->col[i]);
			e->vals[i] = lead_slot_value(&e->r->slot[i], v, s->now,
			    e->vbuf[i]);
		}
	}
	if (s->aq) {
		/* The activity cursor waits on the first event of a later
		 * lead; a fresh one is stepped once. */
		int rc = s->arc ? s->arc : lead_db_step(s->aq);

		while (rc == LEAD_ROW &&
		    lead_column_int64(s->aq, 0) < s->id)
			rc = lead_db_step(s->aq);
		while (rc == LEAD_ROW &&
		    lead_column_int64(s->aq, 0) == s->id) {
			const char *ts = lead_column_text(
			    s->aq, 1);
			const char *kind = lead_column_text(
			    s->aq, 2);
			lead_time t;

			if (ts == NULL || kind == NULL ||
			    lead_time_stored(ts, &t) < 0)
				s->nbad++;
			else if (t <= s->now) {
				for (int f = 0; s->evused && f <
				    LEAD_EV_NFIELDS; f++)
					ev[f] = (const char *)
					    lead_column_text(s->aq, 3 + f);
				for (int k = 0; k < s->ne; k++)
					evalr_event(&s->e[k], kind,
					    s->now - t, ev);
			}
			rc = lead_db_step(s->aq);
		}
		s->arc = rc;
	}
	for (int k = 0; k < s->ne; k++) {
		struct lead_eval *e = &s->e[k];
		const struct lead_wsum *ws = e->wpass ?
		    lead_map_get(&e->wm, &s->id, sizeof s->id) : NULL;

		for (size_t i = 0; ws != NULL && i < e->r->nrule; i++)
			if (e->widx[i] >= 0) {
				e->sum[i] = ws[e->widx[i]].sum;
				e->count[i] = ws[e->widx[i]].count;
			}
		evalr_finish(e);
	}
	return 1;
}

/* The leads a list names (lead_list_read: leadkit's lists by id, any
 * CSV/TSV by email or key, one reference a line) into temp.pick.  The
 * number of records naming no lead, each reported. */
long
lead_pick_file(struct lead_conn *db, const char *path,
    const struct lead_inopts *in, struct lead_err *e)
{
	struct lead_list *l = lead_list_read(path, in, e);
	long bad;

	if (l == NULL)
		return -1;
	bad = l->bad;

	for (size_t i = 0; i < l->n; i++) {
		struct lead_ref r;
		char why[512];

		if (l->ref[i] == NULL)
			continue;
		if (!lead_ref_find_as(db, l->ref[i], l->askey[i], &r, why,
		    sizeof why)) {
			lead_warn_at(l->name, l->line[i], "%s", why);
			bad++;
			continue;
		}
		lead_pick_add(db, r.id);
	}
	lead_list_free(l);
	return bad;
}
