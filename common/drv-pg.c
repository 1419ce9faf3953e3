/*
 * drv-pg.c: the PostgreSQL driver, and the only file that includes
 * <libpq-fe.h>.
 *
 * A leadkit database on a server is a schema: the first of the
 * connection's search_path (public in a database of its own; name
 * another with options=-csearch_path=NAME in the URL, or PGOPTIONS, to
 * share a database).  Its version is in meta ('schema_version'); one
 * from a newer leadkit is refused.  The one-writer lock of SQLite is a
 * row (writer_lock) taken FOR UPDATE under lock_timeout; readers work on
 * a REPEATABLE READ snapshot and never wait.
 *
 * Statements come written for both engines with ?N placeholders; they
 * are sent as $N, with every value as text and its type left to the
 * server to infer from the context (as SQLite's column affinity does).
 * A statement run once goes with its parameters in one round trip
 * (PQexecParams); one run again is prepared on the server once per
 * connection, by its text.  Results are read whole.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <dlfcn.h>
#include <poll.h>

#include <libpq-fe.h>

#include "lead.h"
#include "views.h"

/*
 * libpq is loaded when a PostgreSQL database is first opened, not when
 * a command starts: it brings some twenty libraries (TLS, Kerberos,
 * LDAP) whose loading cost every command about 11 million instructions,
 * ten times a command's start, measured with callgrind on lead-report
 * --version.  A file's users do not pay for a server's.  Every libpq
 * call below goes through this table.
 */
#define LIBPQ_FUNCS(X) \
	X(PQclear) \
	X(PQcmdStatus) \
	X(PQcmdTuples) \
	X(PQconnectdbParams) \
	X(PQerrorMessage) \
	X(PQexec) \
	X(PQexecParams) \
	X(PQexecPrepared) \
	X(PQfinish) \
	X(PQflush) \
	X(PQconsumeInput) \
	X(PQfname) \
	X(PQftype) \
	X(PQgetResult) \
	X(PQgetisnull) \
	X(PQgetvalue) \
	X(PQnfields) \
	X(PQntuples) \
	X(PQprepare) \
	X(PQputCopyData) \
	X(PQputCopyEnd) \
	X(PQresultErrorField) \
	X(PQresultErrorMessage) \
	X(PQresultStatus) \
	X(PQsendQuery) \
	X(PQsetClientEncoding) \
	X(PQsetNoticeProcessor) \
	X(PQsetnonblocking) \
	X(PQsocket) \
	X(PQstatus) \
	X(PQtransactionStatus)

static struct {
#define LIBPQ_PTR(f) __typeof__(f) *p_##f;
	LIBPQ_FUNCS(LIBPQ_PTR)
#undef LIBPQ_PTR
} pq;

#define PQclear (pq.p_PQclear)
#define PQcmdStatus (pq.p_PQcmdStatus)
#define PQcmdTuples (pq.p_PQcmdTuples)
#define PQconnectdbParams (pq.p_PQconnectdbParams)
#define PQerrorMessage (pq.p_PQerrorMessage)
#define PQexec (pq.p_PQexec)
#define PQexecParams (pq.p_PQexecParams)
#define PQexecPrepared (pq.p_PQexecPrepared)
#define PQfinish (pq.p_PQfinish)
#define PQflush (pq.p_PQflush)
#define PQconsumeInput (pq.p_PQconsumeInput)
#define PQfname (pq.p_PQfname)
#define PQftype (pq.p_PQftype)
#define PQgetResult (pq.p_PQgetResult)
#define PQgetisnull (pq.p_PQgetisnull)
#define PQgetvalue (pq.p_PQgetvalue)
#define PQnfields (pq.p_PQnfields)
#define PQntuples (pq.p_PQntuples)
#define PQprepare (pq.p_PQprepare)
#define PQputCopyData (pq.p_PQputCopyData)
#define PQputCopyEnd (pq.p_PQputCopyEnd)
#define PQresultErrorField (pq.p_PQresultErrorField)
#define PQresultErrorMessage (pq.p_PQresultErrorMessage)
#define PQresultStatus (pq.p_PQresultStatus)
#define PQsendQuery (pq.p_PQsendQuery)
#define PQsetClientEncoding (pq.p_PQsetClientEncoding)
#define PQsetNoticeProcessor (pq.p_PQsetNoticeProcessor)
#define PQsetnonblocking (pq.p_PQsetnonblocking)
#define PQsocket (pq.p_PQsocket)
#define PQstatus (pq.p_PQstatus)
#define PQtransactionStatus (pq.p_PQtransactionStatus)

/* Load libpq (libpq.so.5, its soname since PostgreSQL 8.2); dies with a
 * message if it is not installed. */
static void
libpq_load(const char *name)
{
	static void *h;
	void *f;

	if (h)
		return;
	if ((h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL)) == NULL)
		lead_die(LEAD_EX_RUNTIME, "%s: a PostgreSQL database needs "
		    "libpq, the PostgreSQL client library (Debian: libpq5): "
		    "%s", name, dlerror());
