#!/usr/bin/env bats
# Faults: a disk that fills up, a corrupt database.  A clear message, exit
# status 3, and nothing lost or made worse.

load helpers/common

# big_list N: a list of N new leads.
big_list() {
	python3 -c "
import sys
print('email,first_name,company')
for i in range(int(sys.argv[1])):
    print('p%d@big%d.example,Name%d,Company %d' % (i, i, i, i))" "$1"
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
