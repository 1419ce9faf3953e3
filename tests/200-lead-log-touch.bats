#!/usr/bin/env bats
# lead-log: one touch, the contact protocol, the lifecycle.

load helpers/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export LEAD_DB=$BATS_TEST_TMPDIR/leads.db LEAD_NOW=2026-11-22T09:30:00Z
	lead-import -q "$FIX/bom-crlf.csv"
}

@test "a rep logs a call with its outcome, note, next step and due date" {
	run lead-log bob@acme.com call --outcome connected --note "budget in Q1, wants a demo" --next "send quote" --due 3d --by alice
	assert_success
	assert_output --partial "bob@acme.com: call logged at 2026-11-22T09:30:00Z"
	[ "$(sql "select kind, channel, outcome, note, next_step, due, actor from activity")" = "call|call|connected|budget in Q1, wants a demo|send quote|2026-11-25T09:30:00Z|alice" ]
}

@test "the email is matched however it is written" {
	lead-log ' BOB@Acme.com' note --note "asked about the SSO add-on"
	[ "$(sql "select count(*) from activity a join lead l on l.id = a.lead_id where l.email = 'bob@acme.com'")" = 1 ]
}

@test "--at back-dates a touch and --due takes a time too" {
	lead-log bob@acme.com meeting --note "demo with their CTO went well" --next "trial" --due 2026-12-01 --at "11/20/2026 2:00 PM"
	[ "$(sql "select ts, due from activity")" = "2026-11-20T14:00:00Z|2026-12-01T00:00:00Z" ]
}

@test "a call without outcome and note is refused by the protocol, naming what is missing" {
	run lead-log bob@acme.com call
	assert_failure 2
	assert_output --partial "a call needs --outcome, --note"
	[ "$(sql "select count(*) from activity")" = 0 ]
}

@test "a boilerplate note such as 'had a call' is refused" {
	run lead-log bob@acme.com call --outcome connected --note "Had a call."
	assert_failure 2
	assert_output --partial "the note 'Had a call.' says nothing"
}

@test "a note too short to say anything is refused" {
	run lead-log bob@acme.com call --outcome connected --note "ok fine"
	assert_failure 2
	assert_output --partial "too short"
}

@test "kinds are open-ended words, lower-cased, once the team declares them" {
	printf 'call outcome note\nkind trade_show_visit\n' > proto.txt
	lead-log --protocol proto.txt
	lead-log bob@acme.com Trade-Show_Visit
	[ "$(sql "select kind from activity")" = trade_show_visit ]
	run lead-log bob@acme.com 'drop table;'
	assert_failure 2
}

@test "an unknown lead is refused unless --create" {
	run lead-log nobody@acme.com email_open
	assert_failure 1
	assert_output --partial "no lead 'nobody@acme.com'"
	run lead-log --create nobody@acme.com email_open
	assert_success
	[ "$(sql "select source from lead where email='nobody@acme.com'")" = lead-log ]
}

@test "the same touch logged twice is stored once" {
	lead-log bob@acme.com note --note "asked about the SSO add-on"
	run lead-log bob@acme.com note --note "asked about the SSO add-on"
	assert_success
	assert_output --partial "logged already"
	[ "$(sql "select count(*) from activity")" = 1 ]
}

@test "a quote moves the lead to opportunity, recorded in the stage history" {
	lead-log bob@acme.com quote --amount 12000 --by alice
	[ "$(sql "select stage from lead where email='bob@acme.com'")" = opportunity ]
	[ "$(sql "select from_stage, to_stage, actor from stage_history")" = "new|opportunity|alice" ]
}

@test "won needs an amount, and a lead won before its quote passes through opportunity" {
	lead-log bob@acme.com note --note "they signed the contract" --stage won --amount 5
	[ "$(sql "select group_concat(to_stage, ' ') from stage_history")" = "opportunity won" ]
}

@test "a closed lead cannot be won without --force" {
	lead-log bob@acme.com lost --reason "chose a competitor"
	run lead-log bob@acme.com won --amount 5
	assert_failure 2
	assert_output --partial "the lead is closed"
}

@test "a won deal needs --amount" {
	lead-log bob@acme.com quote --amount 12000
	run lead-log bob@acme.com note --note "they signed the contract" --stage won
	assert_failure 2
	assert_output --partial "needs --amount"
	lead-log bob@acme.com note --note "they signed the contract" --stage won --amount 11500
	[ "$(sql "select stage from lead where email='bob@acme.com'")" = won ]
}

