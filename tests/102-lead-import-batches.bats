#!/usr/bin/env bats
# lead-import: batches, activity, undo, suppression, forgetting.

load helpers/common

@test "each file is a batch with its source, campaign, cost, counts and content hash" {
	lead-import --source webinar --campaign W1 --kind webinar --cost 4500 "$FIX/bom-crlf.csv"
	[ "$(sql "select source, campaign, kind, cost, nread, nnew from batch")" = "webinar|W1|webinar|4500.0|3|3" ]
	[ "$(sql "select sha256 from batch")" = "$(sha256sum "$FIX/bom-crlf.csv" | cut -d' ' -f1)" ]
}

@test "re-importing the same content is a reported no-op" {
	lead-import "$FIX/bom-crlf.csv"
	run lead-import "$FIX/bom-crlf.csv"
	assert_success
	assert_output --partial "imported as batch 1"
	[ "$(sql "select count(*) from batch")" = 1 ]
}

@test "the same content on stdin is recognised too" {
	lead-import < "$FIX/bom-crlf.csv"
	run lead-import < "$FIX/bom-crlf.csv"
	assert_output --partial "imported as batch 1"
	[ "$(sql "select count(*) from batch")" = 1 ]
}

@test "--batches lists the import batches" {
	lead-import --source webinar "$FIX/bom-crlf.csv"
	run lead-import --batches
	assert_success
	assert_line --index 0 --regexp '^id	at	command	file	sha256	source'
	assert_line --index 1 --regexp "^1	2026-11-22T09:30:00Z	lead-import	.*bom-crlf.csv	[0-9a-f]{64}	webinar"
}

@test "--activity records each row as a touch at its --at-column time" {
	run lead-import --skip 3 --activity webinar_attended --at-column "Join Time" --campaign W1 "$FIX/webinar-preamble.csv"
	assert_success
	[ "$(sql "select a.ts, a.kind, a.content from activity a join lead l on l.id=a.lead_id where l.email='bob@acme.com'")" = "2026-11-18T09:58:12Z|webinar_attended|W1" ]
}

@test "a row whose --at-column is blank records no touch" {
	printf 'email,Join Time\nbob@acme.com,--\nann@acme.com,2026-11-18 10:00\n' > noshow.csv
	lead-import --activity webinar_attended --at-column "Join Time" noshow.csv
	[ "$(sql "select count(*) from activity")" = 1 ]
}

@test "the same touch imported twice is stored once" {
	lead-import --activity download --campaign WP "$FIX/bom-crlf.csv"
	lead-import --force --activity download --campaign WP "$FIX/bom-crlf.csv"
	[ "$(sql "select count(*) from activity")" = 3 ]
}

@test "--undo removes the leads a batch created and its touches" {
	lead-import --activity download "$FIX/bom-crlf.csv"
	run lead-import --undo 1
	assert_success
	assert_output --partial "batch 1 undone: 3 leads removed"
	[ "$(sql "select count(*) from lead")" = 0 ]
	[ "$(sql "select count(*) from activity")" = 0 ]
	[ -n "$(sql "select undone_at from batch where id=1")" ]
}

@test "--undo restores the values an update replaced" {
	printf 'email,company,title\nbob@acme.com,Acme,\n' > a.csv
	printf 'email,company,title\nbob@acme.com,Acme Corp,CTO\n' > b.csv
	lead-import a.csv
	lead-import --update b.csv
	lead-import --undo 2
	[ "$(sql "select company, quote(title) from lead")" = "Acme|NULL" ]
}

@test "--undo keeps a field that a later batch changed again" {
	printf 'email,company,title\nbob@acme.com,Acme,\n' > a.csv
	printf 'email,company,title\nbob@acme.com,Acme Corp,CTO\n' > b.csv
	printf 'email,title\nbob@acme.com,CEO\n' > c.csv
	lead-import a.csv
	lead-import --update b.csv
	lead-import --update c.csv
	lead-import --undo 2
	[ "$(sql "select company, title from lead")" = "Acme|CEO" ]
}

