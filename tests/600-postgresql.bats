#!/usr/bin/env bats
# PostgreSQL: the same commands on a server.  A throwaway server for the
# file (scripts/pg-server: initdb and pg_ctl as an unprivileged user, a
# Unix socket in a temporary directory, no TCP), a database a test.
# (scripts/test --pg runs the whole suite on a server as well.)

load helpers/common
bats_require_minimum_version 1.5.0

setup_file() {
	PGD=$(mktemp -d /tmp/leadkit-pg.XXXXXX)
	export PGD
	sh "$TOP/scripts/pg-server" start "$PGD" > /dev/null
}

teardown_file() {
	sh "$TOP/scripts/pg-server" stop "$PGD"
}

# A new database on the server for this test; $PGURL names it.
setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export LEAD_NOW=2026-11-22T09:30:00Z
	unset LEAD_WAIT
	local name=t$BATS_TEST_NUMBER
	psql -X -q -v ON_ERROR_STOP=1 \
	    "postgresql:///postgres?host=$PGD/sock&user=leadkit" \
	    -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" ||
	    { echo "setup: no database $name" >&2; return 1; }
	PGURL="postgresql:///$name?host=$PGD/sock&user=leadkit"
	export LEAD_DB=$PGURL
}

# A server a test started for itself is stopped whatever the test did.
teardown() {
	[ -z "${own:-}" ] || sh "$TOP/scripts/pg-server" stop "$own"
}

# import_running: three leads, then an import of 20,000 more from a
# pipe, in the middle of its transaction (the first 5,000 written, the
# rest held back) as pid, its messages in out; import_finish gives it
# the rest.
import_running() {
	lead-import -q "$FIX/bom-crlf.csv"
	big_list 20000 > big.csv
	mkfifo feed
	lead-import - < feed > out 2>&1 &
	pid=$!
	exec 7> feed
	head -n 5001 big.csv >&7
	for _ in $(seq 200); do
		n=$(psql_do "select count(*) from pg_stat_activity where application_name = 'lead-import' and backend_xid is not null and state in ('idle in transaction', 'active')")
		[ "$n" -gt 0 ] && break
		sleep 0.05
	done
	[ "$n" -gt 0 ] || fail "the import is not in its transaction"
}

import_finish() {
	tail -n +5002 big.csv >&7 2> /dev/null || true
	exec 7>&-
}

psql_do() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 "$PGURL" -c "$1"
}

# story: a week of leads, from the lists to the deals, then every report
# in every format, on the database $LEAD_DB.
story() {
	local s=$TOP/scripts/sample
	lead-import -q --source webinar --campaign "2026-11 Pipeline Webinar" \
	    --kind webinar --cost 4500 --activity webinar_attended \
	    --at-column "Join Time" "$s/webinar-attendees.csv"
	lead-import -q --source content --campaign "Whitepaper: Data Quality" \
	    --cost 1200 --kind whitepaper --encoding latin1 --delimiter ';' \
	    --activity download --at-column Download-Datum \
	    "$s/whitepaper-downloads.csv" || [ $? = 1 ]
	lead-import -q --source tradeshow --campaign "DataConf 2026" \
	    --cost 18000 --kind tradeshow --key "Badge ID" "$s/badge-scan.tsv"
	lead-import -q --source crm --kind crm --key "Lead ID" \
	    "$s/crm-export.csv"
	lead-score -r "$s/rules.txt"
	lead-score --explain priya.raman@brightlane.example --table
	lead-handoff reps "$s/reps.csv"
	lead-handoff assign --sla A=4h,B=24h
	lead-log priya.raman@brightlane.example call \
	    --at 2026-11-22T10:15:00Z --by "Alice Moreno" \
	    --outcome connected --note "Evaluating three vendors" \
	    --next "send a quote" --due 2026-11-25
	lead-handoff accept priya.raman@brightlane.example --by "Alice Moreno"
	lead-log priya.raman@brightlane.example quote \
	    --at 2026-11-25T14:00:00Z --by "Alice Moreno" --amount 24000 \
	    --note "40 seats, annual"
	lead-log priya.raman@brightlane.example meeting \
	    --at 2026-12-01T16:00:00Z --by "Alice Moreno" --outcome signed \
	    --next "kick-off call" --stage won --amount 24000.5 \
	    --note "Signed for forty seats"
	lead-log daniel.okafor@northwind-logistics.example call \
	    --at 2026-11-23T15:30:00Z --by "Bilal Yusuf" --outcome connected \
	    --note "No budget until next fiscal year"
	lead-handoff reject daniel.okafor@northwind-logistics.example \
	    --by "Bilal Yusuf" --reason "no budget this year"
	lead-log show priya.raman@brightlane.example
	lead-log show --json daniel.okafor@northwind-logistics.example
	lead-log todo
	lead-log protocol
	lead-log kinds
	lead-log --cap email=3/7d,call=2/7d
	lead-log cap
	lead-handoff reps
	lead-handoff overdue
	lead-handoff escalate --sla 1h
	lead-handoff recycle --idle 2d
	lead-import --batches
	lead-import --sources
	local LEAD_NOW=2026-12-02T09:00:00Z
	for r in funnel campaigns sla scoring aging velocity rejections \
	    content fatigue leads; do
		for f in --table --csv --tsv --json; do
			echo "== $r $f"
			lead-report "$r" "$f" 2>&1
		done
	done
	lead-report funnel --by source --chart --width 72
	lead-report campaigns --by campaign --csv
	lead-report leads --where 'score >= 10' --columns email,score,grade,stage
}

