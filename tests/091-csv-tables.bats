#!/usr/bin/env bats
# The reader finds the table of a report below its title lines, summary
# blocks and section headings, and stops at its footer (lead-csv(5),
# "Finding the table").  `lktest table` prints the header's line, the
# section, the names, then the records as `lktest csv` does.

load helpers/common

@test "a title line above the header is passed over and named as the section" {
	run lktest table "$FIX/hubspot-report-title.csv"
	assert_success
	assert_line --index 0 "header 2"
	assert_line --index 1 "section Contacts created this month"
	assert_line --index 2 --partial "names	Record ID	First Name	Last Name	Email"
	assert_line --index 3 --partial "3	[101]	[Bob]"
}

@test "records below a found table keep their physical line numbers" {
	run lktest table "$FIX/webinar-preamble.csv"
	assert_success
	assert_line --index 0 "header 4"
	assert_line --index 1 "section Webinar Attendee Report"
	assert_line --index 3 --partial "5	[bob@acme.com]"
	assert_line --index 4 --partial "6	[alice@beta.io]"
}

@test "a Zoom report read for an email column takes Attendee Details and stops at its end" {
	run lktest table --want Email "$FIX/zoom-webinar-attendees.csv"
	assert_success
	assert_line --index 0 "header 9"
	assert_line --index 1 "section Attendee Details"
	assert_line --index 3 --partial "[priya.raman@brightlane.example]"
	assert_line --index 5 --partial "[hannah.cole@fernhill.example]"
	[ "${#lines[@]}" -eq 6 ]
	refute_output --partial "dev.patel"
}

@test "-v says where the table starts and how many lines after it are not data" {
	run lktest table -v --want Email "$FIX/zoom-webinar-attendees.csv"
	assert_success
	assert_output --partial "the table starts at line 9 (Attendee Details)"
	assert_output --partial "the table ends at line 14, a heading: 3 lines from there on are not data"
}

@test "without a want, the first table followed by data is read" {
	run lktest table "$FIX/zoom-webinar-attendees.csv"
	assert_success
	assert_line --index 0 "header 3"
	assert_line --index 2 --partial "names	Topic	Webinar ID"
	[ "${#lines[@]}" -eq 4 ]
}

@test "a Teams attendance report in UTF-16 with tabs is read at 2. Participants" {
	run lktest table --want Email "$FIX/teams-meeting-attendance.csv"
	assert_success
	assert_line --index 0 "header 10"
	assert_line --index 1 "section 2. Participants"
	assert_line --index 2 "names	Name	First Join	Last Leave	In-Meeting Duration	Email	Participant ID (UPN)	Role"
	assert_line --index 3 --partial "11	[Grace Lee]	[11/18/26, 9:55:02 AM]"
	assert_line --index 5 --partial "13	[Tom Whitaker]"
	[ "${#lines[@]}" -eq 6 ]
}

@test "a Salesforce report's title and filter lines are passed over and Grand Totals ends it" {
	run lktest table "$FIX/salesforce-report.csv"
	assert_success
	assert_line --index 0 "header 5"
	assert_line --index 1 "section Open Leads by Source"
	assert_line --index 3 --partial "6	[Jane Rep]	[Bob]"
	assert_line --index 5 --partial "8	[Raj Rep]	[Carol]"
	[ "${#lines[@]}" -eq 6 ]
}

@test "a footer below a table on line 1 ends it too" {
	printf 'Email,Company,Amount\nbob@acme.com,Acme,100\nann@beta.io,Beta,200\nTotal,,300\n' > t.csv
	run lktest table t.csv
	assert_success
	assert_line --index 0 "header 1"
	assert_line --index 1 "section -"
	[ "${#lines[@]}" -eq 5 ]
	refute_output --partial "[Total]"
}

@test "a total that names a company is data, not a footer" {
	printf 'Company,Email\nTotal Wine,orders@totalwine.example\nTotal,buyer@total.example\n' > t.csv
	run lktest table t.csv
	assert_success
	assert_line --index 3 --partial "2	[Total Wine]"
	assert_line --index 4 --partial "3	[Total]"
}

