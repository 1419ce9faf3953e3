#!/usr/bin/env bats
# lead-import: identity, dedupe and the merge policy.

load helpers/common

@test "emails are normalised: case, spaces, no-break spaces and mailto: are one lead" {
	printf 'email\nBob@Acme.com\n\xc2\xa0bob@acme.com\xe3\x80\x80\nmailto:BOB@ACME.COM\n"Bob <bob@acme.com>"\n' > e.csv
	run lead-import e.csv
	assert_success
	assert_output --partial "4 read, 1 new, 0 updated, 0 unchanged, 3 merged"
	[ "$(sql "select email from lead")" = "bob@acme.com" ]
}

@test "duplicates inside one file merge into one lead, filling blanks from later rows" {
	run lead-import "$FIX/in-file-dups.csv"
	assert_success
	assert_output --partial "4 read, 2 new, 0 updated, 0 unchanged, 2 merged"
	[ "$(sql "select first_name, company from lead where email='bob@acme.com'")" = "Bob|Acme" ]
	[ "$(sql "select first_name, company from lead where email='alice@beta.io'")" = "Alice|Beta" ]
}

@test "a known lead's filled fields are never overwritten by default" {
	printf 'email,company,title\nbob@acme.com,Acme,\n' > a.csv
	printf 'email,company,title\nbob@acme.com,Other Co,CTO\n' > b.csv
	lead-import a.csv
	run lead-import b.csv
	assert_success
	assert_output --partial "1 read, 0 new, 1 updated"
	[ "$(sql "select company, title from lead")" = "Acme|CTO" ]
}

@test "a blank value never blanks out a stored one, even with --update" {
	printf 'email,company\nbob@acme.com,Acme\n' > a.csv
	printf 'email,company\nbob@acme.com,\n' > b.csv
	lead-import a.csv
	lead-import --update b.csv
	[ "$(sql "select company from lead")" = "Acme" ]
}

@test "--update overwrites fields with the list's non-blank values" {
	printf 'email,company\nbob@acme.com,Acme\n' > a.csv
	printf 'email,company\nbob@acme.com,Acme Corp\n' > b.csv
	lead-import a.csv
	lead-import --update b.csv
	[ "$(sql "select company from lead")" = "Acme Corp" ]
}

@test "--merge sets the policy of one field" {
	printf 'email,company,title\nbob@acme.com,Acme,CTO\n' > a.csv
	printf 'email,company,title\nbob@acme.com,Acme Corp,CEO\n' > b.csv
	lead-import a.csv
	lead-import --merge title=update b.csv
	[ "$(sql "select company, title from lead")" = "Acme|CEO" ]
}

@test "the first-touch source and campaign are never changed by a later list" {
	lead-import --source webinar --campaign W1 "$FIX/bom-crlf.csv"
	lead-import --source tradeshow --campaign T1 --update "$FIX/in-file-dups.csv"
	[ "$(sql "select source, campaign from lead where email='bob@acme.com'")" = "webinar|W1" ]
	run lead-import --merge source=update "$FIX/bom-crlf.csv"
	assert_failure 2
}

@test "a list that only repeats what is known counts as unchanged" {
	lead-import "$FIX/bom-crlf.csv"
	run lead-import --force "$FIX/bom-crlf.csv"
	assert_success
	assert_output --partial "3 read, 0 new, 0 updated, 3 unchanged"
}

@test "placeholder values such as Select, null, N/A and #N/A count as blank" {
	run lead-import "$FIX/placeholders.csv"
	assert_success
	[ "$(sql "select quote(first_name), quote(company), quote(title), quote(phone) from lead")" = "NULL|NULL|NULL|NULL" ]
}

@test "unmapped columns are kept as attributes under snake_case names" {
	printf 'Email,Time in Session (minutes),Lead Status\nbob@acme.com,42,Open\n' > x.csv
	lead-import x.csv
	[ "$(sql "select json_extract(attrs, '\$.time_in_session_minutes'), json_extract(attrs, '\$.lead_status') from lead")" = "42|Open" ]
}

@test "new attributes fill in, known attributes are kept unless --update" {
	printf 'email,status,score\nbob@acme.com,Open,1\n' > a.csv
	printf 'email,status,rating\nbob@acme.com,Closed,Hot\n' > b.csv
	lead-import a.csv
	lead-import b.csv
	[ "$(sql "select json_extract(attrs,'\$.status'), json_extract(attrs,'\$.rating') from lead")" = "Open|Hot" ]
}

@test "a full name column is split into first and last names" {
	printf 'Full Name,Email\nJOHN Q PUBLIC,j@x.example\n"Doe, Jane",jd@x.example\n' > n.csv
	lead-import n.csv
	[ "$(sql "select first_name || '/' || last_name from lead where email='j@x.example'")" = "JOHN Q/PUBLIC" ]
	[ "$(sql "select first_name || '/' || last_name from lead where email='jd@x.example'")" = "Jane/Doe" ]
}

@test "the company domain comes from the website, else a non-free-mail email" {
	printf 'email,website\nbob@acme.com,https://www.Acme-Corp.com/about\nann@gmail.com,\ncy@beta.io,\n' > d.csv
	lead-import d.csv
	[ "$(sql "select email || '=' || ifnull(domain,'-') from lead order by id" | tr '\n' ' ')" = "bob@acme.com=acme-corp.com ann@gmail.com=- cy@beta.io=beta.io " ]
}

