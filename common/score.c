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

#include "lead.h"

/* The parser's questions, answered from the database. */
int
lead_rules_known(void *ctx, int what, const char *name)
{
	struct lead_conn *db = ctx;
	struct lead_stmt *st;
	int yes;

	if (what == 0) {
		char *id = lead_db_ident(name),
		    *path = lead_xasprintf("$.%s", id);

		free(id);

		st = lead_db_prepare(db, "SELECT EXISTS (SELECT 1 FROM lead "
		    "WHERE attrs <> '{}' AND json_type(attrs, ?) IS NOT NULL)");
		lead_bind_text(st, 1, path, -1, LEAD_TRANSIENT);
		free(path);
	} else {
		st = lead_db_prepare(db, "SELECT EXISTS (SELECT 1 FROM "
		    "activity WHERE kind = ?)");
		lead_bind_text(st, 1, name, -1, LEAD_TRANSIENT);
	}
	lead_db_step(st);
	yes = lead_column_int(st, 0);
	lead_finalize(st);
	return yes;
}

/* The current version's id (0: none). */
int64_t
lead_rules_version(struct lead_conn *db)
{
	char *v = lead_setting(db, "rules");
	int64_t id = v ? strtoll(v, NULL, 10) : 0;

	free(v);
	return id;
}

char *
lead_rules_text(struct lead_conn *db, int64_t id)
{
	struct lead_stmt *st = lead_db_prepare(db, "SELECT text FROM rule_set "
	    "WHERE id = ?");
	char *text = NULL;

	lead_bind_int64(st, 1, id);
	if (lead_db_step(st) == LEAD_ROW)
		text = lead_xstrdup(lead_column_text(st, 0));
	lead_finalize(st);
	return text;
}

/* The current rules, parsed; exits 2 if there are none. */
int64_t
lead_rules_load(struct lead_conn *db, struct lead_rules *r)
{
	int64_t id = lead_rules_version(db);
	char *text = id ? lead_rules_text(db, id) : NULL;
	char name[64];

	if (text == NULL)
		lead_die(LEAD_EX_USAGE, "%s: no rules stored yet; give a rule "
		    "file with -r FILE (see lead-rules(5))",
		    lead_db_name(db));
	snprintf(name, sizeof name, "rules version %lld", (long long)id);
	if (lead_rules_parse(r, text, name, NULL, NULL) < 0)
		lead_die(LEAD_EX_USAGE, "the stored rules are invalid; adopt "
		    "fixed ones with -r FILE");
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



static struct kindent *
kind_slot(struct lead_eval *e, const char *kind)
{
	size_t i = lead_strhash(kind) & (e->nkt - 1);

	while (e->kt[i].kind && strcmp(e->kt[i].kind, kind) != 0)
		i = (i + 1) & (e->nkt - 1);
	return &e->kt[i];
}

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
	for (e->nkt = 16; e->nkt < 2 * r->nrule; e->nkt *= 2)
		continue;
	e->kt = lead_xcalloc(e->nkt, sizeof *e->kt);
	for (size_t i = 0; i < r->nrule; i++) {
		struct kindent *k;

		if (r->rule[i].type != LEAD_RULE_BEHAVIOR ||
		    (e->wpass && e->widx[i] >= 0))
			continue;
		k = kind_slot(e, r->rule[i].kind);
		if (k->kind == NULL)
			k->kind = r->rule[i].kind;
		k->rule = lead_xrealloc(k->rule, (k->nrule + 1) *
		    sizeof *k->rule);
		k->rule[k->nrule++] = i;
	}
}

static void
evalr_free(struct lead_eval *e)
{
	for (size_t i = 0; i < e->nkt; i++)
		free(e->kt[i].rule);
	free(e->kt);
	free(e->widx);
	free(e->wm.key);
	free(e->wm.sum);
	free(e->wm.count);
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
	struct kindent *k = kind_slot(e, kind);

	if (k->kind == NULL)
		return;
	for (size_t j = 0; j < k->nrule; j++) {
		size_t i = k->rule[j];
		int counts;
		int64_t w = touch_points(&e->r->rule[i], age, ev, &counts);

		sum_add(&e->sum[i], w);
		e->count[i] += counts;
	}
}

