/*
 * db.c: the database, whatever its engine: the driver chosen by name,
 * the helpers the store calls (prepare, step, the statement cache), the
 * invocation's transaction, and errors turned into exit statuses.
 *
 * The engine's own code is in its driver (drv-sqlite.c); nothing here
 * knows which engine it talks to.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lead.h"

/* The first that claims a name serves it: SQLite takes any. */
static const struct lead_driver *const drivers[] = {
	&lead_drv_pg,
	&lead_drv_sqlite,
};

const char *
lead_db_path(const char *opt)
{
	const char *env;

	if (opt && *opt)
		return opt;
	if ((env = getenv("LEAD_DB")) != NULL && *env)
		return env;
	return "leads.db";
}

/* The one place a database error becomes an exit status. */
_Noreturn void
lead_db_fail(struct lead_conn *c, const char *what)
{
	const char *msg;
	enum lead_dberr e = c->drv->error(c, &msg);

	switch (e) {
	case LEAD_DBE_BUSY:
		lead_die(LEAD_EX_BUSY, "%s: %s", what, msg);
	case LEAD_DBE_BUG:
		lead_die(LEAD_EX_SOFTWARE, "%s: %s (a bug in leadkit: please "
		    "report it); nothing changed", what, msg);
	default:
		lead_die(LEAD_EX_RUNTIME, "%s: %s", what, msg);
	}
}

void
lead_db_exec(struct lead_conn *c, const char *sql)
{
	if (c->drv->exec(c, sql) != LEAD_OK)
		lead_db_fail(c, c->name);
}