@test "the same story prints the same, byte for byte, on SQLite and on PostgreSQL" {
	LEAD_DB=$BATS_TEST_TMPDIR/leads.db story > sqlite.out 2>&1
	story > pg.out 2>&1
	diff sqlite.out pg.out
	[ "$(wc -l < pg.out)" -gt 200 ]
}

@test "a database on a server records its schema version in meta" {
	lead-import -q "$FIX/bom-crlf.csv"
	[ "$(psql_do "select value from meta where key = 'schema_version'")" -ge 7 ]
	[ "$(psql_do "select count(*) from lead")" = 3 ]
}

@test "a server database from a newer leadkit is refused, not damaged" {
	lead-import -q "$FIX/bom-crlf.csv"
	psql_do "update meta set value = '999' where key = 'schema_version'"
	run lead-import "$FIX/in-file-dups.csv"
	assert_failure 3
	assert_output --partial "schema version 999 is newer"
	[ "$(psql_do "select count(*) from batch")" = 1 ]
}

@test "a command that only reads finds no database in an empty one, and makes none" {
	run lead-report funnel
	assert_failure 3
	assert_output --partial "no leadkit database there"
	[ "$(psql_do "select count(*) from pg_tables where schemaname = 'public'")" = 0 ]
}

@test "a schema holding another application's tables is refused and left alone" {
	psql_do "create table t (x int); insert into t values (1)"
	run lead-import "$FIX/bom-crlf.csv"
	assert_failure 3
	assert_output --partial "not a leadkit database"
	[ "$(psql_do "select count(*) from pg_tables where schemaname = 'public'")" = 1 ]
}

@test "a leadkit schema in a shared database is named by the URL's search_path" {
	psql_do "create table t (x int); create schema leadkit"
	LEAD_DB="$PGURL&options=-csearch_path%3Dleadkit" lead-import -q "$FIX/bom-crlf.csv"
	[ "$(psql_do "select count(*) from leadkit.lead")" = 3 ]
}

@test "a dry run of the first import leaves the server database empty" {
	run lead-import -n "$FIX/bom-crlf.csv"
	assert_success
	assert_output --partial "3 new"
	[ "$(psql_do "select count(*) from pg_tables where schemaname = 'public'")" = 0 ]
}

@test "a writer busy past --wait on the server exits 75 and changes nothing" {
	lead-import -q "$FIX/bom-crlf.csv"
	hold_write_lock 4
	run lead-import --wait 0.3 "$FIX/in-file-dups.csv"
	assert_failure 75
	assert_output --partial "busy"
	wait
	[ "$(psql_do "select count(*) from batch")" = 1 ]
}

@test "a reader does not wait for a writer on the server" {
	lead-import -q "$FIX/bom-crlf.csv"
	hold_write_lock 4
	run lead-report leads --wait 0 --columns email
	assert_success
	assert_line --index 1 --partial "@"
	wait
}

@test "a password in the URL never appears in a message" {
	run lead-import "postgresql://leadkit:s3cr3t@/nosuchdb?host=$PGD/sock" \
	    -d "postgresql://leadkit:s3cr3t@/nosuchdb?host=$PGD/sock&password=s3cr3t" \
	    "$FIX/bom-crlf.csv"
	assert_failure 3
	refute_output --partial s3cr3t
	assert_output --partial "postgresql://leadkit@/nosuchdb"
}

@test "a server that is down is a clear error, exit 3" {
	run lead-import -d "postgresql:///x?host=$BATS_TEST_TMPDIR&user=leadkit" \
	    "$FIX/bom-crlf.csv"
	assert_failure 3
	assert_output --partial "cannot connect"
}

@test "a connection dropped in the middle of an import leaves nothing half-written" {
	import_running
	psql_do "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'lead-import'" > /dev/null
	import_finish
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" = 3 ]
	grep -q "connection" out
	[ "$(psql_do "select count(*) from lead")" = 3 ]
	[ "$(psql_do "select count(*) from batch")" = 1 ]
}

