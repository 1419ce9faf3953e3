#!/usr/bin/env bats
# lead-import's part of the one lifecycle (lead.7, LIFECYCLE): opt-outs
# that hold however a lead comes to exist, suppression lists that say
# which channel they stop, leads named by email, id or key, and the
# smaller seams (dry runs, unchanged data, failed lists, future times).

load helpers/common

# crm_lead: lead 1, known only by its CRM key 00Q1 (no email).
crm_lead() {
	printf 'Lead ID,Last Name,Phone\n00Q1,Ode,+1 555 0100\n' > crm.csv
	lead-import -q --source crm --key "Lead ID" crm.csv
}

# crm_email: a later CRM export that gives 00Q1 the address x@acme.example.
crm_email() {
	printf 'Lead ID,Email\n00Q1,x@acme.example\n' > crm2.csv
	lead-import -q --source crm --key "Lead ID" crm2.csv
}

dnc() {
	sql "select dnc_email || '|' || dnc_phone from lead where id = ${1:-1}"
}

# ------------------------------------------------------------ opt-outs

@test "a lead known only by its key is flagged when a later export gives it a suppressed address" {
	crm_lead
	printf 'Email\nx@acme.example\n' | lead-import -q --suppress --source optouts
	crm_email
	[ "$(dnc)" = "1|0" ]
	[ "$(sql "select dnc_reason from lead where id = 1")" = optouts ]
}

@test "undoing the export that gave a keyed lead a suppressed address takes its flag back with the address" {
	crm_lead
	printf 'Email\nx@acme.example\n' | lead-import -q --suppress
	crm_email
	[ "$(dnc)" = "1|0" ]
	lead-import -q --undo 3
	[ "$(sql "select quote(email), dnc_email, quote(dnc_reason) from lead where id = 1")" = "NULL|0|NULL" ]
}

@test "a forgotten person's opt-out flags a keyed lead that later gets the address" {
	printf 'Email\nx@acme.example\n' | lead-import -q
	printf 'Unsubscribed\nx@acme.example\n' | lead-import -q --suppress=all --map email=Unsubscribed
	lead-import -q --forget x@acme.example
	crm_lead
	crm_email
	[ "$(sql "select dnc_email || '|' || dnc_phone from lead where email = 'x@acme.example'")" = "1|1" ]
}

# --------------------------------------------------- suppression channels

@test "an unsubscribe list stops email, not calls, by default" {
	printf 'Email,Phone\nx@acme.example,+1 555 0100\n' | lead-import -q
	printf 'Email\nx@acme.example\n' | lead-import -q --suppress
	[ "$(dnc)" = "1|0" ]
	[ "$(sql "select channel from suppression")" = email ]
}

@test "--channel phone makes a do-not-call list" {
	printf 'Email\nx@acme.example\n' | lead-import -q
	printf 'E-mail\nx@acme.example\n' | lead-import -q --suppress --channel phone
	[ "$(dnc)" = "0|1" ]
}

@test "an address on an email list and on a phone list is stopped on every channel" {
	printf 'Email\nx@acme.example\n' | lead-import -q --suppress --channel email
	printf 'E-mail\nx@acme.example\n' | lead-import -q --suppress --channel phone
	printf 'Email Address\nx@acme.example\n' | lead-import -q
	[ "$(sql "select channel from suppression")" = all ]
	[ "$(dnc)" = "1|1" ]
}

@test "the same opt-out file for another channel is not skipped as a repeat" {
	printf 'Email\nx@acme.example\n' | lead-import -q
	printf 'Email\nx@acme.example\n' > optout.csv
	lead-import -q --suppress --channel email optout.csv
	run lead-import --suppress --channel phone optout.csv
	assert_success
	refute_output --partial "same content"
	[ "$(dnc)" = "1|1" ]
}

