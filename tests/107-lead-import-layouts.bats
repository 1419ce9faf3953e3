#!/usr/bin/env bats
# lead-import and real exports: the table found where it is, the email
# column found by its values, and times as exports write them (the order
# of day and month decided per column, local times of a named zone).

load helpers/common

created() {
	sql "select created_at from lead where email = '$1'"
}

@test "a Zoom attendee report imports its attendees and says which section it read" {
	run lead-import --source webinar --campaign W "$FIX/zoom-webinar-attendees.csv"
	assert_success
	assert_output --partial "reading the table under 'Attendee Details'"
	[ "$(sql "select count(*) from lead")" = 3 ]
	[ "$(sql "select count(*) from lead where email like '%@leadkit.example'")" = 0 ]
}

@test "a Teams attendance report in UTF-16 imports its participants, not its organiser" {
	run lead-import --source webinar --campaign T "$FIX/teams-meeting-attendance.csv"
	assert_success
	assert_output --partial "reading the table under '2. Participants'"
	assert_output --partial "1 host or panelist (not leads"
}

@test "a Salesforce report's title lines and totals are not leads" {
	run lead-import --source crm "$FIX/salesforce-report.csv"
	assert_success
	assert_output --partial "0 rejected"
	[ "$(sql "select count(*) from lead where email is null")" = 0 ]
}

@test "a report title above a HubSpot export is passed over without --skip" {
	run lead-import --source crm "$FIX/hubspot-report-title.csv"
	assert_success
	assert_output --partial "reading the table under 'Contacts created this month'"
	assert_output --partial "0 rejected"
}

@test "lead-log finds the table of a report that has a title above it" {
	lead-import -q "$FIX/bom-crlf.csv"
	printf 'Activities this week\n\nEmail,Activity Date,Activity Type\nbob@acme.com,2026-11-20 10:00,Call\n' > acts.csv
	run lead-log acts.csv
	assert_output --partial "reading the table under 'Activities this week'"
	[ "$(sql "select count(*) from activity where kind = 'call'")" = 1 ]
}

@test "with no column named email, the column of addresses is read as the email" {
	run lead-import --source webinar "$FIX/webinar-registrants-noemail-header.csv"
	assert_success
	assert_output --partial "column 'Registrant' holds addresses and is read as the email"
	[ "$(sql "select count(*) from lead")" = 3 ]
	[ "$(sql "select count(*) from lead where email = 'dana@harborview.example'")" = 1 ]
}

@test "a column that is mostly not addresses is not taken for the email" {
	printf 'Name,Note\nAnn,ann@acme.example\nBob,call back\nCy,n/a\n' > l.csv
	run lead-import l.csv
	assert_failure 2
	assert_output --partial "no email column"
}

@test "a CRM export's created dates are read day first when one of them can only be" {
	run lead-import -v --source crm "$FIX/crm-export-dayfirst.csv"
	assert_success
	assert_output --partial "column 'Created Date': dates read day first ('28/08/2022 17:00' on line 4"
	[ "$(created anna.becker@nordlicht.example)" = 2022-04-03T09:15:00Z ]
	[ "$(created jonas.keller@alpenbau.example)" = 2022-05-07T14:02:00Z ]
}

@test "a column whose dates only read month first is read month first" {
	printf 'Email,Create Date\na@acme.example,05/07/2024 10:26\nb@acme.example,12/31/2024 08:00\n' > l.csv
	lead-import -q l.csv
	[ "$(created a@acme.example)" = 2024-05-07T10:26:00Z ]
	[ "$(created b@acme.example)" = 2024-12-31T08:00:00Z ]
}

@test "an ambiguous slashed column is read month first, and -v says it was the default" {
	printf 'Email,Create Date\na@acme.example,05/07/2024\n' > l.csv
	run lead-import -v l.csv
	assert_output --partial "month first, the default for dates written with '/'"
	[ "$(created a@acme.example)" = 2024-05-07T00:00:00Z ]
}

@test "--date-order dmy reads an ambiguous column day first" {
	printf 'Email,Create Date\na@acme.example,05/07/2024\n' > l.csv
	lead-import -q --date-order dmy l.csv
	[ "$(created a@acme.example)" = 2024-07-05T00:00:00Z ]
}

