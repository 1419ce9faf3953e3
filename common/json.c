/*
 * json.c: a lead's attributes (lead.attrs), a flat JSON object, merged
 * and compared here rather than in SQL, so that every engine stores the
 * same text: the members of the lead in their order, then the new ones
 * in the list's, minified, each value spelled as it was given (as
 * SQLite's json_patch writes them).  A value that is itself an object
 * or array is one value: replaced whole, never merged into.
 */
#include <stdlib.h>
#include <string.h>

#include "lead.h"

struct member {
	const char *k, *v;	/* spans of the text: the key with its
				 * quotes, the value as written */
	size_t klen, vlen;
};

struct object {
	struct member *m;
	size_t n, cap;
};

static const char *
ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* The end of the string that starts at p (a '"'), or NULL. */
static const char *
string_end(const char *p)
{
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && *++p == '\0')
			return NULL;
	return *p == '"' ? p + 1 : NULL;
}

/* The end of the value at p, or NULL. */
static const char *
value_end(const char *p)
{
	int depth = 0;

	if (*p == '"')
		return string_end(p);
	for (; *p; p++) {
		if (*p == '"') {
			if ((p = string_end(p)) == NULL)
				return NULL;
			p--;
		} else if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']') {
			if (depth == 0)
				return p;
			if (--depth == 0)
				return p + 1;
		} else if (depth == 0 && (*p == ',' || *p == ' ' ||
		    *p == '\t' || *p == '\n' || *p == '\r'))
			return p;
	}
	return depth == 0 ? p : NULL;
}

/* Parse a flat object; 0, or -1 if s is not one. */
static int
parse(const char *s, struct object *o)
{
	const char *p = ws(s), *e;

	o->n = 0;
	if (*p++ != '{')
		return -1;
	p = ws(p);
	if (*p == '}')
		return *ws(p + 1) ? -1 : 0;
	for (;;) {
		struct member m;

		if (*p != '"' || (e = string_end(p)) == NULL)
			return -1;
		m.k = p, m.klen = (size_t)(e - p);
		p = ws(e);
		if (*p++ != ':')
			return -1;
		p = ws(p);
		if ((e = value_end(p)) == NULL || e == p)
			return -1;
		m.v = p, m.vlen = (size_t)(e - p);
		if (o->n == o->cap) {
			o->cap = o->cap ? 2 * o->cap : 16;
			o->m = lead_xrealloc(o->m, o->cap * sizeof *o->m);
		}
		o->m[o->n++] = m;
		p = ws(e);
		if (*p == '}')
			return *ws(p + 1) ? -1 : 0;
		if (*p++ != ',')
			return -1;
		p = ws(p);
	}
}

static unsigned
hex4(const char *p)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		int c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return 0xFFFFFFFFu;
	}
	return v;
}

static void
utf8(struct lead_buf *b, unsigned c)
{
	if (c < 0x80)
		lead_buf_addc(b, (int)c);
	else if (c < 0x800) {
		lead_buf_addc(b, (int)(0xC0 | c >> 6));
		lead_buf_addc(b, (int)(0x80 | (c & 0x3F)));
	} else if (c < 0x10000) {
		lead_buf_addc(b, (int)(0xE0 | c >> 12));
		lead_buf_addc(b, (int)(0x80 | (c >> 6 & 0x3F)));
		lead_buf_addc(b, (int)(0x80 | (c & 0x3F)));
	} else {
		lead_buf_addc(b, (int)(0xF0 | c >> 18));
		lead_buf_addc(b, (int)(0x80 | (c >> 12 & 0x3F)));
		lead_buf_addc(b, (int)(0x80 | (c >> 6 & 0x3F)));
		lead_buf_addc(b, (int)(0x80 | (c & 0x3F)));
	}
}

/* A value as a comparable byte string: a JSON string decoded (with a
 * leading '"', so that "1" and 1 differ), anything else as written. */
static void
canon(struct lead_buf *b, const char *v, size_t n)
{
	const char *p = v, *end = v + n - 1;

	b->len = 0;
	if (n < 2 || *v != '"') {
		lead_buf_add(b, v, n);
		return;
	}
	lead_buf_addc(b, '"');
	for (p++; p < end; p++) {
		unsigned c, lo;

		if (*p != '\\') {
			lead_buf_addc(b, *p);
			continue;
		}
		switch (*++p) {
		case 'b': lead_buf_addc(b, '\b'); break;
		case 'f': lead_buf_addc(b, '\f'); break;
		case 'n': lead_buf_addc(b, '\n'); break;
		case 'r': lead_buf_addc(b, '\r'); break;
		case 't': lead_buf_addc(b, '\t'); break;
		case 'u':
			if (end - p < 5 || (c = hex4(p + 1)) > 0xFFFF) {
				lead_buf_addc(b, *p);
				break;
			}
			p += 4;
			if (c >= 0xD800 && c < 0xDC00 && end - p >= 7 &&
			    p[1] == '\\' && p[2] == 'u' &&
			    (lo = hex4(p + 3)) >= 0xDC00 && lo < 0xE000) {
				c = 0x10000 + ((c - 0xD800) << 10) +
				    (lo - 0xDC00);
				p += 6;
			}
			utf8(b, c);
			break;
		default:
			lead_buf_addc(b, *p);
		}
	}
}

