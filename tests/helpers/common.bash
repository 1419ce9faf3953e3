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
