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