static int
same_span(struct lead_buf *x, struct lead_buf *y, const char *a, size_t an,
    const char *b, size_t bn)
{
	if (an == bn && memcmp(a, b, an) == 0)
		return 1;
	canon(x, a, an);
	canon(y, b, bn);
	return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
}

/* Index o's members by key, decoded (the first of duplicates). */
static void
index_keys(const struct object *o, struct lead_map *m, struct lead_buf *x)
{
	m->size = sizeof(size_t);
	for (size_t i = 0; i < o->n; i++) {
		canon(x, o->m[i].k, o->m[i].klen);
		if (lead_map_find(m, x->s, x->len) < 0)
			*(size_t *)lead_map_put(m, x->s, x->len) = i;
	}
}

/* The member of the indexed object named as k, or -1. */
static long
find(const struct lead_map *m, const struct member *k, struct lead_buf *x)
{
	size_t *i;

	canon(x, k->k, k->klen);
	i = lead_map_get(m, x->s, x->len);
	return i ? (long)*i : -1;
}

static int
is_null(const struct member *m)
{
	return m->vlen == 4 && memcmp(m->v, "null", 4) == 0;
}

char *
lead_json_merge(const char *cur, const char *add, int flags)
{
	int update = flags & LEAD_JSON_UPDATE, nulls = flags & LEAD_JSON_NULLS;
	struct object a = { 0 }, b = { 0 };
	struct lead_buf out = { 0 }, x = { 0 };
	struct lead_map ia = { 0 }, ib = { 0 };
	const struct member **val = NULL;
	char *res = NULL;

	if (parse(cur, &a) < 0 || parse(add, &b) < 0)
		goto done;
	index_keys(&a, &ia, &x);
	index_keys(&b, &ib, &x);
	val = lead_xcalloc(a.n + b.n + 1, sizeof *val);
	for (size_t i = 0; i < a.n; i++)
		val[i] = &a.m[i];
	for (size_t j = 0; j < b.n; j++) {
		long i = find(&ia, &b.m[j], &x);

		if (i >= 0 && update)
			val[i] = is_null(&b.m[j]) && !nulls ? NULL : &b.m[j];
		else if (i < 0 && (nulls || !is_null(&b.m[j])) &&
		    find(&ib, &b.m[j], &x) == (long)j)
			val[a.n + j] = &b.m[j];
	}
	lead_buf_addc(&out, '{');
	for (size_t i = 0, k = 0; i < a.n + b.n; i++) {
		const struct member *m = val[i];

		if (m == NULL)
			continue;
		if (k++)
			lead_buf_addc(&out, ',');
		lead_buf_add(&out, i < a.n ? a.m[i].k : m->k,
		    i < a.n ? a.m[i].klen : m->klen);
		lead_buf_addc(&out, ':');
		lead_buf_add(&out, m->v, m->vlen);
	}
	lead_buf_addc(&out, '}');
	res = lead_buf_take(&out);
done:
	free(val);
	free(a.m);
	free(b.m);
	lead_map_free(&ia);
	lead_map_free(&ib);
	lead_buf_free(&x);
	return res;
}

int
lead_json_same(const char *a, const char *b)
{
	struct object p = { 0 }, q = { 0 };
	struct lead_buf x = { 0 }, y = { 0 };
	struct lead_map ip = { 0 }, iq = { 0 };
	int same = -1;

	if (parse(a, &p) < 0 || parse(b, &q) < 0)
		goto done;
	index_keys(&p, &ip, &x);
	index_keys(&q, &iq, &x);
	/* As sets: each member of one is in the other, with the same
	 * value (one side's duplicate keys: the first counts). */
	same = 1;
	for (int side = 0; side < 2 && same; side++) {
		const struct object *o = side ? &q : &p, *t = side ? &p : &q;
		const struct lead_map *it = side ? &ip : &iq;

		for (size_t i = 0; i < o->n && same; i++) {
			long j = find(it, &o->m[i], &x);

			if (j < 0 || !same_span(&x, &y, o->m[i].v,
			    o->m[i].vlen, t->m[j].v, t->m[j].vlen))
				same = 0;
		}
	}
done:
	free(p.m);
	free(q.m);
	lead_map_free(&ip);
	lead_map_free(&iq);
	lead_buf_free(&x);
	lead_buf_free(&y);
	return same;
}
