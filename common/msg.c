/*
 * msg.c: messages on stderr, the exit path, and allocation that cannot
 * fail quietly.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lead.h"

const char *lead_progname = "leadkit";
int lead_verbosity;

#define LEAD_MAXATDIE 8
static void (*atdie[LEAD_MAXATDIE])(void);
static int natdie;

static int dying;		/* lead_die is on its way out */
static int held = -1;		/* the real standard output, while held */
static int committed;		/* the invocation's changes are committed */
static int out_closed;		/* standard output was closed at the start */
static int out_errno;		/* the first write error seen on it */

void
lead_setprog(const char *argv0)
{
	const char *p;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	p = strrchr(argv0, '/');
	lead_progname = p ? p + 1 : argv0;
}

/* Format, then make control, invisible and direction-changing
 * characters visible as '?', in the whole line, file name included:
 * messages quote data and name files that anyone may have named. */
static void
vsay(const char *file, long line, const char *fmt, va_list ap)
{
	char buf[2048], out[2400];

	vsnprintf(buf, sizeof buf, fmt, ap);
	if (file && line > 0)
		snprintf(out, sizeof out, "%s: %s:%ld: %s", lead_progname,
		    file, line, buf);
	else if (file)
		snprintf(out, sizeof out, "%s: %s: %s", lead_progname, file,
		    buf);
	else
		snprintf(out, sizeof out, "%s: %s", lead_progname, buf);
	lead_text_safe(out);
	fprintf(stderr, "%s\n", out);
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
	dying = 1;
	exit(status);
}

int
lead_err_set(struct lead_err *e, int status, const char *fmt, ...)
{
	va_list ap;

	e->status = status;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

_Noreturn void
lead_err_exit(const struct lead_err *e)
{
	if (e->msg[0])
		lead_die(e->status, "%s", e->msg);
	while (natdie > 0)
		atdie[--natdie]();
	dying = 1;
	exit(e->status);
}

/* ---- standard output ------------------------------------------------------ */

/*
 * Output that cannot be written is an error: at exit, a standard output
 * that failed (a full disk, a closed pipe, a closed descriptor) turns
 * success into exit 3, saying so, and saying when the changes were
 * committed all the same.  A command that is dying already keeps its
 * own status and message.
 */
static void
stdout_check(void)
{
	int err;

	if (dying || held >= 0)
		return;
	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout) && !out_errno)
		return;
	err = out_errno ? out_errno : errno ? errno : EIO;
	/* A reader that stopped reading ("| head") knows it did: as a
	 * signal would, end without a word, unless changes were made. */
	if (err != EPIPE || committed)
		fprintf(stderr, "%s: standard output: %s%s\n", lead_progname,
		    strerror(err), committed ? " (the changes are committed)" :
		    "");
	_exit(LEAD_EX_RUNTIME);
}

void
lead_stdout_init(void)
{
	static int done;

	if (!done) {
		/* Before anything opens a file: a closed descriptor 1 would
		 * be taken by the next file opened. */
		out_closed = fcntl(STDOUT_FILENO, F_GETFD) < 0;
		atexit(stdout_check);
	}
	done = 1;
}

void
lead_stdout_failed(int err)
{
	if (!out_errno)
		out_errno = err ? err : EIO;
}

void
lead_stdout_hold(int needed)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	if (out_closed || fcntl(STDOUT_FILENO, F_GETFD) < 0) {
		if (needed)
			lead_die(LEAD_EX_RUNTIME, "standard output is closed: "
			    "what this command prints would be lost; nothing "
			    "done");
		return;
	}
	if (held >= 0)
		return;
	fflush(stdout);
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	/* Unnamed from the start where the system can (it may hold
	 * personal data: no name, mode 0600, gone with the process). */
	if ((fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) < 0) {
		snprintf(path, sizeof path, "%s/leadkit-out.XXXXXX", dir);
		if ((fd = mkstemp(path)) >= 0)
			unlink(path);
	}
	/* Without a place to hold it, the output goes out as it comes:
	 * the run is worth more than the order of its output. */
	if (fd < 0 || (held = dup(STDOUT_FILENO)) < 0 ||
	    dup2(fd, STDOUT_FILENO) < 0) {
		lead_warn("warning: cannot hold the output until the commit "
		    "(%s: %s); it is written as it comes", dir,
		    strerror(errno));
		if (held >= 0)
			close(held);
		held = -1;
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
}

void
lead_stdout_release(void)
{
	char buf[1 << 16];
	ssize_t n, w;
	int err = 0;

	if (held < 0)
		return;
	if (fflush(stdout) != 0 || ferror(stdout))
		err = errno ? errno : EIO;
	if (!err && lseek(STDOUT_FILENO, 0, SEEK_SET) < 0)
		err = errno;
	while (!err && (n = read(STDOUT_FILENO, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}
		for (ssize_t off = 0; off < n; off += w)
			if ((w = write(held, buf + off, (size_t)(n - off))) < 0) {
				if (errno == EINTR) {
					w = 0;
					continue;
				}
				err = errno;
				break;
			}
	}
	dup2(held, STDOUT_FILENO);
	close(held);
	held = -1;
	clearerr(stdout);
	if (err) {
		fprintf(stderr, "%s: standard output: %s%s\n", lead_progname,
		    strerror(err), committed ? " (the changes are committed)" :
		    "");
		dying = 1;
		exit(LEAD_EX_RUNTIME);
	}
}

void
lead_stdout_ready(void)
{
	if (held < 0)
		return;
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		lead_die(LEAD_EX_RUNTIME, "cannot hold the output until the "
		    "commit (%s); nothing changed", strerror(errno ? errno :
		    EIO));
}

void
lead_stdout_committed(void)
{
	committed = 1;
	lead_stdout_release();
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
lead_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		lead_die(LEAD_EX_RUNTIME, "out of memory");
	return p;
}

char *
lead_xstrndup(const char *s, size_t n)
{
	char *p = lead_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* ---- signals and the files under way ----------------------------------- */

/*
 * The files a command writes under a temporary name (reject files,
 * sheets, charts: personal data) and renames when done.  A signal that
 * ends the command (INT, TERM, HUP) removes those still there, then ends
 * it as the signal would; the database needs nothing (an uncommitted
 * transaction is rolled back when it is next opened).  A file size limit
 * is an error like a full disk: the write fails, the command says so and
 * exits 3, nothing changed.
 */
static char **temps;
static volatile sig_atomic_t ntemps;
static size_t captemps;

static void
on_signal(int sig)
{
	for (sig_atomic_t i = 0; i < ntemps; i++)
		unlink(temps[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

void
lead_temp_add(const char *path)
{
	char *copy = lead_xstrdup(path);

	if ((size_t)ntemps == captemps) {
		size_t cap = captemps ? 2 * captemps : 16;
		char **n = lead_xcalloc(cap, sizeof *n);

		/* Never realloc under a handler's feet: copy, then swap. */
		for (sig_atomic_t i = 0; i < ntemps; i++)
			n[i] = temps[i];
		temps = n;
		captemps = cap;
	}
	temps[ntemps] = copy;
	ntemps++;
}

void
lead_signals_init(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction old;

		/* A signal ignored by whoever started us stays ignored. */
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
	signal(SIGXFSZ, SIG_IGN);
}