#define LIBPQ_SYM(fn) \
	if ((f = dlsym(h, #fn)) == NULL) \
		lead_die(LEAD_EX_RUNTIME, "%s: libpq has no %s", name, #fn); \
	memcpy(&pq.p_##fn, &f, sizeof f);
	LIBPQ_FUNCS(LIBPQ_SYM)
#undef LIBPQ_SYM
}

/* Type OIDs (pg_type.h is not for clients). */
enum { OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23,
	OID_TEXT = 25, OID_OID = 26, OID_FLOAT4 = 700, OID_FLOAT8 = 701,
	OID_NUMERIC = 1700, OID_BYTEA = 17 };

struct pg_prep {		/* a statement prepared on the server */
	char *sql;
	char name[16];
	struct pg_prep *next;
};

struct pg_bulk {
	struct pg_conn *q;
	char *copy;		/* COPY into FROM STDIN */
	char *set;		/* then this, or NULL */
	struct lead_buf rows;	/* COPY's text format */
	long n;
	struct pg_bulk *next;	/* in the order opened */
};

struct pg_conn {
	struct lead_conn c;
	PGconn *pg;
	struct pg_bulk *bulks, **bulk_tail;
	struct pg_bulk *streaming;	/* its COPY open (stream_end) */
	size_t queued;		/* its rows libpq may not have sent */
	struct pg_stmt *fetching;	/* its next FETCH sent (settle) */
	int fetch_failed;	/* and it failed: so does every command
				 * until the rollback */
	long held;		/* rows held in all bulks */
	size_t held_bytes;
	struct pg_stmt *stmts;	/* every statement still open */
	struct pg_prep *preps;
	int nprep, ncursor;
	int dry_tx;		/* a dry run's schema, in its open
				 * transaction */
	long wait_ms;
	int64_t changes, last_id;
	enum lead_dberr err;
	char state[6];		/* the last error's SQLSTATE */
	char msg[1024];
};

struct pg_stmt {
	struct lead_stmt s;
	char *sql;		/* with $N */
	int nparams;
	Oid *types;		/* 0: inferred; text for a parameter the
				 * statement does not use */
	char **vals;		/* the values as text; NULL for NULL */
	char **own;		/* the copies this statement owns */
	char (*num)[32];	/* room for the numbers */
	int nexec;
	int returning;		/* RETURNING id added: an insert's id */
	char cursor[16];	/* a scan's cursor, while open */
	int more;		/* the cursor may have rows still */
	PGresult *ahead;	/* its next batch, read while the command
				 * worked on this one */
	int sent;		/* that batch's FETCH was sent */
	const char *prep;	/* the server's name for it, once prepared */
	PGresult *res;
	int row, nrows;
	char (*fmt)[LEAD_REAL_LEN];	/* a REAL as SQLite writes it, a
					 * column each: a row's texts stay
					 * valid together, as SQLite's do */
	int nfmt;
	struct pg_stmt *prev, *next;
};

#define PQ(c)	((struct pg_conn *)(c))
#define PS(s)	((struct pg_stmt *)(s))

/* ---- the schema ---------------------------------------------------------- */

/*
 * The schema at version 7, as drv-sqlite.c's migrations leave it,
 * column for column and in the same order (so SELECT * reads alike).
 * Integers are bigint, REAL is double precision (never real, a float4),
 * text is in the "C" collation.
 *
 * An id is the table's largest plus one, as SQLite gives a rowid (a
 * default, id_defaults below), not a sequence: a sequence does not give
 * back what a rolled-back savepoint drew, and the ids a command prints
 * would differ from SQLite's on the same data.  Every writer holds the
 * write lock, so no two draw at once.  (Loosening the lock means
 * sequences, and ids that differ; leads.db(5).)  Later versions are new entries in
 * migrations[], on both engines.
 */
#define ID "id bigint PRIMARY KEY"
/* Text compares and sorts by its bytes, as in SQLite, whatever the
 * database's locale; lower() then folds ASCII alone, as SQLite's does. */
#define T "text COLLATE \"C\""
static const char schema_v7[] =
	"CREATE TABLE batch (" ID ","
	" command " T " NOT NULL, file " T ", sha256 " T ", bytes bigint,"
	" source " T ", campaign " T ", kind " T ", cost double precision,"
	" activity " T ", options " T ", at " T " NOT NULL,"
	" nread bigint NOT NULL DEFAULT 0, nnew bigint NOT NULL DEFAULT 0,"
	" nupdated bigint NOT NULL DEFAULT 0,"
	" nunchanged bigint NOT NULL DEFAULT 0,"
	" nmerged bigint NOT NULL DEFAULT 0,"
	" nrejected bigint NOT NULL DEFAULT 0,"
	" first_activity bigint, last_activity bigint, undone_at " T ");"
	"CREATE INDEX batch_sha256 ON batch(sha256);"

	"CREATE TABLE rep (" ID ","
	" name " T " NOT NULL UNIQUE, email " T ", territory " T ","
	" capacity bigint, weight double precision NOT NULL DEFAULT 1,"
	" available bigint NOT NULL DEFAULT 1, manager " T ","
	" active bigint NOT NULL DEFAULT 1, updated_at " T ","
	" rr_pass double precision NOT NULL DEFAULT 0);"
	"CREATE TABLE rep_version (" ID ","
	" sha256 " T " NOT NULL, text " T " NOT NULL, file " T ","
	" at " T " NOT NULL);"

	"CREATE TABLE lead (" ID ","
	" email " T " UNIQUE,"
	" first_name " T ", last_name " T ", company " T ", title " T ","
	" phone " T ", country " T ", region " T ", city " T ", industry " T ","
	" company_size " T ", website " T ", domain " T ","
	" source " T ", campaign " T ","
	" first_batch bigint, last_batch bigint,"
	" stage " T " NOT NULL DEFAULT 'new' CHECK (stage IN ('new','nurture',"
	"  'mql','sal','sql','opportunity','won','lost','disqualified')),"
	" stage_at " T ","
	" owner_id bigint REFERENCES rep(id),"
	" score double precision, fit double precision, grade " T ","
	" scored_at " T ","
	" dnc_email bigint NOT NULL DEFAULT 0,"
	" dnc_phone bigint NOT NULL DEFAULT 0,"
	" dnc_reason " T ", dnc_at " T ","
	" attrs " T " NOT NULL DEFAULT '{}',"
	" created_at " T " NOT NULL, updated_at " T " NOT NULL,"
	" forgotten_at " T ");"
	"CREATE INDEX lead_owner ON lead(owner_id) WHERE owner_id IS NOT NULL;"

	"CREATE TABLE lead_key ("
	" system " T " NOT NULL, key " T " NOT NULL,"
	" lead_id bigint NOT NULL REFERENCES lead(id) ON DELETE CASCADE,"
	" batch_id bigint, PRIMARY KEY (system, key));"
	"CREATE INDEX lead_key_lead ON lead_key(lead_id);"
	"CREATE INDEX lead_key_key ON lead_key(key);"

	"CREATE TABLE batch_lead ("
	" batch_id bigint NOT NULL, lead_id bigint NOT NULL,"
	" action " T " NOT NULL, before " T ", after " T ","
	" PRIMARY KEY (batch_id, lead_id));"
	LEAD_BATCH_MEMBER_VIEW

	"CREATE TABLE suppression ("
	" email " T " PRIMARY KEY, channel " T " NOT NULL DEFAULT 'all',"
	" reason " T ", at " T " NOT NULL, batch_id bigint);"

	"CREATE TABLE activity (" ID ","
	" lead_id bigint NOT NULL REFERENCES lead(id) ON DELETE CASCADE,"
	" ts " T " NOT NULL, kind " T " NOT NULL,"
	" channel " T ", actor " T ", content " T ", outcome " T ", note " T ","
	" next_step " T ", due " T ", amount double precision,"
	" batch_id bigint, fp bigint NOT NULL DEFAULT 0, missing " T ");"
	"CREATE UNIQUE INDEX activity_lead_ts ON activity(lead_id, ts, kind, fp);"
	"CREATE INDEX activity_promise ON activity(lead_id, ts) WHERE "
	" next_step IS NOT NULL;"
	LEAD_PROMISE_VIEW

	"CREATE TABLE stage_history (" ID ","
	" lead_id bigint NOT NULL REFERENCES lead(id) ON DELETE CASCADE,"
	" at " T " NOT NULL, from_stage " T ", to_stage " T " NOT NULL,"
	" actor " T ", reason " T ", activity_id bigint, batch_id bigint);"
	"CREATE INDEX stage_history_lead ON stage_history(lead_id, at);"

	"CREATE TABLE assignment (" ID ","
	" lead_id bigint NOT NULL REFERENCES lead(id) ON DELETE CASCADE,"
	" rep_id bigint NOT NULL REFERENCES rep(id),"
	" at " T " NOT NULL, due " T ", reason " T ", actor " T ","
	" first_touch_at " T ", accepted_at " T ", rejected_at " T ","
	" reject_reason " T ", ended_at " T ", end_reason " T ");"
	"CREATE INDEX assignment_lead ON assignment(lead_id);"
	"CREATE INDEX assignment_rep ON assignment(rep_id, ended_at);"

	"CREATE TABLE rule_set (" ID ","
	" sha256 " T " NOT NULL UNIQUE, text " T " NOT NULL, file " T ","
	" at " T " NOT NULL);"
	"CREATE TABLE score_run (" ID ","
	" rule_set_id bigint REFERENCES rule_set(id),"
	" at " T " NOT NULL, nscored bigint, nchanged bigint, npromoted bigint,"
	" scope " T ", activity_mark bigint, lead_mark bigint,"
	" batch_mark bigint, history_mark bigint, assignment_mark bigint);"
	"CREATE TABLE lead_score ("
	" lead_id bigint NOT NULL REFERENCES lead(id) ON DELETE CASCADE,"
	" run_id bigint NOT NULL REFERENCES score_run(id),"
	" score double precision, fit double precision, grade " T ","
	" PRIMARY KEY (lead_id, run_id));"
	"CREATE INDEX lead_score_run ON lead_score(run_id);"

	"CREATE TABLE setting ("
	" name " T " PRIMARY KEY, value " T " NOT NULL, at " T ");"

	/* The salt: 244 random bits of two v4 UUIDs (gen_random_uuid is
	 * the server's strong random source, with no extension). */
	"CREATE TABLE meta (key " T " PRIMARY KEY, value " T " NOT NULL);"
	"INSERT INTO meta VALUES ('email_salt', replace(gen_random_uuid()::text"
	" || gen_random_uuid()::text, '-', ''));"

	/* SQLite's instr(), which the statements use: a SQL function the
	 * planner inlines, so that it costs what strpos() does. */
	"CREATE FUNCTION instr(a text, b text) RETURNS integer LANGUAGE sql "
	"IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT strpos(a, b)';"

	/* The one-writer lock: every writing invocation holds this row. */
	"CREATE TABLE writer_lock (id integer PRIMARY KEY CHECK (id = 1));"
	"INSERT INTO writer_lock VALUES (1);";

/* The tables whose id is drawn (id_defaults); an INSERT into one returns it
 * (lead_db_last_id). */
static const char *const id_tables[] = {
	"batch", "rep", "rep_version", "lead", "activity", "stage_history",
	"assignment", "rule_set", "score_run",
};

/* Versions before 7 never existed on a server: the first is whole. */
static const char *const migrations[LEAD_SCHEMA_VERSION] = {
	[LEAD_SCHEMA_VERSION - 1] = schema_v7,
};

/* ---- errors ------------------------------------------------------------- */

/* A libpq message on one line, trimmed. */
static void
one_line(char *dst, size_t n, const char *prefix, const char *m)
{
	size_t j;

	j = (size_t)snprintf(dst, n, "%s", prefix);
	if (j >= n)
		return;
	for (; m && *m && j + 1 < n; m++) {
		char ch = *m == '\n' || *m == '\t' || *m == '\r' ? ' ' : *m;

		if (ch == ' ' && (j == 0 || dst[j - 1] == ' '))
			continue;
		dst[j++] = ch;
	}
	while (j > 0 && dst[j - 1] == ' ')
		j--;
	dst[j] = '\0';
}

static enum lead_dberr
class_of(const char *state)
{
	if (state == NULL)
		return LEAD_DBE_IO;	/* no server answer: the connection */
	if (strcmp(state, "55P03") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "40001") == 0)
		return LEAD_DBE_BUSY;
	if (strncmp(state, "53", 2) == 0)
		return LEAD_DBE_FULL;
	if (strcmp(state, "25006") == 0 || strcmp(state, "42501") == 0)
		return LEAD_DBE_READONLY;
	if (strncmp(state, "23", 2) == 0)
		return LEAD_DBE_CONSTRAINT;
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57", 2) == 0 ||
	    strncmp(state, "58", 2) == 0)
		return LEAD_DBE_IO;
	if (strncmp(state, "XX", 2) == 0)
		return LEAD_DBE_CORRUPT;
	/* 42: the SQL does not prepare (a table that is not there, a type
	 * the server could not infer): leadkit's mistake. */
	if (strncmp(state, "42", 2) == 0 || strcmp(state, "08P01") == 0)
		return LEAD_DBE_BUG;
	return LEAD_DBE_OTHER;
}

/* Keep a failed result's error on the connection; frees res. */
static int
failed(struct pg_conn *q, PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) :
	    NULL;
	const char *m = res ? PQresultErrorField(res,
	    PG_DIAG_MESSAGE_PRIMARY) : NULL;

	q->err = class_of(state);
	snprintf(q->state, sizeof q->state, "%s", state ? state : "");
	if (PQstatus(q->pg) == CONNECTION_BAD) {
		q->err = LEAD_DBE_IO;
		one_line(q->msg, sizeof q->msg, "lost the connection to the "
		    "server: ", PQerrorMessage(q->pg));
	} else if (q->err == LEAD_DBE_BUSY && state[0] == '5')
		snprintf(q->msg, sizeof q->msg, "database is busy; try again "
		    "later (or raise --wait)");
	else if (m)
		one_line(q->msg, sizeof q->msg, "", m);
	else
		one_line(q->msg, sizeof q->msg, "", res ?
		    PQresultErrorMessage(res) : PQerrorMessage(q->pg));
	if (q->err == LEAD_DBE_FULL || q->err == LEAD_DBE_IO ||
	    q->err == LEAD_DBE_BUSY || q->err == LEAD_DBE_READONLY) {
		size_t n = strlen(q->msg);

		snprintf(q->msg + n, sizeof q->msg - n, "; nothing changed");
	}
	PQclear(res);
	return LEAD_ERROR;
}

static enum lead_dberr
pg_error(struct lead_conn *c, const char **msg)
{
	*msg = PQ(c)->msg;
	return PQ(c)->err;
}

/*
 * A scan's next FETCH is sent as soon as the batch before arrives, and
 * the server reads it while the command works on that batch (fetch).
 * Its answer is read (here, into the statement: pg_stmt.ahead) before
 * the connection sends anything else: every command goes through run,
 * value, copy_start or stream_end first.  A FETCH that failed (a value
 * the query could not read, a deadlock, the server gone) keeps its
 * error on the connection, and every command after it fails with that
 * error, not with the one of a transaction already aborted, until the
 * rollback.
 */
static int
settle(struct pg_conn *q)
{
	struct pg_stmt *t = q->fetching;
	PGresult *res;

	if (t != NULL) {
		q->fetching = NULL;
		t->ahead = PQgetResult(q->pg);
		while ((res = PQgetResult(q->pg)) != NULL)
			PQclear(res);
		if (PQresultStatus(t->ahead) != PGRES_TUPLES_OK) {
			failed(q, t->ahead);
			t->ahead = NULL;
			q->fetch_failed = 1;
		}
	}
	return q->fetch_failed ? LEAD_ERROR : LEAD_OK;
}

/* Run SQL with no parameters and no rows; LEAD_OK or an error. */
static int
run(struct pg_conn *q, const char *sql)
{
	PGresult *res;
	ExecStatusType t;

	if (settle(q) != LEAD_OK)
		return LEAD_ERROR;
	res = PQexec(q->pg, sql);
	t = PQresultStatus(res);

	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK)
		return failed(q, res);
	PQclear(res);
	return LEAD_OK;
}

