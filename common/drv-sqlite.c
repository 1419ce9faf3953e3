/*
 * drv-sqlite.c: the SQLite driver, and the only file that includes
 * <sqlite3.h>.
 *
 * A database is one file, mode 0600 from its first byte, in WAL mode so
 * that readers and one writer work at once.  Its schema is documented for
 * sqlite3 users in leads.db(5); every change to it is a new entry in
 * migrations[] (never an edit of an old one), so a database of any older
 * leadkit is brought forward on open, and one from a newer leadkit is
 * refused untouched.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lead.h"
#include "views.h"

struct sq_conn {
	struct lead_conn c;
	sqlite3 *db;
	struct sq_stmt *stmts;	/* every statement still prepared */
	int fresh;		/* created by this process: to WAL at close */
	char msg[PATH_MAX + 512];
};

struct sq_stmt {
	struct lead_stmt s;
	sqlite3_stmt *st;
	struct sq_stmt *prev, *next;
};

#define SQ(c)	((struct sq_conn *)(c))
#define ST(s)	(((struct sq_stmt *)(s))->st)

/* PRAGMA application_id: "LKit", so sqlite3 and file(1) can tell. */
#define LEAD_APP_ID 0x4c4b6974

static const char schema_v1[] =
	"CREATE TABLE batch ("
	" id INTEGER PRIMARY KEY,"
	" command TEXT NOT NULL,"
	" file TEXT,"
	" sha256 TEXT, bytes INTEGER,"
	" source TEXT, campaign TEXT, kind TEXT, cost REAL, activity TEXT,"
	" options TEXT,"
	" at TEXT NOT NULL,"
	" nread INTEGER NOT NULL DEFAULT 0,"
	" nnew INTEGER NOT NULL DEFAULT 0,"
	" nupdated INTEGER NOT NULL DEFAULT 0,"
	" nunchanged INTEGER NOT NULL DEFAULT 0,"
	" nmerged INTEGER NOT NULL DEFAULT 0,"
	" nrejected INTEGER NOT NULL DEFAULT 0,"
	" first_activity INTEGER, last_activity INTEGER,"
	" undone_at TEXT);"
	"CREATE INDEX batch_sha256 ON batch(sha256);"

	"CREATE TABLE rep ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" email TEXT, territory TEXT, capacity INTEGER,"
	" weight REAL NOT NULL DEFAULT 1,"
	" available INTEGER NOT NULL DEFAULT 1,"
	" manager TEXT,"
	" active INTEGER NOT NULL DEFAULT 1,"
	" updated_at TEXT);"
	"CREATE TABLE rep_version ("
	" id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, text TEXT NOT NULL,"
	" file TEXT, at TEXT NOT NULL);"

	"CREATE TABLE lead ("
	" id INTEGER PRIMARY KEY,"
	" email TEXT UNIQUE,"
	" first_name TEXT, last_name TEXT, company TEXT, title TEXT,"
	" phone TEXT, country TEXT, region TEXT, city TEXT, industry TEXT,"
	" company_size TEXT, website TEXT, domain TEXT,"
	" source TEXT, campaign TEXT,"
	" first_batch INTEGER, last_batch INTEGER,"
	" stage TEXT NOT NULL DEFAULT 'new' CHECK (stage IN ('new','nurture',"
	"  'mql','sal','sql','opportunity','won','lost','disqualified')),"
	" stage_at TEXT,"
	" owner_id INTEGER REFERENCES rep(id),"
	" score REAL, fit REAL, grade TEXT, scored_at TEXT,"
	" dnc_email INTEGER NOT NULL DEFAULT 0,"
	" dnc_phone INTEGER NOT NULL DEFAULT 0,"
	" dnc_reason TEXT, dnc_at TEXT,"
	" attrs TEXT NOT NULL DEFAULT '{}',"
	" created_at TEXT NOT NULL,"
	" updated_at TEXT NOT NULL,"
	" forgotten_at TEXT);"

	/* Every lead of every batch: the ones it created (lead.first_batch)
	 * and the known ones it named (batch_lead). */
	LEAD_BATCH_MEMBER_VIEW

	"CREATE TABLE lead_key ("
	" system TEXT NOT NULL, key TEXT NOT NULL,"
	" lead_id INTEGER NOT NULL REFERENCES lead(id) ON DELETE CASCADE,"
	" batch_id INTEGER,"
	" PRIMARY KEY (system, key)) WITHOUT ROWID;"
	"CREATE INDEX lead_key_lead ON lead_key(lead_id);"

	/* Every known lead a batch named (the leads it created have
	 * lead.first_batch instead), how, and the values it replaced and
	 * wrote (JSON objects), so that undo restores a field only where
	 * nobody has changed it since. */
	"CREATE TABLE batch_lead ("
	" batch_id INTEGER NOT NULL, lead_id INTEGER NOT NULL,"
	" action TEXT NOT NULL,"
	" before TEXT, after TEXT,"
	" PRIMARY KEY (batch_id, lead_id)) WITHOUT ROWID;"

	"CREATE TABLE suppression ("
	" email TEXT PRIMARY KEY,"
	" channel TEXT NOT NULL DEFAULT 'all',"
	" reason TEXT, at TEXT NOT NULL, batch_id INTEGER) WITHOUT ROWID;"

	"CREATE TABLE activity ("
	" id INTEGER PRIMARY KEY,"
	" lead_id INTEGER NOT NULL REFERENCES lead(id) ON DELETE CASCADE,"
	" ts TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" channel TEXT, actor TEXT, content TEXT, outcome TEXT, note TEXT,"
	" next_step TEXT, due TEXT, amount REAL,"
	" batch_id INTEGER,"
	" fp INTEGER NOT NULL DEFAULT 0);"
	/* Scoring scans (lead_id, ts, kind); fp makes a repeated event a
	 * no-op (INSERT OR IGNORE). */
	"CREATE UNIQUE INDEX activity_lead_ts ON activity(lead_id, ts, kind, fp);"

	"CREATE TABLE stage_history ("
	" id INTEGER PRIMARY KEY,"
	" lead_id INTEGER NOT NULL REFERENCES lead(id) ON DELETE CASCADE,"
	" at TEXT NOT NULL, from_stage TEXT, to_stage TEXT NOT NULL,"
	" actor TEXT, reason TEXT, activity_id INTEGER, batch_id INTEGER);"
	"CREATE INDEX stage_history_lead ON stage_history(lead_id, at);"

	"CREATE TABLE assignment ("
	" id INTEGER PRIMARY KEY,"
	" lead_id INTEGER NOT NULL REFERENCES lead(id) ON DELETE CASCADE,"
	" rep_id INTEGER NOT NULL REFERENCES rep(id),"
	" at TEXT NOT NULL, due TEXT, reason TEXT, actor TEXT,"
	" first_touch_at TEXT, accepted_at TEXT, rejected_at TEXT,"
	" reject_reason TEXT, ended_at TEXT, end_reason TEXT);"
	"CREATE INDEX assignment_lead ON assignment(lead_id);"
	"CREATE INDEX assignment_rep ON assignment(rep_id, ended_at);"

	"CREATE TABLE rule_set ("
	" id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE,"
	" text TEXT NOT NULL, file TEXT, at TEXT NOT NULL);"
	"CREATE TABLE score_run ("
	" id INTEGER PRIMARY KEY,"
	" rule_set_id INTEGER REFERENCES rule_set(id),"
	" at TEXT NOT NULL, nscored INTEGER, nchanged INTEGER,"
	" npromoted INTEGER);"
	/* A lead's score as of a run, kept when it changed in that run. */
	"CREATE TABLE lead_score ("
	" lead_id INTEGER NOT NULL REFERENCES lead(id) ON DELETE CASCADE,"
	" run_id INTEGER NOT NULL REFERENCES score_run(id),"
	" score REAL, fit REAL, grade TEXT,"
	" PRIMARY KEY (lead_id, run_id)) WITHOUT ROWID;"

	/* Small named settings: the contact protocol, contact caps,
	 * round-robin state. */
	"CREATE TABLE setting ("
	" name TEXT PRIMARY KEY, value TEXT NOT NULL, at TEXT) WITHOUT ROWID;";

