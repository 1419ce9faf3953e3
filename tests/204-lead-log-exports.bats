#!/usr/bin/env bats
# lead-log reads the activity exports of CRMs and marketing tools without
# flags: their column names, their event names (through the kind map),
# and their history whole.

load helpers/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export LEAD_DB=$BATS_TEST_TMPDIR/leads.db LEAD_NOW=2026-11-22T09:30:00Z
	printf 'email,first_name\nbob@acme.com,Bob\nann@beta.io,Ann\n' | lead-import -q
}

# kinds: the kinds of the touches, in time order.
kinds() {
	sql "select group_concat(kind, ' ') from (select kind from activity order by ts, id) t"
}

@test "a HubSpot activities export is read without flags" {
	run lead-log "$FIX/hubspot-activities.csv"
	assert_success
	assert_output --partial "4 read, 4 logged"
	[ "$(kinds)" = "call meeting email_sent note" ]
	[ "$(sql "select actor, outcome, content from activity where kind = 'call'")" = "Alice Smith|Connected|Renewal call" ]
}

@test "a HubSpot contact written as 'Name (email)' is the lead of that email" {
	lead-log -q "$FIX/hubspot-activities.csv"
	[ "$(sql "select count(*) from activity a join lead l on l.id = a.lead_id where l.email = 'bob@acme.com'")" = 2 ]
}

@test "a Salesforce task export is read without flags, its unknown task kind kept and counted" {
	run lead-log "$FIX/salesforce-tasks.csv"
	assert_success
	assert_output --partial "3 read, 3 logged"
	assert_output --partial "1 touch of kinds leadkit does not know, kept: task (1)"
	[ "$(kinds)" = "call email_sent task" ]
}

@test "a Zoho calls export without a kind column is read as calls" {
	run lead-log "$FIX/zoho-calls.csv"
	assert_success
	assert_output --partial "every touch is a call"
	[ "$(sql "select count(*) from activity where kind = 'call'")" = 2 ]
	[ "$(sql "select outcome from activity where note is null")" = "No Answer" ]
}

@test "a Marketo activity log maps its event names to leadkit's kinds" {
	run lead-log "$FIX/marketo-activity-log.csv"
	assert_success
	[ "$(kinds)" = "email_open email_click page_visit form_submit interesting_moment change_data_value" ]
	assert_output --partial "interesting_moment (1), change_data_value (1)"
}

@test "a Mautic event export maps its dotted event names" {
	lead-log -q "$FIX/mautic-events.csv"
	[ "$(kinds)" = "email_open page_visit form_submit download unsubscribe" ]
	[ "$(sql "select dnc_email from lead where email = 'bob@acme.com'")" = 1 ]
}

@test "the team extends the kind map, and its names win" {
	printf 'demo_request: Interesting Moment\n' > kinds.txt
	lead-log -q --kinds kinds.txt
	lead-log -q "$FIX/marketo-activity-log.csv"
	[ "$(sql "select count(*) from activity where kind = 'demo_request'")" = 1 ]
	run lead-log kinds
	assert_output --partial "demo_request: Interesting Moment"
	assert_output --partial "email_open:"
}

@test "a kind map with a bad line is refused and changes nothing" {
	printf 'not a line\n' > kinds.txt
	run lead-log --kinds kinds.txt
	assert_failure 2
	assert_output --partial "kinds.txt:1: expected KIND: name | name"
	[ -z "$(sql "select value from setting where name = 'kinds'")" ]
}

@test "an imported call without outcome or note is kept, marked, and refused by --strict" {
	printf 'email,ts,type\nbob@acme.com,2026-11-20T10:00:00Z,Call\n' > calls.csv
	run lead-log --strict calls.csv
	assert_failure 1
	lead-log -q calls.csv
	[ "$(sql "select kind, missing from activity")" = "call|outcome, note" ]
}

@test "the touches an imported history kept without context show in lead-report sla, by who logged them" {
	printf 'name,email\nAlice Smith,alice@seller.example\n' > team.csv
	lead-handoff -q reps team.csv
	lead-log -q "$FIX/hubspot-activities.csv"
	run lead-report sla --since 2026-11-01 --no-header
	assert_success
	assert_line --regexp "^Alice Smith	.*	2$"
}

@test "amounts are read as CRMs export them" {
	printf 'email,ts,kind,amount\nbob@acme.com,2026-11-20,quote,"$22,700.00"\nann@beta.io,2026-11-20,quote,"1.234,56 €"\n' > q.csv
	lead-log -q q.csv
	[ "$(sql "select group_concat(amount, ' ') from (select amount from activity order by id) t")" = "22700.0 1234.56" ]
}

@test "a quote typed with a currency sign is stored as its amount" {
	lead-log -q bob@acme.com quote --amount 'EUR 4,500'
	[ "$(sql "select amount from activity")" = 4500.0 ]
}

@test "a kind the team's map names is not counted as unknown" {
	printf 'demo_request: Interesting Moment\n' > kinds.txt
	lead-log -q --kinds kinds.txt
	run lead-log "$FIX/marketo-activity-log.csv"
	refute_output --partial "interesting_moment"
	refute_output --partial "demo_request ("
}