@test "a plain file is read from line 1 as before" {
	run lktest table "$FIX/ragged.csv"
	assert_success
	assert_output "header 1
section -
names	email	first_name	last_name
2	[bob@acme.com]	[Bob]
3	[alice@beta.io]	[Alice]	[Smith]	[]	[]
4	[carol@gamma.org]	[Carol]	[Jones]	[extra]"
}

@test "a one-column list is read from line 1" {
	printf 'email\nbob@acme.com\nann@beta.io\n' > one.csv
	run lktest table one.csv
	assert_success
	assert_line --index 0 "header 1"
	assert_line --index 3 "2	[bob@acme.com]"
}

@test "--skip takes the header where it says, and footers are data as before" {
	run lktest table --skip 4 "$FIX/salesforce-report.csv"
	assert_success
	assert_line --index 0 "header 5"
	assert_line --index 1 "section -"
	assert_output --partial "10	[Grand Totals (3 records)]"
	assert_output --partial "17	[Acme Sales Cloud]"
}

@test "--skip 1 takes line 2 as the header even where the table is further down" {
	run lktest table --skip 1 "$FIX/webinar-preamble.csv"
	assert_success
	assert_line --index 0 "header 2"
	assert_line --index 2 "names	Generated 11/20/2026"
	assert_line --index 3 "4	[Email]	[First Name]	[Join Time]"
}

@test "--no-header --columns reads every line as data, titles too" {
	run lktest table --no-header --columns a,b,c "$FIX/webinar-preamble.csv"
	assert_success
	assert_line --index 0 "header 0"
	assert_line --index 3 "1	[Webinar Attendee Report]"
}

@test "with no table in the first 2,000 lines, line 1 is the header" {
	{ seq 1 2500; printf 'email,name\nbob@acme.com,Bob\n'; } > late.csv
	run lktest table late.csv
	assert_success
	assert_line --index 0 "header 1"
	assert_line --index 2 "names	1"
	assert_output --partial "2502	[bob@acme.com]	[Bob]"
}

@test "sample reads records ahead, and next gives each of them once, in order" {
	run lktest table --sample 2 "$FIX/salesforce-report.csv"
	assert_success
	assert_line --index 3 "sample 6"
	assert_line --index 4 "sample 7"
	assert_line --index 5 --partial "6	[Jane Rep]	[Bob]"
	assert_line --index 6 --partial "7	[Jane Rep]	[Alice]"
	assert_line --index 7 --partial "8	[Raj Rep]	[Carol]"
	[ "${#lines[@]}" -eq 8 ]
}

@test "sample stops at the end of the table" {
	run lktest table --sample 100 "$FIX/salesforce-report.csv"
	assert_success
	[ "$(printf '%s\n' "${lines[@]}" | grep -c '^sample ')" -eq 3 ]
	[ "${#lines[@]}" -eq 9 ]
}

@test "a table that ends at a footer still hashes and counts every byte of the input" {
	lead-import -q - < "$FIX/salesforce-report.csv"
	[ "$(sql "select sha256 from batch")" = "$(lktest sha256 "$FIX/salesforce-report.csv")" ]
	[ "$(sql "select bytes from batch")" -eq "$(wc -c < "$FIX/salesforce-report.csv")" ]
}

@test "10,000 title lines are read without a crash or a hang" {
	{ for i in $(seq 1 10000); do echo "Quarterly report"; done
	  printf 'email,name\nbob@acme.com,Bob\n'; } > titles.csv
	run timeout 20 lktest table titles.csv
	assert_success
	assert_line --index 0 "header 1"
	assert_output --partial "10002	[bob@acme.com]	[Bob]"
}

@test "a 10 MB first line is read without a crash or a hang" {
	{ head -c 10000000 /dev/zero | tr '\0' x; printf '\nemail\nbob@acme.com\n'; } > wide.csv
	run timeout 20 lktest table wide.csv
	assert_success
	assert_line --index 0 "header 1"
	assert_output --partial "3	[bob@acme.com]"
}

@test "an input without a line end is read without a crash or a hang" {
	printf 'Report title only' > nonl.csv
	run timeout 20 lktest table nonl.csv
	assert_success
	assert_line --index 0 "header 1"
	assert_line --index 2 "names	Report title only"
}