@test "--undo refuses to remove leads touched since, unless --force" {
	lead-import "$FIX/bom-crlf.csv"
	lead-import "$FIX/in-file-dups.csv"
	run lead-import --undo 1
	assert_failure 2
	assert_output --partial "touched since"
	[ "$(sql "select count(*) from lead")" = 3 ]
	run lead-import --undo 1 --force
	assert_success
	[ "$(sql "select count(*) from lead where email='bob@acme.com'")" = 0 ]
}

@test "--undo of an unknown or undone batch is a usage error" {
	lead-import "$FIX/bom-crlf.csv"
	run lead-import --undo 9
	assert_failure 2
	lead-import --undo 1
	run lead-import --undo 1
	assert_failure 2
	assert_output --partial "was undone on"
}

@test "an undone list can be imported again" {
	lead-import "$FIX/bom-crlf.csv"
	lead-import --undo 1
	run lead-import "$FIX/bom-crlf.csv"
	assert_success
	assert_output --partial "3 new"
}

@test "--suppress flags known leads do-not-contact and remembers the others" {
	lead-import "$FIX/bom-crlf.csv"
	run lead-import --suppress --source unsubscribes "$FIX/suppress.csv"
	assert_success
	assert_output --partial "1 flagged do-not-contact by email"
	# An unsubscribe list stops email, not calls: --channel says otherwise.
	[ "$(sql "select dnc_email, dnc_phone from lead where email='bob@acme.com'")" = "1|0" ]
	printf 'email\nunknown@nowhere.example\n' | lead-import
	[ "$(sql "select dnc_email from lead where email='unknown@nowhere.example'")" = 1 ]
}

@test "--suppress=email flags email only" {
	lead-import "$FIX/bom-crlf.csv"
	lead-import --suppress=email "$FIX/suppress.csv"
	[ "$(sql "select dnc_email, dnc_phone from lead where email='bob@acme.com'")" = "1|0" ]
}

@test "--forget erases a person's personal data but keeps anonymous counts" {
	lead-import --source webinar --activity webinar_attended "$FIX/bom-crlf.csv"
	run lead-import --forget Bob@Acme.com
	assert_success
	assert_output --partial "1 erased, 0 forgotten before, 0 not found"
	[ "$(sql "select count(*) from lead where email='bob@acme.com'")" = 0 ]
	[ "$(sql "select count(*) from lead where source='webinar'")" = 3 ]
	[ "$(sql "select count(*) from activity")" = 3 ]
	[ "$(sql "select quote(first_name), quote(company) from lead where forgotten_at is not null")" = "NULL|NULL" ]
}

@test "after --forget and VACUUM the person's email is nowhere in the database file" {
	sqlite_only "the database file and its log"
	lead-import "$FIX/bom-crlf.csv"
	lead-import --forget bob@acme.com
	sql "VACUUM"
	run grep -c "bob@acme.com" leads.db
	assert_output 0
	run grep -c "Jones" leads.db
	assert_output 0
}

# bob_in_depth [COMMAND...]: bob's lead, with a note, a next step, a
# hand-off and a rejection that all name him; COMMAND runs right after his
# import.
bob_in_depth() {
	printf 'email,first name,last name,company,phone,hobby\nbob@acme.com,Bob,Zebulon,Acme,+1 555 0199,falconry\n' > bob.csv
	lead-import -q bob.csv
	"$@"
	printf 'name,email\nalice,alice@example.com\n' > reps.csv
	lead-handoff -q reps reps.csv
	lead-log -q bob@acme.com call --by alice --outcome connected \
	    --note "Zebulon asked about falconry insurance" \
	    --next "call Zebulon on +1 555 0199" --due 2d
	sql "update lead set stage = 'mql', score = 90 where email = 'bob@acme.com'"
	echo bob@acme.com | lead-handoff -q assign --to alice - > /dev/null
	lead-handoff -q reject bob@acme.com --by alice \
	    --reason "Zebulon retires in May"
}