@test "--copy moves a SQLite database to the server and back, every row the same" {
	LEAD_DB=$BATS_TEST_TMPDIR/leads.db story > /dev/null 2>&1
	# a score whose shortest text (15 digits) is not itself
	sqlite3 leads.db "update lead set score = 0.1 + 0.2 where id = 1"
	run lead-import --copy "$BATS_TEST_TMPDIR/leads.db" --tsv
	assert_success
	assert_line --index 0 "$(printf 'table\trows\tcopied')"
	assert_line "$(printf 'lead\t87\t87')"
	[ "$(psql_do "select score = 0.1::float8 + 0.2::float8 from lead
	    where id = 1")" = t ]
	lead-import -q --copy "$PGURL" -d back.db
	[ "$(sqlite3 back.db "select score = 0.1 + 0.2 from lead where id = 1")" = 1 ]
	for t in batch rep rep_version lead lead_key batch_lead suppression \
	    activity stage_history assignment rule_set score_run lead_score \
	    setting meta; do
		[ "$(sqlite3 leads.db "select * from $t" | md5sum)" = \
		    "$(sqlite3 back.db "select * from $t" | md5sum)" ] ||
		    fail "table $t differs after the round trip"
	done
}

@test "reports on a copy on the server are the reports of the file" {
	LEAD_DB=$BATS_TEST_TMPDIR/leads.db story > /dev/null 2>&1
	lead-import -q --copy "$BATS_TEST_TMPDIR/leads.db"
	for r in funnel campaigns sla scoring leads; do
		[ "$(LEAD_DB=$BATS_TEST_TMPDIR/leads.db lead-report "$r")" = \
		    "$(lead-report "$r")" ] || fail "$r differs"
	done
}

@test "--copy into a database that holds leads is refused and changes nothing" {
	lead-import -q "$FIX/bom-crlf.csv"
	LEAD_DB=$BATS_TEST_TMPDIR/leads.db lead-import -q "$FIX/in-file-dups.csv"
	run lead-import --copy "$BATS_TEST_TMPDIR/leads.db"
	assert_failure 3
	assert_output --partial "is not empty"
	[ "$(psql_do "select count(*) from batch")" = 1 ]
}

@test "--copy of a file whose rows name a rep deleted by hand says which and copies nothing" {
	LEAD_DB=$BATS_TEST_TMPDIR/leads.db story > /dev/null 2>&1
	n=$(sqlite3 leads.db "delete from rep where id in (select rep_id
	    from assignment); select (select count(*) from assignment
	    where rep_id not in (select id from rep)) + (select count(*)
	    from lead where owner_id not in (select id from rep))")
	[ "$n" -gt 10 ]
	run lead-import --copy "$BATS_TEST_TMPDIR/leads.db"
	assert_failure 3
	assert_line --partial "leads.db: assignment row 1 names a row of rep that is not there"
	[ "$(grep -c "names a row of" <<< "$output")" = 10 ]
	assert_line --partial "leads.db: $n rows name rows that are not there"
	assert_output --partial "nothing copied"
	[ "$(psql_do "select (select count(*) from lead) + (select count(*)
	    from assignment) + (select count(*) from batch)")" = 0 ]
}

@test "--copy of a file whose text holds a NUL byte names the column and copies nothing" {
	LEAD_DB=$BATS_TEST_TMPDIR/leads.db lead-import -q "$FIX/bom-crlf.csv"
	sqlite3 leads.db "update lead set company = 'a' || char(0) || 'b' where id = 2"
	run lead-import --copy "$BATS_TEST_TMPDIR/leads.db"
	assert_failure 3
	assert_output --partial "a lead.company holds a NUL byte"
	assert_output --partial "nothing copied"
	[ "$(psql_do "select (select count(*) from lead) + (select count(*)
	    from batch)")" = 0 ]
}

@test "--copy with --dry-run counts and copies nothing" {
	LEAD_DB=$BATS_TEST_TMPDIR/leads.db lead-import -q "$FIX/bom-crlf.csv"
	run lead-import -n --copy "$BATS_TEST_TMPDIR/leads.db" --tsv
	assert_success
	assert_line "$(printf 'lead\t3\t3')"
	[ "$(psql_do "select count(*) from pg_tables where schemaname = 'public'")" = 0 ]
}

@test "--forget on the server erases the person from the tables and vacuums them" {
	lead-import -q "$FIX/bom-crlf.csv"
	run lead-import --forget bob@acme.com
	assert_success
	assert_output --partial "1 erased"
	[ "$(psql_do "select count(*) from lead where email = 'bob@acme.com' or last_name = 'Jones'")" = 0 ]
	[ "$(psql_do "select count(*) from lead where forgotten_at is not null")" = 1 ]
	[ "$(psql_do "select last_vacuum is not null from pg_stat_user_tables where relname = 'lead'")" = t ]
}

