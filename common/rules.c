/*
 * rules.c: the scoring rule language of lead-score (lead-rules.5).
 *
 * One statement a line, '#' to the end of the line is a comment:
 *
 *   fit      POINTS [if] COND
 *   behavior POINTS KIND [where COND] [within DUR] [half-life DUR] [cap N]
 *   grade    NAME [[if] fit >= N]
 *   mql      [if] COND
 *   kind     NAME [, NAME ...]
 *
 *   COND  := OR;  OR := AND {or AND};  AND := UNARY {and UNARY}
 *   UNARY := not UNARY | ( COND ) | FIELD [TEST]
 *   TEST  := = V | != V | < N | <= N | > N | >= N | ~ RE | in LIST
 *          | not in LIST | contains V | matches RE | present | missing
 *
 * Points are kept in hundredths, so that a score is the exact sum of its
 * rules' contributions.  The parser reports every error it finds as
 * "file:line:col: what" and builds nothing on error.  Everything a rule
 * file can ask for is bounded: nesting, rules, condition size, regular
 * expressions (no back-references, small counted repetitions).  They are
 * matched by TRE, whose matcher (a tagged NFA run in parallel) takes time
 * linear in the value, where glibc's regexec took 32 s for one rule on a
 * value of 150,000 characters, holding the write lock.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <tre/tre.h>

#include "lead.h"

#define MAXDEPTH	32	/* nested parentheses and nots */
#define MAXNODES	1000	/* condition nodes in one statement */
#define MAXRULES	1000
#define MAXERRS		50
#define MAXRE		512	/* bytes of a regular expression */
#define MAXREP		10000	/* states it would expand to */
#define MAXPOINTS	1000000	/* points and caps, either way */

enum cop {
	C_AND, C_OR, C_NOT, C_PRESENT, C_EQ, C_LT, C_LE, C_GT, C_GE, C_IN,
	C_CONTAINS, C_MATCH
};

struct lead_cond {
	enum cop op;
	int slot;		/* the value tested: index into vals[] */
	struct lead_cond *a, *b;
	char **str;		/* C_EQ: 1, C_IN: nstr, C_CONTAINS: 1 */
	double *num;		/* per str: its value if a number */
	unsigned char *isnum;
	size_t nstr;
	double n;		/* C_LT .. C_GE */
	regex_t *re;		/* C_MATCH */
};

const char *const lead_event_fields[LEAD_EV_NFIELDS] = {
	"channel", "actor", "content", "outcome", "note", "next_step", "due",
	"amount"
};


/* ---- lexing ------------------------------------------------------------- */

enum ttype { T_END, T_WORD, T_STR, T_LP, T_RP, T_COMMA, T_OP };

struct tok {
	enum ttype type;
	char *s;		/* word, unescaped string, or operator */
	int col;
};

enum ns { NS_FIT, NS_MQL, NS_EVENT };

/* A name used before it can be checked: grades and kinds are checked
 * when the whole file is read. */
struct ref {
	char *name;
	int line, col;
};

struct parser {
	const char *file;
	int line;
	struct tok *t;
	size_t nt, i;
	struct lead_rules *r;
	int nerr;
	int bad;		/* this statement has an error */
	enum ns ns;
	int depth, nodes;
	unsigned evfields;
	lead_rules_known_fn *known;
	void *ctx;
	struct ref *gref, *kref;
	size_t ngref, nkref;
	const char *const *extra;	/* more fields: name, sql, ..., NULL */
};