/* lead-score: what a run covered, and how far into the activity table it
 * read, so that a --changed run finds the leads with new touches. */
static const char schema_v2[] =
	"ALTER TABLE score_run ADD COLUMN scope TEXT;"
	"ALTER TABLE score_run ADD COLUMN activity_mark INTEGER;"
	"CREATE INDEX lead_score_run ON lead_score(run_id);";

/* lead-score --changed: how far into the leads, the import batches, the
 * stage history and the assignments a run read, so that the next finds
 * what changed by ranges of ids, without reading every lead. */
static const char schema_v3[] =
	"ALTER TABLE score_run ADD COLUMN lead_mark INTEGER;"
	"ALTER TABLE score_run ADD COLUMN batch_mark INTEGER;"
	"ALTER TABLE score_run ADD COLUMN history_mark INTEGER;"
	"ALTER TABLE score_run ADD COLUMN assignment_mark INTEGER;";

/* lead-handoff: each rep's place in the weighted round-robin (a virtual
 * time: the rep with the lowest goes next, and moves on by 1/weight), and
 * the owned leads found without reading every lead (a partial index:
 * imports of new leads do not pay for it). */
static const char schema_v4[] =
	"ALTER TABLE rep ADD COLUMN rr_pass REAL NOT NULL DEFAULT 0;"
	"CREATE INDEX lead_owner ON lead(owner_id) WHERE owner_id IS NOT NULL;";