@test "make demo's script runs against a server" {
	run env DEMO_DB="$PGURL" LEAD_BIN="$LEAD_BIN" sh "$TOP/scripts/demo"
	assert_success
	assert_output --partial "priya.raman@brightlane.example"
	[ "$(psql_do "select count(*) from lead")" -gt 50 ]
}

@test "two first imports into an empty server database at once both land" {
	big_list 2000 > a.csv
	printf 'email\nsolo@one.example\n' > b.csv
	lead-import -q a.csv > a.out 2>&1 &
	lead-import -q b.csv > b.out 2>&1 &
	rc=0
	wait %1 || rc=1
	wait %2 || rc=1
	cat a.out b.out
	[ "$rc" = 0 ]
	[ "$(psql_do "select count(*) from lead")" = 2001 ]
	[ "$(psql_do "select value from meta where key = 'schema_version'")" -ge 7 ]
}

@test "a server restarted in the middle of an import ends it with exit 3, and nothing half-written" {
	# a server of its own: the restart ends every session on it
	own=$(mktemp -d /tmp/leadkit-pg.XXXXXX)
	sh "$TOP/scripts/pg-server" start "$own" > /dev/null
	PGURL="postgresql:///postgres?host=$own/sock&user=leadkit"
	export LEAD_DB=$PGURL
	import_running
	sh "$TOP/scripts/pg-server" restart "$own"
	import_finish
	rc=0
	wait "$pid" || rc=$?
	cat out
	[ "$rc" = 3 ]
	[ "$(psql_do "select count(*) from lead")" = 3 ]
	[ "$(psql_do "select count(*) from batch")" = 1 ]
	# and the server takes the same import again, whole
	lead-import -q big.csv
	[ "$(psql_do "select count(*) from lead")" = 20003 ]
}

@test "the commands do not link libpq: a file's users do not pay for loading it" {
	for c in lead-import lead-log lead-score lead-handoff lead-report; do
		run sh -c "ldd '$LEAD_BIN/$c' | grep -c libpq"
		assert_output 0
	done
	LEAD_DB=$BATS_TEST_TMPDIR/leads.db lead-import -q "$FIX/bom-crlf.csv"
	run env LD_DEBUG=libs "$LEAD_BIN/lead-report" -d "$BATS_TEST_TMPDIR/leads.db" funnel
	refute_output --partial "libpq.so"
	run env LD_DEBUG=libs lead-report funnel
	assert_output --partial "libpq.so"
}

# db_rows SQL...: the rows of each SQL on $LEAD_DB, a file or a server,
# printed as sqlite3 prints them.
db_rows() {
	local q
	for q; do
		if [ "${LEAD_DB#postgres}" != "$LEAD_DB" ]; then
			"$LEAD_BIN/lktest" pgsql "$LEAD_DB" "$q"
		else
			sqlite3 "$LEAD_DB" "$q"
		fi
	done
}