@test "--date-order takes only dmy or mdy" {
	printf 'Email\na@acme.example\n' > l.csv
	run lead-import --date-order ymd l.csv
	assert_failure 2
	assert_output --partial "--date-order: expected dmy"
}

@test "a value the column's order cannot read is kept unread, not the lead lost" {
	printf 'Email,Create Date\na@acme.example,28/08/2022\nb@acme.example,30/09/2022\nc@acme.example,08/31/2022\n' > l.csv
	run lead-import l.csv
	assert_success
	assert_output --partial "3 new"
	[ "$(created c@acme.example)" = 2026-11-22T09:30:00Z ]
	[ "$(sql "select json_extract(attrs, '$.create_date') from lead where email = 'c@acme.example'")" = 08/31/2022 ]
}

@test "a mixed column is read the way most of its dates say, and -v names one that disagrees" {
	printf 'Email,Create Date\na@acme.example,28/08/2022\nb@acme.example,30/09/2022\nc@acme.example,08/31/2022\n' > l.csv
	run lead-import -v l.csv
	assert_output --partial "day first, as most values say (2 against 1; '08/31/2022' on line 4 disagrees"
}

@test "--tz reads times without a zone as local times of that zone" {
	printf 'Email,Create Date\na@acme.example,2026-07-01 12:00\nb@acme.example,2026-01-15 12:00\n' > l.csv
	lead-import -q --tz Europe/Berlin l.csv
	[ "$(created a@acme.example)" = 2026-07-01T10:00:00Z ]
	[ "$(created b@acme.example)" = 2026-01-15T11:00:00Z ]
}

@test "LEAD_TZ does what --tz does" {
	printf 'Email,Create Date\na@acme.example,2026-07-01 12:00\n' > l.csv
	LEAD_TZ=America/New_York lead-import -q l.csv
	[ "$(created a@acme.example)" = 2026-07-01T16:00:00Z ]
}

@test "an offset in a value wins over --tz" {
	printf 'Email,Create Date\na@acme.example,2026-07-01T12:00:00+02:00\n' > l.csv
	lead-import -q --tz America/New_York l.csv
	[ "$(created a@acme.example)" = 2026-07-01T10:00:00Z ]
}

@test "an unknown --tz is a usage error before anything is read" {
	printf 'Email\na@acme.example\n' > l.csv
	run lead-import --tz Europe/Atlantis l.csv
	assert_failure 2
	assert_output --partial "--tz: no zone 'Europe/Atlantis'"
	[ ! -e leads.db ]
}

@test "an unknown LEAD_TZ is named as LEAD_TZ" {
	printf 'Email\na@acme.example\n' > l.csv
	LEAD_TZ=Nowhere/Town run lead-import l.csv
	assert_failure 2
	assert_output --partial "LEAD_TZ: no zone"
}

@test "webinar attendance times in local time of --tz become touches at the right UTC time" {
	printf 'Email,Join Time\na@acme.example,"Nov 18, 2026 09:58 AM"\n' > w.csv
	lead-import -q --source webinar --campaign W --activity webinar_attended --at-column "Join Time" --tz America/Chicago w.csv
	[ "$(sql "select ts from activity")" = 2026-11-18T15:58:00Z ]
}

@test "lead-log reads an activity export's day-first dates per column" {
	lead-import -q "$FIX/bom-crlf.csv"
	printf 'Email,Activity Date,Type,Notes\nbob@acme.com,03/04/2026 10:00,Call,talked about the renewal\nbob@acme.com,25/04/2026 11:00,Call,sent the quote as promised\n' > acts.csv
	lead-log -q acts.csv
	[ "$(sql "select group_concat(ts, ' ') from (select ts from activity where kind = 'call' order by ts) t")" = "2026-04-03T10:00:00Z 2026-04-25T11:00:00Z" ]
}

@test "lead-log reads an amount column with a decimal comma when its values say so" {
	lead-import -q "$FIX/bom-crlf.csv"
	printf 'Email;Date;Type;Amount\nbob@acme.com;01.10.2026;quote;4.500\nbob@acme.com;02.10.2026;quote;1.234,50\n' > deals.csv
	lead-log -q deals.csv
	[ "$(sql "select group_concat(amount, ' ') from (select amount from activity where kind = 'quote' order by ts) t")" = "4500.0 1234.5" ]
}
