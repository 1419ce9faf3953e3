#!/usr/bin/env bats
# lead-import and real exports: values as tools write them.

load helpers/common

@test "--cost takes money as people write it" {
	printf 'email\nbob@acme.com\n' > a.csv
	lead-import -q --cost '$4,500.00' --source webinar a.csv
	[ "$(sql "select cost from batch")" = 4500.0 ]
}

@test "--cost reads a European amount with its currency" {
	printf 'email\nbob@acme.com\n' > a.csv
	lead-import -q --cost '1.234,56 €' --source webinar a.csv
	[ "$(sql "select cost from batch")" = 1234.56 ]
}

@test "--cost with a lone dot before three digits is thousands, as money has two decimals" {
	printf 'email\nbob@acme.com\n' > a.csv
	lead-import -q --cost '4.500' --source webinar a.csv
	[ "$(sql "select cost from batch")" = 4500.0 ]
}

@test "--cost that is not money is a usage error" {
	printf 'email\nbob@acme.com\n' > a.csv
	run lead-import --cost 'four grand' a.csv
	assert_failure 2
	assert_output --partial "not an amount of money"
}

@test "an updated webinar report imported again does not add the campaign's cost twice" {
	printf 'email\nbob@acme.com\n' > report.csv
	LEAD_NOW=2026-11-20T10:00:00Z lead-import -q --source webinar --campaign W --cost 4500 report.csv
	printf 'email\nbob@acme.com\nann@acme.com\n' > report.csv
	LEAD_NOW=2026-11-21T10:00:00Z lead-import -q --source webinar --campaign W --cost 4500 report.csv
	run lead-report campaigns --no-header
	assert_line --regexp "^webinar	W	2	.*	4500.00	2250.00	"
}

@test "the same campaign's cost stated on another list is paid once" {
	printf 'email\nbob@acme.com\n' > day1.csv
	printf 'email\nann@acme.com\n' > day2.csv
	lead-import -q --source webinar --campaign W --cost 4500 day1.csv
	lead-import -q --source webinar --campaign W --cost 4500 day2.csv
	run lead-report campaigns --no-header
	assert_line --regexp "^webinar	W	2	.*	4500.00	"
}

@test "source names written differently are one source" {
	printf 'email,Lead Source\na@x.example,Trade Show\nb@x.example,TRADESHOW\nc@x.example,Webinars\nd@x.example,webinar\n' > crm.csv
	lead-import -q crm.csv
	[ "$(sql "select group_concat(source, ' ') from (select source from lead order by id) t")" = "tradeshow tradeshow webinar webinar" ]
}

@test "a source spelled as an earlier list spelled it keeps that spelling" {
	printf 'email\na@x.example\n' | lead-import -q --source "Partner Portal"
	printf 'email\nb@x.example\n' | lead-import -q --source "partner-portal"
	[ "$(sql "select count(distinct source) from lead")" = 1 ]
	[ "$(sql "select distinct source from lead")" = "Partner Portal" ]
}

@test "the team's source map names vendor values, and wins" {
	printf 'paid: Google Ads | PPC\n' > sources.txt
	lead-import -q --sources=sources.txt
	printf 'email,Lead Source\na@x.example,Google Ads\nb@x.example,ppc\n' | lead-import -q
	[ "$(sql "select group_concat(source, ' ') from lead")" = "paid paid" ]
	run lead-import --sources
	assert_output --partial "paid: Google Ads | PPC"
}

@test "a source map with a bad line is refused" {
	printf 'no colon here\n' > sources.txt
	run lead-import --sources=sources.txt
	assert_failure 2
	assert_output --partial "sources.txt:1: expected"
}