/* The lifecycle: a lead is named by its source key alone (lead-log 00Q5
 * call), so keys are found without their system; a promised next step
 * is found without reading every touch (few touches make one); and the
 * promises still owed are a view, the same for every command and for
 * sqlite3 users.  A promise is kept by any later touch by a rep (which
 * makes the next promise if it has one), and ends with the lead
 * (views.h). */
static const char schema_v5[] =
	"CREATE INDEX lead_key_key ON lead_key(key);"
	/* An imported history is kept whole: a touch that lacks the
	 * context the protocol asks of a rep says what it lacks. */
	"ALTER TABLE activity ADD COLUMN missing TEXT;"
	"CREATE INDEX activity_promise ON activity(lead_id, ts) WHERE "
	" next_step IS NOT NULL;"
	LEAD_PROMISE_VIEW
	/* A lead's cohort time is its first touch's: older imports let a
	 * later list move created_at to an earlier date (a CRM's "created").
	 * The first value a batch replaced is the first touch's. */
	"UPDATE lead SET created_at = (SELECT json_extract(bl.before,"
	" '$.created_at') FROM batch_lead bl WHERE bl.lead_id = lead.id AND"
	" json_type(bl.before, '$.created_at') = 'text' ORDER BY bl.batch_id"
	" LIMIT 1) WHERE id IN (SELECT lead_id FROM batch_lead WHERE"
	" json_type(before, '$.created_at') = 'text');";

/* A promise is kept by a person's touch, not by a list import's. */
static const char schema_v6[] =
	"DROP VIEW promise;"
	LEAD_PROMISE_VIEW;

/* The opt-out kept after --forget is a hash of the address salted per
 * database, so that a list of candidate addresses cannot reverse it. */
static const char schema_v7[] =
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
	" WITHOUT ROWID;"
	"INSERT INTO meta VALUES ('email_salt', lower(hex(randomblob(32))));";

static const char *const migrations[] = {
	schema_v1,	/* 0 -> 1 */
	schema_v2,	/* 1 -> 2 */
	schema_v3,	/* 2 -> 3 */
	schema_v4,	/* 3 -> 4 */
	schema_v5,	/* 4 -> 5 */
	schema_v6,	/* 5 -> 6 */
	schema_v7,	/* 6 -> 7 */
};