@test "--force overrides the lifecycle" {
	run lead-log bob@acme.com note --note "signed through a partner" --stage won --amount 5 --force
	assert_success
	[ "$(sql "select stage from lead where email='bob@acme.com'")" = won ]
}

@test "lost and disqualified need a reason, and a lost lead can be recycled to nurture" {
	run lead-log bob@acme.com email_open --stage lost
	assert_failure 2
	assert_output --partial "needs --reason"
	run lead-log bob@acme.com disqualified
	assert_failure 2
	assert_output --partial "needs --reason"
	lead-log bob@acme.com call --outcome connected --note "chose a competitor on price" --stage lost --reason price
	lead-log bob@acme.com note --note "new budget next year, keep warm" --stage nurture --reason "budget 2027"
	[ "$(sql "select group_concat(to_stage || ':' || reason, ' ') from stage_history")" = "lost:price nurture:budget 2027" ]
}

@test "a stage a touch cannot set is a usage error" {
	run lead-log bob@acme.com note --note "promote this one please" --stage mql
	assert_failure 2
	assert_output --partial "not a stage a touch sets"
}

@test "-n logs nothing" {
	run lead-log -n bob@acme.com note --note "asked about the SSO add-on"
	assert_success
	[ "$(sql "select count(*) from activity")" = 0 ]
}

@test "a missing database is not created" {
	run lead-log -d none.db bob@acme.com email_open
	assert_failure 3
	[ ! -e none.db ]
}

@test "the owner's first outbound touch after a hand-off stops the SLA clock" {
	sql "insert into rep (name, email) values ('alice', 'alice@seller.example');
	     insert into rep (name, email) values ('bob', 'bob@seller.example');
	     insert into assignment (lead_id, rep_id, at, due) select id, 1, '2026-11-21T09:00:00Z', '2026-11-22T09:00:00Z' from lead where email='bob@acme.com'"
	lead-log bob@acme.com note --note "read the file before calling" --by alice
	[ -z "$(sql "select first_touch_at from assignment")" ]
	lead-log bob@acme.com call --outcome voicemail --note "left a message about the demo" --by bob
	[ -z "$(sql "select first_touch_at from assignment")" ]
	lead-log bob@acme.com call --outcome connected --note "booked the demo for Thursday" --by alice@seller.example
	[ "$(sql "select first_touch_at from assignment")" = "2026-11-22T09:30:00Z" ]
}

@test "a touch to a do-not-contact lead warns, and --enforce refuses it" {
	lead-import -q --suppress=email "$FIX/suppress.csv"
	run lead-log bob@acme.com email_sent --content pricing.pdf
	assert_success
	assert_output --partial "do-not-contact by email"
	run lead-log --enforce bob@acme.com email_sent --content brochure.pdf
	assert_failure 1
	[ "$(sql "select count(*) from activity")" = 1 ]
}

@test "--channel names the channel of a touch" {
	lead-log bob@acme.com note --note "spoke at their user group meetup" --channel event
	[ "$(sql "select channel from activity")" = event ]
}

@test "an amount must be a decimal number" {
	for a in nan inf 0x10 12abc; do
		run lead-log bob@acme.com quote --amount "$a"
		assert_failure 2
	done
	lead-log bob@acme.com quote --amount 1200.50
	[ "$(sql "select amount from activity")" = 1200.5 ]
}

@test "an unsubscribe touch flags the lead do-not-contact by email" {
	lead-log bob@acme.com unsubscribe --at 2026-11-20T08:00:00Z
	[ "$(sql "select dnc_email, dnc_reason, dnc_at from lead where email='bob@acme.com'")" = "1|unsubscribe|2026-11-20T08:00:00Z" ]
}

@test "--force to the stage the lead has already logs the touch and changes nothing" {
	lead-log bob@acme.com quote --amount 100
	run lead-log bob@acme.com note --note "checked the quote with finance" --stage opportunity --force
	assert_success
	refute_output --partial "opportunity -> opportunity"
	[ "$(sql "select count(*) from stage_history")" = 1 ]
}

@test "a lead created by a bulk touch was created at that touch's time" {
	printf 'email,ts,kind\nzed@new.example,2026-11-03T08:00:00Z,form_submit\n' > e.csv
	lead-log --create e.csv
	[ "$(sql "select created_at from lead where email='zed@new.example'")" = "2026-11-03T08:00:00Z" ]
}