@test "a piped opt-out list with the bytes of an earlier lead list still opts the lead out" {
	printf 'Email\nx@acme.example\n' | lead-import -q
	printf 'Email\nx@acme.example\n' | lead-import -q --suppress
	[ "$(dnc)" = "1|0" ]
}

@test "the same opt-out file for the same channel is a repeat" {
	printf 'Email\nx@acme.example\n' > optout.csv
	lead-import -q --suppress --channel phone optout.csv
	run lead-import --suppress --channel phone optout.csv
	assert_success
	assert_output --partial "same content was imported as batch 1"
}

@test "--channel without --suppress is a usage error" {
	run lead-import --channel phone "$FIX/bom-crlf.csv"
	assert_failure 2
	assert_output --partial "--channel goes with --suppress"
}

@test "the summary of a suppression list names the channel it stops" {
	lead-import -q "$FIX/bom-crlf.csv"
	run lead-import --suppress --channel phone "$FIX/suppress.csv"
	assert_success
	assert_output --partial "1 flagged do-not-contact by phone, 0 already flagged, 1 not yet leads"
}

@test "-p of a suppression list says the channels each lead is now blocked on" {
	lead-import -q "$FIX/bom-crlf.csv"
	lead-import -q --suppress --channel phone "$FIX/suppress.csv"
	printf 'Email\nbob@acme.com\n' > unsub.csv
	run lead-import -q -p --suppress unsub.csv
	assert_success
	assert_output "$(printf 'id\temail\tstatus\tdnc\n1\tbob@acme.com\tsuppressed\temail, phone')"
}

# --------------------------------------------------------------- forget

@test "--forget erases a lead known only by its source key" {
	crm_lead
	run lead-import --forget 00Q1
	assert_success
	assert_output --partial "1 erased"
	[ "$(sql "select quote(last_name), quote(phone), case when forgotten_at is not null then 1 else 0 end from lead")" = "NULL|NULL|1" ]
	[ "$(sql "select count(*) from lead_key")" = 0 ]
}

@test "--forget erases a lead named by its leadkit id" {
	lead-import -q "$FIX/bom-crlf.csv"
	run lead-import --forget id:2
	assert_success
	[ "$(sql "select quote(email) from lead where id = 2")" = NULL ]
	[ "$(sql "select count(*) from lead where email is not null")" = 2 ]
}

@test "--forget - erases the leads of a lead-import -p list, keyed ones too" {
	lead-import -q -p --source crm --key "Prospect ID" "$FIX/crm-keyed.csv" > list.tsv
	run lead-import --forget - < list.tsv
	assert_success
	assert_output --partial "3 erased, 0 forgotten before, 0 not found"
	[ "$(sql "select count(*) from lead where forgotten_at is null")" = 0 ]
}

@test "--forget of a lead forgotten before says so and does not call it erased" {
	lead-import -q "$FIX/bom-crlf.csv"
	lead-import -q --forget bob@acme.com
	run lead-import --forget 1
	assert_success
	assert_output --partial "lead 1 was forgotten before; nothing to erase"
	assert_output --partial "0 erased, 1 forgotten before, 0 not found"
}

@test "a dry run of --forget counts the leads to erase and erases none" {
	lead-import -q "$FIX/bom-crlf.csv"
	run lead-import -n --forget bob@acme.com
	assert_success
	assert_output --partial "1 to erase, 0 forgotten before, 0 not found (dry run: nothing changed)"
	[ "$(sql "select count(*) from lead where forgotten_at is not null")" = 0 ]
}

# ----------------------------------------------------------- dry runs

@test "a dry run into a database that does not exist leaves no file behind" {
	mkdir tmp
	run env TMPDIR="$PWD/tmp" lead-import -n -p "$FIX/bom-crlf.csv"
	assert_success
	assert_output --partial "3 read, 3 new"
	assert_output --partial "1	bob@acme.com	new"
	[ ! -e leads.db ]
	[ ! -e leads.db-wal ]
	[ ! -e leads.db-shm ]
	[ -z "$(ls -A tmp)" ]
}

