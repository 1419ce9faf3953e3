#!/usr/bin/env bats
# lead-handoff and the lifecycle: only sales-ready leads are routed, a
# rejected lead does not silently return to its rejecter, no account is
# locked away by an absent rep, escalation finds someone who can work
# the lead, leads without email are first-class, promises are visible.

load helpers/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export LEAD_DB=$BATS_TEST_TMPDIR/leads.db LEAD_NOW=2026-11-22T09:30:00Z
	lead-import -q "$FIX/handoff-leads.csv"
	sql "update lead set stage = 'mql', score = 100 - id, grade = 'A'"
}

owner() {
	sql "select r.name from lead l join rep r on r.id = l.owner_id where l.email = '$1'"
}

# team LINE...: a reps file of these rows (name,email,territory,capacity,available,manager).
team() {
	{ echo "name,email,territory,capacity,available,manager"; printf '%s\n' "$@"; } > team.csv
	lead-handoff -q reps team.csv
}

@test "a keyed list from lead-import -p pipes into assign" {
	team "alice,alice@s.example,,,yes,"
	printf 'Lead ID,First Name,Company\n00Q1,Ann,Initech\n' > crm.csv
	lead-import -q --source crm --key "Lead ID" -p crm.csv > list.tsv
	sql "update lead set stage = 'mql' where email is null"
	run lead-handoff assign - < list.tsv
	assert_success
	assert_output --regexp "alice	alice@s.example	[^	]*	id:8	Ann"
	[ "$(sql "select count(*) from lead where email is null and owner_id is not null")" = 1 ]
}

@test "assign from a list hands over only sales-ready leads and says why it skips the rest" {
	team "alice,alice@s.example,,,yes,"
	sql "update lead set stage = 'nurture' where email = 'a2@acme.com'"
	printf 'a1@acme.com\na2@acme.com\n' > list.txt
	run lead-handoff assign list.txt
	assert_success
	assert_output --partial "a2@acme.com: nurture, not sales-ready: skipped"
	[ "$(owner a1@acme.com)" = alice ]
	[ -z "$(owner a2@acme.com)" ]
}

@test "a rejected lead handed again goes to another rep, and the sheet says who rejected it and why" {
	team "alice,alice@s.example,,,yes," "bob,bob@s.example,,,yes,"
	echo e1@umbrella.jp | lead-handoff -q assign --to alice - > /dev/null
	lead-handoff -q reject e1@umbrella.jp --reason "student, no budget"
	sql "update lead set stage = 'mql' where email = 'e1@umbrella.jp'"
	echo e1@umbrella.jp > l.txt
	run lead-handoff assign l.txt
	assert_success
	[ "$(owner e1@umbrella.jp)" = bob ]
	assert_output --regexp "rejected 2026-11-22 by alice: student, no budget"
}

@test "a rejected lead goes back to its rejecter only when nobody else can take it, saying so" {
	team "alice,alice@s.example,,,yes,"
	echo e1@umbrella.jp | lead-handoff -q assign --to alice - > /dev/null
	lead-handoff -q reject e1@umbrella.jp --reason "student, no budget"
	sql "update lead set stage = 'mql' where email = 'e1@umbrella.jp'"
	echo e1@umbrella.jp > l.txt
	run lead-handoff assign l.txt
	[ "$(owner e1@umbrella.jp)" = alice ]
	assert_output --partial "back to alice, who rejected it"
}

@test "a lead rejected by one rep and later nurtured by another does not go back to the rejecter" {
	team "alice,alice@s.example,,,yes," "bob,bob@s.example,,,yes," "cat,cat@s.example,,,yes,"
	echo e1@umbrella.jp | lead-handoff -q assign --to alice - > /dev/null
	lead-handoff -q reject e1@umbrella.jp --reason "student, no budget"
	sql "update lead set stage = 'mql' where email = 'e1@umbrella.jp'"
	export LEAD_NOW=2026-11-25T10:00:00Z
	echo e1@umbrella.jp | lead-handoff -q assign --to cat - > /dev/null
	lead-log -q e1@umbrella.jp nurture --by cat --note "no project until Q3, call back then"
	export LEAD_NOW=2026-11-30T10:00:00Z
	sql "update lead set stage = 'mql' where email = 'e1@umbrella.jp'"
	sql "update rep set available = 0 where name = 'bob'"
	echo e1@umbrella.jp > l.txt
	run lead-handoff assign l.txt
	assert_success
	[ "$(owner e1@umbrella.jp)" = cat ]
	assert_output --partial "nurtured 2026-11-25 by cat: no project until Q3"
	assert_output --partial "rejected 2026-11-22 by alice: student, no budget"
}

@test "escalation skips an unavailable manager and goes up the chain" {
	team "alice,alice@s.example,,,yes,mia" "mia,mia@s.example,,,no,max" "max,max@s.example,,,yes,"
	echo a1@acme.com | lead-handoff -q assign --to alice - > /dev/null
	run lead-handoff escalate --now 2026-11-24T00:00:00Z
	assert_success
	[ "$(owner a1@acme.com)" = max ]
}

@test "escalation with no available manager leaves the lead and says why" {
	team "alice,alice@s.example,,,yes,mia" "mia,mia@s.example,,,no," "bob,bob@s.example,,,yes,"
	echo a1@acme.com | lead-handoff -q assign --to alice - > /dev/null
	run lead-handoff escalate --now 2026-11-24T00:00:00Z
	assert_success
	assert_output --partial "stays: no manager up the chain can take it: mia (not available)"
	[ "$(owner a1@acme.com)" = alice ]
}

