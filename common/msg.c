/*
 * msg.c: messages on stderr, the exit path, and allocation that cannot
 * fail quietly.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lead.h"

const char *lead_progname = "leadkit";
int lead_verbosity;

#define LEAD_MAXATDIE 8
static void (*atdie[LEAD_MAXATDIE])(void);
static int natdie;

void
lead_setprog(const char *argv0)
{
	const char *p;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	p = strrchr(argv0, '/');
	lead_progname = p ? p + 1 : argv0;
}

/* Format, then make control characters visible: messages quote data. */
static void
vsay(const char *file, long line, const char *fmt, va_list ap)
{
	char buf[2048];
	unsigned char *p;

	vsnprintf(buf, sizeof buf, fmt, ap);
	for (p = (unsigned char *)buf; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
	if (file && line > 0)
		fprintf(stderr, "%s: %s:%ld: %s\n", lead_progname, file, line, buf);
	else if (file)
		fprintf(stderr, "%s: %s: %s\n", lead_progname, file, buf);
	else
		fprintf(stderr, "%s: %s\n", lead_progname, buf);
}

void
lead_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(NULL, 0, fmt, ap);
	va_end(ap);
}

void
lead_warn_at(const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(file, line, fmt, ap);
	va_end(ap);
}

void
lead_note(const char *fmt, ...)
{
	va_list ap;

	if (lead_verbosity < 0)
		return;
	va_start(ap, fmt);
	vsay(NULL, 0, fmt, ap);
	va_end(ap);
}

void
lead_debug(const char *fmt, ...)
{
	va_list ap;

	if (lead_verbosity <= 0)
		return;
	va_start(ap, fmt);
	vsay(NULL, 0, fmt, ap);
	va_end(ap);
}

void
lead_atdie(void (*fn)(void))
{
	if (natdie < LEAD_MAXATDIE)
		atdie[natdie++] = fn;
}

_Noreturn void
lead_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(NULL, 0, fmt, ap);
	va_end(ap);
	while (natdie > 0)
		atdie[--natdie]();
	exit(status);
}

static _Noreturn void
nomem(size_t n)
{
	lead_die(LEAD_EX_RUNTIME, "out of memory (%zu bytes)", n);
}

void *
lead_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		nomem(n);
	return p;
}

void *
lead_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		nomem(n * size);
	return p;
}

void *
lead_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		nomem(n);
	return q;
}

char *
lead_xstrdup(const char *s)
{
	return lead_xstrndup(s, strlen(s));
}

char *
lead_xstrndup(const char *s, size_t n)
{
	char *p = lead_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
