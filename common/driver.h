/*
 * driver.h: the thin interface between the store and a database engine.
 *
 * A driver is a table of functions (git's ref_storage_be, PowerDNS's
 * gsql backends): one per engine, chosen when the database is opened.
 * Above it, the store (common/store-*.c) writes its SQL once, in the
 * subset the engines share, with ?N placeholders; below it, only
 * drv-sqlite.c includes <sqlite3.h>.
 *
 * Every call returns a status: LEAD_OK, LEAD_ROW, LEAD_DONE, or an error
 * whose class (enum lead_dberr) and message the connection keeps until
 * the next call.  lead_db_fail turns one into the command's exit status;
 * the helpers in db.c (lead_db_prepare, lead_db_step, ...) call it for
 * the errors a command cannot handle.
 */
#ifndef LEAD_DRIVER_H
#define LEAD_DRIVER_H

#include <stddef.h>
#include <stdint.h>

enum {
	LEAD_OK = 0,
	LEAD_ROW = 100,
	LEAD_DONE = 101,
	LEAD_ERROR = 1
};

/* The classes of error, each with its exit status (lead_db_fail). */
enum lead_dberr {
	LEAD_DBE_NONE,
	LEAD_DBE_BUSY,		/* locked past --wait: 75 */
	LEAD_DBE_FULL,		/* could not write (a full disk): 3 */
	LEAD_DBE_READONLY,	/* 3 */
	LEAD_DBE_CORRUPT,	/* not a database, or damaged: 3 */
	LEAD_DBE_IO,		/* 3 */
	LEAD_DBE_CONSTRAINT,	/* a constraint the caller did not expect: 3 */
	LEAD_DBE_OTHER,		/* 3 */
	LEAD_DBE_BUG		/* misuse: SQL that does not prepare: 70 */
};

/* Column and value types. */
enum { LEAD_INTEGER = 1, LEAD_FLOAT = 2, LEAD_TEXT = 3, LEAD_BLOB = 4,
    LEAD_NULL = 5 };

/* Text bound with LEAD_STATIC must live until the statement is reset;
 * LEAD_TRANSIENT is copied. */
enum { LEAD_STATIC = 0, LEAD_TRANSIENT = 1 };

/* Tunings a command may ask for; a driver ignores what it lacks. */
enum lead_tune {
	LEAD_TUNE_CACHE_KIB,	/* the page cache, in KiB */
	LEAD_TUNE_SECURE_DELETE	/* overwrite what is deleted */
};

struct lead_driver;
struct lead_bulk;

/* The heads of a driver's connection and statement. */
struct lead_conn {
	const struct lead_driver *drv;
	char *name;		/* for messages: a path, or a URL without
				 * its password */
	int dry;		/* a dry run's stand-in database */
};

struct lead_stmt {
	const struct lead_driver *drv;
	struct lead_conn *conn;
	const char *sql;	/* as prepared: the cache's key */
	int scan;		/* rows read in batches, not all at once
				 * (lead_db_scan) */
};

/* How to open: create (0600) or not, and the dry run of a create. */
enum { LEAD_OPEN_EXISTING = 0, LEAD_OPEN_CREATE = 1, LEAD_OPEN_DRY = 2 };

/* Whose SQL a statement must be written in, where the engines part
 * (lead_sql). */
enum lead_dialect { LEAD_DIALECT_SQLITE, LEAD_DIALECT_PG };

struct lead_driver {
	const char *name;
	enum lead_dialect dialect;
	/* 1 if this driver serves the name (a path, a URL). */
	int (*claims)(const char *name);
	/* Open and bring the schema forward; dies with a message (the
	 * command has nothing yet to undo). */
	struct lead_conn *(*open)(const char *name, int create, double wait);
	void (*close)(struct lead_conn *);

	int (*exec)(struct lead_conn *, const char *sql);
	int (*begin_write)(struct lead_conn *);
	int (*begin_read)(struct lead_conn *);
	int (*commit)(struct lead_conn *);
	int (*rollback)(struct lead_conn *);
	int (*in_transaction)(struct lead_conn *);
	void (*tune)(struct lead_conn *, enum lead_tune, long value);

	int (*prepare)(struct lead_conn *, const char *sql,
	    struct lead_stmt **);
	int (*bind_null)(struct lead_stmt *, int);
	int (*bind_int64)(struct lead_stmt *, int, int64_t);
	int (*bind_double)(struct lead_stmt *, int, double);
	int (*bind_text)(struct lead_stmt *, int, const char *, int len,
	    int copy);
	int (*bind_count)(struct lead_stmt *);
	int (*step)(struct lead_stmt *);
	int (*column_type)(struct lead_stmt *, int);
	int64_t (*column_int64)(struct lead_stmt *, int);
	double (*column_double)(struct lead_stmt *, int);
	const char *(*column_text)(struct lead_stmt *, int);
	int (*column_bytes)(struct lead_stmt *, int);
	int (*column_count)(struct lead_stmt *);
	const char *(*column_name)(struct lead_stmt *, int);
	void (*reset)(struct lead_stmt *);
	void (*clear)(struct lead_stmt *);
	void (*finalize)(struct lead_stmt *);

