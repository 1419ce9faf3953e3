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