static void
must(struct pg_conn *q, const char *sql)
{
	if (run(q, sql) != LEAD_OK)
		lead_db_fail(&q->c, q->c.name);
}

/* One text value of a query with no parameters, or NULL; dies on an
 * error.  Caller frees. */
static char *
value(struct pg_conn *q, const char *sql)
{
	PGresult *res;
	char *v = NULL;

	if (settle(q) != LEAD_OK)
		lead_db_fail(&q->c, q->c.name);
	res = PQexec(q->pg, sql);

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		failed(q, res);
		lead_db_fail(&q->c, q->c.name);
	}
	if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
		v = lead_xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

/* ---- opening ------------------------------------------------------------ */

static int
pg_claims(const char *name)
{
	return strncmp(name, "postgresql://", 13) == 0 ||
	    strncmp(name, "postgres://", 11) == 0;
}

/*
 * The URL for messages: without a password, in the user part
 * (user:secret@) or a parameter (password=secret).
 */
static char *
safe_name(const char *url)
{
	struct lead_buf b = { 0 };
	const char *p = strstr(url, "://") + 3, *at, *colon, *q;

	lead_buf_add(&b, url, (size_t)(p - url));
	at = strpbrk(p, "@/?");
	if (at && *at == '@') {
		colon = memchr(p, ':', (size_t)(at - p));
		lead_buf_add(&b, p, (size_t)((colon ? colon : at) - p));
		p = at;
	}
	for (q = p; *q; ) {
		const char *end = q + strcspn(q, "?&");
		int sep = q > p && (q[-1] == '?' || q[-1] == '&');

		if (sep && strncasecmp(q, "password=", 9) == 0) {
			lead_buf_adds(&b, "password=...");
		} else
			lead_buf_add(&b, q, (size_t)(end - q));
		if (*end)
			lead_buf_addc(&b, *end++);
		q = end;
	}
	return lead_buf_take(&b);
}

