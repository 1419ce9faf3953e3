/*
 * contact.c: the contact protocol (which context each kind of touch must
 * carry) and contact caps (how often a lead may be contacted).
 *
 * A protocol file has one rule a line; '#' starts a comment:
 *
 *	call        outcome note
 *	meeting     note next
 *	*           by
 *	boilerplate had a call | spoke | follow up
 *	min-note    15
 *
 * A rule names a kind (or * for every kind) and the context it needs;
 * "boilerplate" lists notes that say nothing; "min-note" is the length
 * below which a required note is refused; "kind" declares the team's
 * own kinds of touch, which a rep may then type (lead-log refuses a kind
 * it does not know, to catch "cal" for "call").
 */
#include <stdlib.h>
#include <string.h>

#include "lead.h"

const char lead_protocol_default[] =
	"# The contact protocol: the context each kind of touch must carry.\n"
	"# Fields: outcome note next due content channel by amount.\n"
	"call           outcome note\n"
	"meeting        note next\n"
	"note           note\n"
	"quote          amount\n"
	"email_sent     content\n"
	"# Notes that say nothing, and the shortest note that can say something.\n"
	"boilerplate    had a call | call | called | spoke | talked | chat |"
	" meeting | met | follow up | followup | fu | ok | done | tbd | na |"
	" n/a | none | nothing | left vm | vm | lvm | no answer | see above\n"
	"min-note       12\n"
	"# The team's own kinds of touch, beside leadkit's (lead(7)):\n"
	"# kind         demo, trade_show_visit\n";

static const struct {
	const char *name;
	unsigned bit;
} ctxnames[] = {
	{ "outcome", LEAD_CTX_OUTCOME }, { "note", LEAD_CTX_NOTE },
	{ "next", LEAD_CTX_NEXT }, { "due", LEAD_CTX_DUE },
	{ "content", LEAD_CTX_CONTENT }, { "channel", LEAD_CTX_CHANNEL },
	{ "by", LEAD_CTX_BY }, { "amount", LEAD_CTX_AMOUNT },
};
#define NCTX (sizeof ctxnames / sizeof *ctxnames)

/* The option that gives each piece of context, for messages. */
static const char *const ctxopt[NCTX] = {
	"--outcome", "--note", "--next", "--due", "--content", "--channel",
	"--by", "--amount",
};

static int
isword(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '*';
}

/* "name:line:col: what" */
static void
perr(const char *name, int line, int col, const char *what, const char *arg)
{
	if (arg)
		lead_warn("%s:%d:%d: %s '%s'", name, line, col, what, arg);
	else
		lead_warn("%s:%d:%d: %s", name, line, col, what);
}