@test "an unavailable owner's account routes like an unowned one, and the sheet says whose it was" {
	team "mia,mia@s.example,,,yes," "bob,bob@s.example,,,yes,"
	echo a1@acme.com | lead-handoff -q assign --to mia - > /dev/null
	team "mia,mia@s.example,,,no," "bob,bob@s.example,,,yes,"
	echo a2@acme.com > l.txt
	run lead-handoff assign l.txt
	assert_success
	[ "$(owner a2@acme.com)" = bob ]
	assert_output --partial "account of mia (not available)"
}

@test "a removed rep's account routes like an unowned one" {
	team "mia,mia@s.example,,,yes," "bob,bob@s.example,,,yes,"
	echo a1@acme.com | lead-handoff -q assign --to mia - > /dev/null
	team "bob,bob@s.example,,,yes,"
	echo a2@acme.com > l.txt
	run lead-handoff assign l.txt
	[ "$(owner a2@acme.com)" = bob ]
	assert_output --partial "account of mia (no longer on the team)"
}

@test "escalating one lead of an account says the account is split" {
	team "alice,alice@s.example,,,yes,mia" "mia,mia@s.example,,,yes,"
	printf 'a1@acme.com\na2@acme.com\n' | lead-handoff -q assign --to alice - > /dev/null
	lead-log -q a2@acme.com call --outcome connected --note "walked through the proposal" --by alice
	run lead-handoff escalate --now 2026-11-24T00:00:00Z
	assert_output --partial "the acme.com account is now split: mia has this lead, alice keeps 1"
}

@test "accept and reject take a lead's id or source key" {
	team "alice,alice@s.example,,,yes,"
	printf 'Lead ID,First Name\n00Q9,Zed\n' | lead-import -q --source crm --key "Lead ID"
	id=$(sql "select lead_id from lead_key where key = '00Q9'")
	sql "update lead set stage = 'mql' where id = $id"
	echo "id:$id" | lead-handoff -q assign --to alice - > /dev/null
	lead-handoff -q accept 00Q9 --by alice
	[ "$(sql "select stage from lead where id = $id")" = sal ]
	lead-handoff -q reject "crm:00Q9" --by alice --reason "wrong region"
	[ "$(sql "select stage from lead where id = $id")" = nurture ]
}

@test "--by takes the start of a rep's name" {
	team "Carol Ng,carol@s.example,,,yes,"
	echo a1@acme.com | lead-handoff -q assign --to carol - > /dev/null
	lead-handoff -q accept a1@acme.com --by car
	[ "$(sql "select stage from lead where email = 'a1@acme.com'")" = sal ]
}

@test "overdue lists a promised next step past its due time" {
	lead-log -q a1@acme.com call --outcome connected --note "wants a quote for 50 seats" --next "send quote" --due 1d --by alice
	run lead-handoff overdue --now 2026-11-25T00:00:00Z
	assert_success
	assert_output --partial "alice	a1@acme.com	2026-11-22T09:30:00Z	2026-11-23T09:30:00Z"
	assert_output --partial "promised: send quote"
}

@test "the sheet shows a lead's open promises" {
	team "alice,alice@s.example,,,yes,"
	lead-log -q a1@acme.com call --outcome connected --note "wants a quote for 50 seats" --next "send quote" --due 2026-11-30
	run lead-handoff assign
	assert_output --partial "send quote (due 2026-11-30)"
}

@test "an email-only opt-out is handed to a rep, flagged on the sheet" {
	team "alice,alice@s.example,,,yes,"
	printf 'Email\na1@acme.com\n' | lead-import -q --suppress=email
	run lead-handoff assign
	assert_success
	assert_output --partial "a1@acme.com: do-not-contact (email), handed to alice; the sheet says so"
	[ "$(owner a1@acme.com)" = alice ]
}

@test "a keyed lead's hand-off stops being overdue when its owner logs a touch by its key" {
	team "alice,alice@s.example,,,yes,"
	printf 'Lead ID,First Name\n00Q9,Zed\n' | lead-import -q --source crm --key "Lead ID"
	id=$(sql "select lead_id from lead_key where key = '00Q9'")
	echo "id:$id" | lead-handoff -q assign --to alice - > /dev/null
	run lead-handoff overdue --now 2026-11-24T00:00:00Z
	assert_output --partial "id:$id"
	LEAD_NOW=2026-11-23T00:00:00Z lead-log -q 00Q9 call --outcome connected --note "qualified the budget and the timeline" --by alice
	run lead-handoff overdue --now 2026-11-24T00:00:00Z --no-header
	assert_output ""
}

@test "a lead the rules demoted is not held back as if sales had sent it back" {
	team "alice,alice@s.example,,,yes,"
	printf 'fit +10 country = Japan\nmql fit >= 10\n' > r.txt
	lead-score -q -r r.txt > /dev/null
	printf 'fit +5 country = Japan\nmql fit >= 10\n' > r2.txt
	lead-score -q --demote -r r2.txt > /dev/null
	[ "$(sql "select stage from lead where email = 'e1@umbrella.jp'")" = nurture ]
	lead-score -q -r r.txt > /dev/null
	[ "$(sql "select stage from lead where email = 'e1@umbrella.jp'")" = mql ]
}

@test "reassign hands over a lead who opted out of email only, as assign does" {
	team "alice,alice@s.example,,,yes," "bob,bob@s.example,,,yes,"
	echo a1@acme.com | lead-handoff -q assign --to alice - > /dev/null
	sql "update lead set dnc_email = 1 where email = 'a1@acme.com'"
	lead-handoff -q reassign a1@acme.com --to bob
	[ "$(owner a1@acme.com)" = bob ]
}