static void
quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static struct pg_conn *
connect_to(const char *url, double wait_secs)
{
	struct pg_conn *q = lead_xcalloc(1, sizeof *q);
	const char *keys[4], *vals[4];
	char timeout[32], sql[160];
	int n = 0;

	q->c.drv = &lead_drv_pg;
	q->c.name = safe_name(url);
	libpq_load(q->c.name);
	/* A server that does not answer is busy as long as --wait: the
	 * URL's connect_timeout, or PGCONNECT_TIMEOUT, say otherwise. */
	if (getenv("PGCONNECT_TIMEOUT") == NULL) {
		snprintf(timeout, sizeof timeout, "%ld", wait_secs < 2 ? 2 :
		    (long)ceil(wait_secs));
		keys[n] = "connect_timeout", vals[n++] = timeout;
	}
	keys[n] = "fallback_application_name", vals[n++] = lead_progname;
	keys[n] = "dbname", vals[n++] = url;
	keys[n] = NULL, vals[n] = NULL;
	q->pg = PQconnectdbParams(keys, vals, 1);
	if (q->pg == NULL)
		lead_die(LEAD_EX_RUNTIME, "%s: out of memory", q->c.name);
	if (PQstatus(q->pg) != CONNECTION_OK) {
		one_line(q->msg, sizeof q->msg, "", PQerrorMessage(q->pg));
		lead_die(LEAD_EX_RUNTIME, "%s: cannot connect: %s", q->c.name,
		    q->msg);
	}
	PQsetNoticeProcessor(q->pg, quiet, NULL);
	if (PQsetClientEncoding(q->pg, "UTF8") != 0)
		lead_die(LEAD_EX_RUNTIME, "%s: the server does not take UTF-8",
		    q->c.name);
	q->wait_ms = wait_secs <= 0 ? 0 : wait_secs * 1000 > 2e9 ?
	    2000000000L : (long)(wait_secs * 1000);
	/* --wait 0 is NOWAIT at the lock (lock_timeout 0 would wait for
	 * ever); else no lock is waited for longer than --wait. */
	snprintf(sql, sizeof sql, "SET lock_timeout = %ld; SET "
	    "client_min_messages = warning; SET TimeZone = 'UTC'",
	    q->wait_ms ? q->wait_ms : 1);
	must(q, sql);
	/* Compiling a statement (JIT) costs more than it saves in what
	 * leadkit runs: 0.3 s of the 0.6 s lead-report leads takes over
	 * 200,000 leads.  An engine of the wire protocol without it
	 * (CockroachDB) refuses the setting, and that is fine. */
	PQclear(PQexec(q->pg, "SET jit = off"));
	/* A scan's cursor is read to its end: plan it for all its rows,
	 * not for a first tenth (a sort instead of an index's order). */
	PQclear(PQexec(q->pg, "SET cursor_tuple_fraction = 1"));
	return q;
}

/* The schema's version: 0 if the schema is empty, -1 if it holds
 * tables but is not a leadkit database. */
static int
version(struct pg_conn *q)
{
	char *v, *schema = value(q, "SELECT current_schema()");
	int ver;

	if (schema == NULL)
		lead_die(LEAD_EX_RUNTIME, "%s: no schema of the search_path "
		    "exists (create it, or name another with "
		    "options=-csearch_path=NAME)", q->c.name);
	free(schema);
	/* One statement, one snapshot: asked in two, a first import
	 * committing in between looked like another application's tables
	 * (its tables there, its meta not yet). */
	v = value(q, "SELECT CASE WHEN count(*) FILTER (WHERE c.relname IN "
	    "('meta', 'writer_lock') AND c.relkind = 'r') = 2 THEN 'leadkit' "
	    "WHEN count(*) = 0 THEN 'empty' ELSE 'other' END FROM pg_class c "
	    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
	    "current_schema()");
	if (v && strcmp(v, "leadkit") == 0) {
		free(v);
		v = value(q, "SELECT value FROM meta WHERE key = "
		    "'schema_version'");
		ver = v ? atoi(v) : -1;
		free(v);
		return ver > 0 ? ver : -1;
	}
	ver = v && strcmp(v, "empty") == 0 ? 0 : -1;
	free(v);
	return ver;
}

/*
 * The ids: each table's id defaults to a function of its largest plus
 * one (a function each, so that its plan is kept).  A default, not a
 * trigger: it runs only for a row that comes without its id, and rows
 * written in bulk come with theirs.  (A volatile function sees the rows
 * its statement wrote before, so an INSERT of many draws one after
 * another.  Databases made before this kept a trigger that does the
 * same.)
 */
static int
id_defaults(struct pg_conn *q)
{
	int rc;
	struct lead_buf b = { 0 };

	for (size_t i = 0; i < sizeof id_tables / sizeof *id_tables; i++) {
		const char *t = id_tables[i];

		lead_buf_addf(&b, "CREATE FUNCTION %s_next_id() RETURNS bigint "
		    "LANGUAGE plpgsql VOLATILE AS $$ BEGIN RETURN (SELECT "
		    "coalesce(max(id), 0) + 1 FROM %s); END $$; ALTER TABLE %s "
		    "ALTER COLUMN id SET DEFAULT %s_next_id();", t, t, t, t);
	}
	rc = run(q, b.s);
	lead_buf_free(&b);
	return rc;
}

/* Bring the schema from version from to this leadkit's, in the open
 * transaction, and commit unless a dry run; LEAD_OK or an error. */