static int
parse_line(struct lead_protocol *p, const char *name, int ln, char *s)
{
	char *w = s, *e, *kind;
	size_t n;

	while (*w == ' ' || *w == '\t')
		w++;
	if (*w == '\0' || *w == '#')
		return 0;
	for (e = w; isword(*e); e++)
		;
	if (e == w || (*e && *e != ' ' && *e != '\t')) {
		perr(name, ln, (int)(e - s) + 1, "expected a kind or a "
		    "directive", NULL);
		return -1;
	}
	n = (size_t)(e - w);
	if (n == 11 && strncmp(w, "boilerplate", n) == 0) {
		for (char *ph = e; ph && *ph;) {
			char *bar = strchr(ph, '|'), *k;

			if (bar)
				*bar = '\0';
			k = lead_colkey(ph);
			if (*k) {
				p->boiler = lead_xrealloc(p->boiler,
				    (p->nboiler + 1) * sizeof *p->boiler);
				p->boiler[p->nboiler++] = k;
			} else
				free(k);
			ph = bar ? bar + 1 : NULL;
		}
		return 0;
	}
	if (n == 4 && strncmp(w, "kind", n) == 0) {
		char *copy = lead_xstrdup(e), *save = NULL, *k;
		const char *why;

		for (k = strtok_r(copy, ", \t", &save); k;
		    k = strtok_r(NULL, ", \t", &save)) {
			if (*k == '#')
				break;
			if ((why = lead_kind_norm(k)) != NULL) {
				perr(name, ln, (int)(e - s) + 2, why, k);
				free(copy);
				return -1;
			}
			p->kind = lead_xrealloc(p->kind, (p->nkind + 1) *
			    sizeof *p->kind);
			p->kind[p->nkind++] = lead_xstrdup(k);
		}
		free(copy);
		return 0;
	}
	if (n == 8 && strncmp(w, "min-note", n) == 0) {
		char *end;
		long v = strtol(e, &end, 10);

		while (*end == ' ' || *end == '\t')
			end++;
		if (end == e || *end || v < 0 || v > 1000) {
			perr(name, ln, (int)(e - s) + 2, "min-note wants a "
			    "number from 0 to 1000", NULL);
			return -1;
		}
		p->minnote = (int)v;
		return 0;
	}
	/* Kinds are written as lead-log writes them: lower case, '_'. */
	kind = lead_lower(lead_xstrndup(w, n));
	for (char *k = kind; *k; k++)
		if (*k == '-')
			*k = '_';
	for (size_t i = 0; i < p->nrule; i++)
		if (strcmp(p->rule[i].kind, kind) == 0) {
			perr(name, ln, (int)(w - s) + 1, "a second rule for",
			    kind);
			free(kind);
			return -1;
		}
	p->rule = lead_xrealloc(p->rule, (p->nrule + 1) * sizeof *p->rule);
	p->rule[p->nrule].kind = kind;
	p->rule[p->nrule].need = 0;
	for (char *f = e;;) {
		size_t i;

		while (*f == ' ' || *f == '\t' || *f == ',')
			f++;
		if (*f == '\0' || *f == '#')
			break;
		for (e = f; isword(*e); e++)
			;
		for (i = 0; i < NCTX; i++)
			if (strlen(ctxnames[i].name) == (size_t)(e - f) &&
			    strncmp(ctxnames[i].name, f, (size_t)(e - f)) == 0)
				break;
		if (i == NCTX || e == f) {
			char *bad = lead_xstrndup(f, e > f ? (size_t)(e - f) : 1);

			perr(name, ln, (int)(f - s) + 1, "unknown field (outcome, "
			    "note, next, due, content, channel, by, amount):", bad);
			free(bad);
			free(p->rule[p->nrule].kind);
			return -1;
		}
		p->rule[p->nrule].need |= ctxnames[i].bit;
		f = e;
	}
	p->nrule++;
	return 0;
}

int
lead_protocol_parse(struct lead_protocol *p, const char *text,
    const char *name)
{
	char *copy, *line, *next;
	int ln = 0, rc = 0;

	memset(p, 0, sizeof *p);
	if (memchr(text, '\0', strlen(text)) != NULL ||
	    !lead_utf8_valid(text, strlen(text))) {
		lead_warn("%s: not a text file", name);
		return -1;
	}
	copy = lead_xstrdup(text);
	for (line = copy; line && rc == 0; line = next) {
		ln++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		rc = parse_line(p, name, ln, line);
	}
	free(copy);
	if (rc < 0)
		lead_protocol_free(p);
	return rc;
}

void
lead_protocol_free(struct lead_protocol *p)
{
	for (size_t i = 0; i < p->nrule; i++)
		free(p->rule[i].kind);
	for (size_t i = 0; i < p->nboiler; i++)
		free(p->boiler[i]);
	for (size_t i = 0; i < p->nkind; i++)
		free(p->kind[i]);
	free(p->kind);
	free(p->rule);
	free(p->boiler);
	memset(p, 0, sizeof *p);
}