# holding_reader: another connection open until ./stop exists (60 s at
# most): no command's close can remove the log while it runs, so every
# page written stays in the log unless a command empties it.
holding_reader() {
	python3 -c '
import sqlite3, os, time, sys
c = sqlite3.connect(sys.argv[1])
c.execute("select count(*) from lead").fetchall()
open("reading", "w").close()
end = time.time() + 60
while not os.path.exists("stop") and time.time() < end:
    time.sleep(0.05)' leads.db > /dev/null 2>&1 &
	while [ ! -e reading ]; do sleep 0.05; done
}

# no_trace_of_bob [FILE...]: none of bob's data in these files, or in any
# report
no_trace_of_bob() {
	for trace in bob@acme.com Zebulon falconry "555 0199"; do
		run sh -c "cat $* 2> /dev/null | grep -c -a '$trace'"
		assert_output 0
	done
	run lead-report leads --columns email,first_name,last_name,attr.hobby
	assert_success
	refute_output --partial Zebulon
}

@test "after --forget and VACUUM nothing the notes, history or hand-offs said of the person is in the file" {
	sqlite_only "the database file and its log"
	bob_in_depth
	lead-import -q --forget bob@acme.com
	sql "VACUUM"
	no_trace_of_bob leads.db
}

@test "even without VACUUM, and with a reader holding the log open, nothing of the person is in the file or its log" {
	sqlite_only "the database file and its log"
	bob_in_depth holding_reader
	[ -s leads.db-wal ]
	lead-import -q --forget bob@acme.com
	no_trace_of_bob leads.db
	no_trace_of_bob leads.db-wal
	touch stop
	wait
}

@test "--forget of an unknown email says so and exits 1" {
	lead-import "$FIX/bom-crlf.csv"
	run lead-import --forget nobody@acme.com
	assert_failure 1
	assert_output --partial "no lead 'nobody@acme.com'"
}

@test "--forget - reads the emails from standard input" {
	lead-import "$FIX/bom-crlf.csv"
	printf 'bob@acme.com\nalice@beta.io\n' | lead-import --forget -
	[ "$(sql "select count(*) from lead where forgotten_at is not null")" = 2 ]
}

@test "a new lead on a suppression list is flagged with that list's name" {
	lead-import --suppress --source optouts-2026 "$FIX/suppress.csv"
	printf 'email\nunknown@nowhere.example\n' | lead-import
	[ "$(sql "select dnc_email, dnc_reason from lead")" = "1|optouts-2026" ]
}

@test "--undo of a suppression list clears the flags, reason and time it set" {
	lead-import "$FIX/bom-crlf.csv"
	lead-import --suppress "$FIX/suppress.csv"
	lead-import --undo 2
	[ "$(sql "select dnc_email, dnc_phone, quote(dnc_reason), quote(dnc_at) from lead where email='bob@acme.com'")" = "0|0|NULL|NULL" ]
	[ "$(sql "select count(*) from suppression")" = 0 ]
}

@test "a forgotten person who opted out stays suppressed, by hash only" {
	lead-import "$FIX/bom-crlf.csv"
	lead-import --suppress "$FIX/suppress.csv"
	lead-import --forget bob@acme.com
	[ "$(sql "select count(*) from suppression where email = 'bob@acme.com'")" = 0 ]
	salt=$(sql "select value from meta where key = 'email_salt'")
	[ "$(sql "select email from suppression where email like 'sha256:%'")" = "sha256:$(printf '%s\n%s' "$salt" bob@acme.com | sha256sum | cut -d' ' -f1)" ]
	printf 'email\nBOB@acme.com\n' | lead-import
	[ "$(sql "select dnc_email from lead where email='bob@acme.com'")" = 1 ]
}

@test "a forgotten person who never opted out leaves no suppression entry" {
	lead-import "$FIX/bom-crlf.csv"
	lead-import --forget bob@acme.com
	[ "$(sql "select count(*) from suppression")" = 0 ]
}

