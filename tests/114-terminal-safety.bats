#!/usr/bin/env bats
# What reaches a terminal, a spreadsheet or an SVG is text that shows
# what it is: file names and values in messages lose their control,
# invisible and direction-changing characters; addresses that hold them
# are invalid; option values that hold them are refused.

load helpers/common

@test "a file named with an escape sequence is named without it in messages" {
	name=$(printf 'list\033]0;pwned\007.csv')
	printf 'email\nnot-an-email\n' > "$name"
	run lead-import "$name"
	assert_failure 1
	refute_output --partial $'\033'
	refute_output --partial $'\007'
	assert_output --partial "list?]0;pwned?.csv"
}

@test "a C1 control and a right-to-left override in a quoted value are shown as ?" {
	printf 'email\nbad\xc2\x9b31m\xe2\x80\xaeuser\n' > l.csv
	run lead-import l.csv
	assert_failure 1
	refute_output --partial $'\xc2\x9b'
	refute_output --partial $'\xe2\x80\xae'
}

@test "an address with a zero-width space is invalid, so it cannot pose as another" {
	printf 'email\nbob@acme.com\nbo\xe2\x80\x8bb@acme.com\n' > l.csv
	run lead-import l.csv
	assert_failure 1
	assert_output --partial "invalid email"
	[ "$(sql "select count(*) from lead")" = 1 ]
}

@test "an address with a bidirectional override is invalid" {
	printf 'email\n\xe2\x80\xaemoc.emca@bob\n' > l.csv
	run lead-import l.csv
	assert_failure 1
	assert_output --partial "invisible or direction-changing character"
	[ "$(sql "select count(*) from lead")" = 0 ]
}

@test "an internationalised address is still valid" {
	printf 'email\njos\xc3\xa9@b\xc3\xbccher.example\n' > l.csv
	run lead-import l.csv
	assert_success
}

@test "--source with a control character is a usage error and nothing is stored" {
	printf 'email\nbob@acme.com\n' > l.csv
	run lead-import --source "$(printf 'web\033[2Jinar')" l.csv
	assert_failure 2
	assert_output --partial "--source: the value holds a control character"
	[ ! -e leads.db ]
}

@test "--note with bytes that are not UTF-8 is a usage error" {
	printf 'email\nbob@acme.com\n' | lead-import -q
	run lead-log bob@acme.com note --note "$(printf 'called about the \xff\xfe renewal')"
	assert_failure 2
	assert_output --partial "not UTF-8"
	[ "$(sql "select count(*) from activity")" = 0 ]
}

@test "a note may have several lines" {
	printf 'email\nbob@acme.com\n' | lead-import -q
	run lead-log bob@acme.com note --note "$(printf 'called about the renewal\nthey want a quote')"
	assert_success
}