/* Characters, not bytes: "Grüße" is five. */
static int
utf8_chars(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Code points that are punctuation, spaces, symbols or pictographs in
 * every script: "—", "…", "“”", "　", "→", "👍" say nothing. */
static int
mute(unsigned long c)
{
	static const unsigned long r[][2] = {
		{ 0x80, 0xbf }, { 0xd7, 0xd7 }, { 0xf7, 0xf7 },
		{ 0x2000, 0x2bff }, { 0x2e00, 0x2e7f }, { 0x3000, 0x303f },
		{ 0xfe10, 0xfe1f }, { 0xfe30, 0xfe6f }, { 0xfeff, 0xfeff },
		{ 0xff01, 0xff0f }, { 0xff1a, 0xff20 }, { 0xff3b, 0xff40 },
		{ 0xff5b, 0xff65 }, { 0xfff0, 0xffff }, { 0x1f000, 0x1faff },
	};

	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
		if (c >= r[i][0] && c <= r[i][1])
			return 1;
	return 0;
}

/* A value says something only if it has a letter or a digit, in any
 * script: blanks, dashes, dots, ellipses and emoji are not context. */
static int
given(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (p && *p) {
		unsigned long c = *p;
		int len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 :
		    c >= 0xc0 ? 2 : 1;

		if (c < 0x80) {
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9'))
				return 1;
			p++;
			continue;
		}
		if (c < 0xc0 || c > 0xf4)
			return 1;	/* not UTF-8: read as text */
		c &= len == 2 ? 0x1f : len == 3 ? 0x0f : 0x07;
		for (int i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 1;	/* not UTF-8: read as text */
			c = c << 6 | (p[i] & 0x3f);
		}
		if (!mute(c))
			return 1;
		p += len;
	}
	return 0;
}

char *
lead_protocol_check(const struct lead_protocol *p, const struct lead_touch *t)
{
	const char *have[NCTX] = { t->outcome, t->note, t->next, t->due,
	    t->content, t->channel, t->actor, t->amount };
	struct lead_buf b = { 0 };
	unsigned need = 0;
	int nmiss = 0;

	for (size_t i = 0; i < p->nrule; i++)
		if (strcmp(p->rule[i].kind, "*") == 0 ||
		    strcmp(p->rule[i].kind, t->kind) == 0)
			need |= p->rule[i].need;
	for (size_t i = 0; i < NCTX; i++)
		if ((need & ctxnames[i].bit) && !given(have[i])) {
			lead_buf_addf(&b, "%s%s", nmiss++ ? ", " : "", ctxopt[i]);
		}
	if (nmiss) {
		char *msg;
		struct lead_buf m = { 0 };

		lead_buf_addf(&m, "%s %s needs %s (the contact protocol; "
		    "see lead-log protocol)", strchr("aeiou", t->kind[0]) ?
		    "an" : "a", t->kind, b.s);
		lead_buf_free(&b);
		msg = lead_buf_take(&m);
		return msg;
	}
	if ((need & LEAD_CTX_NOTE) && given(t->note)) {
		char *k = lead_colkey(t->note);
		int boiler = 0;

		for (size_t i = 0; i < p->nboiler && !boiler; i++)
			boiler = strcmp(k, p->boiler[i]) == 0;
		free(k);
		if (boiler)
			lead_buf_addf(&b, "the note '%s' says nothing: write "
			    "what was said, learned or agreed", t->note);
		else if (utf8_chars(t->note) < p->minnote)
			lead_buf_addf(&b, "the note '%s' is too short to say "
			    "anything (the protocol wants %d characters)",
			    t->note, p->minnote);
		if (b.len)
			return lead_buf_take(&b);
	}
	return NULL;
}

char *
lead_protocol_missing(const struct lead_protocol *p, const struct lead_touch *t)
{
	const char *have[NCTX] = { t->outcome, t->note, t->next, t->due,
	    t->content, t->channel, t->actor, t->amount };
	struct lead_buf b = { 0 };
	unsigned need = 0;

	for (size_t i = 0; i < p->nrule; i++)
		if (strcmp(p->rule[i].kind, "*") == 0 ||
		    strcmp(p->rule[i].kind, t->kind) == 0)
			need |= p->rule[i].need;
	for (size_t i = 0; i < NCTX; i++) {
		int lacks = (need & ctxnames[i].bit) && !given(have[i]);
		char *k;

		/* A note that says nothing is no note. */
		if (!lacks && (need & ctxnames[i].bit) &&
		    ctxnames[i].bit == LEAD_CTX_NOTE) {
			k = lead_colkey(t->note);
			for (size_t j = 0; j < p->nboiler && !lacks; j++)
				lacks = strcmp(k, p->boiler[j]) == 0;
			lacks |= utf8_chars(t->note) < p->minnote;
			free(k);
		}
		if (lacks)
			lead_buf_addf(&b, "%s%s", b.len ? ", " : "",
			    ctxnames[i].name);
	}
	return b.len ? lead_buf_take(&b) : NULL;
}

int64_t
lead_touch_fp(const struct lead_touch *t)
{
	const char *parts[] = { t->channel, t->actor, t->content, t->outcome,
	    t->note, t->next, t->due, t->amount };
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
		for (const char *p = parts[i]; p && *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
		h = (h ^ 0x1f) * 1099511628211ULL;
	}
	return (int64_t)(h >> 1);
}

/* ---- caps ----------------------------------------------------------------- */

static const struct {
	const char *kind, *channel;
} outbound[] = {
	{ "email_sent", "email" }, { "call", "call" },
	{ "voicemail", "call" }, { "meeting", "meeting" },
	{ "sms", "sms" }, { "social_message", "social" },
	{ "direct_mail", "mail" },
};
#define NOUT (sizeof outbound / sizeof *outbound)

const char *
lead_kind_channel(const char *kind)
{
	for (size_t i = 0; i < NOUT; i++)
		if (strcmp(kind, outbound[i].kind) == 0)
			return outbound[i].channel;
	return NULL;
}

const char *
lead_channel_kinds(const char *channel)
{
	static char buf[256];

	buf[0] = '\0';
	for (size_t i = 0; i < NOUT; i++)
		if (strcmp(channel, "all") == 0 ||
		    strcmp(channel, outbound[i].channel) == 0) {
			if (buf[0])
				strcat(buf, ", ");
			strcat(buf, "'");
			strcat(buf, outbound[i].kind);
			strcat(buf, "'");
		}
	return buf[0] ? buf : "''";
}

static int
known_channel(const char *c)
{
	if (strcmp(c, "all") == 0)
		return 1;
	for (size_t i = 0; i < NOUT; i++)
		if (strcmp(c, outbound[i].channel) == 0)
			return 1;
	return 0;
}

int
lead_caps_parse(const char *spec, struct lead_cap *caps, int maxcaps,
    char **err)
{
	struct lead_buf e = { 0 };
	char *copy = lead_xstrdup(spec), *item, *save = NULL;
	int n = 0;

	*err = NULL;
	for (item = strtok_r(copy, ",", &save); item;
	    item = strtok_r(NULL, ",", &save)) {
		char *eq, *slash, *end;
		long max;

		item = lead_trim(item);
		if (*item == '\0')
			continue;
		eq = strchr(item, '=');
		if (eq == NULL || (slash = strchr(eq, '/')) == NULL) {
			lead_buf_addf(&e, "cap '%s': expected CHANNEL=N/DURATION "
			    "(email=3/7d)", item);
			break;
		}
		*eq = *slash = '\0';
		if (!known_channel(item) || strlen(item) >= sizeof caps->channel) {
			lead_buf_addf(&e, "cap: unknown channel '%s' (email, call, "
			    "meeting, sms, social, mail, all)", item);
			break;
		}
		max = strtol(eq + 1, &end, 10);
		if (end == eq + 1 || *end || max < 0 || max > 100000) {
			lead_buf_addf(&e, "cap '%s': '%s' is not a count", item,
			    eq + 1);
			break;
		}
		if (n == maxcaps) {
			lead_buf_addf(&e, "cap: more than %d caps", maxcaps);
			break;
		}
		for (int i = 0; i < n; i++)
			if (strcmp(caps[i].channel, item) == 0) {
				lead_buf_addf(&e, "cap: '%s' given twice", item);
				goto out;
			}
		strcpy(caps[n].channel, item);
		snprintf(caps[n].spec, sizeof caps[n].spec, "%s=%ld/%s", item,
		    max, slash + 1);
		caps[n].max = max;
		if (lead_duration_parse(slash + 1, &caps[n].window) < 0 ||
		    caps[n].window == 0) {
			lead_buf_addf(&e, "cap '%s': '%s' is not a duration "
			    "(7d, 24h, 2w)", item, slash + 1);
			break;
		}
		n++;
	}
out:
	free(copy);
	if (e.len) {
		*err = lead_buf_take(&e);
		return -1;
	}
	return n;
}