static int
migrate(struct pg_conn *q, int from, int dry)
{
	char sql[128];
	int rc = LEAD_OK;

	for (int v = from; v < LEAD_SCHEMA_VERSION && rc == LEAD_OK; v++)
		if (migrations[v])
			rc = run(q, migrations[v]);
	if (from == 0 && rc == LEAD_OK)
		rc = id_defaults(q);
	snprintf(sql, sizeof sql, "INSERT INTO meta VALUES ('schema_version',"
	    " '%d') ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	    LEAD_SCHEMA_VERSION);
	if (rc == LEAD_OK)
		rc = run(q, sql);
	if (rc == LEAD_OK && !dry)
		rc = run(q, "COMMIT");
	return rc;
}

static struct lead_conn *
pg_open(const char *url, int create, double wait_secs)
{
	struct pg_conn *q = connect_to(url, wait_secs);
	int ver = version(q);

	if (ver < 0)
		lead_die(LEAD_EX_RUNTIME, "%s: the schema holds tables, but "
		    "not a leadkit database; refusing to touch it (name "
		    "another schema with options=-csearch_path=NAME)",
		    q->c.name);
	if (ver > LEAD_SCHEMA_VERSION)
		lead_die(LEAD_EX_RUNTIME, "%s: database schema version %d is "
		    "newer than this leadkit knows (%d); upgrade leadkit",
		    q->c.name, ver, LEAD_SCHEMA_VERSION);
	if (ver == LEAD_SCHEMA_VERSION)
		return &q->c;
	if (ver == 0 && !create)
		lead_die(LEAD_EX_RUNTIME, "%s: no leadkit database there "
		    "(lead-import creates one; or set --db or LEAD_DB)",
		    q->c.name);
	/*
	 * Make it (or bring it forward) in one transaction.  Another
	 * process doing the same waits on the lock row (or on the
	 * catalog) and then finds the work done.  A dry run's schema
	 * stays in its transaction, which the dry run rolls back.
	 */
	must(q, "BEGIN");
	if (ver > 0) {
		must(q, "SELECT id FROM writer_lock FOR UPDATE");
		ver = version(q);
	}
	if (ver == 0 && create == LEAD_OPEN_DRY) {
		q->c.dry = 1;
		q->dry_tx = 1;
		if (migrate(q, 0, 1) != LEAD_OK)
			lead_db_fail(&q->c, q->c.name);
		lead_debug("%s holds no leadkit database: the dry run works "
		    "on one made in its transaction", q->c.name);
		return &q->c;
	}
	if (ver == LEAD_SCHEMA_VERSION)
		must(q, "COMMIT");
	else if (migrate(q, ver, 0) != LEAD_OK) {
		/* Another first import made the tables while this one
		 * waited on the catalog: take its database. */
		if (ver == 0 && (strcmp(q->state, "23505") == 0 ||
		    strcmp(q->state, "42P07") == 0 ||
		    strcmp(q->state, "42710") == 0)) {
			must(q, "ROLLBACK");
			if (version(q) == LEAD_SCHEMA_VERSION)
				return &q->c;
		}
		lead_db_fail(&q->c, q->c.name);
	}
	return &q->c;
}

static void pg_finalize(struct lead_stmt *);

static void
pg_close(struct lead_conn *c)
{
	struct pg_conn *q = PQ(c);
	struct pg_prep *p, *next;

	while (q->stmts)
		pg_finalize(&q->stmts->s);
	for (p = q->preps; p; p = next) {
		next = p->next;
		free(p->sql);
		free(p);
	}
	while (q->bulks) {
		struct pg_bulk *b = q->bulks;

		q->bulks = b->next;
		lead_buf_free(&b->rows);
		free(b->copy);
		free(b->set);
		free(b);
	}
	PQfinish(q->pg);
	free(q->c.name);
	free(q);
}

/* ---- bulk writes ---------------------------------------------------------- */

/* Rows held past these are written at once. */
#define BULK_ROWS 20000
#define BULK_BYTES ((size_t)16 << 20)

static void
bulk_drop(struct pg_conn *q)
{
	for (struct pg_bulk *b = q->bulks; b; b = b->next) {
		lead_buf_reset(&b->rows);
		b->n = 0;
	}
	q->held = 0;
	q->held_bytes = 0;
}

/*
 * The first bulk a connection opened is streamed: its COPY starts with
 * its first row, and its rows go to the server STREAM_CHUNK at a time
 * as they come, so that the server stores them while the command works
 * on the next.  The COPY ends (stream_end) before any other command:
 * a statement, a cursor's FETCH, the commit.  The others are held and
 * copied in whole (flush), after it: the order the bulks were opened.
 *
 * A stream does not wait for the server: libpq holds what the socket
 * does not take yet (up to STREAM_QUEUE, then it waits), and sends it
 * whenever the stream is given more or the command pumps it (pg_pump,
 * while it reads its input).  Where the server stores rows more slowly
 * than the command makes them (an import: 35 columns and three
 * indexes), the server goes on storing while the command reads the
 * next records, instead of both taking turns.
 */
#define STREAM_CHUNK (64 * 1024)
#define STREAM_QUEUE ((size_t)4 << 20)

static int
copy_start(struct pg_conn *q, struct pg_bulk *b)
{
	PGresult *res;

	if (settle(q) != LEAD_OK)
		return LEAD_ERROR;
	res = PQexec(q->pg, b->copy);

	if (PQresultStatus(res) != PGRES_COPY_IN)
		return failed(q, res);
	PQclear(res);
	return LEAD_OK;
}

/* Send what libpq holds, waiting for the socket as long as it takes
 * (and reading what the server says meanwhile, so that neither side
 * waits on a full socket). */
static int
sent(struct pg_conn *q)
{
	int r;

	while ((r = PQflush(q->pg)) == 1) {
		struct pollfd p = { .fd = PQsocket(q->pg),
			.events = POLLOUT | POLLIN };

		if (poll(&p, 1, -1) < 0 && errno != EINTR) {
			q->err = LEAD_DBE_IO;
			snprintf(q->msg, sizeof q->msg, "waiting to send to "
			    "the server: %s", strerror(errno));
			return LEAD_ERROR;
		}
		if ((p.revents & POLLIN) && !PQconsumeInput(q->pg))
			break;
	}
	if (r != 0)
		return failed(q, NULL);
	q->queued = 0;
	return LEAD_OK;
}

/* Send the rows a bulk holds into its open COPY. */
static int
copy_send(struct pg_conn *q, struct pg_bulk *b)
{
	for (size_t off = 0; off < b->rows.len; ) {
		int n = b->rows.len - off > (1 << 20) ? 1 << 20 :
		    (int)(b->rows.len - off);

		if (PQputCopyData(q->pg, b->rows.s + off, n) != 1)
			return failed(q, NULL);
		off += (size_t)n;
	}
	if (q->streaming == b && (q->queued += b->rows.len) > STREAM_QUEUE &&
	    sent(q) != LEAD_OK)
		return LEAD_ERROR;
	lead_buf_reset(&b->rows);
	return LEAD_OK;
}

/* Send the rest, end the COPY (why: abort it), then the bulk's set. */
static int
copy_end(struct pg_conn *q, struct pg_bulk *b, const char *why)
{
	int rc = why ? LEAD_ERROR : copy_send(q, b);
	PGresult *res;

	if (PQputCopyEnd(q->pg, rc == LEAD_OK ? NULL : why ? why :
	    "failed") != 1 && rc == LEAD_OK)
		rc = failed(q, NULL);
	/* (PQgetResult sends whatever a stream left queued first.) */
	while ((res = PQgetResult(q->pg)) != NULL)
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == LEAD_OK)
			rc = failed(q, res);
		else
			PQclear(res);
	q->queued = 0;
	(void)PQsetnonblocking(q->pg, 0);
	b->n = 0;
	if (rc != LEAD_OK && !why)
		lead_debug("the bulk write that failed: %s", b->copy);
	return rc == LEAD_OK && b->set ? run(q, b->set) : rc;
}

static int
stream_end(struct pg_conn *q)
{
	struct pg_bulk *b = q->streaming;

	if (settle(q) != LEAD_OK)
		return LEAD_ERROR;
	if (b == NULL)
		return LEAD_OK;
	q->streaming = NULL;
	return copy_end(q, b, NULL);
}

/* Write the rows held, bulk by bulk, in the order the bulks were opened:
 * LEAD_OK, or an error (the transaction has failed; the rows are
 * dropped). */
static int
flush(struct pg_conn *q)
{
	int rc = stream_end(q);

	if (q->held == 0)
		return rc;
	for (struct pg_bulk *b = q->bulks; b && rc == LEAD_OK; b = b->next)
		if (b->n > 0 && (rc = copy_start(q, b)) == LEAD_OK)
			rc = copy_end(q, b, NULL);
	bulk_drop(q);
	return rc;
}

static struct lead_bulk *
pg_bulk_open(struct lead_conn *c, const char *into, const char *set)
{
	struct pg_conn *q = PQ(c);
	struct pg_bulk *b = lead_xcalloc(1, sizeof *b);
	struct lead_buf sql = { 0 };

	lead_buf_addf(&sql, "COPY %s FROM STDIN", into);
	b->copy = lead_buf_take(&sql);
	b->set = set ? lead_xstrdup(set) : NULL;
	b->q = q;
	if (q->bulk_tail == NULL)
		q->bulk_tail = &q->bulks;
	*q->bulk_tail = b;
	q->bulk_tail = &b->next;
	return (struct lead_bulk *)b;
}

