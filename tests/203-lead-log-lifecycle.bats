#!/usr/bin/env bats
# lead-log and the lifecycle: opt-outs that hold, leads named by id or
# key, stage words that move the stage, context that says something, reps
# named as people name them, and promises that are not lost.

load helpers/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export LEAD_DB=$BATS_TEST_TMPDIR/leads.db LEAD_NOW=2026-11-22T09:30:00Z
	lead-import -q "$FIX/bom-crlf.csv"
}

crm_leads() {
	printf 'Lead ID,First Name,Company\n00Q1,Ann,Acme\n00Q2,Ben,Beta\n' |
	    lead-import -q --source crm --key "Lead ID"
}

team() {
	printf 'name,email\nCarol Ng,carol@seller.example\nCarlos Diaz,carlos@seller.example\nalice,alice@seller.example\n' > team.csv
	lead-handoff -q reps team.csv
}

@test "an address suppressed before lead-log --create makes the lead do-not-contact" {
	printf 'Email\nx@acme.example\n' | lead-import -q --suppress
	lead-log --create x@acme.example page_visit
	run lead-log may-contact x@acme.example --channel email
	assert_failure 1
	assert_output --partial "do-not-contact"
}

@test "an event file that creates a suppressed lead flags it" {
	printf 'Email\nx@acme.example\n' | lead-import -q --suppress
	printf 'email,ts,kind\nx@acme.example,2026-11-20T10:00:00Z,email_click\n' > ev.csv
	lead-log -q --create ev.csv
	[ "$(sql "select dnc_email from lead where email = 'x@acme.example'")" = 1 ]
}

@test "a phone opt-out does not stop email, and may-contact --channel phone says so" {
	lead-import -q --suppress=phone "$FIX/suppress.csv"
	run lead-log may-contact bob@acme.com --channel email
	assert_success
	run lead-log may-contact bob@acme.com --channel phone
	assert_failure 1
	assert_output --partial "do-not-contact by phone"
}

@test "a lead known only by its CRM key is given a touch by that key" {
	crm_leads
	run lead-log 00Q1 call --outcome connected --note "budget approved, wants a demo in Q1"
	assert_success
	assert_output --partial "lead "
	[ "$(sql "select count(*) from activity a join lead_key k on k.lead_id = a.lead_id where k.key = '00Q1'")" = 1 ]
}

@test "a lead is named by its leadkit id, bare or as id:N" {
	crm_leads
	id=$(sql "select lead_id from lead_key where key = '00Q2'")
	lead-log "$id" note --note "asked about the SSO add-on"
	lead-log "id:$id" note --note "asked about pricing for 50 seats"
	[ "$(sql "select count(*) from activity where lead_id = $id")" = 2 ]
}

@test "a reference that is both one lead's id and another's key is refused as ambiguous" {
	printf 'Lead ID,First Name\n1,Ann\n' | lead-import -q --source crm --key "Lead ID"
	run lead-log 1 note --note "asked about the SSO add-on"
	assert_failure 1
	assert_output --partial "more than one lead"
	run lead-log crm:1 note --note "asked about the SSO add-on"
	assert_success
}

@test "an event file names its leads by a CRM id column" {
	crm_leads
	printf 'Lead ID,Activity Date,Type\n00Q1,2026-11-20T10:00:00Z,page_visit\n00Q2,2026-11-20T11:00:00Z,download\n' > ev.csv
	run lead-log ev.csv
	assert_success
	assert_output --partial "2 read, 2 logged"
}

@test "a closed-deal export keyed by the CRM id moves those leads to won" {
	crm_leads
	printf 'Lead ID,Close Date,Type,Amount\n00Q1,2026-11-20,won,45000\n00Q2,2026-11-21,won,12000\n' > deals.csv
	lead-log -q deals.csv
	[ "$(sql "select group_concat(stage, ' ') from lead l join lead_key k on k.lead_id = l.id")" = "won won" ]
	[ "$(sql "select count(*) from stage_history where to_stage = 'opportunity'")" = 2 ]
}

@test "a stage word the lifecycle refuses in an event file keeps the touch and says so" {
	lead-log bob@acme.com lost --reason "chose a competitor"
	printf 'email,ts,kind,amount\nbob@acme.com,2026-11-21,won,100\n' > deals.csv
	run lead-log deals.csv
	assert_success
	assert_output --partial "the stage stays"
	[ "$(sql "select stage from lead where email = 'bob@acme.com'")" = lost ]
	[ "$(sql "select count(*) from activity where kind = 'won'")" = 1 ]
}

@test "won as a kind moves the stage" {
	lead-log bob@acme.com won --amount 45000
	[ "$(sql "select stage from lead where email = 'bob@acme.com'")" = won ]
}

@test "a blank note does not satisfy the protocol" {
	run lead-log bob@acme.com note --note "                    "
	assert_failure 2
	assert_output --partial "needs --note"
}

@test "a punctuation-only outcome does not satisfy the protocol" {
	run lead-log bob@acme.com call --outcome "--" --note "talked through the renewal terms"
	assert_failure 2
	assert_output --partial "needs --outcome"
}

@test "a note of typographic dashes, ellipses or emoji does not satisfy the protocol" {
	run lead-log bob@acme.com note --note "— … 👍"
	assert_failure 2
	assert_output --partial "needs --note"
}

@test "a note in another script satisfies the protocol" {
	run lead-log bob@acme.com note --note "予算は来期に確定するとのこと、再連絡"
	assert_success
}

@test "an invalid email for one touch is a usage error, before the protocol" {
	run lead-log bob@ call
	assert_failure 2
	assert_output --partial "invalid email 'bob@'"
	run lead-log may-contact bob@
	assert_failure 2
}

