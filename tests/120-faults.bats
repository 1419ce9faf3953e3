#!/usr/bin/env bats
# Faults: a disk that fills up, a corrupt database, files and directories
# that cannot be written.  A clear message, exit status 3, and nothing lost
# or made worse.

load helpers/common

# The faults of a database file; a server's (down, restarted, a dropped
# connection) are in 600-postgresql.bats.
setup() {
	lead_setup
	sqlite_only "faults of the database file"
}

@test "an import that runs out of room exits 3, says so, and the database keeps what it had" {
	lead-import -q "$FIX/bom-crlf.csv"
	before=$(sql "select group_concat(email) from lead")
	big_list 20000 > many.csv
	# A file size limit stands in for a full disk: writes past it fail
	# (EFBIG) once SIGXFSZ is ignored.
	limit=$(( $(stat -c %s leads.db) / 512 + 200 ))
	run bash -c "trap '' XFSZ; ulimit -f $limit; lead-import many.csv"
	assert_failure 3
	assert_output --partial "could not write"
	assert_output --partial "nothing changed"
	[ "$(sql "select group_concat(email) from lead")" = "$before" ]
	[ "$(sql "pragma integrity_check")" = ok ]
	# and with room again, the same import goes through
	run lead-import -q many.csv
	assert_success
	[ "$(sql "select count(*) from lead")" = $(( $(echo "$before" | tr ',' '\n' | wc -l) + 20000 )) ]
}

@test "a file system that fills up stops an import and a bulk load, and loses nothing" {
	small_fs 1024
	export LEAD_DB=$MNT/leads.db
	lead-import -q "$FIX/bom-crlf.csv"
	big_list 20000 > many.csv
	run lead-import many.csv
	assert_failure 3
	assert_output --partial "could not write"
	assert_output --partial "nothing changed"
	awk 'BEGIN { print "email,ts,kind,note"; for (i = 0; i < 20000; i++) printf "bob@acme.com,2026-10-01T00:00:%02d.%03dZ,note,a note long enough to fill the disk %d\n", i % 60, i % 1000, i }' > notes.csv
	run lead-log notes.csv
	assert_failure 3
	assert_output --partial "could not write"
	[ "$(sql "select count(*) from lead")" = 3 ]
	[ "$(sql "select count(*) from activity")" = 0 ]
	[ "$(sql "pragma integrity_check")" = ok ]
	# a touch still fits, and is kept
	lead-log -q bob@acme.com note --note "called back about the trial licence"
	[ "$(sql "select count(*) from activity")" = 1 ]
}

@test "a corrupt database is reported by every command with exit 3, and not changed by one that reads" {
	big_list 3000 > many.csv
	lead-import -q many.csv
	sql "pragma wal_checkpoint(truncate)" > /dev/null
	# Every page but the first (the header and the schema) overwritten.
	python3 -c "
import os
f = open('leads.db', 'r+b')
size = os.path.getsize('leads.db')
page = 16384
f.seek(page)
f.write(b'\xa5' * (size - page))"
	sum=$(sha256sum leads.db)
	run lead-report funnel
	assert_failure 3
	assert_output --partial "malformed"
	[ "$(sha256sum leads.db)" = "$sum" ]
	run lead-log -q p1@big1.example call --outcome connected --note "asked for a demo of the product"
	assert_failure 3
	assert_output --partial "malformed"
	run lead-import -q "$FIX/bom-crlf.csv"
	assert_failure 3
	assert_output --partial "malformed"
}

@test "a read-only database file refuses a write with exit 3, and still serves reports" {
	perm_setup
	chmod 400 "$LEAD_DB"
	sum=$(sha256sum "$LEAD_DB")
	run lk lead-import "$PD/bin/in-file-dups.csv"
	assert_failure 3
	assert_output --partial "the database file is read-only"
	assert_output --partial "nothing changed"
	run lk lead-log -q bob@acme.com note --note "left a message about the trial"
	assert_failure 3
	assert_output --partial "read-only"
	run lk lead-report leads --columns email
	assert_success
	assert_output --partial "bob@acme.com"
	[ "$(sha256sum "$LEAD_DB")" = "$sum" ]
}

@test "a directory that is not writable is named as the fault, for writes and reads alike" {
	perm_setup
	chmod 555 "$PD/data"
	sum=$(sha256sum "$LEAD_DB")
	run lk lead-import "$PD/bin/in-file-dups.csv"
	assert_failure 3
	assert_output --partial "the directory is not writable"
	run lk lead-report funnel
	assert_failure 3
	assert_output --partial "the directory is not writable"
	[ "$(sha256sum "$LEAD_DB")" = "$sum" ]
	[ "$(ls "$PD/data")" = leads.db ]
}

@test "a -shm file left read-only by a reader is named when a write fails" {
	perm_setup
	chmod 400 "$LEAD_DB"
	lk lead-report funnel > /dev/null
	chmod 600 "$LEAD_DB"
	run lk lead-import "$PD/bin/in-file-dups.csv"
	assert_failure 3
	assert_output --partial "leads.db-shm is read-only"
	# and the fix the message gives works
	rm -f "$LEAD_DB-shm" "$LEAD_DB-wal"
	lk lead-import -q "$PD/bin/in-file-dups.csv"
	[ "$(sql "select count(*) from batch")" = 2 ]
}

@test "lead-import cannot create a database where it cannot write, and says why" {
	perm_setup
	chmod 555 "$PD/data"
	run lk lead-import --db "$PD/data/new.db" "$PD/bin/bom-crlf.csv"
	assert_failure 3
	assert_output --partial "new.db: cannot create database: Permission denied"
	[ ! -e "$PD/data/new.db" ]
}