# ---------------------------------------------------- re-imports and merges

@test "re-importing a lead's attributes in another order leaves it unchanged" {
	printf 'email,a,b\nz@acme.example,1,2\n' > ab.csv
	printf 'email,b,c\nz@acme.example,2,3\n' > bc.csv
	lead-import -q ab.csv bc.csv
	run lead-import --force ab.csv
	assert_success
	assert_output --partial "1 read, 0 new, 0 updated, 1 unchanged"
}

@test "a list whose every record was rejected is imported again once the options are right" {
	printf 'Lead ID,Email,Name\n00Q1,,Ann Lee\n00Q2,,Ben Ode\n' > crm.csv
	run lead-import --source crm crm.csv
	assert_failure 1
	assert_output --partial "2 rejected"
	run lead-import --source crm --key "Lead ID" crm.csv
	assert_success
	assert_output --partial "2 read, 2 new"
}

@test "a CRM export's own lead source and create date are kept as attributes of a known lead" {
	printf 'Email\nwin@acme.example\n' | lead-import -q --source webinar --campaign W
	printf 'Email,Lead Source,Create Date\nwin@acme.example,Trade Show,2026-02-10\n' > crm.csv
	lead-import -q --source crm crm.csv
	[ "$(sql "select source, campaign, created_at from lead")" = "webinar|W|2026-11-22T09:30:00Z" ]
	[ "$(sql "select attrs ->> 'lead_source', attrs ->> 'create_date' from lead")" = "Trade Show|2026-02-10T00:00:00Z" ]
}

# --------------------------------------------------------- future times

@test "touch times far in the future are kept, with one warning for their column" {
	printf 'Email,Join Time\na@acme.example,2027-11-22 09:00\nb@acme.example,2027-11-22 10:00\nc@acme.example,2026-11-22 10:00\n' > j.csv
	run lead-import --activity webinar_attended --at-column "Join Time" j.csv
	assert_success
	assert_output --partial "j.csv: 2 times in 'Join Time' are more than a day in the future; kept as given"
	[ "$(sql "select count(*) from activity where ts like '2027-%'")" = 2 ]
}

@test "a created time far in the future is warned about" {
	printf 'Email,Created\na@acme.example,2029-01-01\n' > c.csv
	run lead-import c.csv
	assert_success
	assert_output --partial "c.csv: 1 time in 'Created' is more than a day in the future"
	[ "$(sql "select created_at from lead")" = "2029-01-01T00:00:00Z" ]
}

@test "-v names the file and line of each time far in the future" {
	printf 'Email,Created\na@acme.example,2026-11-22\nb@acme.example,2029-01-01\n' > c.csv
	run lead-import -v c.csv
	assert_output --partial "c.csv:3: time '2029-01-01' in 'Created' is more than a day in the future; kept"
	refute_output --partial "c.csv:2: time"
}

@test "opening a database of schema 4 gives back the first touch's created_at a later list moved" {
	sqlite_only "a migration from an older SQLite schema"
	printf 'email\nann@acme.example\n' | lead-import -q --source webinar
	id=$(sql "select id from lead where email = 'ann@acme.example'")
	sql "drop table meta; drop view promise; drop index activity_promise; drop index lead_key_key; alter table activity drop column missing; pragma user_version = 4;
	     update lead set created_at = '2026-02-01T00:00:00Z' where id = $id;
	     insert into batch_lead (batch_id, lead_id, action, before, after) values (2, $id, 'updated', '{\"created_at\":\"2026-11-22T09:30:00Z\"}', '{\"created_at\":\"2026-02-01T00:00:00Z\"}')"
	lead-report leads > /dev/null
	[ "$(sql "pragma user_version")" = 7 ]
	[ "$(sql "select created_at from lead where id = $id")" = 2026-11-22T09:30:00Z ]
}