static int
status(int rc)
{
	return rc == SQLITE_OK ? LEAD_OK : rc == SQLITE_ROW ? LEAD_ROW :
	    rc == SQLITE_DONE ? LEAD_DONE : LEAD_ERROR;
}

/* ---- errors ------------------------------------------------------------- */

/* A write refused as read-only: say which file stands in the way. */
static const char *
readonly_why(struct sq_conn *q)
{
	const char *path = sqlite3_db_filename(q->db, "main");
	char side[PATH_MAX + 8];

	if (path == NULL || path[0] == '\0')
		return NULL;
	if (sqlite3_extended_errcode(q->db) == SQLITE_READONLY_DIRECTORY)
		return "cannot create its -wal and -shm files: the directory "
		    "is not writable (a leadkit database needs them beside "
		    "it, even to read); nothing changed";
	if (access(path, W_OK) < 0) {
		snprintf(q->msg, sizeof q->msg, "the database file is "
		    "read-only (%s); nothing changed", strerror(errno));
		return q->msg;
	}
	for (int i = 0; i < 2; i++) {
		snprintf(side, sizeof side, "%s-%s", path, i ? "wal" : "shm");
		if (access(side, F_OK) == 0 && access(side, W_OK) < 0) {
			snprintf(q->msg, sizeof q->msg, "%s is read-only (left "
			    "by a reader while the database was read-only?): "
			    "make it writable like the database, or remove it "
			    "while no leadkit command runs; nothing changed",
			    side);
			return q->msg;
		}
	}
	return NULL;
}

static enum lead_dberr
sq_error(struct lead_conn *c, const char **msg)
{
	struct sq_conn *q = SQ(c);
	int ext = sqlite3_extended_errcode(q->db), code = ext & 0xff;
	int sys = sqlite3_system_errno(q->db);
	const char *why;

	*msg = q->msg;
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
		*msg = "database is busy; try again later (or raise --wait)";
		return LEAD_DBE_BUSY;
	}
	/* "disk I/O error" alone does not say that a disk is full.  (The
	 * system's errno is kept only sometimes: after a failed write SQLite
	 * makes other calls before it reports.) */
	if (code == SQLITE_FULL || ext == SQLITE_IOERR_WRITE ||
	    ext == SQLITE_IOERR_FSYNC || ext == SQLITE_IOERR_TRUNCATE) {
		snprintf(q->msg, sizeof q->msg, "%s: could not write (%s); "
		    "nothing changed", sqlite3_errmsg(q->db), sys ?
		    strerror(sys) : "a full disk, or a file size limit?");
		return LEAD_DBE_FULL;
	}
	if (code == SQLITE_READONLY) {
		if ((why = readonly_why(q)) != NULL) {
			*msg = why;
			return LEAD_DBE_READONLY;
		}
		snprintf(q->msg, sizeof q->msg, "%s", sqlite3_errmsg(q->db));
		return LEAD_DBE_READONLY;
	}
	if ((code == SQLITE_IOERR || code == SQLITE_CANTOPEN) && sys != 0) {
		snprintf(q->msg, sizeof q->msg, "%s (%s)",
		    sqlite3_errmsg(q->db), strerror(sys));
		return LEAD_DBE_IO;
	}
	snprintf(q->msg, sizeof q->msg, "%s", sqlite3_errmsg(q->db));
	switch (code) {
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return LEAD_DBE_CORRUPT;
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		return LEAD_DBE_IO;
	case SQLITE_CONSTRAINT:
		return LEAD_DBE_CONSTRAINT;
	case SQLITE_ERROR:
	case SQLITE_MISUSE:
	case SQLITE_RANGE:
		return LEAD_DBE_OTHER;
	default:
		return LEAD_DBE_OTHER;
	}
}

/* ---- opening ------------------------------------------------------------ */

static int
pragma_int(struct sq_conn *q, const char *path, const char *sql)
{
	sqlite3_stmt *st;
	int v = 0, rc;

	if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK)
		goto fail;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return v;
