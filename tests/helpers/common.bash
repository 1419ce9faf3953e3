# Shared setup for every bats file: each test runs in its own temporary
# directory with its own database, against the commands in $LEAD_BIN.
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
FIX=$TOP/tests/fixtures
: "${LEAD_BIN:=$TOP/bin}"
PATH=$LEAD_BIN:$PATH

setup() {
	lead_setup
}

lead_setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export LEAD_DB=$BATS_TEST_TMPDIR/leads.db
	export LEAD_NOW=2026-11-22T09:30:00Z
	unset LEAD_WAIT
	[ -z "${LEAD_TEST_PG:-}" ] || pg_setup
}

# With LEAD_TEST_PG (the socket directory of a server scripts/pg-server
# started, holding a database lk; scripts/test --pg), each test has a
# schema of its own on it, and LEAD_DB names it: the same tests, on
# PostgreSQL.  PG_URL is the server's URL for psql.
pg_setup() {
	PG_SCHEMA=t$(printf '%s' "$BATS_TEST_TMPDIR" | cksum | cut -d' ' -f1)
	PG_URL="postgresql:///lk?host=$LEAD_TEST_PG&user=leadkit"
	psql -X -q -v ON_ERROR_STOP=1 "$PG_URL" -c "CREATE SCHEMA $PG_SCHEMA" ||
	    return 1
	export LEAD_DB="$PG_URL&options=-csearch_path%3D$PG_SCHEMA"
}

# hold_write_lock SECS: another connection holds the write lock for SECS
# seconds, in the background; ./locked exists once it does.
hold_write_lock() {
	local i=0
	rm -f locked
	if is_pg; then
		psql -X -q "$LEAD_DB" > /dev/null <<-EOF &
		BEGIN;
		SELECT id FROM writer_lock FOR UPDATE;
		\! touch locked
		SELECT pg_sleep($1);
		ROLLBACK;
		EOF
	else
		python3 -c '
import sqlite3, time, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open("locked", "w").close()
time.sleep(float(sys.argv[2]))
c.execute("ROLLBACK")' "$LEAD_DB" "$1" &
	fi
	while [ ! -e locked ]; do
		sleep 0.05
		i=$((i + 1))
		[ "$i" -lt 200 ] || { echo "hold_write_lock: no lock" >&2; return 1; }
	done
}

# is_pg: is $LEAD_DB a PostgreSQL URL?
is_pg() {
	case $LEAD_DB in postgres://* | postgresql://*) return 0 ;; esac
	return 1
}

# schema_version_set N: mark the database as of schema N.
schema_version_set() {
	if is_pg; then
		sql "UPDATE meta SET value = '$1' WHERE key = 'schema_version'"
	else
		sql "PRAGMA user_version = $1"
	fi
}

# sqlite_only WHY: a test of the SQLite file itself (its modes, WAL,
# side files) says so, and is skipped on PostgreSQL.
sqlite_only() {
	[ -z "${LEAD_TEST_PG:-}" ] || skip "SQLite only: $*"
}

# sql QUERY: run a query on the test database, '|'-separated output.
# A test reads the database only as leads.db(5) documents it, the schema
# being the interface: every table and column a query reads or writes
# (as SQLite's authorizer reports them) must be named there, or the call
# fails and says which.
sql() {
	local out rc bad
	if is_pg; then
		# the same on the server (lktest pgsql prints as sqlite3;
		# lkcompat: SQLite's functions that tests use, for the tests
		# alone: the commands never have it on their search_path)
		lktest pgsql "${LEAD_DB%%&options=*}&options=-csearch_path%3D$PG_SCHEMA,lkcompat" "$@"
		return
	fi
	out=$(mktemp) || return 1
	sqlite3 -batch "$LEAD_DB" .auth\ on "$@" >"$out"
	rc=$?
	bad=$(grep '^authorizer: ' "$out" | awk '
		# first the documented table.column list, then the
		# authorizer: ACTION "table" "column" "db" "view or trigger"
		FNR == NR { ok[$0] = 1; split($0, p, "."); tab[p[1]] = 1; next }
		{
			gsub(/"/, "")
			if ($NF != "NULL" || $(NF - 1) == "temp")
				next	# through a view or trigger, or temp
			t = $3
			if (t ~ /^(sqlite_|pragma_)/ || t == "NULL")
				next
			# a column, or the table as a whole (count(*): NULL)
			whole = $4 == "NULL" || $4 == "ROWID"
			if ($2 ~ /^(READ|UPDATE)$/ && !whole && !(t "." $4 in ok))
				print t "." $4
			else if ($2 ~ /^(READ|UPDATE)$/ && whole && !(t in tab))
				print t
			else if ($2 ~ /^(INSERT|DELETE)$/ && !(t in tab))
				print t
		}' <(awk -f "$TOP/tests/helpers/doccols.awk" "$TOP/man/leads.db.5") - |
	    sort -u | tr '\n' ' ')
	grep -v '^authorizer: ' "$out" || :
	rm -f "$out"
	if [ -n "$bad" ]; then
		echo "sql: not in leads.db(5): $bad" >&2
		return 99
	fi
	return $rc
}

# File modes do not stop root, and CI runs as root.  perm_setup makes a
# directory that another user can reach, with the commands and fixtures
# copied in, and sets $as: as root, the commands run as nobody (setpriv);
# as anyone else, as themselves.  $PD/data is the database's directory.
perm_setup() {
	PD=$(mktemp -d /tmp/leadkit-perm.XXXXXX)
	chmod 755 "$PD"
	mkdir "$PD/bin" "$PD/data"
	cp "$LEAD_BIN"/lead-* "$FIX/bom-crlf.csv" "$FIX/in-file-dups.csv" \
	    "$FIX/some-bad.csv" "$PD/bin/"
	chmod -R a+rX "$PD/bin"
	as=
	if [ "$(id -u)" = 0 ]; then
		command -v setpriv > /dev/null ||
		    skip "running as root without setpriv: file modes cannot bind"
		chown 65534:65534 "$PD/data"
		as="setpriv --reuid=65534 --regid=65534 --clear-groups --"
	fi
	export LEAD_DB=$PD/data/leads.db
	$as "$PD/bin/lead-import" -q "$PD/bin/bom-crlf.csv"
}

# lk CMD ARGS...: a leadkit command as the user of perm_setup.
lk() {
	local c=$1
	shift
	$as "$PD/bin/$c" "$@"
}

# small_fs KB: a file system of KB kilobytes at ./small (a tmpfs: needs
# root, as CI has; else the test is skipped).
small_fs() {
	mkdir small
	mount -t tmpfs -o "size=${1}k,mode=0755" tmpfs small 2> /dev/null ||
	    skip "cannot mount a small file system here (needs root)"
	MNT=$PWD/small
}

teardown() {
	if [ -n "${PD:-}" ]; then
		chmod -R u+rwX "$PD"
		rm -rf "$PD"
	fi
	if [ -n "${MNT:-}" ]; then
		umount "$MNT"
	fi
}

# big_list N: a list of N new leads.
big_list() {
	python3 -c "
import sys
print('email,first_name,company')
for i in range(int(sys.argv[1])):
    print('p%d@big%d.example,Name%d,Company %d' % (i, i, i, i))" "$1"
}