@test "--key imports leads without email under the source system's id" {
	run lead-import --source crm --key "Prospect ID" "$FIX/crm-keyed.csv"
	assert_success
	assert_output --partial "3 read, 3 new"
	[ "$(sql "select count(*) from lead where email is null")" = 2 ]
	[ "$(sql "select k.key from lead_key k join lead l on l.id = k.lead_id where l.first_name='Ann'")" = "P-1" ]
}

@test "a lead found by its key later gets the email a newer export carries" {
	lead-import --source crm --key "Prospect ID" "$FIX/crm-keyed.csv"
	printf 'Prospect ID,Email\nP-1,ann@acme.com\n' > later.csv
	run lead-import --source crm --key "Prospect ID" later.csv
	assert_success
	assert_output --partial "0 new, 1 updated"
	[ "$(sql "select first_name from lead where email='ann@acme.com'")" = "Ann" ]
}

@test "a lead known by email is found again by its key alone" {
	lead-import --source crm --key "Prospect ID" "$FIX/crm-keyed.csv"
	printf 'Prospect ID,Title\nP-2,CTO\n' > k.csv
	lead-import --source crm --key "Prospect ID" k.csv
	[ "$(sql "select title from lead where email='ben@acme.com'")" = "CTO" ]
}

@test "a key and an email that belong to different leads reject the record" {
	lead-import --source crm --key "Prospect ID" "$FIX/crm-keyed.csv"
	printf 'email\nother@acme.com\n' | lead-import
	printf 'Prospect ID,Email\nP-2,other@acme.com\n' > clash.csv
	run lead-import --source crm --key "Prospect ID" clash.csv
	assert_failure 1
	assert_output --partial "clash.csv:2: 'P-2' belongs to lead"
}

@test "created_at is the first touch's: a later list's create date is kept as an attribute" {
	printf 'email,Create Date\nbob@acme.com,11/20/2026 9:30 AM\n' > a.csv
	printf 'email,Create Date\nbob@acme.com,2026-01-05\n' > b.csv
	lead-import a.csv
	lead-import b.csv
	[ "$(sql "select created_at from lead")" = "2026-11-20T09:30:00Z" ]
	[ "$(sql "select attrs ->> 'create_date' from lead")" = "2026-01-05T00:00:00Z" ]
}

@test "an unreadable time costs the value, not the lead: kept as an attribute and counted" {
	printf 'email,Create Date\nbob@acme.com,someday\n' > t.csv
	run lead-import t.csv
	assert_success
	assert_output --partial "t.csv: 1 value in 'Create Date' is not a time; kept as written in the attribute create_date"
	assert_output --partial "1 value kept unread"
	[ "$(sql "select attrs ->> 'create_date' from lead where email = 'bob@acme.com'")" = someday ]
	[ "$(sql "select created_at from lead where email = 'bob@acme.com'")" = 2026-11-22T09:30:00Z ]
}

@test "-v names the line of each time kept unread" {
	printf 'email,Create Date\nbob@acme.com,someday\n' > t.csv
	run lead-import -v t.csv
	assert_output --partial "t.csv:2: 'someday' in 'Create Date' is not a time"
}

@test "--strict rejects a record whose time cannot be read, naming the column" {
	printf 'email,Create Date\nbob@acme.com,someday\n' > t.csv
	run lead-import --strict t.csv
	assert_failure 1
	assert_output --partial "t.csv:2: invalid time 'someday' in 'Create Date'"
}

@test "an unreadable --at-column time keeps the lead and makes no touch" {
	printf 'email,Join Time\nbob@acme.com,--\nann@acme.com,soon\n' > t.csv
	run lead-import --activity webinar_attended --at-column "Join Time" t.csv
	assert_success
	[ "$(sql "select count(*) from lead")" = 2 ]
	[ "$(sql "select count(*) from activity")" = 0 ]
	[ "$(sql "select attrs ->> 'join_time' from lead where email = 'ann@acme.com'")" = soon ]
}

@test "--merge source=keep leaves even a blank first-touch source alone" {
	printf 'email\nbob@acme.com\n' | lead-import
	lead-import --source webinar --merge source=keep "$FIX/bom-crlf.csv"
	[ "$(sql "select quote(source) from lead where email='bob@acme.com'")" = NULL ]
}

@test "a lead unchanged by its first row but changed by a later row counts as updated" {
	printf 'email,company\nbob@acme.com,Acme\n' | lead-import
	printf 'email,title\nbob@acme.com,\nbob@acme.com,CTO\n' > dup.csv
	run lead-import dup.csv
	assert_output --partial "2 read, 0 new, 1 updated, 0 unchanged, 1 merged"
	[ "$(sql "select action from batch_lead where batch_id = 2")" = updated ]
	lead-import --undo 2
	[ "$(sql "select quote(title) from lead")" = NULL ]
}

@test "--key-system keeps the ids of two systems apart" {
	printf 'Badge ID,Full Name\n1001,Ann Lee\n' > show1.csv
	printf 'Badge ID,Full Name\n1001,Bo Chan\n' > show2.csv
	lead-import --source tradeshow --key "Badge ID" --key-system dataconf show1.csv
	lead-import --source tradeshow --key "Badge ID" --key-system salesweek show2.csv
	[ "$(sql "select count(*) from lead")" = 2 ]
	[ "$(sql "select system from lead_key order by system" | tr '\n' ' ')" = "dataconf salesweek " ]
}