	/* Rows the last INSERT, UPDATE or DELETE changed; the id of the
	 * last row inserted. */
	int64_t (*changes)(struct lead_conn *);
	int64_t (*last_id)(struct lead_conn *);
	/* The widest row a statement may have. */
	int (*max_columns)(struct lead_conn *);
	/* The last error's class, its message (with what the user can do),
	 * and the system's errno if one was kept. */
	enum lead_dberr (*error)(struct lead_conn *, const char **msg);
	/* Make sure what --forget erased is gone from side files (the
	 * SQLite WAL): 0, or -1 with the error set. */
	int (*flush_erased)(struct lead_conn *);

	/*
	 * Bulk writes, where a statement a row would cost a round trip
	 * each (PostgreSQL; NULL in SQLite, which has none to save).  Rows
	 * for into ("table (col, ...)") are held and copied in (COPY) all
	 * at once before the connection's next statement, or when many
	 * are held; then set, if given, runs (it moves the rows of a
	 * staging table where they belong, and empties it).  The bulks of
	 * a connection are written in the order they were opened, so one
	 * opened later may refer to rows of one opened earlier.  A row's
	 * values are text, NULL for NULL; an error shows at the next
	 * statement, or here when the rows are written.
	 */
	struct lead_bulk *(*bulk_open)(struct lead_conn *, const char *into,
	    const char *set);
	int (*bulk_row)(struct lead_bulk *, const char *const *v, int n);
	/* Send what bulk writes have queued, as far as the connection
	 * takes it now, without waiting: a command calls it while it works
	 * on something else (reads its input), so that the server stores
	 * rows meanwhile.  Errors show at the next statement.  NULL where
	 * nothing is queued (SQLite). */
	void (*pump)(struct lead_conn *);
};

extern const struct lead_driver lead_drv_sqlite;
extern const struct lead_driver lead_drv_pg;

/* The text of a statement for the connection's engine: the SQLite one,
 * or PostgreSQL's where the two part.  Both are static strings (the
 * statement cache's key is the address). */
#define lead_sql(db, sqlite, pg) \
	((db)->drv->dialect == LEAD_DIALECT_PG ? (pg) : (sqlite))

/* The calls, through the statement's driver. */
static inline int lead_bind_null(struct lead_stmt *st, int i)
{ return st->drv->bind_null(st, i); }
static inline int lead_bind_int64(struct lead_stmt *st, int i, int64_t v)
{ return st->drv->bind_int64(st, i, v); }
static inline int lead_bind_int(struct lead_stmt *st, int i, int v)
{ return st->drv->bind_int64(st, i, v); }
static inline int lead_bind_double(struct lead_stmt *st, int i, double v)
{ return st->drv->bind_double(st, i, v); }
static inline int lead_bind_text(struct lead_stmt *st, int i, const char *s,
    int len, int copy)
{ return s ? st->drv->bind_text(st, i, s, len, copy) :
    st->drv->bind_null(st, i); }
static inline int lead_bind_count(struct lead_stmt *st)
{ return st->drv->bind_count(st); }
static inline int lead_column_type(struct lead_stmt *st, int i)
{ return st->drv->column_type(st, i); }
static inline int64_t lead_column_int64(struct lead_stmt *st, int i)
{ return st->drv->column_int64(st, i); }
static inline int lead_column_int(struct lead_stmt *st, int i)
{ return (int)st->drv->column_int64(st, i); }
static inline double lead_column_double(struct lead_stmt *st, int i)
{ return st->drv->column_double(st, i); }
static inline const char *lead_column_text(struct lead_stmt *st, int i)
{ return st->drv->column_text(st, i); }
static inline int lead_column_bytes(struct lead_stmt *st, int i)
{ return st->drv->column_bytes(st, i); }
static inline int lead_column_count(struct lead_stmt *st)
{ return st->drv->column_count(st); }
static inline const char *lead_column_name(struct lead_stmt *st, int i)
{ return st->drv->column_name(st, i); }
static inline void lead_reset(struct lead_stmt *st)
{ st->drv->reset(st); }
static inline void lead_clear_bindings(struct lead_stmt *st)
{ st->drv->clear(st); }
static inline void lead_finalize(struct lead_stmt *st)
{ if (st) st->drv->finalize(st); }
static inline int64_t lead_db_changes(struct lead_conn *c)
{ return c->drv->changes(c); }
static inline int64_t lead_db_last_id(struct lead_conn *c)
{ return c->drv->last_id(c); }
static inline int lead_db_max_columns(struct lead_conn *c)
{ return c->drv->max_columns(c); }
static inline const char *lead_db_name(struct lead_conn *c)
{ return c->name; }

#endif
