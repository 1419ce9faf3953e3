#!/usr/bin/env bats
# lead-log: many touches from CSV/TSV.

load helpers/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export LEAD_DB=$BATS_TEST_TMPDIR/leads.db LEAD_NOW=2026-11-22T09:30:00Z
	lead-import -q "$FIX/bom-crlf.csv"
}

@test "an event export is logged with its times, kinds and details" {
	run lead-log "$FIX/events.csv"
	assert_failure 1
	assert_output --partial "7 read, 3 logged, 1 duplicates, 0 leads created, 3 rejected"
	[ "$(sql "select ts, kind, note from activity order by ts" | head -n 1)" = "2026-11-01T10:00:00Z|email_open|Newsletter Nov" ]
}

@test "each bad event is rejected with its line and reason" {
	run lead-log "$FIX/events.csv"
	assert_output --partial "events.csv:5: no lead 'new@delta.io'"
	assert_output --partial "events.csv:6: invalid time 'someday'"
	assert_output --partial "events.csv:7: no email"
}

@test "--create makes unknown leads, with the given source" {
	run lead-log --create --source website "$FIX/events.csv"
	assert_output --partial "4 logged, 1 duplicates, 1 leads created"
	[ "$(sql "select source from lead where email='new@delta.io'")" = website ]
}

@test "the same export logged twice stores every event once" {
	lead-log "$FIX/events.csv" || true
	run lead-log "$FIX/events.csv"
	assert_output --partial "0 logged, 4 duplicates"
	[ "$(sql "select count(*) from activity")" = 3 ]
}

@test "--kind gives the kind of a file without a kind column" {
	printf 'Email\tTimestamp\tURL\nbob@acme.com\t2026-11-10 10:00\t/pricing\n' > visits.tsv
	lead-log --kind page_visit visits.tsv
	[ "$(sql "select kind, content from activity")" = "page_visit|/pricing" ]
}

@test "a file without a kind column or --kind is a usage error" {
	printf 'email,ts\nbob@acme.com,2026-11-10\n' > nokind.csv
	run lead-log nokind.csv
	assert_failure 2
	assert_output --partial "no kind column"
}

@test "an imported history keeps a touch that lacks the protocol's context, marked with what it lacks" {
	printf 'email,ts,kind,note\nbob@acme.com,2026-11-10,call,had a call\n' > calls.csv
	run lead-log calls.csv
	assert_success
	assert_output --partial "1 touch kept without the context the protocol asks of reps"
	[ "$(sql "select kind, missing from activity")" = "call|outcome, note" ]
}

@test "--strict refuses the imported touches that lack the protocol's context" {
	printf 'email,ts,kind,note\nbob@acme.com,2026-11-10,call,had a call\n' > calls.csv
	run lead-log --strict calls.csv
	assert_failure 1
	assert_output --partial "a call needs --outcome"
	[ "$(sql "select count(*) from activity")" = 0 ]
}

@test "--reject writes the rejected events, ready to fix" {
	lead-log --reject rej.csv "$FIX/events.csv" || true
	assert [ -f rej.csv ]
	[ "$(head -n 1 rej.csv)" = "email,ts,kind,detail,_line,_reason" ]
	[ "$(wc -l < rej.csv)" = 4 ]
}

@test "--strict logs nothing when an event is rejected" {
	run lead-log --strict "$FIX/events.csv"
	assert_failure 1
	[ "$(sql "select count(*) from activity")" = 0 ]
}

@test "each event file is a batch with its counts" {
	lead-log "$FIX/events.csv" || true
	[ "$(sql "select command, nread, nnew, nunchanged, nrejected from batch where command = 'lead-log'")" = "lead-log|7|3|1|3" ]
}

@test "events on stdin are read like a file" {
	printf 'email,ts,kind\nbob@acme.com,2026-11-10,email_open\n' | lead-log
	[ "$(sql "select count(*) from activity")" = 1 ]
}

@test "eight loggers and a bulk load at once store every touch exactly once" {
	awk 'BEGIN { print "email,ts,kind"; for (i = 0; i < 3000; i++) printf "bob@acme.com,2026-10-01T00:%02d:%02dZ,page_visit\n", int(i / 60) % 60, i % 60 }' > bulk.csv
	lead-log bulk.csv 2>/dev/null &
	bulk=$!
	for r in 1 2 3 4 5 6 7 8; do
		( for i in $(seq 1 15); do lead-log -q --at "2026-11-0${r}T10:00:$(printf %02d "$i")Z" alice@beta.io note --note "loop $r touch $i says something" || echo "fail $r $i"; done ) > "loop$r.out" 2>&1 &
	done
	wait
	cat loop*.out
	[ -z "$(cat loop*.out)" ]
	[ "$(sql "select count(*) from activity a join lead l on l.id = a.lead_id where l.email='alice@beta.io'")" = 120 ]
	[ "$(sql "select count(*) from activity a join lead l on l.id = a.lead_id where l.email='bob@acme.com'")" = 3000 ]
	[ "$(sql "PRAGMA integrity_check")" = ok ]
}

@test "--map reads event fields from columns with other names" {
	printf 'Who,When,What,Where\nbob@acme.com,2026-11-10 10:00,page_visit,/pricing\n' > odd.csv
	lead-log --map email=Who --map ts=When --map kind=What --map content=Where odd.csv
	[ "$(sql "select kind, content from activity")" = "page_visit|/pricing" ]
}

@test "-n reads and checks every event but logs nothing" {
	run lead-log -n "$FIX/events.csv"
	assert_output --partial "3 logged"
	assert_output --partial "dry run: nothing changed"
	[ "$(sql "select count(*) from activity")" = 0 ]
}