char *
lead_db_array(char *const *v, size_t n)
{
	struct lead_buf b = { 0 };

	lead_buf_addc(&b, '{');
	for (size_t i = 0; i < n; i++) {
		lead_buf_adds(&b, i ? ",\"" : "\"");
		for (const char *p = v[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				lead_buf_addc(&b, '\\');
			lead_buf_addc(&b, *p);
		}
		lead_buf_addc(&b, '"');
	}
	lead_buf_addc(&b, '}');
	return lead_buf_take(&b);
}

struct lead_bulk *
lead_db_bulk(struct lead_conn *c, const char *into, const char *set)
{
	return c->drv->bulk_open ? c->drv->bulk_open(c, into, set) : NULL;
}

void
lead_db_bulk_row(struct lead_conn *c, struct lead_bulk *b,
    const char *const *v, int n)
{
	if (c->drv->bulk_row(b, v, n) != LEAD_OK)
		lead_db_fail(c, c->name);
}

void
lead_db_pump(struct lead_conn *c)
{
	if (c->drv->pump)
		c->drv->pump(c);
}

struct lead_stmt *
lead_db_prepare(struct lead_conn *c, const char *sql)
{
	struct lead_stmt *st;

	if (c->drv->prepare(c, sql, &st) != LEAD_OK)
		lead_db_fail(c, c->name);
	return st;
}

struct lead_stmt *
lead_db_scan(struct lead_conn *c, const char *sql)
{
	struct lead_stmt *st = lead_db_prepare(c, sql);

	st->scan = 1;
	return st;
}

int
lead_db_step(struct lead_stmt *st)
{
	int rc = st->drv->step(st);

	if (rc != LEAD_ROW && rc != LEAD_DONE)
		lead_db_fail(st->conn, st->conn->name);
	return rc;
}

void
lead_db_run(struct lead_stmt *st)
{
	lead_db_step(st);
	lead_reset(st);
}

int64_t
lead_db_int64(struct lead_conn *c, const char *sql, int64_t arg,
    int64_t dflt)
{
	struct lead_stmt *st = lead_db_prepare(c, sql);
	int64_t v = dflt;

	if (lead_bind_count(st) > 0)
		lead_bind_int64(st, 1, arg);
	if (lead_db_step(st) == LEAD_ROW &&
	    lead_column_type(st, 0) != LEAD_NULL)
		v = lead_column_int64(st, 0);
	lead_finalize(st);
	return v;
}

char *
lead_db_text(struct lead_conn *c, const char *sql, int64_t arg)
{
	struct lead_stmt *st = lead_db_prepare(c, sql);
	char *v = NULL;

	if (lead_bind_count(st) > 0)
		lead_bind_int64(st, 1, arg);
	if (lead_db_step(st) == LEAD_ROW && lead_column_text(st, 0))
		v = lead_xstrdup(lead_column_text(st, 0));
	lead_finalize(st);
	return v;
}

void
lead_db_bind_text(struct lead_stmt *st, int i, const char *s)
{
	if (s == NULL || *s == '\0')
		lead_bind_null(st, i);
	else
		lead_bind_text(st, i, s, -1, LEAD_TRANSIENT);
}

static void
binds(struct lead_stmt *st, int i, const char *types, va_list ap)
{
	for (const char *t = types; *t; t++, i++)
		switch (*t) {
		case 'i':
			lead_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 'd':
			lead_bind_double(st, i, va_arg(ap, double));
			break;
		case 's':
			lead_bind_text(st, i, va_arg(ap, const char *), -1,
			    LEAD_STATIC);
			break;
		case 'b':
			lead_db_bind_text(st, i, va_arg(ap, const char *));
			break;
		case 'n':
			lead_bind_null(st, i);
			break;
		default:
			lead_die(LEAD_EX_SOFTWARE, "lead_db_binds: type '%c'",
			    *t);
		}
}

void
lead_db_binds(struct lead_stmt *st, int first, const char *types, ...)
{
	va_list ap;

	va_start(ap, types);
	binds(st, first, types, ap);
	va_end(ap);
}

void
lead_db_do(struct lead_conn *db, const char *sql, const char *types, ...)
{
	struct lead_stmt *st = lead_db_prepare(db, sql);
	va_list ap;

	va_start(ap, types);
	binds(st, 1, types, ap);
	va_end(ap);
	lead_db_step(st);
	lead_finalize(st);
}

char *
lead_db_ident(const char *name)
{
	struct lead_buf b = { 0 };

	lead_buf_addc(&b, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			lead_buf_addc(&b, '"');
		lead_buf_addc(&b, *p);
	}
	lead_buf_addc(&b, '"');
	return lead_buf_take(&b);
}

char *
lead_db_literal(const char *s)
{
	struct lead_buf b = { 0 };

	if (s == NULL)
		return lead_xstrdup("NULL");
	lead_buf_addc(&b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			lead_buf_addc(&b, '\'');
		lead_buf_addc(&b, *p);
	}
	lead_buf_addc(&b, '\'');
	return lead_buf_take(&b);
}

void
lead_db_begin(struct lead_conn *c)
{
	if (c->drv->begin_write(c) != LEAD_OK)
		lead_db_fail(c, c->name);
}

void
lead_db_begin_read(struct lead_conn *c)
{
	if (c->drv->begin_read(c) != LEAD_OK)
		lead_db_fail(c, c->name);
}

void
lead_db_commit(struct lead_conn *c)
{
	lead_stdout_ready();
	if (c->drv->commit(c) != LEAD_OK)
		lead_db_fail(c, c->name);
	lead_stdout_committed();
}

void
lead_db_end(struct lead_conn *c, int dry_run)
{
	if (!dry_run) {
		lead_db_commit(c);
		return;
	}
	lead_db_rollback(c);
	lead_stdout_release();
}

void
lead_db_rollback(struct lead_conn *c)
{
	(void)c->drv->rollback(c);
}

/* Savepoints are the same SQL on every engine. */
static void
savepoint_sql(struct lead_conn *c, const char *verb, const char *name)
{
	char sql[128];

	snprintf(sql, sizeof sql, "%s \"%s\"", verb, name);
	if (c->drv->exec(c, sql) != LEAD_OK)
		lead_db_fail(c, c->name);
}

void
lead_db_savepoint(struct lead_conn *c, const char *name)
{
	savepoint_sql(c, "SAVEPOINT", name);
}

void
lead_db_release(struct lead_conn *c, const char *name)
{
	savepoint_sql(c, "RELEASE", name);
}

void
lead_db_rollback_to(struct lead_conn *c, const char *name)
{
	savepoint_sql(c, "ROLLBACK TO", name);
	savepoint_sql(c, "RELEASE", name);
}

void
lead_db_tune(struct lead_conn *c, enum lead_tune what, long value)
{
	c->drv->tune(c, what, value);
}

int
lead_db_flush_erased(struct lead_conn *c)
{
	int rc = c->drv->flush_erased(c);

	if (rc < 0)
		lead_db_fail(c, c->name);
	return rc;
}

enum lead_dialect lead_db_dialect;

struct lead_conn *
lead_db_open(const char *name, int create, double wait_secs)
{
	for (size_t i = 0; i < sizeof drivers / sizeof *drivers; i++)
		if (drivers[i]->claims(name)) {
			lead_db_dialect = drivers[i]->dialect;
			return drivers[i]->open(name, create, wait_secs);
		}
	lead_die(LEAD_EX_USAGE, "--db '%s': no driver for it", name);
}

/* Statements prepared once per process for the helpers here that run
 * once a lead (a stage change): keyed by connection and SQL text (the
 * address of a static string). */
static struct cached {
	struct lead_conn *db;
	const char *sql;
	struct lead_stmt *st;
} cached[64];
static size_t ncached;

struct lead_stmt *
lead_db_cached(struct lead_conn *db, const char *sql)
{
	for (size_t i = 0; i < ncached; i++)
		if (cached[i].db == db && cached[i].sql == sql) {
			lead_reset(cached[i].st);
			lead_clear_bindings(cached[i].st);
			return cached[i].st;
		}
	if (ncached == sizeof cached / sizeof cached[0])
		lead_die(LEAD_EX_SOFTWARE, "internal error: statement cache "
		    "full");
	cached[ncached].db = db;
	cached[ncached].sql = sql;
	cached[ncached].st = lead_db_prepare(db, sql);
	return cached[ncached++].st;
}

void
lead_db_close(struct lead_conn *db)
{
	size_t j = 0;

	for (size_t i = 0; i < ncached; i++)
		if (cached[i].db != db)
			cached[j++] = cached[i];
	ncached = j;
	db->drv->close(db);
}

char *
lead_setting(struct lead_conn *db, const char *name)
{
	struct lead_stmt *st = lead_db_prepare(db, "SELECT value FROM setting "
	    "WHERE name = ?");
	char *v = NULL;

	lead_bind_text(st, 1, name, -1, LEAD_STATIC);
	if (lead_db_step(st) == LEAD_ROW)
		v = lead_xstrdup(lead_column_text(st, 0));
	lead_finalize(st);
	return v;
}

void
lead_setting_set(struct lead_conn *db, const char *name, const char *value,
    const char *at)
{
	struct lead_stmt *st = lead_db_prepare(db, "INSERT INTO setting (name, "
	    "value, at) VALUES (?1, ?2, ?3) ON CONFLICT (name) DO UPDATE SET "
	    "value = excluded.value, at = excluded.at");

	lead_bind_text(st, 1, name, -1, LEAD_STATIC);
	lead_bind_text(st, 2, value, -1, LEAD_STATIC);
	lead_bind_text(st, 3, at, -1, LEAD_STATIC);
	lead_db_step(st);
	lead_finalize(st);
}

const char *
lead_db_salt(struct lead_conn *db)
{
	static char salt[80];
	static struct lead_conn *of;
	struct lead_stmt *st;

	if (of == db && salt[0])
		return salt;
	st = lead_db_prepare(db, "SELECT value FROM meta WHERE key = "
	    "'email_salt'");
	salt[0] = '\0';
	if (lead_db_step(st) == LEAD_ROW && lead_column_text(st, 0))
		snprintf(salt, sizeof salt, "%s", lead_column_text(st, 0));
	lead_finalize(st);
	of = db;
	return salt[0] ? salt : NULL;
}
