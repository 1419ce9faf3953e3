/*
 * buf.c: growable, always NUL-terminated byte buffers, and JSON strings.
 */
#include <stdlib.h>
#include <string.h>

#include "lead.h"

static void
grow(struct lead_buf *b, size_t n)
{
	size_t cap;

	if (b->len + n + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < b->len + n + 1)
		cap *= 2;
	b->s = lead_xrealloc(b->s, cap);
	b->cap = cap;
}

void
lead_buf_add(struct lead_buf *b, const char *s, size_t n)
{
	grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
lead_buf_adds(struct lead_buf *b, const char *s)
{
	lead_buf_add(b, s, strlen(s));
}

void
lead_buf_addc(struct lead_buf *b, int c)
{
	char ch = (char)c;

	lead_buf_add(b, &ch, 1);
}

void
lead_buf_addf(struct lead_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
lead_buf_json(struct lead_buf *b, const char *s)
{
	const unsigned char *p;

	lead_buf_addc(b, '"');
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':  lead_buf_add(b, "\\\"", 2); break;
		case '\\': lead_buf_add(b, "\\\\", 2); break;
		case '\n': lead_buf_add(b, "\\n", 2); break;
		case '\r': lead_buf_add(b, "\\r", 2); break;
		case '\t': lead_buf_add(b, "\\t", 2); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				lead_buf_addf(b, "\\u%04x", *p);
			else
				lead_buf_addc(b, *p);
		}
	}
	lead_buf_addc(b, '"');
}

void
lead_buf_reset(struct lead_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void
lead_buf_free(struct lead_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

char *
lead_buf_take(struct lead_buf *b)
{
	char *s = b->s ? b->s : lead_xstrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

char *
lead_read_text(const char *path, const char *what, struct lead_err *e)
{
	struct lead_buf b = { 0 };
	char buf[8192];
	size_t n;
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	int bad = 0;

	if (fp == NULL) {
		lead_err_set(e, LEAD_EX_USAGE, "%s: %m", path);
		return NULL;
	}
	while (!bad && (n = fread(buf, 1, sizeof buf, fp)) > 0) {
		lead_buf_add(&b, buf, n);
		if (b.len > 1 << 20)
			bad = lead_err_set(e, LEAD_EX_USAGE, "%s: larger than "
			    "1 MiB; not a %s", path, what);
		else if (memchr(buf, '\0', n))
			bad = lead_err_set(e, LEAD_EX_USAGE, "%s: not a text "
			    "file", path);
	}
	if (!bad && ferror(fp))
		bad = lead_err_set(e, LEAD_EX_USAGE, "%s: read error", path);
	if (fp != stdin)
		fclose(fp);
	if (bad) {
		lead_buf_free(&b);
		return NULL;
	}
	if (b.s == NULL)
		lead_buf_addc(&b, '\0'), b.len = 0;
	return lead_buf_take(&b);
}

void
lead_strv_add(struct lead_strv *v, const char *s)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 16;
		v->v = lead_xrealloc(v->v, v->cap * sizeof *v->v);
	}
	v->v[v->n++] = s;
}

void
lead_strv_free(struct lead_strv *v)
{
	free(v->v);
	memset(v, 0, sizeof *v);
}