/* A row in COPY's text format: tab between values, \N for NULL, and
 * backslash, tab, newline and return escaped. */
static int
pg_bulk_row(struct lead_bulk *lb, const char *const *v, int n)
{
	struct pg_bulk *b = (struct pg_bulk *)lb;
	struct pg_conn *q = b->q;
	size_t before, k;

	/* The first bulk's first row of a while opens its stream. */
	if (q->streaming == NULL && b == q->bulks && b->n == 0) {
		if (copy_start(q, b) != LEAD_OK)
			return LEAD_ERROR;
		q->streaming = b;
		(void)PQsetnonblocking(q->pg, 1);
	}
	before = b->rows.len;

	for (int i = 0; i < n; i++) {
		const char *p = v[i];

		if (i)
			lead_buf_addc(&b->rows, '\t');
		if (p == NULL) {
			lead_buf_adds(&b->rows, "\\N");
			continue;
		}
		while (*p) {
			if ((k = strcspn(p, "\\\t\n\r")) > 0)
				lead_buf_add(&b->rows, p, k);
			if (p[k] == '\0')
				break;
			lead_buf_addc(&b->rows, '\\');
			lead_buf_addc(&b->rows, p[k] == '\t' ? 't' : p[k] == '\n' ?
			    'n' : p[k] == '\r' ? 'r' : '\\');
			p += k + 1;
		}
	}
	lead_buf_addc(&b->rows, '\n');
	b->n++;
	if (q->streaming == b)
		return b->rows.len >= STREAM_CHUNK ? copy_send(q, b) : LEAD_OK;
	q->held++;
	q->held_bytes += b->rows.len - before;
	if (q->held >= BULK_ROWS || q->held_bytes >= BULK_BYTES)
		return flush(q);
	return LEAD_OK;
}

/* Send what a stream has queued, as far as the socket takes it now. */
static void
pg_pump(struct lead_conn *c)
{
	struct pg_conn *q = PQ(c);

	if (q->streaming && q->queued > 0 && PQflush(q->pg) == 0)
		q->queued = 0;
}

/* ---- transactions ------------------------------------------------------- */

static int
pg_exec(struct lead_conn *c, const char *sql)
{
	return flush(PQ(c)) != LEAD_OK ? LEAD_ERROR : run(PQ(c), sql);
}

/*
 * The write transaction: READ COMMITTED, which with every writer behind
 * the lock row reads what the last writer committed, as SQLite's
 * BEGIN IMMEDIATE does.  (REPEATABLE READ would fail a writer that
 * waited for another with a serialization error.)
 */
static int
pg_begin_write(struct lead_conn *c)
{
	struct pg_conn *q = PQ(c);
	int rc;

	if (!q->dry_tx && (rc = run(q, "BEGIN ISOLATION LEVEL READ "
	    "COMMITTED")) != LEAD_OK)
		return rc;
	q->dry_tx = 0;
	return run(q, q->wait_ms ? "SELECT id FROM writer_lock FOR UPDATE" :
	    "SELECT id FROM writer_lock FOR UPDATE NOWAIT");
}

/* A reader's snapshot: it never waits for the writer.  (Not READ ONLY:
 * a report keeps working sets in temporary tables.) */
static int
pg_begin_read(struct lead_conn *c)
{
	if (PQ(c)->dry_tx)
		return LEAD_OK;
	return run(PQ(c), "BEGIN ISOLATION LEVEL REPEATABLE READ");
}

static int
pg_commit(struct lead_conn *c)
{
	struct pg_conn *q = PQ(c);
	PGresult *res;

	if (flush(q) != LEAD_OK)
		return LEAD_ERROR;
	res = PQexec(q->pg, "COMMIT");

	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return failed(q, res);
	/* A transaction that failed earlier ends in ROLLBACK. */
	if (strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		PQclear(res);
		q->err = LEAD_DBE_BUG;
		snprintf(q->msg, sizeof q->msg, "the transaction had failed "
		    "and was rolled back");
		return LEAD_ERROR;
	}
	PQclear(res);
	return LEAD_OK;
}

static int
pg_in_transaction(struct lead_conn *c)
{
	PGTransactionStatusType t = PQtransactionStatus(PQ(c)->pg);

	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR ||
	    t == PQTRANS_ACTIVE;
}

static int
pg_rollback(struct lead_conn *c)
{
	if (PQ(c)->fetching)
		(void)settle(PQ(c));
	PQ(c)->fetch_failed = 0;
	if (PQ(c)->streaming) {
		struct pg_bulk *b = PQ(c)->streaming;

		PQ(c)->streaming = NULL;
		(void)copy_end(PQ(c), b, "rolled back");
	}
	bulk_drop(PQ(c));
	if (!pg_in_transaction(c))
		return LEAD_OK;
	return run(PQ(c), "ROLLBACK");
}

/* The server tunes itself: the page cache and secure delete are its
 * administrator's. */
static void
pg_tune(struct lead_conn *c, enum lead_tune what, long v)
{
	(void)c;
	(void)what;
	(void)v;
}

/*
 * What --forget overwrote stays in the tables' old row versions until
 * VACUUM reclaims them: vacuum the tables it changes, now.  (A role that
 * does not own them is skipped by the server with a warning; autovacuum
 * comes later.)  The server's WAL, its archive, replicas and backups keep
 * copies until they age out: lead-import(1) says so.
 */
static int
pg_flush_erased(struct lead_conn *c)
{
	if (c->dry || pg_in_transaction(c))
		return 0;
	return run(PQ(c), "VACUUM lead, lead_key, activity, batch_lead, "
	    "stage_history, assignment, suppression") == LEAD_OK ? 0 : -1;
}

/* ---- statements --------------------------------------------------------- */

/* ?N and ? to $N, outside quotes; the number of parameters, and which
 * are used (used[i] for $i+1). */
static char *
rewrite(const char *sql, int *nparams, unsigned char **used)
{
	struct lead_buf b = { 0 };
	int next = 1, max = 0, cap = 0;
	unsigned char *u = NULL;

	for (const char *p = sql; *p; ) {
		if (*p == '\'' || *p == '"') {
			const char *e = p + 1;

			while (*e && !(*e == *p && e[1] != *p))
				e += *e == *p ? 2 : 1;
			if (*e)
				e++;
			lead_buf_add(&b, p, (size_t)(e - p));
			p = e;
			continue;
		}
		if (*p != '?') {
			lead_buf_addc(&b, *p++);
			continue;
		}
		int n;
		if (p[1] >= '0' && p[1] <= '9') {
			char *end;

			n = (int)strtol(p + 1, &end, 10);
			p = end;
		} else {
			n = next;
			p++;
		}
		next = n + 1;
		if (n > max)
			max = n;
		if (n > cap) {
			int ncap = n * 2;

			u = lead_xrealloc(u, (size_t)ncap);
			memset(u + cap, 0, (size_t)(ncap - cap));
			cap = ncap;
		}
		u[n - 1] = 1;
		lead_buf_addf(&b, "$%d", n);
	}
	*nparams = max;
	*used = u;
	return lead_buf_take(&b);
}

/* 1 if sql is an INSERT into a table with a drawn id, and does not
 * return anything itself. */
static int
inserts_id(const char *sql)
{
	size_t n;

	while (*sql == ' ' || *sql == '\n' || *sql == '\t')
		sql++;
	if (strncasecmp(sql, "INSERT INTO ", 12) != 0 || strstr(sql,
	    "RETURNING") || strstr(sql, "returning"))
		return 0;
	sql += 12;
	n = strcspn(sql, " (");
	for (size_t i = 0; i < sizeof id_tables / sizeof *id_tables; i++)
		if (strlen(id_tables[i]) == n && strncmp(sql, id_tables[i],
		    n) == 0)
			return 1;
	return 0;
}