static void perr(struct parser *p, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
perr(struct parser *p, int col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	p->bad = 1;
	if (++p->nerr > MAXERRS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (p->nerr == MAXERRS)
		lead_warn("%s:%d:%d: %s (and stopping: too many errors)",
		    p->file, p->line, col, msg);
	else
		lead_warn("%s:%d:%d: %s", p->file, p->line, col, msg);
}

static int
wordbyte(unsigned char c)
{
	return c > ' ' && c != 0x7f && strchr("()\"',=<>!~#", c) == NULL;
}

/* The column of byte off in line (characters, not bytes, from 1),
 * counted on from where the last call left off: a line is read once. */
struct colpos {
	size_t off;
	int col;
};

static int
column(const char *line, size_t off, struct colpos *cp)
{
	for (; cp->off < off; cp->off++)
		if (((unsigned char)line[cp->off] & 0xc0) != 0x80)
			cp->col++;
	return cp->col;
}

static void
toks_free(struct parser *p)
{
	for (size_t i = 0; i < p->nt; i++)
		free(p->t[i].s);
	free(p->t);
	p->t = NULL;
	p->nt = p->i = 0;
}

static void
tok_add(struct parser *p, enum ttype type, char *s, int col, size_t *cap)
{
	if (p->nt == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		p->t = lead_xrealloc(p->t, *cap * sizeof *p->t);
	}
	p->t[p->nt].type = type;
	p->t[p->nt].s = s;
	p->t[p->nt].col = col;
	p->nt++;
}

/* Split one line (n bytes, no newline) into tokens; -1 on a lexical
 * error (reported). */
static int
lex(struct parser *p, const char *line, size_t n)
{
	size_t i = 0, cap = 0;
	struct colpos cp = { 0, 1 };

	while (i < n) {
		unsigned char c = (unsigned char)line[i];
		int col = column(line, i, &cp);
		size_t j;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
		    c == '\v') {
			i++;
			continue;
		}
		if (c == '#')
			break;
		if (c < ' ' || c == 0x7f) {
			perr(p, col, "control character 0x%02x", c);
			return -1;
		}
		if (c == '"' || c == '\'') {
			struct lead_buf b = { 0 };

			/* \" and \\ are the only escapes: a regular
			 * expression keeps its backslashes as written. */
			for (j = i + 1; j < n && line[j] != (char)c; j++) {
				if (line[j] == '\\' && j + 1 < n &&
				    (line[j + 1] == (char)c || line[j + 1] == '\\'))
					j++;
				lead_buf_addc(&b, line[j]);
			}
			if (j >= n) {
				lead_buf_free(&b);
				perr(p, col, "unterminated string");
				return -1;
			}
			if (b.s == NULL)
				lead_buf_adds(&b, "");
			tok_add(p, T_STR, lead_buf_take(&b), col, &cap);
			i = j + 1;
			continue;
		}
		if (c == '(' || c == ')' || c == ',') {
			tok_add(p, c == '(' ? T_LP : c == ')' ? T_RP : T_COMMA,
			    lead_xstrndup(line + i, 1), col, &cap);
			i++;
			continue;
		}
		if (strchr("=<>!~", c)) {
			j = i + 1;
			if (j < n && line[j] == '=' && c != '=' && c != '~')
				j++;
			if (c == '!' && j == i + 1) {
				perr(p, col, "'!' alone: write != or not");
				return -1;
			}
			tok_add(p, T_OP, lead_xstrndup(line + i, j - i), col,
			    &cap);
			i = j;
			continue;
		}
		for (j = i; j < n && wordbyte((unsigned char)line[j]); j++)
			continue;
		tok_add(p, T_WORD, lead_xstrndup(line + i, j - i), col, &cap);
		i = j;
	}
	tok_add(p, T_END, NULL, column(line, i < n ? i : n, &cp), &cap);
	return 0;
}

static struct tok *
peek(struct parser *p)
{
	return &p->t[p->i];
}

static struct tok *
next(struct parser *p)
{
	struct tok *t = &p->t[p->i];

	if (t->type != T_END)
		p->i++;
	return t;
}

static int
isword(const struct tok *t, const char *w)
{
	return t->type == T_WORD && strcasecmp(t->s, w) == 0;
}

static const char *
shown(const struct tok *t)
{
	return t->type == T_END ? "the end of the line" : t->s;
}

/* ---- names and suggestions --------------------------------------------- */

static void
hint(char *buf, size_t n, const char *s)
{
	if (s)
		snprintf(buf, n, " (did you mean '%s'?)", s);
	else
		buf[0] = '\0';
}

static int
slot_add(struct lead_rules *r, enum lead_slot_type type, const char *name,
    const char *sql)
{
	for (size_t i = 0; i < r->nslot; i++)
		if (strcmp(r->slot[i].name, name) == 0)
			return (int)i;
	r->slot = lead_xrealloc(r->slot, (r->nslot + 1) * sizeof *r->slot);
	r->slot[r->nslot].type = type;
	r->slot[r->nslot].name = lead_xstrdup(name);
	r->slot[r->nslot].sql = sql ? lead_xstrdup(sql) : NULL;
	return (int)r->nslot++;
}

/* The slot a field name reads in the current namespace, or -1. */
static int
field_slot(struct parser *p, const struct tok *t)
{
	char h[128], *attr, *path;
	const char *names[LEAD_RULE_FIELDS_MAX + LEAD_EV_NFIELDS];
	size_t nn = 0;
	int s, explicit = 0;

	if (p->ns == NS_EVENT) {
		for (int i = 0; i < LEAD_EV_NFIELDS; i++) {
			if (strcasecmp(t->s, lead_event_fields[i]) == 0 ||
			    (i == LEAD_EV_NEXT && strcasecmp(t->s, "next") == 0)) {
				p->evfields |= 1u << i;
				return i;
			}
			names[nn++] = lead_event_fields[i];
		}
		hint(h, sizeof h, lead_suggest(t->s, names, nn));
		perr(p, t->col, "unknown activity field '%s'%s; a where "
		    "clause reads channel, actor, content, outcome, note, "
		    "next_step, due, amount", t->s, h);
		return -1;
	}
	for (size_t i = 0; p->extra && p->extra[i]; i += 2)
		if (strcasecmp(t->s, p->extra[i]) == 0)
			return slot_add(p->r, LEAD_SLOT_COLUMN, p->extra[i],
			    p->extra[i + 1]);
	for (size_t i = 0; i < lead_nrule_fields; i++) {
		if (strcasecmp(t->s, lead_rule_fields[i].name) == 0) {
			if (lead_rule_fields[i].type >= LEAD_SLOT_SCORE &&
			    p->ns == NS_FIT) {
				perr(p, t->col, "a fit rule cannot read the "
				    "%s: it is what the rules make", t->s);
				return -1;
			}
			return slot_add(p->r, lead_rule_fields[i].type,
			    lead_rule_fields[i].name, lead_rule_fields[i].sql);
		}
		names[nn++] = lead_rule_fields[i].name;
	}
	if (strncasecmp(t->s, "attr.", 5) == 0 ||
	    strncasecmp(t->s, "attrs.", 6) == 0) {
		explicit = 1;
		attr = lead_attr_name(strchr(t->s, '.') + 1);
	} else
		attr = lead_attr_name(t->s);
	if (*attr == '\0') {
		free(attr);
		perr(p, t->col, "'%s' is not a field name", t->s);
		return -1;
	}
	if (!explicit && p->known && !p->known(p->ctx, 0, attr)) {
		hint(h, sizeof h, lead_suggest(t->s, names, nn));
		perr(p, t->col, "unknown field '%s'%s; no lead has an "
		    "attribute of that name (write attr.%s for one that no "
		    "lead has yet)", t->s, h, attr);
		free(attr);
		return -1;
	}
	/* The path quotes the name: attributes may hold any byte. */
	{
		struct lead_buf n = { 0 };

		lead_buf_addf(&n, "attr.%s", attr);
		path = lead_attr_sql(attr);
		s = slot_add(p->r, LEAD_SLOT_ATTR, n.s, path);
		free(path);
		lead_buf_free(&n);
	}
	free(attr);
	return s;
}

/* ---- numbers ------------------------------------------------------------- */

/* A plain decimal number, all of s. */
static int
number(const char *s, double *v)
{
	char *end;

	if (*s == '\0' || s[strspn(s, "0123456789.-+eE")] != '\0')
		return 0;
	*v = strtod(s, &end);
	return end != s && *end == '\0' && isfinite(*v);
}

/* Points or a cap: at most two decimals, within MAXPOINTS; hundredths. */
static int
points(struct parser *p, const struct tok *t, int sign, int64_t *c)
{
	const char *s = t->type == T_WORD ? t->s : "";
	const char *dot;
	double v;

	if ((sign && *s != '+' && *s != '-') || !number(s, &v) ||
	    strpbrk(s, "eE") || ((dot = strchr(s, '.')) && strlen(dot) > 3)) {
		perr(p, t->col, "%s: expected %s, such as %s", shown(t),
		    sign ? "points with a sign" : "a number",
		    sign ? "+20 or -5 or +2.5" : "20");
		return -1;
	}
	if (fabs(v) > MAXPOINTS) {
		perr(p, t->col, "%s: more than %d points", s, MAXPOINTS);
		return -1;
	}
	*c = llround(v * 100);
	return 0;
}

/*
 * The number a field value holds, as exports write them: "200",
 * "1,000+", "1.000-4.999", "200-499" (the first), "$1.5M", "2,5k",
 * "<50", "10k".  0 if none.
 */
int
lead_value_number(const char *s, double *v)
{
	char buf[64];
	size_t n = 0;
	double mul = 1;
	int dot = 0;

	if (s == NULL)
		return 0;
	for (;;) {
		if (*s == ' ' || *s == '$' || *s == '<' || *s == '>' ||
		    *s == '~' || *s == '+')
			s++;
		else if (strncmp(s, "\xe2\x82\xac", 3) == 0)	/* euro */
			s += 3;
		else if (strncmp(s, "\xc2\xa3", 2) == 0)	/* pound */
			s += 2;
		else
			break;
	}
	if (*s == '-' && s[1] >= '0' && s[1] <= '9')
		buf[n++] = *s++;
	if (!(*s >= '0' && *s <= '9'))
		return 0;
	/* Groups of three after ',' or '.' are thousands ("1,000",
	 * "1.000-4.999" from a German export); a ',' or '.' before one or
	 * two digits, or before more than three, is the decimal point
	 * ("1.5", "2,5", "3.14159"). */
	while (n < sizeof buf - 2) {
		size_t nd;

		if (*s >= '0' && *s <= '9') {
			buf[n++] = *s++;
			continue;
		}
		if ((*s != ',' && *s != '.') || dot)
			break;
		nd = strspn(s + 1, "0123456789");
		if (nd == 3)
			s++;
		else if (nd > 0)
			buf[n++] = '.', s++, dot = 1;
		else
			break;
	}
	buf[n] = '\0';
	if (*s == 'k' || *s == 'K')
		mul = 1e3;
	else if (*s == 'm' || *s == 'M')
		mul = 1e6;
	else if (*s == 'b' || *s == 'B')
		mul = 1e9;
	if (mul != 1 && ((s[1] | 32) >= 'a' && (s[1] | 32) <= 'z'))
		mul = 1;
	*v = strtod(buf, NULL) * mul;
	return isfinite(*v);
}

/* ---- regular expressions --------------------------------------------------- */

/*
 * NULL if re is one leadkit will compile and run in bounded time and
 * memory, else why not.  glibc copies a repeated part once per "+" and
 * per count of "{n,m}", and nested repetitions multiply: the size it
 * would build is estimated here, group by group, and bounded.
 */
static const char *
re_bounded(const char *re)
{
	double sum[MAXDEPTH + 2] = { 0 }, last = 0;
	int sp = 0;

	if (strlen(re) > MAXRE)
		return "longer than 512 bytes";
	for (const char *q = re; *q; q++) {
		double m = 1;

		switch (*q) {
		case '\\':
			if (q[1] >= '1' && q[1] <= '9')
				return "back-references (\\1 ...) are not "
				    "supported";
			if (q[1])
				q++;
			sum[sp] += last = 1;
			continue;
		case '[':
			/* A bracket expression is one item. */
			q++;
			if (*q == '^')
				q++;
			if (*q == ']')
				q++;
			while (*q && *q != ']') {
				if (*q == '[' && (q[1] == ':' || q[1] == '.' ||
				    q[1] == '=')) {
					const char *e = strchr(q + 2, ']');

					if (e == NULL)
						break;
					q = e;
				}
				q++;
			}
			if (*q == '\0')
				return NULL;	/* regcomp says what is wrong */
			sum[sp] += last = 1;
			continue;
		case '(':
			if (sp == MAXDEPTH)
				return "groups nested too deeply";
			sum[++sp] = 0;
			last = 0;
			continue;
		case ')':
			/* POSIX leaves an unmatched one undefined, and TRE
			 * loops on it after an escaped backslash ("\\)"). */
			if (sp == 0)
				return "an unmatched ')' (\\) is the character)";
			last = sum[sp--] + 1;
			sum[sp] += last;
			continue;
		case '|':
			last = 0;
			continue;
		case '*': case '?':
			continue;
		case '+':
			m = 2;
			break;
		case '{': {
			long lo = strtol(q + 1, NULL, 10), hi = lo;
			const char *c = q + 1 + strspn(q + 1, "0123456789");

			if (*c == ',')
				hi = c[1] == '}' ? lo + 1 :
				    strtol(c + 1, NULL, 10);
			if (lo > 255 || hi > 255)
				return "a counted repetition over 255";
			m = hi > 1 ? (double)hi : 1;
			break;
		}
		default:
			sum[sp] += last = 1;
			continue;
		}
		sum[sp] += last * (m - 1);
		last *= m;
		if (sum[sp] > MAXREP)
			return "repetitions that would expand it past 10000 "
			    "states";
	}
	for (int i = 0; i <= sp; i++)
		if (sum[i] > MAXREP)
			return "repetitions that would expand it past 10000 "
			    "states";
	return NULL;
}

static regex_t *
re_compile(struct parser *p, const struct tok *t)
{
	const char *why = re_bounded(t->s);
	regex_t *re;
	char msg[256];
	int rc;

	if (why) {
		perr(p, t->col, "regular expression '%s': %s", t->s, why);
		return NULL;
	}
	re = lead_xmalloc(sizeof *re);
	if ((rc = tre_regcomp(re, t->s, REG_EXTENDED | REG_ICASE |
	    REG_NOSUB))) {
		tre_regerror(rc, re, msg, sizeof msg);
		free(re);
		lead_lower(msg);
		perr(p, t->col, "invalid regular expression '%s': %s", t->s,
		    msg);
		return NULL;
	}
	return re;
}

/* ---- conditions ----------------------------------------------------------- */

static void
cond_free(struct lead_cond *c)
{
	if (c == NULL)
		return;
	cond_free(c->a);
	cond_free(c->b);
	for (size_t i = 0; i < c->nstr; i++)
		free(c->str[i]);
	free(c->str);
	free(c->num);
	free(c->isnum);
	if (c->re) {
		tre_regfree(c->re);
		free(c->re);
	}
	free(c);
}

static struct lead_cond *
node(struct parser *p, enum cop op, int col)
{
	struct lead_cond *c;

	if (++p->nodes > MAXNODES) {
		if (p->nodes == MAXNODES + 1)
			perr(p, col, "condition too long (more than %d "
			    "terms)", MAXNODES);
		return NULL;
	}
	c = lead_xcalloc(1, sizeof *c);
	c->op = op;
	c->slot = -1;
	return c;
}

static struct lead_cond *
pair(struct parser *p, enum cop op, struct lead_cond *a, struct lead_cond *b,
    int col)
{
	struct lead_cond *c;

	if (a == NULL || b == NULL || (c = node(p, op, col)) == NULL) {
		cond_free(a);
		cond_free(b);
		return NULL;
	}
	c->a = a;
	c->b = b;
	return c;
}

static void
value_add(struct lead_cond *c, const char *s)
{
	double v;

	c->str = lead_xrealloc(c->str, (c->nstr + 1) * sizeof *c->str);
	c->num = lead_xrealloc(c->num, (c->nstr + 1) * sizeof *c->num);
	c->isnum = lead_xrealloc(c->isnum, c->nstr + 1);
	c->str[c->nstr] = lead_trim(lead_xstrdup(s));
	c->isnum[c->nstr] = (unsigned char)number(c->str[c->nstr], &v);
	c->num[c->nstr] = c->isnum[c->nstr] ? v : 0;
	c->nstr++;
}

static const struct tok *
value(struct parser *p)
{
	struct tok *t = next(p);

	if (t->type != T_WORD && t->type != T_STR) {
		perr(p, t->col, "expected a value, found %s", shown(t));
		return NULL;
	}
	return t;
}

/* 1 if slot is the grade (in a where clause, slots are touch fields). */
static int
is_grade(const struct parser *p, int slot)
{
	return p->ns != NS_EVENT && p->r->slot[slot].type == LEAD_SLOT_GRADE;
}

/* The grade names a condition compares with, checked at the end. */
static void
grade_ref(struct parser *p, const struct lead_cond *c, const struct tok *t)
{
	if (!is_grade(p, c->slot))
		return;
	p->gref = lead_xrealloc(p->gref, (p->ngref + 1) * sizeof *p->gref);
	p->gref[p->ngref].name = lead_xstrdup(t->s);
	p->gref[p->ngref].line = p->line;
	p->gref[p->ngref].col = t->col;
	p->ngref++;
}

static struct lead_cond *parse_or(struct parser *p);

static struct lead_cond *
parse_test(struct parser *p)
{
	struct tok *f = next(p), *t;
	const struct tok *v;
	struct lead_cond *c;
	int slot, neg = 0;

	if (f->type != T_WORD || isword(f, "and") || isword(f, "or")) {
		perr(p, f->col, "expected a field name, found %s", shown(f));
		return NULL;
	}
	if ((slot = field_slot(p, f)) < 0)
		return NULL;
	if ((c = node(p, C_PRESENT, f->col)) == NULL)
		return NULL;
	c->slot = slot;
	t = peek(p);
	if (t->type == T_OP) {
		next(p);
		if ((v = value(p)) == NULL)
			goto fail;
		if (strcmp(t->s, "=") == 0 || strcmp(t->s, "!=") == 0) {
			c->op = C_EQ;
			neg = t->s[0] == '!';
			value_add(c, v->s);
			grade_ref(p, c, v);
		} else if (strcmp(t->s, "~") == 0) {
			c->op = C_MATCH;
			if ((c->re = re_compile(p, v)) == NULL)
				goto fail;
		} else {
			c->op = strcmp(t->s, "<") == 0 ? C_LT :
			    strcmp(t->s, "<=") == 0 ? C_LE :
			    strcmp(t->s, ">") == 0 ? C_GT : C_GE;
			if (is_grade(p, slot)) {
				perr(p, t->col, "grades compare with = or "
				    "in, not %s", t->s);
				goto fail;
			}
			if (!number(v->s, &c->n)) {
				perr(p, v->col, "'%s' is not a number", v->s);
				goto fail;
			}
		}
	} else if (isword(t, "not") && isword(&p->t[p->i + 1], "in")) {
		next(p);
		neg = 1;
		goto in;
	} else if (isword(t, "in")) {
in:
		next(p);
		c->op = C_IN;
		{
			int paren = peek(p)->type == T_LP;

			if (paren)
				next(p);
			do {
				if ((v = value(p)) == NULL)
					goto fail;
				value_add(c, v->s);
				grade_ref(p, c, v);
				if (c->nstr > MAXNODES) {
					perr(p, v->col, "list too long");
					goto fail;
				}
			} while (peek(p)->type == T_COMMA && next(p));
			if (paren && next(p)->type != T_RP) {
				perr(p, p->t[p->i ? p->i - 1 : 0].col,
				    "expected ')' to close the list");
				goto fail;
			}
		}
	} else if (isword(t, "contains")) {
		next(p);
		if ((v = value(p)) == NULL)
			goto fail;
		c->op = C_CONTAINS;
		value_add(c, v->s);
		if (c->str[0][0] == '\0') {
			perr(p, v->col, "contains what? the text is empty");
			goto fail;
		}
	} else if (isword(t, "matches")) {
		next(p);
		if ((v = value(p)) == NULL)
			goto fail;
		c->op = C_MATCH;
		if ((c->re = re_compile(p, v)) == NULL)
			goto fail;
	} else if (isword(t, "present")) {
		next(p);
	} else if (isword(t, "missing")) {
		next(p);
		neg = 1;
	}
	if (neg) {
		struct lead_cond *n = node(p, C_NOT, f->col);

		if (n == NULL)
			goto fail;
		n->a = c;
		c = n;
	}
	return c;
fail:
	cond_free(c);
	return NULL;
}

static struct lead_cond *
parse_unary(struct parser *p)
{
	struct tok *t = peek(p);
	struct lead_cond *c;

	if (isword(t, "not") || t->type == T_LP) {
		if (++p->depth > MAXDEPTH) {
			perr(p, t->col, "nested too deeply (more than %d "
			    "levels)", MAXDEPTH);
			return NULL;
		}
		next(p);
		if (t->type == T_LP) {
			c = parse_or(p);
			if (c && next(p)->type != T_RP) {
				perr(p, p->t[p->i ? p->i - 1 : 0].col,
				    "expected ')'");
				cond_free(c);
				c = NULL;
			}
		} else {
			struct lead_cond *a = parse_unary(p);

			c = a ? node(p, C_NOT, t->col) : NULL;
			if (c)
				c->a = a;
			else
				cond_free(a);
		}
		p->depth--;
		return c;
	}
	return parse_test(p);
}

static struct lead_cond *
parse_and(struct parser *p)
{
	struct lead_cond *c = parse_unary(p);

	while (c && isword(peek(p), "and")) {
		int col = next(p)->col;

		c = pair(p, C_AND, c, parse_unary(p), col);
	}
	return c;
}

static struct lead_cond *
parse_or(struct parser *p)
{
	struct lead_cond *c = parse_and(p);

	while (c && isword(peek(p), "or")) {
		int col = next(p)->col;

		c = pair(p, C_OR, c, parse_and(p), col);
	}
	return c;
}

static struct lead_cond *
condition(struct parser *p, enum ns ns)
{
	p->ns = ns;
	p->depth = 0;
	p->nodes = 0;
	if (isword(peek(p), "if"))
		next(p);
	if (peek(p)->type == T_END) {
		perr(p, peek(p)->col, "expected a condition");
		return NULL;
	}
	return parse_or(p);
}

static int
line_end(struct parser *p)
{
	struct tok *t = peek(p);

	if (t->type != T_END) {
		perr(p, t->col, "unexpected '%s'", t->s);
		return -1;
	}
	return 0;
}

/* ---- statements ------------------------------------------------------------ */

static char *
rule_text(const char *line, size_t n)
{
	/* The statement as written, without its comment or spacing. */
	struct lead_buf b = { 0 };
	int inq = 0, sp = 0;

	for (size_t i = 0; i < n; i++) {
		char c = line[i];

		if (!inq && c == '#')
			break;
		if (inq && c == '\\' && i + 1 < n) {
			lead_buf_addc(&b, c);
			lead_buf_addc(&b, line[++i]);
			continue;
		}
		if (c == '"' || c == '\'')
			inq = inq == c ? 0 : inq ? inq : c;
		if (!inq && (c == ' ' || c == '\t' || c == '\r')) {
			sp = b.len > 0;
			continue;
		}
		if (sp)
			lead_buf_addc(&b, ' ');
		sp = 0;
		lead_buf_addc(&b, c);
	}
	if (b.s == NULL)
		lead_buf_adds(&b, "");
	return lead_buf_take(&b);
}

static void
stmt_fit(struct parser *p, struct lead_rule *ru)
{
	if (points(p, next(p), 1, &ru->points) < 0)
		return;
	if ((ru->cond = condition(p, NS_FIT)) == NULL)
		return;
	line_end(p);
}

static void
stmt_behavior(struct parser *p, struct lead_rule *ru)
{
	struct tok *t;
	char *k;
	const char *why;

	if (points(p, next(p), 1, &ru->points) < 0)
		return;
	t = next(p);
	if (t->type != T_WORD) {
		perr(p, t->col, "expected an activity kind, found %s",
		    shown(t));
		return;
	}
	k = lead_xstrdup(t->s);
	if ((why = lead_kind_norm(k)) != NULL) {
		perr(p, t->col, "'%s': %s", t->s, why);
		free(k);
		return;
	}
	ru->kind = k;
	p->kref = lead_xrealloc(p->kref, (p->nkref + 1) * sizeof *p->kref);
	p->kref[p->nkref++] = (struct ref){ lead_xstrdup(k), p->line, t->col };
	while (!p->bad && (t = next(p))->type != T_END) {
		int64_t *dur = NULL;

		if (isword(t, "within"))
			dur = &ru->within;
		else if (isword(t, "half-life") || isword(t, "halflife"))
			dur = &ru->halflife;
		if (dur) {
			struct tok *d = next(p);

			if (*dur) {
				perr(p, t->col, "'%s' given twice", t->s);
				return;
			}
			if (d->type != T_WORD ||
			    lead_duration_parse(d->s, dur) < 0 || *dur <= 0) {
				perr(p, d->col, "%s: expected a duration, such "
				    "as 14d, 2w or 12h", shown(d));
				return;
			}
		} else if (isword(t, "cap")) {
			if (ru->cap) {
				perr(p, t->col, "'cap' given twice");
				return;
			}
			if (points(p, next(p), 0, &ru->cap) < 0)
				return;
			if (ru->cap <= 0) {
				perr(p, t->col, "a cap is a number of points "
				    "above 0");
				return;
			}
		} else if (isword(t, "where")) {
			if (ru->cond) {
				perr(p, t->col, "'where' given twice; join "
				    "the conditions with and");
				return;
			}
			p->evfields = 0;
			if ((ru->cond = condition(p, NS_EVENT)) == NULL)
				return;
			ru->evfields = p->evfields;
		} else {
			perr(p, t->col, "unexpected '%s': a behavior rule "
			    "goes on with where, within, half-life or cap",
			    t->s);
			return;
		}
	}
}

static void
stmt_grade(struct parser *p, int col)
{
	struct lead_rules *r = p->r;
	struct lead_grade g = { .line = p->line, .any = 1 };
	struct tok *t = next(p), *op;

	if (t->type != T_WORD && t->type != T_STR) {
		perr(p, t->col, "expected a grade name, such as A");
		return;
	}
	g.name = lead_xstrdup(t->s);
	if (isword(peek(p), "if"))
		next(p);
	if (!isword(peek(p), "fit") && peek(p)->type != T_END) {
		perr(p, peek(p)->col, "a grade is a band of fit: grade %s "
		    "fit >= N", g.name);
		goto fail;
	}
	if (isword(peek(p), "fit")) {
		next(p);
		op = next(p);
		if (op->type != T_OP || (strcmp(op->s, ">=") != 0 &&
		    strcmp(op->s, ">") != 0)) {
			perr(p, op->col, "a grade band is fit >= N (or > N)");
			goto fail;
		}
		if (points(p, next(p), 0, &g.min) < 0)
			goto fail;
		if (strcmp(op->s, ">") == 0)
			g.min++;
		g.any = 0;
	}
	if (line_end(p) < 0)
		goto fail;
	for (size_t i = 0; i < r->ngrade; i++) {
		if (strcmp(r->grade[i].name, g.name) == 0) {
			perr(p, col, "grade %s is defined twice (line %d)",
			    g.name, r->grade[i].line);
			goto fail;
		}
		if (r->grade[i].any) {
			perr(p, col, "grade %s can never apply: grade %s "
			    "(line %d) takes every lead left", g.name,
			    r->grade[i].name, r->grade[i].line);
			goto fail;
		}
		if (!g.any && g.min >= r->grade[i].min) {
			perr(p, col, "grade %s can never apply: a fit that "
			    "high is grade %s (line %d); list grades from "
			    "the highest band down", g.name, r->grade[i].name,
			    r->grade[i].line);
			goto fail;
		}
	}
	r->grade = lead_xrealloc(r->grade, (r->ngrade + 1) * sizeof *r->grade);
	r->grade[r->ngrade++] = g;
	return;
fail:
	free(g.name);
}

static void
stmt_kind(struct parser *p)
{
	struct lead_rules *r = p->r;
	struct tok *t;
	const char *why;

	do {
		char *k;

		t = next(p);
		if (t->type != T_WORD) {
			perr(p, t->col, "expected an activity kind, found %s",
			    shown(t));
			return;
		}
		k = lead_xstrdup(t->s);
		if ((why = lead_kind_norm(k)) != NULL) {
			perr(p, t->col, "'%s': %s", t->s, why);
			free(k);
			return;
		}
		r->kind = lead_xrealloc(r->kind, (r->nkind + 1) *
		    sizeof *r->kind);
		r->kind[r->nkind++] = k;
	} while (peek(p)->type == T_COMMA && next(p));
	line_end(p);
}

/* "reentry after DUR": a lead sales sent back re-qualifies, without new
 * behaviour, once DUR has passed (the agreed re-entry date). */
static void
stmt_reentry(struct parser *p, int col)
{
	struct lead_rules *r = p->r;
	struct tok *t = next(p), *d;

	if (r->reentry_line) {
		perr(p, col, "a second reentry line (the first is line %d)",
		    r->reentry_line);
		return;
	}
	if (!isword(t, "after")) {
		perr(p, t->col, "expected 'after DURATION' (reentry after "
		    "90d), found %s", shown(t));
		return;
	}
	d = next(p);
	if (d->type != T_WORD || lead_duration_parse(d->s, &r->reentry) < 0 ||
	    r->reentry <= 0) {
		perr(p, d->col, "%s: expected a duration, such as 60d or 12w",
		    shown(d));
		r->reentry = 0;
		return;
	}
	r->reentry_line = p->line;
	line_end(p);
}

static void
statement(struct parser *p, const char *line, size_t n)
{
	struct lead_rules *r = p->r;
	struct tok *t = next(p);
	struct lead_rule ru = { .line = p->line };

	if (isword(t, "fit") || isword(t, "behavior") ||
	    isword(t, "behaviour")) {
		ru.type = isword(t, "fit") ? LEAD_RULE_FIT : LEAD_RULE_BEHAVIOR;
		if (r->nrule == MAXRULES) {
			perr(p, t->col, "more than %d rules", MAXRULES);
			return;
		}
		if (ru.type == LEAD_RULE_FIT)
			stmt_fit(p, &ru);
		else
			stmt_behavior(p, &ru);
		if (p->bad) {
			cond_free(ru.cond);
			free(ru.kind);
			return;
		}
		ru.text = rule_text(line, n);
		r->rule = lead_xrealloc(r->rule, (r->nrule + 1) *
		    sizeof *r->rule);
		r->rule[r->nrule++] = ru;
	} else if (isword(t, "grade")) {
		stmt_grade(p, t->col);
	} else if (isword(t, "mql")) {
		struct lead_cond *c = condition(p, NS_MQL);

		if (c && line_end(p) == 0) {
			r->mql = lead_xrealloc(r->mql, (r->nmql + 1) *
			    sizeof *r->mql);
			r->mql[r->nmql].cond = c;
			r->mql[r->nmql].line = p->line;
			r->mql[r->nmql].text = rule_text(line, n);
			r->nmql++;
		} else
			cond_free(c);
	} else if (isword(t, "kind")) {
		stmt_kind(p);
	} else if (isword(t, "reentry") || isword(t, "re-entry")) {
		stmt_reentry(p, t->col);
	} else {
		static const char *const kw[] = { "fit", "behavior", "grade",
		    "mql", "kind", "reentry" };
		char h[128];

		hint(h, sizeof h, t->type == T_WORD ? lead_suggest(t->s, kw, 6) :
		    NULL);
		perr(p, t->col, "unknown statement '%s'%s; a line is fit, "
		    "behavior, grade, mql, kind or reentry", shown(t), h);
	}
}

/* ---- the file ------------------------------------------------------------- */

static int
kind_known(struct parser *p, const char *k)
{
	for (int i = 0; lead_std_kinds[i]; i++)
		if (strcmp(k, lead_std_kinds[i]) == 0)
			return 1;
	for (size_t i = 0; i < p->r->nkind; i++)
		if (strcmp(k, p->r->kind[i]) == 0)
			return 1;
	return p->known == NULL || p->known(p->ctx, 1, k);
}

/* What can only be checked with the whole file read: the grades the mql
 * lines name, the kinds the behavior rules name. */
static void
check_refs(struct parser *p)
{
	struct lead_rules *r = p->r;
	const char **names;
	size_t nstd;
	char h[128];

	for (size_t i = 0; i < p->ngref; i++) {
		size_t j;

		for (j = 0; j < r->ngrade; j++)
			if (strcmp(r->grade[j].name, p->gref[i].name) == 0)
				break;
		p->line = p->gref[i].line;
		if (j == r->ngrade)
			perr(p, p->gref[i].col, "no grade '%s' (the grade "
			    "lines define them)", p->gref[i].name);
	}
	for (nstd = 0; lead_std_kinds[nstd]; nstd++)
		continue;
	names = lead_xcalloc(nstd + r->nkind + 1, sizeof *names);
	{
		size_t n = 0;

		for (int i = 0; lead_std_kinds[i]; i++)
			names[n++] = lead_std_kinds[i];
		for (size_t i = 0; i < r->nkind; i++)
			names[n++] = r->kind[i];
		for (size_t i = 0; i < p->nkref; i++) {
			if (kind_known(p, p->kref[i].name))
				continue;
			p->line = p->kref[i].line;
			hint(h, sizeof h, lead_suggest(p->kref[i].name, names, n));
			perr(p, p->kref[i].col, "unknown activity kind '%s'%s; "
			    "no activity has it (declare a new one with: "
			    "kind %s)", p->kref[i].name, h, p->kref[i].name);
		}
	}
	free(names);
}

int
lead_rules_parse(struct lead_rules *r, const char *text, const char *name,
    lead_rules_known_fn *known, void *ctx)
{
	struct parser p = { .file = name, .r = r, .known = known,
	    .ctx = ctx };
	const char *s = text, *e;

	memset(r, 0, sizeof *r);
	if (strncmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	for (; *s && p.nerr < MAXERRS; s = *e ? e + 1 : e) {
		size_t n;

		e = strchr(s, '\n');
		if (e == NULL)
			e = s + strlen(s);
		n = (size_t)(e - s);
		p.line++;
		p.bad = 0;
		if (!lead_utf8_valid(s, n)) {
			perr(&p, 1, "not UTF-8 text (convert the file, e.g. "
			    "with iconv -f latin1 -t utf-8)");
			continue;
		}
		if (lex(&p, s, n) == 0 && p.t[0].type != T_END)
			statement(&p, s, n);
		toks_free(&p);
	}
	if (p.nerr == 0)
		check_refs(&p);
	if (p.nerr == 0 && r->nrule == 0) {
		lead_warn("%s: no rules: a rule file needs at least one fit or "
		    "behavior line", name);
		p.nerr++;
	}
	for (size_t i = 0; i < p.ngref; i++)
		free(p.gref[i].name);
	for (size_t i = 0; i < p.nkref; i++)
		free(p.kref[i].name);
	free(p.gref);
	free(p.kref);
	if (p.nerr) {
		lead_rules_free(r);
		return -1;
	}
	return 0;
}

/* A parser for one line of text outside a rule file. */
static void
where_start(struct parser *p, struct lead_rules *r, const char *name,
    lead_rules_known_fn *known, void *ctx, const char *const *extra)
{
	memset(p, 0, sizeof *p);
	p->file = name;
	p->line = 1;
	p->r = r;
	p->known = known;
	p->ctx = ctx;
	p->extra = extra;
	p->ns = NS_MQL;
}

static void
where_end(struct parser *p)
{
	toks_free(p);
	for (size_t i = 0; i < p->ngref; i++)
		free(p->gref[i].name);
	free(p->gref);
}

int
lead_where_parse(struct lead_rules *r, const char *text, const char *name,
    lead_rules_known_fn *known, void *ctx, const char *const *extra)
{
	struct parser p;
	struct lead_cond *c = NULL;
	size_t n = strlen(text);

	where_start(&p, r, name, known, ctx, extra);
	if (!lead_utf8_valid(text, n) || memchr(text, '\n', n) ||
	    memchr(text, '\r', n))
		perr(&p, 1, "not one line of UTF-8 text");
	else if (lex(&p, text, n) == 0) {
		c = condition(&p, NS_MQL);
		if (c && line_end(&p) < 0) {
			cond_free(c);
			c = NULL;
		}
	}
	where_end(&p);
	if (p.nerr || c == NULL) {
		cond_free(c);
		return -1;
	}
	r->mql = lead_xrealloc(r->mql, (r->nmql + 1) * sizeof *r->mql);
	r->mql[r->nmql].cond = c;
	r->mql[r->nmql].line = 1;
	r->mql[r->nmql].text = lead_xstrdup(text);
	r->nmql++;
	return 0;
}

int
lead_where_field(struct lead_rules *r, const char *field, const char *name,
    lead_rules_known_fn *known, void *ctx, const char *const *extra)
{
	struct parser p;
	struct tok t = { T_WORD, (char *)field, 1 };
	int s = -1;

	where_start(&p, r, name, known, ctx, extra);
	if (!lead_utf8_valid(field, strlen(field)))
		perr(&p, 1, "not UTF-8 text");
	else
		s = field_slot(&p, &t);
	where_end(&p);
	return p.nerr ? -1 : s;
}

void
lead_rules_free(struct lead_rules *r)
{
	for (size_t i = 0; i < r->nrule; i++) {
		free(r->rule[i].text);
		free(r->rule[i].kind);
		cond_free(r->rule[i].cond);
	}
	for (size_t i = 0; i < r->ngrade; i++)
		free(r->grade[i].name);
	for (size_t i = 0; i < r->nmql; i++) {
		cond_free(r->mql[i].cond);
		free(r->mql[i].text);
	}
	for (size_t i = 0; i < r->nslot; i++) {
		free(r->slot[i].name);
		free(r->slot[i].sql);
	}
	for (size_t i = 0; i < r->nkind; i++)
		free(r->kind[i]);
	free(r->rule);
	free(r->grade);
	free(r->mql);
	free(r->slot);
	free(r->kind);
	memset(r, 0, sizeof *r);
}

/* ---- evaluating ------------------------------------------------------------- */

static int
equals(const struct lead_cond *c, size_t i, const char *v)
{
	double x;

	if (c->isnum[i] && number(v, &x))
		return x == c->num[i];
	return strcasecmp(v, c->str[i]) == 0;
}

const char *
lead_slot_value(const struct lead_slot *s, const char *raw, lead_time now,
    char buf[32])
{
	lead_time t;

	switch (s->type) {
	case LEAD_SLOT_FREEMAIL:
		return raw && lead_freemail(raw) ? "yes" : NULL;
	case LEAD_SLOT_DAYS:
		if (raw == NULL || lead_time_stored(raw, &t) < 0)
			return NULL;
		/* To a tenth of a day, as lead-report shows an age. */
		snprintf(buf, 32, "%.1f", round((double)(now - t) / 8640) / 10);
		return buf;
	default:
		return raw;
	}
}

int
lead_cond_eval(const struct lead_cond *c, const char *const *vals)
{
	const char *v = c->slot >= 0 ? vals[c->slot] : NULL;
	double x;

	switch (c->op) {
	case C_AND:
		return lead_cond_eval(c->a, vals) && lead_cond_eval(c->b, vals);
	case C_OR:
		return lead_cond_eval(c->a, vals) || lead_cond_eval(c->b, vals);
	case C_NOT:
		return !lead_cond_eval(c->a, vals);
	case C_PRESENT:
		return v && *v && !lead_blank(v);
	case C_EQ:
		return v && equals(c, 0, v);
	case C_IN:
		if (v == NULL)
			return 0;
		for (size_t i = 0; i < c->nstr; i++)
			if (equals(c, i, v))
				return 1;
		return 0;
	case C_CONTAINS:
		return v && strcasestr(v, c->str[0]) != NULL;
	case C_MATCH:
		return v && tre_regexec(c->re, v, 0, NULL, 0) == 0;
	case C_LT: case C_LE: case C_GT: case C_GE:
		if (!lead_value_number(v, &x))
			return 0;
		return c->op == C_LT ? x < c->n : c->op == C_LE ? x <= c->n :
		    c->op == C_GT ? x > c->n : x >= c->n;
	}
	return 0;
}

char *
lead_cents_format(int64_t c, char buf[32])
{
	uint64_t a = c < 0 ? -(uint64_t)c : (uint64_t)c;

	if (a % 100 == 0)
		snprintf(buf, 32, "%s%llu", c < 0 ? "-" : "",
		    (unsigned long long)(a / 100));
	else if (a % 10 == 0)
		snprintf(buf, 32, "%s%llu.%llu", c < 0 ? "-" : "",
		    (unsigned long long)(a / 100),
		    (unsigned long long)(a % 100 / 10));
	else
		snprintf(buf, 32, "%s%llu.%02llu", c < 0 ? "-" : "",
		    (unsigned long long)(a / 100),
		    (unsigned long long)(a % 100));
	return buf;
}