@test "the batch_member view lists the leads a batch created and the known ones it named" {
	lead-import "$FIX/bom-crlf.csv"
	lead-import "$FIX/in-file-dups.csv"
	[ "$(sql "select batch_id || ':' || action from batch_member bm join lead l on l.id = bm.lead_id where l.email = 'bob@acme.com' order by batch_id" | tr '\n' ' ')" = "1:new 2:unchanged " ]
	[ "$(sql "select count(*) from batch_member where batch_id = 1")" = 3 ]
}

@test "--batches --json writes one object per batch with numbers unquoted" {
	lead-import --source webinar --cost 100 "$FIX/bom-crlf.csv"
	run lead-import --batches --json
	assert_output --regexp '^\{"id":1,"at":"2026-11-22T09:30:00Z","command":"lead-import",.*"cost":100\.0,.*"read":3,"new":3,'
}

@test "--forget with a reader in the middle of a read exits 3 and says the log could not be cleared" {
	sqlite_only "the database file and its log"
	bob_in_depth
	python3 -c '
import sqlite3, os, time, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN")
c.execute("select count(*) from lead").fetchall()
open("reading", "w").close()
end = time.time() + 60
while not os.path.exists("stop") and time.time() < end:
    time.sleep(0.05)
c.execute("COMMIT")' leads.db > /dev/null 2>&1 &
	while [ ! -e reading ]; do sleep 0.05; done
	run lead-import --wait 1 --forget bob@acme.com
	touch stop
	wait
	assert_failure 3
	assert_output --partial "the erasure is committed, but another connection is reading"
	refute_output --partial "1 erased"
	# once the reader is gone, any --forget clears the log
	run lead-import --forget bob@acme.com
	[ ! -s leads.db-wal ]
	no_trace_of_bob leads.db
}

@test "--forget erases the content and outcome of the person's touches, not a list's campaign" {
	printf 'email\nbob@acme.com\n' > w.csv
	lead-import -q --source webinar --campaign "Pipeline 2027" --activity webinar_attended w.csv
	printf 'email,ts,kind,content,outcome\nbob@acme.com,2026-11-20T10:00:00Z,page_visit,https://acme.example/p?email=bob@acme.com,viewed by Bob Zebulon\n' > ev.csv
	lead-log -q ev.csv
	lead-import -q --forget bob@acme.com
	[ "$(sql "select count(*) from activity where content like '%bob%' or outcome like '%Zebulon%'")" = 0 ]
	[ "$(sql "select content from activity where kind = 'webinar_attended'")" = "Pipeline 2027" ]
	[ "$(sql "select count(*) from activity")" = 2 ]
}

@test "the opt-out kept after --forget is salted: the plain SHA-256 of the address is not stored" {
	printf 'email\nbob@acme.com\n' | lead-import -q --suppress
	lead-import -q --forget bob@acme.com
	plain="sha256:$(printf %s bob@acme.com | sha256sum | cut -d' ' -f1)"
	[ "$(sql "select count(*) from suppression where email = '$plain'")" = 0 ]
	[ "$(sql "select count(*) from suppression where email like 'sha256:%'")" = 1 ]
	printf 'email\nbob@acme.com\n' | lead-import -q
	[ "$(sql "select dnc_email from lead where email = 'bob@acme.com'")" = 1 ]
}

@test "an opt-out an older leadkit kept by its plain hash still stops the address" {
	lead-import -q "$FIX/bom-crlf.csv"
	plain="sha256:$(printf %s zed@acme.com | sha256sum | cut -d' ' -f1)"
	sql "insert into suppression (email, channel, reason, at) values ('$plain', 'email', 'old', '2026-01-01T00:00:00Z')"
	printf 'email\nzed@acme.com\n' | lead-import -q
	[ "$(sql "select dnc_email from lead where email = 'zed@acme.com'")" = 1 ]
}

@test "each database has a salt of its own" {
	lead-import -q "$FIX/bom-crlf.csv"
	lead-import -q -d other.db "$FIX/bom-crlf.csv"
	[ "$(sql "select value from meta where key = 'email_salt'")" != "$(sqlite3 other.db "select value from meta where key = 'email_salt'")" ]
	[ "$(sql "select length(value) from meta where key = 'email_salt'")" = 64 ]
}
