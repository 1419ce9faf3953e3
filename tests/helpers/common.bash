# Shared setup for every bats file: each test runs in its own temporary
# directory with its own database, against the commands in $LEAD_BIN.
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
FIX=$TOP/tests/fixtures
: "${LEAD_BIN:=$TOP/bin}"
PATH=$LEAD_BIN:$PATH

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export LEAD_DB=$BATS_TEST_TMPDIR/leads.db
	export LEAD_NOW=2026-11-22T09:30:00Z
	unset LEAD_WAIT
}

# sql QUERY: run a query on the test database, '|'-separated output.
sql() {
	sqlite3 -batch "$LEAD_DB" "$@"
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