# hostile_list N: N rows of a list that exercises what an import reads
# ahead and writes in bulk: every email twice, half a list apart (so in
# other windows), some in capitals; CRM keys, some shared, some rows with
# a key and no email; values with tabs, newlines, backslashes, \N,
# quotes and non-ASCII; a join time for most rows, several for some.
hostile_list() {
	python3 - "$1" <<'PY'
import csv, sys
n = int(sys.argv[1])
odd = ['tab\there', 'line\nbreak', 'back\\slash', '\\N', 'say "hi"',
       'ünïcödé', 'comma, inside', '', '\\.', 'end\\']
w = csv.writer(sys.stdout, lineterminator='\n')
w.writerow(['email', 'first_name', 'company', 'title', 'CRM Id', 'Join Time'])
for i in range(n):
    j = i % (n // 2)
    email = 'p%d@d%d.example' % (j, j % 97)
    if i % 11 == 0:
        email = email.upper()
    key = 'K%d' % (j % 700) if i % 5 == 0 else ''
    if i % 37 == 0:
        email, key = '', 'only%d' % (j % 40)
    first = '' if (i >= n // 2 and i % 3 == 0) else 'F%d' % i
    join = '' if i % 13 == 0 else '2026-11-0%d %02d:%02d' % (1 + i % 3, 9 + i % 8, i % 60)
    w.writerow([email, first, odd[i % len(odd)] + ' %d' % j,
                odd[(i // 3) % len(odd)], key, join])
PY
}

# bulk_story: the hostile list and its opt-outs, imported as a webinar's
# attendees, then again with --update; what -p printed, then every table
# an import writes.
bulk_story() {
	hostile_list 24000 > list.csv
	awk -F, 'NR > 1 && NR % 17 == 0 && $1 ~ /@/ { print $1 }' list.csv |
	    sed '1i email' > optouts.csv
	lead-import -q --suppress optouts.csv
	lead-import -p --source webinar --campaign W --kind webinar \
	    --activity webinar_attended --at-column "Join Time" \
	    --key "CRM Id" --key-system crm list.csv 2>&1 || echo "exit $?"
	lead-import -p --update --source crm --key "CRM Id" \
	    --key-system crm list.csv 2>&1 || echo "exit $?"
	for t in lead lead_key batch_lead activity suppression; do
		echo "== $t"
		db_rows "select * from $t order by 1, 2"
	done
}

@test "a list larger than what an import reads ahead and holds back is stored on the server as on SQLite" {
	LEAD_DB=$BATS_TEST_TMPDIR/leads.db bulk_story > sqlite.out
	bulk_story > pg.out
	diff sqlite.out pg.out
	grep -q "tab	here" pg.out || grep -q 'tab\\there' pg.out
	[ "$(grep -c "$(printf "\tnew$")" pg.out)" -gt 2000 ]
	[ "$(psql_do "select count(*) from activity")" -gt 2000 ]
	[ "$(psql_do "select count(*) from lead where dnc_email = 1")" -gt 100 ]
}

# wide_story: 12,000 leads of 2.5 kB each (30 MB: many times what a
# stream queues before it waits for the server, in one window read
# ahead), then as many touches of 2.6 kB; what was printed, then the
# leads and the touches.
wide_story() {
	python3 - > wide.csv <<'PY'
import csv, sys
w = csv.writer(sys.stdout, lineterminator='\n')
w.writerow(['email', 'company', 'title', 'Notes'])
for i in range(12000):
    w.writerow(['w%d@d%d.example' % (i, i % 50), 'C%d ' % i + 'x' * 700,
                'T\t%d ' % i + 'y' * 700, 'n\\%d\n' % i + 'z' * 1000])
PY
	lead-import wide.csv 2>&1 || echo "exit $?"
	python3 - > events.csv <<'PY'
import csv, sys
w = csv.writer(sys.stdout, lineterminator='\n')
w.writerow(['email', 'ts', 'kind', 'note'])
for i in range(12000):
    w.writerow(['w%d@d%d.example' % (i, i % 50), '2026-10-%02d 10:00' % (1 + i % 28),
                'call', 'said %d\t' % i + 'q' * 2600])
PY
	lead-log events.csv 2>&1 || echo "exit $?"
	db_rows "select * from lead order by id" \
	    "select id, lead_id, ts, kind, fp, note from activity order by id"
}

@test "leads and touches that outrun the server by megabytes are stored on the server as on SQLite" {
	LEAD_DB=$BATS_TEST_TMPDIR/leads.db wide_story > sqlite.out
	wide_story > pg.out
	diff sqlite.out pg.out
	[ "$(psql_do "select count(*) from lead where length(title) > 700")" = 12000 ]
	[ "$(psql_do "select count(*) from activity where length(note) > 2600")" = 12000 ]
}

@test "a value the server cannot read in a later batch of a scan fails the run with the server's reason" {
	big_list 5000 > big.csv
	lead-import -q big.csv
	psql_do "update lead set attrs = '{bad' where id = 4500"
	printf 'fit +5 attr.budget >= 1000\n' > rules.txt
	# (Sorting off: the scan reads by the index, so the bad value is
	# met in its third batch, a FETCH sent ahead.)
	run lead-score -d "$PGURL&options=-cenable_sort%3Doff" -r rules.txt
	[ "$status" = 3 ]
	assert_output --partial "json"
	refute_output --partial "aborted"
	[ "$(psql_do "select count(*) from lead where score is not null")" = 0 ]
}

@test "a row the server refuses in a bulk write fails the import whole, with the server's reason" {
	lead-import -q "$FIX/bom-crlf.csv"
	psql_do "alter table lead add constraint no_boom check (company is distinct from 'Boom 2990')"
	hostile_list 24000 | sed 's/^\(p2990@[^,]*\),\([^,]*\),[^,]*,/\1,\2,Boom 2990,/' > list.csv
	grep -q "Boom 2990" list.csv
	run lead-import list.csv
	assert_failure 3
	assert_output --partial "no_boom"
	[ "$(psql_do "select count(*) from lead")" = 3 ]
	[ "$(psql_do "select count(*) from batch")" = 1 ]
}

# score_story: 25,000 leads (more than a server is sent at once), a few
# touches, then two score runs (the second with a rule more), printed;
# then every lead's score and its history.
score_story() {
	python3 -c "
import sys
print('email,title,company_size,country')
for i in range(25000):
    print('s%d@c%d.example,%s,%d,%s' % (i, i % 50, ['VP Sales', 'Manager', 'Intern', 'Engineer'][i % 4], (i * 37) % 900, ['Canada', 'France'][i % 2]))" > s.csv
	lead-import -q s.csv
	printf 'email,kind,ts\ns1@c1.example,webinar_attended,2026-11-01\ns2@c2.example,meeting,2026-11-20\n' |
	    lead-log -q -
	cat > rules.txt <<'R'
fit +20 title matches "vp|director"
fit +10 title contains manager
fit -10 title contains intern
fit +15 company_size >= 200
fit +5 country in (Canada)
behavior +25 webinar_attended half-life 60d
behavior +10 meeting
mql score >= 30
grade A fit >= 30
grade B fit >= 15
grade C
R
	lead-score -r rules.txt --all --csv 2>&1 | md5sum
	echo 'fit +1 company_size >= 800' >> rules.txt
	lead-score -r rules.txt 2>&1
	lead-report leads --columns id,email,score,fit,grade,stage --csv | md5sum
	db_rows "select lead_id, run_id, score, fit, grade from lead_score order by 1, 2" | md5sum
}

@test "a score run of more leads than a server is sent at once stores and reports every score, as on SQLite" {
	LEAD_DB=$BATS_TEST_TMPDIR/leads.db score_story > sqlite.out
	score_story > pg.out
	diff sqlite.out pg.out
	[ "$(psql_do "select count(*) from lead_score")" -gt 25000 ]
	[ "$(psql_do "select count(distinct score) from lead")" -gt 3 ]
}

# log_story: 300 leads, then an event log of 7,000 events (more than
# lead-log reads ahead): touches of known leads, some twice (repeats),
# some of unknown addresses (created with --create), unsubscribes, and
# deals that move stages (a quote, then a win) in and across windows;
# what was printed, then the touches and the stages.
log_story() {
	big_list 300 > leads.csv
	lead-import -q leads.csv
	python3 - > events.csv <<'PY'
import csv, sys
w = csv.writer(sys.stdout, lineterminator='\n')
w.writerow(['email', 'ts', 'kind', 'note', 'amount'])
kinds = ['email_open', 'page_visit', 'call', 'meeting', 'unsubscribe']
for i in range(7000):
    j = (i * 7) % 320
    email = 'p%d@big%d.example' % (j, j) if j < 300 else 'new%d@x%d.example' % (j, j % 3)
    if i % 53 == 0:
        email = email.upper()
    ts = '2026-10-%02d %02d:%02d' % (1 + i % 28, i % 24, i % 60)
    kind, amount = kinds[i % 5], ''
    if i % 97 == 0:
        kind, amount = 'quote', '1200'
    if i % 211 == 0:
        kind, amount = 'won', '5000'
    w.writerow([email, ts, kind, 'note %d, "quoted"\ttab' % (i % 400), amount])
    if i % 9 == 0:
        w.writerow([email, ts, kind, 'note %d, "quoted"\ttab' % (i % 400), amount])
PY
	lead-log --create events.csv 2>&1 || echo "exit $?"
	lead-log events.csv 2>&1 || echo "exit $?"
	db_rows "select lead_id, ts, kind, fp, note, amount, batch_id from activity order by id" \
	    "select id, email, stage, dnc_email, dnc_reason from lead order by id" \
	    "select lead_id, from_stage, to_stage, activity_id from stage_history order by id"
}

@test "an event log larger than what lead-log reads ahead is logged on the server as on SQLite" {
	LEAD_DB=$BATS_TEST_TMPDIR/leads.db log_story > sqlite.out
	log_story > pg.out
	diff sqlite.out pg.out
	[ "$(psql_do "select count(*) from activity")" -gt 6000 ]
	[ "$(psql_do "select count(*) from lead where stage = 'won'")" -gt 5 ]
	[ "$(psql_do "select count(*) from lead where dnc_email = 1")" -gt 50 ]
}

# touch_story: 300 leads, 30 of them handed to Carol; a touch stored
# by hand under the fingerprint an event's touch would take (so the
# event takes the next); then 5,000 events (more than lead-log reads
# ahead) by reps and others, that event in the first window and again
# in the last, times that cannot be read; all logged twice.  What was
# printed, the touches and the first touches of the assignments.
touch_story() {
	big_list 300 > leads.csv
	lead-import -q leads.csv
	printf 'name,email\nCarol Ng,carol@seller.example\nDan Ho,dan@seller.example\n' > team.csv
	lead-handoff -q reps team.csv
	db_rows "insert into assignment (lead_id, rep_id, at, due) select l.id, r.id, '2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z' from lead l, rep r where l.id <= 30 and r.name = 'Carol Ng'"
	printf 'email,ts,kind,note,actor\np5@big5.example,2026-10-03 10:00,call,the one,Carol Ng\n' > one.csv
	LEAD_DB=$BATS_TEST_TMPDIR/fp.db lead-import -q leads.csv
	LEAD_DB=$BATS_TEST_TMPDIR/fp.db lead-log -q one.csv
	fp=$(sqlite3 fp.db "select fp from activity")
	db_rows "insert into activity (lead_id, ts, kind, channel, note, fp) select id, '2026-10-03T10:00:00Z', 'call', 'phone', 'another', $fp from lead where email = 'p5@big5.example'"
	python3 - > events.csv <<'PY'
import csv, sys
w = csv.writer(sys.stdout, lineterminator='\n')
w.writerow(['email', 'ts', 'kind', 'note', 'actor'])
actors = ['Carol Ng', 'carol@SELLER.example', 'Dan Ho', '', 'someone']
for i in range(5000):
    if i in (10, 4900):
        w.writerow(['p5@big5.example', '2026-10-03 10:00', 'call', 'the one', 'Carol Ng'])
    j = (i * 13) % 300
    ts = '2026-10-%02d %02d:%02d' % (2 + i % 20, i % 24, (i // 7) % 60)
    if i % 401 == 0:
        ts = '2026-13-45 99:99'
    kind = ['call', 'email_sent', 'meeting', 'page_visit'][i % 4]
    w.writerow(['p%d@big%d.example' % (j, j), ts, kind, 'n%d' % (i % 50), actors[i % 5]])
    if i % 7 == 0:
        w.writerow(['p%d@big%d.example' % (j, j), ts, kind, 'n%d' % (i % 50), actors[i % 5]])
PY
	lead-log events.csv 2>&1 || echo "exit $?"
	lead-log events.csv 2>&1 || echo "exit $?"
	db_rows "select lead_id, ts, kind, fp - $fp, actor, note from activity where lead_id = 6 and ts = '2026-10-03T10:00:00Z' order by id" \
	    "select id, lead_id, ts, kind, fp, actor, note, batch_id from activity order by id" \
	    "select id, lead_id, first_touch_at from assignment order by id"
}

@test "touches by reps, and touches whose fingerprint another holds, are logged on the server as on SQLite" {
	LEAD_DB=$BATS_TEST_TMPDIR/leads.db touch_story > sqlite.out
	touch_story > pg.out
	diff sqlite.out pg.out
	grep -q "^6|2026-10-03T10:00:00Z|call|1|Carol Ng|the one$" pg.out
	[ "$(grep -c "^6|2026-10-03T10:00:00Z|call|" pg.out)" = 2 ]
	[ "$(psql_do "select count(*) from assignment where first_touch_at is not null")" -ge 9 ]
	grep -q "events.csv:.*invalid time" pg.out
}

# handoff_story: 18,000 leads over 3,000 company domains and eight
# countries; a team of seven (territories, capacities, weights, one
# away); three leads rejected before (r1 by both reps who could take
# it, r2 by its territory's rep, r3 by the owner of its company's
# account); then assign four times: the MQLs of the rules (more
# hand-offs than a server is sent at once), the MQLs of the next rules
# (the turns going on), a list --to a rep (an owned lead, a new one, a
# nurtured one), and the new leads --force (more stage moves than are
# held at once).  What was printed, then the owners, assignments, stage
# moves and turns.
handoff_story() {
	python3 - > leads.csv <<'PY'
import csv, sys
w = csv.writer(sys.stdout, lineterminator='\n')
w.writerow(['email', 'first_name', 'company', 'title', 'country'])
countries = ['Germany', 'France', 'United States', 'Canada', 'Japan',
             'Brazil', '', 'Austria']
titles = ['VP Sales', 'Manager', 'Intern', 'Director of IT', 'Engineer']
for i in range(18000):
    d = i % 3000
    w.writerow(['p%d@d%d.example' % (i, d), 'F%d' % i, 'Co %d' % d,
                titles[i % 5], countries[(i // 5 + d) % 8]])
w.writerow(['r1@solo1.example', 'R1', 'Solo One', 'VP Sales', 'Japan'])
w.writerow(['r2@solo2.example', 'R2', 'Solo Two', 'VP Sales', 'Germany'])
w.writerow(['r3@d7.example', 'R3', 'Co 7', 'VP Sales', 'France'])
PY
	lead-import -q leads.csv
	cat > team.csv <<'T'
name,email,territory,capacity,weight,available
ana,ana@s.example,DACH,,1,yes
ben,ben@s.example,EMEA,2500,2,yes
cy,cy@s.example,"US, CA",,3,yes
dee,dee@s.example,*,3000,0.5,yes
eve,eve@s.example,APAC,40,1,yes
fay,fay@s.example,LATAM,,1,yes
gus,gus@s.example,Japan,,1,no
T
	lead-handoff -q reps team.csv
	LEAD_NOW=2026-11-10T09:00:00Z lead-handoff -q assign --to eve - <<< r1@solo1.example > /dev/null
	LEAD_NOW=2026-11-11T09:00:00Z lead-handoff -q reject r1@solo1.example --reason "no budget"
	LEAD_NOW=2026-11-12T09:00:00Z lead-handoff -q assign --to dee - <<< r1@solo1.example > /dev/null
	LEAD_NOW=2026-11-13T09:00:00Z lead-handoff -q reject r1@solo1.example --reason "still no budget"
	LEAD_NOW=2026-11-10T09:00:00Z lead-handoff -q assign --to ana - <<< r2@solo2.example > /dev/null
	LEAD_NOW=2026-11-11T09:00:00Z lead-handoff -q reject r2@solo2.example --reason "wrong person"
	LEAD_NOW=2026-11-10T09:00:00Z lead-handoff -q assign --to ana - <<< p7@d7.example > /dev/null
	LEAD_NOW=2026-11-10T09:00:00Z lead-handoff -q assign --to ana - <<< r3@d7.example > /dev/null
	LEAD_NOW=2026-11-11T09:00:00Z lead-handoff -q reject r3@d7.example --reason "a student"
	printf 'fit +40 title matches "vp|director"\nfit +5 country in (Germany, Japan)\nmql score >= 40\n' > rules.txt
	lead-score -q -r rules.txt
	db_rows "update lead set stage = 'mql' where email like 'r_@%'"
	lead-handoff assign --sla A=4h,B=24h,*=48h 2>&1 || echo "exit $?"
	printf 'fit +40 title contains manager\n' >> rules.txt
	lead-score -q -r rules.txt
	lead-handoff -v assign 2>&1 || echo "exit $?"
	lead-log -q p12@d12.example nurture --note "call back in spring"
	printf 'p0@d0.example\np2@d2.example\np12@d12.example\n' > list.txt
	lead-handoff assign --to ben list.txt 2>&1 || echo "exit $?"
	db_rows "select email from lead where stage = 'new' order by id" |
	    sed '1i email' > new.csv
	lead-handoff assign --force new.csv 2>&1 || echo "exit $?"
	db_rows "select id, stage, owner_id, updated_at, stage_at from lead order by id" \
	    "select id, lead_id, rep_id, at, due, reason, actor, rejected_at, reject_reason, ended_at, end_reason from assignment order by id" \
	    "select id, lead_id, at, from_stage, to_stage, actor, reason from stage_history order by id" \
	    "select id, name, rr_pass from rep order by id"
}

@test "assign hands thousands of leads, rejected ones and listed ones, over on the server as on SQLite" {
	LEAD_DB=$BATS_TEST_TMPDIR/leads.db handoff_story > sqlite.out
	handoff_story > pg.out
	diff sqlite.out pg.out
	grep -q "back to dee, who rejected it on 2026-11-13: no other rep can take it" pg.out
	grep -q "account of ana (who rejected this lead); territory France, next in turn" pg.out
	grep -q "p0@d0.example: already owned by ana" pg.out
	[ "$(psql_do "select count(*) from assignment")" -gt 10000 ]
	[ "$(psql_do "select count(*) from stage_history where reason like 'handed to %'")" -gt 4096 ]
	[ "$(psql_do "select count(distinct rr_pass) from rep")" -gt 5 ]
}

# promise_story: a lead with two promises, the later one logged first,
# handed to a rep; the sheet's promises column.
promise_story() {
	printf 'email,first_name\na@x.example,A\n' > l.csv
	lead-import -q l.csv
	lead-log -q a@x.example call --at 2026-11-20T10:00:00Z \
	    --outcome connected --note "asked for a deck" --next "send deck" \
	    --due 2026-11-25
	lead-log -q a@x.example call --at 2026-11-18T10:00:00Z \
	    --outcome voicemail --note "left a message" --next "call back" \
	    --due 2026-11-21
	printf 'name,email\nann,ann@s.example\n' > team.csv
	lead-handoff -q reps team.csv
	echo a@x.example | lead-handoff -q assign --to ann - | cut -f 4,21
}

@test "the sheet lists a lead's promises in the order they were made, on the server as on SQLite" {
	LEAD_DB=$BATS_TEST_TMPDIR/leads.db promise_story > sqlite.out
	promise_story > pg.out
	diff sqlite.out pg.out
	grep -q "	call back (due 2026-11-21); send deck (due 2026-11-25)$" pg.out
}