/* The sums of lead id in the where map (its slots, made if need be). */
static size_t
wmap_slot(struct lead_wmap *m, int64_t id, int make)
{
	size_t i;

	if (make && 2 * (m->n + 1) > m->cap) {
		struct lead_wmap old = *m;

		m->cap = m->cap ? 2 * m->cap : 1024;
		m->key = lead_xcalloc(m->cap, sizeof *m->key);
		m->sum = lead_xcalloc(m->cap * m->nw, sizeof *m->sum);
		m->count = lead_xcalloc(m->cap * m->nw, sizeof *m->count);
		m->n = 0;
		for (size_t j = 0; j < old.cap; j++) {
			if (old.key[j] == 0)
				continue;
			i = wmap_slot(m, old.key[j], 1);
			memcpy(m->sum + i * m->nw, old.sum + j * m->nw,
			    m->nw * sizeof *m->sum);
			memcpy(m->count + i * m->nw, old.count + j * m->nw,
			    m->nw * sizeof *m->count);
		}
		free(old.key);
		free(old.sum);
		free(old.count);
	}
	if (m->cap == 0)
		return SIZE_MAX;
	i = ((uint64_t)id * 0x9e3779b97f4a7c15u >> 20) & (m->cap - 1);
	while (m->key[i] != 0 && m->key[i] != id)
		i = (i + 1) & (m->cap - 1);
	if (m->key[i] == 0) {
		if (!make)
			return SIZE_MAX;
		m->key[i] = id;
		m->n++;
	}
	return i;
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
	struct lead_buf q = { 0 };
	struct lead_stmt *st;
	const char *ev[LEAD_EV_NFIELDS];
	size_t *wrule;
	unsigned used = 0;
	int64_t nread = 0;

	e->wm.nw = where_rules(r, NULL);
	wrule = lead_xcalloc(e->wm.nw, sizeof *wrule);
	lead_buf_adds(&q, "SELECT lead_id, ts, kind");
	for (size_t i = 0; i < r->nrule; i++)
		if (e->widx[i] >= 0) {
			wrule[e->widx[i]] = i;
			used |= r->rule[i].evfields;
		}
	for (int f = 0; f < LEAD_EV_NFIELDS; f++)
		lead_buf_addf(&q, ", %s", used & (1u << f) ?
		    lead_event_fields[f] : "NULL");
	lead_buf_adds(&q, " FROM activity NOT INDEXED WHERE kind IN (");
	for (size_t w = 0; w < e->wm.nw; w++) {
		char *k = lead_db_literal(r->rule[wrule[w]].kind);

		if (w)
			lead_buf_addc(&q, ',');
		lead_buf_adds(&q, k);
		free(k);
	}
	lead_buf_adds(&q, ")");
	st = lead_db_prepare(db, q.s);
	lead_buf_free(&q);
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
		for (size_t w = 0; w < e->wm.nw; w++) {
			const struct lead_rule *ru = &r->rule[wrule[w]];
			int counts;
			int64_t p;
			size_t slot;

			if (strcmp(ru->kind, kind) != 0)
				continue;
			p = touch_points(ru, now - t, ev, &counts);
			if (!counts)
				continue;
			slot = wmap_slot(&e->wm, lead_column_int64(st, 0),
			    1);
			sum_add(&e->wm.sum[slot * e->wm.nw + w], p);
			e->wm.count[slot * e->wm.nw + w]++;
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
 * clause reads field evbit, if evbit), as a list of SQL literals. */
static void
sql_kinds(struct lead_buf *b, const struct lead_eval *e, unsigned evbit)
{
	const struct lead_rules *r = e->r;

	for (size_t i = 0; i < r->nrule; i++) {
		const struct lead_rule *ru = &r->rule[i];
		char *q;

		if (ru->type != LEAD_RULE_BEHAVIOR ||
		    (e->wpass && e->widx[i] >= 0))
			continue;
		if (evbit && !(ru->evfields & evbit))
			continue;
		q = lead_db_literal(ru->kind);
		if (b->len && b->s[b->len - 1] != '(')
			lead_buf_addc(b, ',');
		lead_buf_adds(b, q);
		free(q);
	}
}

void
lead_scan_open(struct lead_scan *s, struct lead_conn *db, int pick, lead_time now,
    const struct lead_rules *r0, const struct lead_rules *r1,
    const struct lead_common *progress)
{
	struct lead_buf q = { 0 }, kinds = { 0 };
	const struct lead_rules *rs[2] = { r0, r1 };

	char **exprs = NULL;
	size_t nexpr = 0;
	unsigned evused = 0;

	memset(s, 0, sizeof *s);
	s->db = db;
	s->pick = pick;
	s->now = now;
	s->ne = r1 ? 2 : 1;
	lead_buf_adds(&q, "SELECT lead.id, email, stage, owner_id, "
	    "score, fit, grade");
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
			for (j = 0; j < nexpr; j++)
				if (strcmp(exprs[j], r->slot[i].sql) == 0)
					break;
			if (j == nexpr) {
				exprs = lead_xrealloc(exprs, (nexpr + 1) *
				    sizeof *exprs);
				exprs[nexpr++] = r->slot[i].sql;
				lead_buf_addf(&q, ", %s", r->slot[i].sql);
			}
			s->e[k].col[i] = LQ_NFIXED + (int)j;
		}
		for (size_t i = 0; i < r->nrule; i++)
			if (!s->e[k].wpass || s->e[k].widx[i] < 0)
				evused |= r->rule[i].evfields;
		lead_buf_adds(&kinds, "");
		sql_kinds(&kinds, &s->e[k], 0);
	}
	free(exprs);
	s->evused = evused;
	lead_buf_adds(&q, pick ? " FROM temp.pick CROSS JOIN lead ON "
	    "lead.id = pick.id WHERE forgotten_at IS NULL ORDER BY pick.id" :
	    " FROM lead WHERE forgotten_at IS NULL ORDER BY lead.id");
	s->lq = lead_db_prepare(db, q.s);
	lead_buf_reset(&q);

	if (kinds.len == 0) {
		lead_buf_free(&kinds);
		lead_buf_free(&q);
		return;		/* no behavior rules: no activity to read */
	}
	lead_buf_adds(&q, "SELECT activity.lead_id, ts, kind");
	for (int f = 0; f < LEAD_EV_NFIELDS; f++) {
		if (!(evused & (1u << f))) {
			lead_buf_adds(&q, ", NULL");
			continue;
		}
		/* Read the row only for the kinds whose where needs it: the
		 * scan otherwise stays in the index. */
		lead_buf_adds(&q, ", CASE WHEN kind IN (");
		for (int k = 0; k < s->ne; k++) {
			struct lead_buf b = { 0 };

			lead_buf_adds(&b, "");
			sql_kinds(&b, &s->e[k], 1u << f);
			if (b.len) {
				if (q.s[q.len - 1] != '(')
					lead_buf_addc(&q, ',');
				lead_buf_adds(&q, b.s);
			}
			lead_buf_free(&b);
		}
		lead_buf_addf(&q, ") THEN %s END", lead_event_fields[f]);
	}
	lead_buf_addf(&q, pick ? " FROM temp.pick CROSS JOIN activity "
	    "INDEXED BY activity_lead_ts ON activity.lead_id = pick.id "
	    "WHERE kind IN (%s) ORDER BY pick.id" :
	    " FROM activity INDEXED BY activity_lead_ts WHERE kind IN (%s) "
	    "ORDER BY activity.lead_id", kinds.s);
	s->aq = lead_db_prepare(db, q.s);
	lead_buf_free(&q);
	lead_buf_free(&kinds);
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
		size_t slot = e->wpass ? wmap_slot(&e->wm, s->id, 0) :
		    SIZE_MAX;

		for (size_t i = 0; slot != SIZE_MAX && i < e->r->nrule; i++)
			if (e->widx[i] >= 0) {
				size_t w = slot * e->wm.nw + (size_t)e->widx[i];

				e->sum[i] = e->wm.sum[w];
				e->count[i] = e->wm.count[w];
			}
		evalr_finish(e);
	}
	return 1;
}

void
lead_pick_create(struct lead_conn *db)
{
	lead_db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS pick (id INTEGER "
	    "PRIMARY KEY); DELETE FROM temp.pick");
}

/* The leads a list names (lead_list_read: leadkit's lists by id, any
 * CSV/TSV by email or key, one reference a line) into temp.pick.  The
 * number of records naming no lead, each reported. */
long
lead_pick_file(struct lead_conn *db, const char *path, const struct lead_inopts *in)
{
	struct lead_list *l = lead_list_read(path, in);
	struct lead_stmt *ins = lead_db_prepare(db, "INSERT OR IGNORE INTO "
	    "temp.pick VALUES (?)");
	long bad = l->bad;

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
		lead_bind_int64(ins, 1, r.id);
		lead_db_run(ins);
	}
	lead_finalize(ins);
	lead_list_free(l);
	return bad;
}
