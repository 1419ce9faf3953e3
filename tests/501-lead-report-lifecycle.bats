#!/usr/bin/env bats
# lead-report's part of the one lifecycle (lead.7): one attribution model
# (a lead's source, campaign and cohort time come from its first touch),
# no cost for lists that imported nothing, and the channels a lead is
# do-not-contact on, wherever a report lists leads.

load helpers/common

# won_webinar_lead: a webinar list in October (campaign W, cost 400), a
# CRM export that says the lead was created in February, and the deal
# won in October.
won_webinar_lead() {
	export LEAD_NOW=2026-10-15T09:30:00Z
	printf 'Email\nwin@acme.example\n' > webinar.csv
	lead-import -q --source webinar --campaign W --cost 400 webinar.csv
	printf 'Email,Create Date\nwin@acme.example,2026-02-10\n' > crm.csv
	lead-import -q --source crm crm.csv
	LEAD_NOW=2026-10-20T09:30:00Z lead-log -q win@acme.example call \
	    --outcome connected --note "signed the order form" --stage won \
	    --amount 1000
	export LEAD_NOW=2026-12-01T09:30:00Z
}

# three_leads: ann, ben and cy; ben opted out of email, cy of everything.
three_leads() {
	printf 'Email,First Name\nann@acme.example,Ann\nben@acme.example,Ben\ncy@acme.example,Cy\n' > l.csv
	lead-import -q --source webinar l.csv
	sql "update lead set dnc_email = 1 where email = 'ben@acme.example';
	    update lead set dnc_email = 1, dnc_phone = 1 where email = 'cy@acme.example';
	    update lead set dnc_phone = 1 where email = 'ann@acme.example'"
}

@test "a won webinar lead counts in the webinar's quarter however early a later CRM export says it was created" {
	won_webinar_lead
	run lead-report campaigns --campaign W --since 2026-10-01
	assert_success
	assert_line "$(printf 'webinar\tW\t1\t1\t1\t1\t1\t1\t1000.00\t400.00\t400.00\t400.00\t400.00\t150.0')"
	[ "$output" = "$(lead-report campaigns --campaign W)" ]
}

@test "the funnel of the webinar's quarter equals the all-time funnel when everything happened in it" {
	won_webinar_lead
	run lead-report funnel --source webinar --since 2026-10-01 --until 2026-12-31
	assert_success
	assert_line "$(printf 'won\t1\t100.0\t100.0')"
	[ "$output" = "$(lead-report funnel --source webinar)" ]
}

@test "campaigns counts no cost for an import whose every record was rejected" {
	printf 'Email\nann@\nben@\n' > broken.csv
	run lead-import --source webinar --campaign W --cost 500 broken.csv
	assert_failure 1
	printf 'Email\nann@acme.example\nben@acme.example\n' > fixed.csv
	lead-import -q --source webinar --campaign W --cost 500 fixed.csv
	run lead-report campaigns
	assert_success
	assert_line "$(printf 'webinar\tW\t2\t2\t0\t0\t0\t0\t0.00\t500.00\t250.00\t\t\t-100.0')"
}

@test "leads --columns dnc names the channels each lead is do-not-contact on" {
	three_leads
	printf 'Email\nnone@acme.example\n' | lead-import -q
	run lead-report leads --columns email,dnc
	assert_success
	assert_output "$(printf 'email\tdnc\nann@acme.example\tphone\nben@acme.example\temail\ncy@acme.example\temail, phone\nnone@acme.example\t')"
}

@test "leads lists the do-not-contact channels among its default columns" {
	three_leads
	run lead-report leads --json
	assert_success
	assert_line --index 1 --partial '"email":"ben@acme.example"'
	assert_line --index 1 --partial '"dnc":"email"'
}

@test "--where reads dnc as the channels a lead is blocked on" {
	three_leads
	printf 'Email\nnone@acme.example\n' | lead-import -q
	run lead-report leads --columns email --where 'dnc contains phone'
	assert_success
	assert_output "$(printf 'email\nann@acme.example\ncy@acme.example')"
}

@test "fatigue says which channels a lead at a cap is do-not-contact on" {
	three_leads
	printf 'Email,Sent\nben@acme.example,2026-11-18T09:00:00Z\nben@acme.example,2026-11-19T09:00:00Z\nben@acme.example,2026-11-20T09:00:00Z\n' > sent.csv
	lead-import -q --activity email_sent --at-column Sent sent.csv
	run lead-report fatigue --cap email=3/7d
	assert_success
	assert_output "$(printf 'email\tchannel\ttouches\tcap\tstatus\tlast_touch\tdnc\nben@acme.example\temail\t3\temail=3/7d\tat\t2026-11-20T09:00:00Z\temail')"
}

@test "rejections shows a reason as the first rejection wrote it, whatever order the rows are stored in" {
	three_leads
	printf 'name,email\nAlice,alice@seller.example\n' > team.csv
	lead-handoff -q reps team.csv
	# The rows stored newest first: the first rejection is the last row.
	sql "insert into assignment (id, lead_id, rep_id, at, rejected_at, reject_reason) select 3, id, 1, '2026-11-20T09:00:00Z', '2026-11-21T09:00:00Z', 'wrong contact' from lead where email = 'ann@acme.example';
	    insert into assignment (id, lead_id, rep_id, at, rejected_at, reject_reason) select 2, id, 1, '2026-11-20T09:00:00Z', '2026-11-21T09:00:00Z', 'wrong contact' from lead where email = 'ben@acme.example';
	    insert into assignment (id, lead_id, rep_id, at, rejected_at, reject_reason) select 1, id, 1, '2026-11-20T09:00:00Z', '2026-11-21T09:00:00Z', 'Wrong  Contact' from lead where email = 'cy@acme.example'"
	run lead-report rejections --since 2026-11-01
	assert_success
	assert_line --partial "$(printf 'Wrong  Contact\t3')"
	refute_line --partial "$(printf 'wrong contact\t')"
}