@test "todo --by a rep not on the team is a usage error that logs nothing to speak of" {
	team
	run lead-log todo --by zed
	assert_failure 2
	refute_output --partial "nothing logged"
}

@test "an unknown kind typed by a rep is refused with a suggestion" {
	run lead-log bob@acme.com cal --outcome connected --note "talked through the renewal terms"
	assert_failure 2
	assert_output --partial "did you mean 'call'"
	[ "$(sql "select count(*) from activity")" = 0 ]
}

@test "--by takes the start of a rep's name, and stores the rep's name" {
	team
	lead-log bob@acme.com note --note "read the file before the call" --by carol
	[ "$(sql "select actor from activity")" = "Carol Ng" ]
}

@test "--by naming no rep is an error with a suggestion" {
	team
	run lead-log bob@acme.com note --note "read the file before the call" --by alcie
	assert_failure 2
	assert_output --partial "did you mean 'alice'"
	[ "$(sql "select count(*) from activity")" = 0 ]
}

@test "--by that could be two reps is an error naming both" {
	team
	run lead-log bob@acme.com note --note "read the file before the call" --by car
	assert_failure 2
	assert_output --partial "Carol Ng, Carlos Diaz"
}

@test "a rep named by the start of her name stops her SLA clock" {
	team
	sql "insert into assignment (lead_id, rep_id, at, due) select l.id, r.id, '2026-11-21T09:00:00Z', '2026-11-22T09:00:00Z' from lead l, rep r where l.email = 'bob@acme.com' and r.name = 'Carol Ng'"
	lead-log bob@acme.com call --outcome connected --note "booked the demo for Thursday" --by carol
	[ "$(sql "select first_touch_at from assignment")" = "2026-11-22T09:30:00Z" ]
}

@test "a negative amount is refused" {
	run lead-log bob@acme.com quote --amount -12000
	assert_failure 2
	assert_output --partial "negative"
}

@test "a negative amount in an event file rejects that record" {
	printf 'email,ts,kind,amount\nbob@acme.com,2026-11-21,quote,-5\n' > ev.csv
	run lead-log ev.csv
	assert_failure 1
	assert_output --partial "negative"
}

@test "a touch far in the future warns" {
	run lead-log bob@acme.com note --note "asked about the SSO add-on" --at 2027-11-22
	assert_success
	assert_output --partial "in the future"
}

@test "todo lists a promised next step until a later touch by a rep keeps it" {
	lead-log bob@acme.com call --outcome connected --note "wants a quote for 50 seats" --next "send quote" --due 2d --by alice
	run lead-log todo
	assert_success
	assert_output --partial "send quote"
	LEAD_NOW=2026-11-23T09:00:00Z lead-log bob@acme.com email_sent --content "quote-50.pdf" --by alice
	run lead-log todo --no-header
	refute_output --partial "send quote"
}

@test "a list import's touch does not keep a rep's promise" {
	lead-log -q bob@acme.com call --outcome connected --note "wants a quote for 50 seats" --next "send quote" --due 2d --by alice
	printf 'Email\nbob@acme.com\n' > webinar.csv
	LEAD_NOW=2026-11-23T09:00:00Z lead-import -q --source webinar --campaign w1 webinar.csv
	run lead-log todo --no-header
	assert_output --partial "send quote"
}

@test "an event file's id column names leadkit's own lead" {
	id=$(sql "select id from lead where email = 'bob@acme.com'")
	printf 'id,ts,kind\n%s,2026-11-20T10:00:00Z,page_visit\n' "$id" > ev.csv
	run lead-log ev.csv
	assert_success
	[ "$(sql "select count(*) from activity a join lead l on l.id = a.lead_id where l.email = 'bob@acme.com' and a.kind = 'page_visit'")" = 1 ]
}

@test "todo says how late a promise is, and --by lists one rep's" {
	lead-log bob@acme.com call --outcome connected --note "wants a quote for 50 seats" --next "send quote" --due 1d --by alice
	LEAD_NOW=2026-11-25T09:30:00Z run lead-log todo --by alice --no-header
	assert_output --partial "2d 0h"
	LEAD_NOW=2026-11-25T09:30:00Z run lead-log todo --by someone --no-header
	refute_output --partial "send quote"
}

@test "an event file's CRM id is never taken for a leadkit id" {
	[ "$(sql "select count(*) from lead where id = 2")" = 1 ]
	printf 'Contact ID,Activity Date,Type\n2,2026-11-20T10:00:00Z,page_visit\n' > ev.csv
	run lead-log ev.csv
	assert_failure 1
	assert_output --partial "no lead with the key '2'"
	[ "$(sql "select count(*) from activity")" = 0 ]
}

@test "todo --by names the rep in its summary" {
	team
	lead-log -q bob@acme.com call --outcome connected --note "wants a quote for 50 seats" --next "send quote" --due 1d --by carol
	run lead-log todo --by carol --no-header
	assert_output --partial "1 promise owed by Carol Ng, 0 past due"
}

@test "an email column value without an @ is an invalid email, not an id" {
	printf 'email,ts,kind\n1,2026-11-20T10:00:00Z,page_visit\n' > ev.csv
	run lead-log ev.csv
	assert_failure 1
	assert_output --partial "invalid email '1'"
}

@test "a stage word for the stage the lead is at says so" {
	lead-log -q bob@acme.com won --amount 100
	run lead-log bob@acme.com won --amount 100 --at 2026-11-21
	assert_success
	assert_output --partial "the lead is at that stage already"
}