fail:
	if ((sqlite3_errcode(q->db) & 0xff) == SQLITE_NOTADB)
		lead_die(LEAD_EX_RUNTIME, "%s: not a leadkit database "
		    "(not an SQLite file)", path);
	lead_db_fail(&q->c, path);
}

static void
sq_must(struct sq_conn *q, const char *sql)
{
	if (sqlite3_exec(q->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		lead_db_fail(&q->c, q->c.name);
}

/* Create the file ourselves, so that it is 0600 from its first byte.
 * 1 if this process made it. */
static int
create_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0 && errno != EEXIST)
		lead_die(LEAD_EX_RUNTIME, "%s: cannot create database: %s",
		    path, strerror(errno));
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* Bring the schema to LEAD_SCHEMA_VERSION, in one transaction. */
static void
migrate(struct sq_conn *q, const char *path)
{
	int version = pragma_int(q, path, "PRAGMA user_version");
	int app = pragma_int(q, path, "PRAGMA application_id");
	char sql[64];

	if (version > LEAD_SCHEMA_VERSION)
		lead_die(LEAD_EX_RUNTIME, "%s: database schema version %d is "
		    "newer than this leadkit knows (%d); upgrade leadkit",
		    path, version, LEAD_SCHEMA_VERSION);
	if (version == LEAD_SCHEMA_VERSION && app == LEAD_APP_ID)
		return;
	if (app != LEAD_APP_ID && (app != 0 || version != 0 ||
	    pragma_int(q, path, "SELECT count(*) FROM sqlite_schema") != 0))
		lead_die(LEAD_EX_RUNTIME, "%s: an SQLite database, but not a "
		    "leadkit one; refusing to touch it", path);
	if (sqlite3_db_readonly(q->db, "main") == 1)
		lead_die(LEAD_EX_RUNTIME, "%s: database needs an upgrade to "
		    "schema %d, but is read-only", path, LEAD_SCHEMA_VERSION);
	sq_must(q, "BEGIN IMMEDIATE");
	/* Another process may have migrated it while we waited. */
	version = pragma_int(q, path, "PRAGMA user_version");
	for (int v = version; v < LEAD_SCHEMA_VERSION; v++)
		sq_must(q, migrations[v]);
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", LEAD_SCHEMA_VERSION);
	sq_must(q, sql);
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d", LEAD_APP_ID);
	sq_must(q, sql);
	/* Not the invocation's commit: its output stays held. */
	sq_must(q, "COMMIT");
}

/* 1 if a file can be made in the directory of path. */
static int
dir_writable(const char *path)
{
	char *dir = lead_xstrdup(path), *slash = strrchr(dir, '/');
	int ok;

	if (slash == dir)
		slash[1] = '\0';	/* "/leads.db": the root */
	else if (slash)
		*slash = '\0';
	ok = access(slash ? dir : ".", W_OK | X_OK) == 0;
	free(dir);
	return ok;
}

static struct sq_conn *
conn_new(const char *path)
{
	struct sq_conn *q = lead_xcalloc(1, sizeof *q);

	q->c.drv = &lead_drv_sqlite;
	q->c.name = lead_xstrdup(path);
	return q;
}

/*
 * A dry run of the command that would create the database: an empty
 * database of the current schema in memory, so that no file is left
 * behind.  (Making the file and removing it afterwards would not do:
 * another command may open the new file meanwhile, and its work would
 * go with it.)  A file that could not be made fails as the real run
 * would.
 */
static struct lead_conn *
open_dry(const char *path)
{
	struct sq_conn *q;

	if (!dir_writable(path))
		lead_die(LEAD_EX_RUNTIME, "%s: cannot create database: %s",
		    path, strerror(EACCES));
	q = conn_new(path);
	q->c.dry = 1;
	if (sqlite3_open_v2(":memory:", &q->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		lead_die(LEAD_EX_RUNTIME, "%s: cannot open a database in "
		    "memory for the dry run", path);
	sqlite3_extended_result_codes(q->db, 1);
	sq_must(q, "PRAGMA foreign_keys=ON");
	migrate(q, path);
	lead_debug("%s does not exist: the dry run works on an empty "
	    "database in memory", path);
	return &q->c;
}

static int
sq_claims(const char *name)
{
	(void)name;
	return 1;
}

static struct lead_conn *
sq_open(const char *path, int create, double wait_secs)
{
	struct sq_conn *q;
	struct stat st;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, fresh = 0;

	/* One connection, used by one thread: no locks around SQLite's
	 * memory and page cache, no allocation statistics.  (Before any
	 * other call into SQLite; a second open finds it initialised.) */
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* Names SQLite reads as something other than a file would store
	 * nothing, or somewhere else. */
	if (*path == '\0' || strcmp(path, ":memory:") == 0 ||
	    strncmp(path, "file:", 5) == 0)
		lead_die(LEAD_EX_USAGE, "--db '%s': not a file name (an "
		    "in-memory database or a URI keeps nothing); for a file of "
		    "that name, write ./%s", path, path);
	if (stat(path, &st) < 0) {
		if (errno != ENOENT)
			lead_die(LEAD_EX_RUNTIME, "%s: %s", path, strerror(errno));
		if (!create)
			lead_die(LEAD_EX_RUNTIME, "%s: no such database "
			    "(lead-import creates one; or set --db or LEAD_DB)",
			    path);
		if (create == LEAD_OPEN_DRY)
			return open_dry(path);
		fresh = create_file(path);
	} else if (S_ISDIR(st.st_mode))
		lead_die(LEAD_EX_RUNTIME, "%s: is a directory, not a database",
		    path);
	else if (st.st_size == 0 && S_ISREG(st.st_mode) &&
	    ((st.st_mode & 077) || st.st_uid != geteuid()))
		/* An empty file someone left for us (in /tmp, say) would
		 * become the database with its mode, and its -wal and -shm
		 * would follow: personal data others can read. */
		lead_die(LEAD_EX_RUNTIME, "%s: an empty file %s; leadkit "
		    "makes its databases itself, mode 0600: remove it, or "
		    "name another", path, st.st_uid != geteuid() ?
		    "another user owns" : "others can read or write");
	else if (S_ISREG(st.st_mode) && (st.st_mode & 077))
		lead_warn("%s: warning: others can read this database (mode "
		    "%04o; chmod 600 %s)", path, (unsigned)(st.st_mode & 07777),
		    path);
	if (access(path, W_OK) < 0)
		flags = SQLITE_OPEN_READONLY;
	q = conn_new(path);
	if (sqlite3_open_v2(path, &q->db, flags, NULL) != SQLITE_OK)
		lead_die(LEAD_EX_RUNTIME, "%s: cannot open database: %s", path,
		    q->db ? sqlite3_errmsg(q->db) : "out of memory");
	sqlite3_extended_result_codes(q->db, 1);
	sqlite3_busy_timeout(q->db, wait_secs > 0 ?
	    (int)(wait_secs * 1000 > 2e9 ? 2e9 : wait_secs * 1000) : 0);
	(void)pragma_int(q, path, "PRAGMA schema_version");
	/*
	 * WAL lets readers and one writer work at once.  But the first
	 * import into a new file writes every page twice in WAL mode (the
	 * log, then the checkpoint), for readers who have nothing to read
	 * yet: a new database is filled with a rollback journal, synced
	 * fully, and turned to WAL when it is closed.  (Measured: a
	 * million-row first import 16% faster.)  Its pages are 16 KiB:
	 * fewer, shallower B-tree pages for the random inserts of the email
	 * index (the import 11% faster again; scans and bulk lead-log the
	 * same).
	 */
	if (fresh) {
		q->fresh = 1;
		sq_must(q, "PRAGMA page_size=16384;"
		    "PRAGMA synchronous=FULL");
	} else if (flags != SQLITE_OPEN_READONLY) {
		sqlite3_stmt *jm;

		if (sqlite3_prepare_v2(q->db, "PRAGMA journal_mode=WAL", -1,
		    &jm, NULL) != SQLITE_OK)
			lead_db_fail(&q->c, path);
		if (sqlite3_step(jm) != SQLITE_ROW) {
			sqlite3_finalize(jm);
			lead_db_fail(&q->c, path);
		}
		sqlite3_finalize(jm);
	}
	sq_must(q, fresh ? "PRAGMA foreign_keys=ON;"
	    "PRAGMA cache_size=-65536" : "PRAGMA foreign_keys=ON;"
	    "PRAGMA synchronous=NORMAL;"
	    "PRAGMA cache_size=-65536");
	migrate(q, path);
	return &q->c;
}

static void
sq_finalize(struct lead_stmt *s)
{
	struct sq_stmt *t = (struct sq_stmt *)s;
	struct sq_conn *q = SQ(s->conn);

	sqlite3_finalize(t->st);
	if (t->prev)
		t->prev->next = t->next;
	else
		q->stmts = t->next;
	if (t->next)
		t->next->prev = t->prev;
	free(t);
}

static void
sq_close(struct lead_conn *c)
{
	struct sq_conn *q = SQ(c);

	/* Nothing may be left prepared: finalize strays, then close. */
	while (q->stmts)
		sq_finalize(&q->stmts->s);
	/* A new database goes to WAL now (if busy, the next open does). */
	if (q->fresh)
		sqlite3_exec(q->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
	if (sqlite3_close(q->db) != SQLITE_OK)
		lead_warn("closing the database: %s", sqlite3_errmsg(q->db));
	free(q->c.name);
	free(q);
}

/* ---- transactions ------------------------------------------------------- */

static int
sq_exec(struct lead_conn *c, const char *sql)
{
	return status(sqlite3_exec(SQ(c)->db, sql, NULL, NULL, NULL));
}

static int
sq_begin_write(struct lead_conn *c)
{
	return sq_exec(c, "BEGIN IMMEDIATE");
}

/* A read: a snapshot from the first read on (WAL). */
static int
sq_begin_read(struct lead_conn *c)
{
	return sq_exec(c, "BEGIN");
}

static int
sq_commit(struct lead_conn *c)
{
	return sq_exec(c, "COMMIT");
}

static int
sq_rollback(struct lead_conn *c)
{
	if (sqlite3_get_autocommit(SQ(c)->db))
		return LEAD_OK;
	return sq_exec(c, "ROLLBACK");
}

static int
sq_in_transaction(struct lead_conn *c)
{
	return !sqlite3_get_autocommit(SQ(c)->db);
}

static void
sq_tune(struct lead_conn *c, enum lead_tune what, long value)
{
	char sql[64];

	switch (what) {
	case LEAD_TUNE_CACHE_KIB:
		snprintf(sql, sizeof sql, "PRAGMA cache_size=%ld", -value);
		break;
	case LEAD_TUNE_SECURE_DELETE:
		snprintf(sql, sizeof sql, "PRAGMA secure_delete=%s",
		    value ? "ON" : "OFF");
		break;
	default:
		return;
	}
	if (sq_exec(c, sql) != LEAD_OK)
		lead_db_fail(c, c->name);
}

/* The WAL keeps the pages --forget overwrote until a checkpoint
 * rewrites the database and truncates the log: 0 done, 1 a reader holds
 * the log (try again later). */
static int
sq_flush_erased(struct lead_conn *c)
{
	sqlite3_stmt *st;
	int busy = 1, rc;

	if (c->dry)
		return 0;
	if (sqlite3_prepare_v2(SQ(c)->db, "PRAGMA wal_checkpoint(TRUNCATE)",
	    -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		busy = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	return busy ? 1 : 0;
}

/* ---- statements --------------------------------------------------------- */

static int
sq_prepare(struct lead_conn *c, const char *sql, struct lead_stmt **out)
{
	struct sq_conn *q = SQ(c);
	struct sq_stmt *t;
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK)
		return LEAD_ERROR;
	t = lead_xcalloc(1, sizeof *t);
	t->s.drv = &lead_drv_sqlite;
	t->s.conn = c;
	t->s.sql = sql;
	t->st = st;
	if ((t->next = q->stmts) != NULL)
		q->stmts->prev = t;
	q->stmts = t;
	*out = &t->s;
	return LEAD_OK;
}

static int
sq_bind_null(struct lead_stmt *s, int i)
{
	return status(sqlite3_bind_null(ST(s), i));
}

static int
sq_bind_int64(struct lead_stmt *s, int i, int64_t v)
{
	return status(sqlite3_bind_int64(ST(s), i, v));
}

static int
sq_bind_double(struct lead_stmt *s, int i, double v)
{
	return status(sqlite3_bind_double(ST(s), i, v));
}

static int
sq_bind_text(struct lead_stmt *s, int i, const char *v, int len, int copy)
{
	return status(sqlite3_bind_text(ST(s), i, v, len, copy ?
	    SQLITE_TRANSIENT : SQLITE_STATIC));
}

static int
sq_bind_count(struct lead_stmt *s)
{
	return sqlite3_bind_parameter_count(ST(s));
}

static int
sq_step(struct lead_stmt *s)
{
	return status(sqlite3_step(ST(s)));
}

static int
sq_column_type(struct lead_stmt *s, int i)
{
	switch (sqlite3_column_type(ST(s), i)) {
	case SQLITE_INTEGER:	return LEAD_INTEGER;
	case SQLITE_FLOAT:	return LEAD_FLOAT;
	case SQLITE_TEXT:	return LEAD_TEXT;
	case SQLITE_BLOB:	return LEAD_BLOB;
	default:		return LEAD_NULL;
	}
}

static int64_t
sq_column_int64(struct lead_stmt *s, int i)
{
	return sqlite3_column_int64(ST(s), i);
}

static double
sq_column_double(struct lead_stmt *s, int i)
{
	return sqlite3_column_double(ST(s), i);
}

static const char *
sq_column_text(struct lead_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(ST(s), i);
}

static int
sq_column_bytes(struct lead_stmt *s, int i)
{
	return sqlite3_column_bytes(ST(s), i);
}

static int
sq_column_count(struct lead_stmt *s)
{
	return sqlite3_column_count(ST(s));
}

static const char *
sq_column_name(struct lead_stmt *s, int i)
{
	return sqlite3_column_name(ST(s), i);
}

static void
sq_reset(struct lead_stmt *s)
{
	sqlite3_reset(ST(s));
}

static void
sq_clear(struct lead_stmt *s)
{
	sqlite3_clear_bindings(ST(s));
}

static int64_t
sq_changes(struct lead_conn *c)
{
	return sqlite3_changes(SQ(c)->db);
}

static int64_t
sq_last_id(struct lead_conn *c)
{
	return sqlite3_last_insert_rowid(SQ(c)->db);
}

static int
sq_max_columns(struct lead_conn *c)
{
	return sqlite3_limit(SQ(c)->db, SQLITE_LIMIT_COLUMN, -1);
}

const struct lead_driver lead_drv_sqlite = {
	.name = "sqlite",
	.dialect = LEAD_DIALECT_SQLITE,
	.claims = sq_claims,
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.begin_write = sq_begin_write,
	.begin_read = sq_begin_read,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.in_transaction = sq_in_transaction,
	.tune = sq_tune,
	.prepare = sq_prepare,
	.bind_null = sq_bind_null,
	.bind_int64 = sq_bind_int64,
	.bind_double = sq_bind_double,
	.bind_text = sq_bind_text,
	.bind_count = sq_bind_count,
	.step = sq_step,
	.column_type = sq_column_type,
	.column_int64 = sq_column_int64,
	.column_double = sq_column_double,
	.column_text = sq_column_text,
	.column_bytes = sq_column_bytes,
	.column_count = sq_column_count,
	.column_name = sq_column_name,
	.reset = sq_reset,
	.clear = sq_clear,
	.finalize = sq_finalize,
	.changes = sq_changes,
	.last_id = sq_last_id,
	.max_columns = sq_max_columns,
	.error = sq_error,
	.flush_erased = sq_flush_erased,
};