@test "the hosts and panelists of a webinar report are not imported as leads" {
	printf 'Email,Role,Join Time\nhost@us.example,Host,11/18/2026 09:58 AM\np@us.example,Panelist,11/18/2026 09:59 AM\nbob@acme.com,Attendee,11/18/2026 10:02 AM\n' > zoom.csv
	run lead-import zoom.csv
	assert_success
	assert_output --partial "3 read, 1 new"
	assert_output --partial "2 hosts and panelists (not leads; --hosts imports them)"
	[ "$(sql "select email from lead")" = bob@acme.com ]
}

@test "--hosts imports a report's hosts too" {
	printf 'Email,Role\nhost@us.example,Co-host\nbob@acme.com,Attendee\n' > zoom.csv
	lead-import -q --hosts zoom.csv
	[ "$(sql "select count(*) from lead")" = 2 ]
}

@test "a webinar report that lists a person once per join makes one attendance touch with the minutes summed" {
	printf 'Email,Join Time,Leave Time,Time in Session (minutes)\nbob@acme.com,11/18/2026 10:02 AM,11/18/2026 10:20 AM,18\nbob@acme.com,11/18/2026 10:25 AM,11/18/2026 10:54 AM,29\nann@acme.com,11/18/2026 10:00 AM,11/18/2026 11:00 AM,60\n' > zoom.csv
	lead-import -q --source webinar --campaign W --activity webinar_attended --at-column "Join Time" zoom.csv
	[ "$(sql "select count(*) from activity")" = 2 ]
	[ "$(sql "select a.ts, a.note from activity a join lead l on l.id = a.lead_id where l.email = 'bob@acme.com'")" = "2026-11-18T10:02:00Z|47 min in session" ]
}

@test "an updated webinar report imported again adds no second attendance touch" {
	printf 'Email,Join Time\nbob@acme.com,11/18/2026 10:02 AM\n' > zoom.csv
	lead-import -q --source webinar --campaign W --activity webinar_attended --at-column "Join Time" zoom.csv
	printf 'Email,Join Time\nbob@acme.com,11/18/2026 10:02 AM\nann@acme.com,11/18/2026 10:05 AM\n' > zoom.csv
	lead-import -q --source webinar --campaign W --activity webinar_attended --at-column "Join Time" zoom.csv
	[ "$(sql "select count(*) from activity a join lead l on l.id = a.lead_id where l.email = 'bob@acme.com'")" = 1 ]
}

@test "a CRM export's owner column that names a rep gives the lead that owner, with an assignment that says why" {
	printf 'name,email\nAlice Smith,alice@seller.example\n' > team.csv
	printf 'email\nbob@acme.com\n' | lead-import -q
	lead-handoff -q reps team.csv
	printf 'Email,Contact owner\nbob@acme.com,Alice Smith\nann@acme.com,Someone Else\n' > crm.csv
	run lead-import crm.csv
	assert_success
	assert_output --partial "1 given to their owner"
	[ "$(sql "select r.name from lead l join rep r on r.id = l.owner_id where l.email = 'bob@acme.com'")" = "Alice Smith" ]
	[ "$(sql "select count(*) from assignment where ended_at is null and reason like 'owner in crm.csv%'")" = 1 ]
	[ "$(sql "select attrs ->> 'contact_owner' from lead where email = 'ann@acme.com'")" = "Someone Else" ]
}

@test "a CRM's lead status moves a lead forward, never back, in the stage history" {
	printf 'Email,Lead Status\nbob@acme.com,Marketing Qualified Lead\nann@acme.com,Customer\n' > crm.csv
	lead-import -q crm.csv
	[ "$(sql "select stage from lead where email = 'bob@acme.com'")" = mql ]
	[ "$(sql "select stage from lead where email = 'ann@acme.com'")" = won ]
	[ "$(sql "select actor from stage_history where to_stage = 'mql'")" = lead-import ]
	printf 'Email,Lead Status\nbob@acme.com,Lead\nann@acme.com,Subscriber\n' > crm2.csv
	lead-import -q crm2.csv
	[ "$(sql "select group_concat(stage, ' ') from (select stage from lead order by id) t")" = "mql won" ]
}