static int
pg_prepare(struct lead_conn *c, const char *sql, struct lead_stmt **out)
{
	struct pg_conn *q = PQ(c);
	struct pg_stmt *t = lead_xcalloc(1, sizeof *t);
	unsigned char *used;

	t->s.drv = &lead_drv_pg;
	t->s.conn = c;
	t->s.sql = sql;
	t->sql = rewrite(sql, &t->nparams, &used);
	if (inserts_id(sql)) {
		size_t n = strlen(t->sql);

		t->sql = lead_xrealloc(t->sql, n + 14);
		memcpy(t->sql + n, " RETURNING id", 14);
		t->returning = 1;
	}
	if (t->nparams > 0) {
		size_t n = (size_t)t->nparams;

		t->types = lead_xcalloc(n, sizeof *t->types);
		t->vals = lead_xcalloc(n, sizeof *t->vals);
		t->own = lead_xcalloc(n, sizeof *t->own);
		t->num = lead_xcalloc(n, sizeof *t->num);
		for (int i = 0; i < t->nparams; i++)
			t->types[i] = used[i] ? 0 : OID_TEXT;
	}
	free(used);
	t->row = -1;
	if ((t->next = q->stmts) != NULL)
		q->stmts->prev = t;
	q->stmts = t;
	*out = &t->s;
	return LEAD_OK;
}

static int
param(struct pg_stmt *t, int i)
{
	if (i < 1 || i > t->nparams)
		return -1;
	free(t->own[i - 1]);
	t->own[i - 1] = NULL;
	return i - 1;
}

static int
pg_bind_null(struct lead_stmt *s, int i)
{
	struct pg_stmt *t = PS(s);

	if ((i = param(t, i)) < 0)
		return LEAD_ERROR;
	t->vals[i] = NULL;
	return LEAD_OK;
}

static int
pg_bind_int64(struct lead_stmt *s, int i, int64_t v)
{
	struct pg_stmt *t = PS(s);

	if ((i = param(t, i)) < 0)
		return LEAD_ERROR;
	snprintf(t->num[i], sizeof t->num[i], "%" PRId64, v);
	t->vals[i] = t->num[i];
	return LEAD_OK;
}

static int
pg_bind_double(struct lead_stmt *s, int i, double v)
{
	struct pg_stmt *t = PS(s);

	if ((i = param(t, i)) < 0)
		return LEAD_ERROR;
	snprintf(t->num[i], sizeof t->num[i], "%.17g", v);
	t->vals[i] = t->num[i];
	return LEAD_OK;
}

static int
pg_bind_text(struct lead_stmt *s, int i, const char *v, int len, int copy)
{
	struct pg_stmt *t = PS(s);

	if ((i = param(t, i)) < 0)
		return LEAD_ERROR;
	if (len >= 0 || copy) {
		size_t n = len >= 0 ? (size_t)len : strlen(v);

		t->own[i] = lead_xmalloc(n + 1);
		memcpy(t->own[i], v, n);
		t->own[i][n] = '\0';
		t->vals[i] = t->own[i];
	} else
		t->vals[i] = (char *)v;
	return LEAD_OK;
}

static int
pg_bind_count(struct lead_stmt *s)
{
	return PS(s)->nparams;
}

/* The server's name for a statement of this text, preparing it there
 * the first time. */
static const char *
server_prepared(struct pg_conn *q, struct pg_stmt *t)
{
	struct pg_prep *p;
	PGresult *res;

	for (p = q->preps; p; p = p->next)
		if (strcmp(p->sql, t->sql) == 0)
			return p->name;
	p = lead_xcalloc(1, sizeof *p);
	snprintf(p->name, sizeof p->name, "lk%d", ++q->nprep);
	res = PQprepare(q->pg, p->name, t->sql, t->nparams, t->types);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		lead_debug("the statement that failed: %s", t->sql);
		free(p);
		failed(q, res);
		return NULL;
	}
	PQclear(res);
	p->sql = lead_xstrdup(t->sql);
	p->next = q->preps;
	q->preps = p;
	return p->name;
}

/* A scan reads SCAN_ROWS rows a round trip. */
#define SCAN_ROWS 2000

static void
close_cursor(struct pg_stmt *t)
{
	struct pg_conn *q = PQ(t->s.conn);
	char sql[32];

	if (q->fetching == t)
		(void)settle(q);
	PQclear(t->ahead);
	t->ahead = NULL;
	t->sent = 0;
	if (t->cursor[0] == '\0')
		return;
	/* (In a transaction that failed, the cursor went with it.) */
	if (stream_end(q) == LEAD_OK &&
	    PQtransactionStatus(q->pg) == PQTRANS_INTRANS) {
		snprintf(sql, sizeof sql, "CLOSE %s", t->cursor);
		PQclear(PQexec(q->pg, sql));
	}
	t->cursor[0] = '\0';
}

/* The next batch of a scan's rows: LEAD_OK, or an error. */
static int
fetch(struct pg_stmt *t)
{
	struct pg_conn *q = PQ(t->s.conn);
	char sql[64];

	PQclear(t->res);
	t->res = NULL;
	/* (Not the bulks: the cursor reads the snapshot it was opened
	 * on.  Only a streamed COPY must end before another command.) */
	if (stream_end(q) != LEAD_OK) {
		t->cursor[0] = '\0';
		return LEAD_ERROR;
	}
	snprintf(sql, sizeof sql, "FETCH %d FROM %s", SCAN_ROWS, t->cursor);
	if (t->ahead) {
		t->res = t->ahead;
		t->ahead = NULL;
	} else if (!t->sent)
		t->res = PQexec(q->pg, sql);
	t->sent = 0;
	if (PQresultStatus(t->res) != PGRES_TUPLES_OK) {
		failed(q, t->res);
		t->res = NULL;
		t->cursor[0] = '\0';
		return LEAD_ERROR;
	}
	t->nrows = PQntuples(t->res);
	t->more = t->nrows == SCAN_ROWS;
	t->row = -1;
	/* The next batch, while the command works on this one. */
	if (t->more && PQsendQuery(q->pg, sql) == 1) {
		q->fetching = t;
		t->sent = 1;
	}
	return LEAD_OK;
}

/* Open a scan's cursor and read its first batch. */
static int
scan_open(struct pg_stmt *t)
{
	struct pg_conn *q = PQ(t->s.conn);
	struct lead_buf b = { 0 };
	PGresult *res;

	snprintf(t->cursor, sizeof t->cursor, "lkc%d", ++q->ncursor);
	lead_buf_addf(&b, "DECLARE %s NO SCROLL CURSOR FOR %s", t->cursor,
	    t->sql);
	res = PQexecParams(q->pg, b.s, t->nparams, t->types,
	    (const char *const *)t->vals, NULL, NULL, 0);
	lead_buf_free(&b);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		lead_debug("the statement that failed: %s", t->sql);
		t->cursor[0] = '\0';
		return failed(q, res);
	}
	PQclear(res);
	return fetch(t);
}

