#!/usr/bin/env bats
# Hostile input: huge fields, thousands of columns, deep quoting, SQL in
# names and values.  Each is stored as data, whole, and nothing else
# changes.

load helpers/common

@test "a 10 MB field is imported whole and printed whole" {
	python3 -c "print('email,notes'); print('a@x.com,' + 'y' * 10000000)" > big.csv
	run lead-import big.csv
	assert_success
	[ "$(sql "select length(json_extract(attrs, '\$.notes')) from lead")" = 10000000 ]
	[ "$(lead-report leads --no-header --columns attr.notes | wc -c)" = 10000001 ]
}

@test "a list of 10,000 columns keeps every extra column as an attribute" {
	python3 -c "
print('email,' + ','.join('c%d' % i for i in range(1, 10000)))
print('b@x.com,' + ','.join(str(i) for i in range(1, 10000)))" > wide.csv
	run lead-import wide.csv
	assert_success
	[ "$(sql "select count(*) from lead, json_each(lead.attrs)")" = 9999 ]
	[ "$(sql "select json_extract(attrs, '\$.c9999') from lead")" = 9999 ]
}

@test "a field of 10,000 doubled quotes is read as 10,000 quotes" {
	python3 -c "print('email,title'); print('c@x.com,\"' + '\"\"' * 10000 + '\"')" > quotes.csv
	run lead-import quotes.csv
	assert_success
	[ "$(sql "select length(title), length(replace(title, '\"', '')) from lead")" = "10000|0" ]
}

@test "SQL in header names and values is stored as data and changes nothing else" {
	printf '%s\n' "email,company,\"x'); DROP TABLE lead; --\"" \
	    "\"bob@acme.com\",\"Acme'; DELETE FROM lead; --\",\"1; DROP TABLE activity\"" \
	    > sqli.csv
	run lead-import sqli.csv
	assert_success
	[ "$(sql "select count(*) from lead")" = 1 ]
	[ "$(sql "select company from lead")" = "Acme'; DELETE FROM lead; --" ]
	[ "$(sql "select count(*) from sqlite_schema where name in ('lead', 'activity')")" = 2 ]
	run lead-report leads --no-header --columns company,attr.x_drop_table_lead
	assert_success
	assert_output "Acme'; DELETE FROM lead; --	1; DROP TABLE activity"
	run lead-report leads --where "company contains 'DELETE FROM'" --columns email
	assert_line --index 1 bob@acme.com
	[ "$(sql "select count(*) from lead")" = 1 ]
}

@test "100,000 columns of one name are each kept, under names of their own" {
	python3 -c "
n = 100000
print('email,' + ','.join(['x'] * n))
print('d@x.com,' + ','.join(str(i) for i in range(n)))" > dup.csv
	run timeout 120 lead-import dup.csv
	assert_success
	[ "$(sql "select count(*) from lead, json_each(lead.attrs)")" = 100000 ]
	[ "$(sql "select json_extract(attrs, '\$.x') || ' ' || json_extract(attrs, '\$.x_2') || ' ' || json_extract(attrs, '\$.x_100000') from lead")" = "0 1 99999" ]
}

@test "a column named like a duplicate's new name still gets one of its own" {
	printf 'email,x,x_2,x,x\ne@x.com,0,1,2,3\n' > d.csv
	lead-import -q d.csv
	[ "$(sql "select attrs from lead")" = '{"x":"0","x_2":"1","x_3":"2","x_4":"3"}' ]
}

@test "a regular expression rule on a 1 MB value scores without holding the lock for minutes" {
	python3 -c "print('email,website'); print('f@x.com,' + 'ab-9' * 250000)" > long.csv
	lead-import -q long.csv
	printf 'fit +20 website matches "[a-z0-9-]+\\.io$"\nfit +5 website ~ "ab-9"\n' > rules.txt
	run timeout 120 lead-score -r rules.txt
	assert_success
	[ "$(sql "select score from lead")" = 5.0 ]
}

@test "--where with a regular expression on a 1 MB value answers at once" {
	python3 -c "print('email,website'); print('f@x.com,' + 'ab-9' * 250000)" > long.csv
	lead-import -q long.csv
	run timeout 120 lead-report leads --no-header --columns email --where 'website matches "[a-z0-9-]+\.io$"'
	assert_success
	assert_output ""
}