static int
pg_step(struct lead_stmt *s)
{
	struct pg_stmt *t = PS(s);
	struct pg_conn *q = PQ(s->conn);
	ExecStatusType st;
	const char *const *vals = (const char *const *)t->vals;

	if (t->res == NULL && flush(q) != LEAD_OK)
		return LEAD_ERROR;
	if (t->res == NULL && s->scan &&
	    PQtransactionStatus(q->pg) == PQTRANS_INTRANS) {
		if (scan_open(t) != LEAD_OK)
			return LEAD_ERROR;
	} else if (t->res == NULL) {
		if (t->prep == NULL && t->nexec > 0 &&
		    (t->prep = server_prepared(q, t)) == NULL)
			return LEAD_ERROR;
		t->nexec++;
		t->res = t->prep ? PQexecPrepared(q->pg, t->prep, t->nparams,
		    vals, NULL, NULL, 0) : PQexecParams(q->pg, t->sql,
		    t->nparams, t->types, vals, NULL, NULL, 0);
		st = PQresultStatus(t->res);
		if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
			lead_debug("the statement that failed: %s", t->sql);
			failed(q, t->res);
			t->res = NULL;
			return LEAD_ERROR;
		}
		q->changes = strtoll(PQcmdTuples(t->res), NULL, 10);
		t->nrows = st == PGRES_TUPLES_OK ? PQntuples(t->res) : 0;
		t->row = -1;
		if (t->returning) {
			if (t->nrows > 0)
				q->last_id = strtoll(PQgetvalue(t->res,
				    t->nrows - 1, 0), NULL, 10);
			t->nrows = 0;
		}
	}
	if (t->row + 1 >= t->nrows && t->cursor[0] && t->more &&
	    fetch(t) != LEAD_OK)
		return LEAD_ERROR;
	if (t->row + 1 < t->nrows) {
		t->row++;
		return LEAD_ROW;
	}
	t->row = t->nrows;
	close_cursor(t);
	return LEAD_DONE;
}

static int
current(struct pg_stmt *t, int i)
{
	return t->res && t->row >= 0 && t->row < t->nrows && i >= 0 &&
	    i < PQnfields(t->res);
}

static int
pg_column_type(struct lead_stmt *s, int i)
{
	struct pg_stmt *t = PS(s);
	const char *v;

	if (!current(t, i) || PQgetisnull(t->res, t->row, i))
		return LEAD_NULL;
	switch (PQftype(t->res, i)) {
	case OID_BOOL: case OID_INT2: case OID_INT4: case OID_INT8:
	case OID_OID:
		return LEAD_INTEGER;
	case OID_NUMERIC:
		/* sum() of bigints is numeric: whole, it is an integer */
		v = PQgetvalue(t->res, t->row, i);
		return strpbrk(v, ".eEN") ? LEAD_FLOAT : LEAD_INTEGER;
	case OID_FLOAT4: case OID_FLOAT8:
		return LEAD_FLOAT;
	case OID_BYTEA:
		return LEAD_BLOB;
	default:
		return LEAD_TEXT;
	}
}

static int64_t
pg_column_int64(struct lead_stmt *s, int i)
{
	struct pg_stmt *t = PS(s);
	const char *v;
	double d;

	if (!current(t, i) || PQgetisnull(t->res, t->row, i))
		return 0;
	v = PQgetvalue(t->res, t->row, i);
	switch (PQftype(t->res, i)) {
	case OID_BOOL:
		return v[0] == 't';
	case OID_FLOAT4: case OID_FLOAT8: case OID_NUMERIC:
		d = strtod(v, NULL);
		return d >= 9.2233720368547758e18 ? INT64_MAX :
		    d <= -9.2233720368547758e18 ? INT64_MIN : (int64_t)d;
	default:
		return strtoll(v, NULL, 10);
	}
}

static double
pg_column_double(struct lead_stmt *s, int i)
{
	struct pg_stmt *t = PS(s);

	if (!current(t, i) || PQgetisnull(t->res, t->row, i))
		return 0;
	if (PQftype(t->res, i) == OID_BOOL)
		return PQgetvalue(t->res, t->row, i)[0] == 't';
	return strtod(PQgetvalue(t->res, t->row, i), NULL);
}

static const char *
sqlite_real(struct pg_stmt *t, int i, const char *v)
{
	if (i >= t->nfmt) {
		int n = PQnfields(t->res);

		t->fmt = lead_xrealloc(t->fmt, (size_t)n * sizeof *t->fmt);
		t->nfmt = n;
	}
	return lead_real_text(strtod(v, NULL), t->fmt[i]);
}

static const char *
pg_column_text(struct lead_stmt *s, int i)
{
	struct pg_stmt *t = PS(s);
	const char *v;

	if (!current(t, i) || PQgetisnull(t->res, t->row, i))
		return NULL;
	v = PQgetvalue(t->res, t->row, i);
	switch (PQftype(t->res, i)) {
	case OID_BOOL:
		return v[0] == 't' ? "1" : "0";
	case OID_FLOAT4: case OID_FLOAT8:
		return sqlite_real(t, i, v);
	case OID_NUMERIC:
		return strpbrk(v, ".eEN") ? sqlite_real(t, i, v) : v;
	default:
		return v;
	}
}

static int
pg_column_bytes(struct lead_stmt *s, int i)
{
	const char *v = pg_column_text(s, i);

	return v ? (int)strlen(v) : 0;
}

static int
pg_column_count(struct lead_stmt *s)
{
	struct pg_stmt *t = PS(s);

	return t->res ? PQnfields(t->res) : 0;
}

static const char *
pg_column_name(struct lead_stmt *s, int i)
{
	struct pg_stmt *t = PS(s);

	return t->res ? PQfname(t->res, i) : NULL;
}

static void
pg_reset(struct lead_stmt *s)
{
	struct pg_stmt *t = PS(s);

	close_cursor(t);
	PQclear(t->res);
	t->res = NULL;
	t->row = -1;
	t->nrows = 0;
}

static void
pg_clear(struct lead_stmt *s)
{
	struct pg_stmt *t = PS(s);

	for (int i = 0; i < t->nparams; i++) {
		free(t->own[i]);
		t->own[i] = NULL;
		t->vals[i] = NULL;
	}
}

static void
pg_finalize(struct lead_stmt *s)
{
	struct pg_stmt *t = PS(s);
	struct pg_conn *q = PQ(s->conn);

	pg_reset(s);
	pg_clear(s);
	if (t->prev)
		t->prev->next = t->next;
	else
		q->stmts = t->next;
	if (t->next)
		t->next->prev = t->prev;
	free(t->sql);
	free(t->types);
	free(t->vals);
	free(t->own);
	free(t->num);
	free(t->fmt);
	free(t);
}

static int64_t
pg_changes(struct lead_conn *c)
{
	return PQ(c)->changes;
}

/* The id of the last row an INSERT made (its RETURNING id). */
static int64_t
pg_last_id(struct lead_conn *c)
{
	return PQ(c)->last_id;
}

/* A select list holds at most 1664 entries. */
static int
pg_max_columns(struct lead_conn *c)
{
	(void)c;
	return 1664;
}

const struct lead_driver lead_drv_pg = {
	.name = "postgresql",
	.dialect = LEAD_DIALECT_PG,
	.claims = pg_claims,
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.begin_write = pg_begin_write,
	.begin_read = pg_begin_read,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.in_transaction = pg_in_transaction,
	.tune = pg_tune,
	.prepare = pg_prepare,
	.bind_null = pg_bind_null,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_count = pg_bind_count,
	.step = pg_step,
	.column_type = pg_column_type,
	.column_int64 = pg_column_int64,
	.column_double = pg_column_double,
	.column_text = pg_column_text,
	.column_bytes = pg_column_bytes,
	.column_count = pg_column_count,
	.column_name = pg_column_name,
	.reset = pg_reset,
	.clear = pg_clear,
	.finalize = pg_finalize,
	.changes = pg_changes,
	.last_id = pg_last_id,
	.max_columns = pg_max_columns,
	.error = pg_error,
	.flush_erased = pg_flush_erased,
	.bulk_open = pg_bulk_open,
	.bulk_row = pg_bulk_row,
	.pump = pg_pump,
};
