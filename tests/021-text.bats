#!/usr/bin/env bats
# common/text.c: emails, trimming, placeholders, header keys and
# terminal-safe copies, through lktest.
load helpers/common

NBSP=$'\xc2\xa0'

@test "a valid email is accepted unchanged" {
	run lktest email bob@acme.com
	assert_success
	assert_output bob@acme.com
}

@test "an email is lower-cased" {
	run lktest email Bob.Smith@ACME.com
	assert_success
	assert_output bob.smith@acme.com
}

@test "an email loses a mailto: prefix in any case" {
	run lktest email MAILTO:bob@acme.com
	assert_success
	assert_output bob@acme.com
}

@test "an email loses the query of a mailto: link" {
	run lktest email 'mailto:bob@acme.com?subject=Hello'
	assert_output bob@acme.com
}

@test "an email in Name <addr> form keeps only the address" {
	run lktest email 'Bob <BOB@X.COM>'
	assert_success
	assert_output bob@x.com
}

@test "an email in <addr> form keeps only the address" {
	run lktest email '<bob@x.com>'
	assert_output bob@x.com
}

@test "an email loses no-break spaces around it" {
	run lktest email "${NBSP}bob@acme.com${NBSP} "
	assert_success
	assert_output bob@acme.com
}

@test "an email with plus addressing and an apostrophe is valid" {
	run lktest email "o'brien+leads@acme.ie"
	assert_success
	assert_output "o'brien+leads@acme.ie"
}

@test "an internationalised email is valid" {
	run lktest email 'JÜRGEN@müller.de'
	assert_success
	assert_output 'jÜrgen@müller.de'
}

@test "an empty email is invalid as empty" {
	run lktest email ''
	assert_failure
	assert_output 'invalid: empty'
}

@test "an email without '@' is invalid" {
	run lktest email bob.acme.com
	assert_failure
	assert_output "invalid: missing '@'"
}

@test "an email with two '@' is invalid" {
	run lktest email 'bob@acme@x.com'
	assert_output "invalid: more than one '@'"
}

@test "an email with nothing before '@' is invalid" {
	run lktest email @acme.com
	assert_output 'invalid: empty local part'
}

@test "an email with nothing after '@' is invalid" {
	run lktest email bob@
	assert_output 'invalid: empty domain'
}

@test "an email whose domain has no dot is invalid" {
	run lktest email bob@localhost
	assert_output 'invalid: domain has no dot'
}

@test "an email with a space inside is invalid" {
	run lktest email 'bob smith@acme.com'
	assert_output 'invalid: contains white space'
}

@test "an email with a no-break space inside is invalid" {
	run lktest email "bob${NBSP}smith@acme.com"
	assert_output 'invalid: contains white space'
}

@test "an email with a comma is invalid" {
	run lktest email 'bob,al@acme.com'
	assert_output 'invalid: invalid character'
}

@test "an email with quotes is invalid" {
	run lktest email '"bob"@acme.com'
	assert_output 'invalid: invalid character'
}

@test "an email with a control character is invalid" {
	run lktest email "$(printf 'bob\001@acme.com')"
	assert_output 'invalid: invalid character'
}

@test "an email with an underscore in the domain is invalid" {
	run lktest email 'bob@ac_me.com'
	assert_output 'invalid: invalid character'
}

@test "an email with consecutive dots is invalid" {
	run lktest email 'bob..smith@acme.com'
	assert_output 'invalid: consecutive dots'
}

@test "an email whose domain starts with '-' is invalid" {
	run lktest email 'bob@-acme.com'
	assert_output "invalid: domain starts or ends with '.' or '-'"
}

@test "an email whose domain ends with '.' is invalid" {
	run lktest email 'bob@acme.com.'
	assert_output "invalid: domain starts or ends with '.' or '-'"
}

@test "an email whose local part ends with '.' is invalid" {
	run lktest email 'bob.@acme.com'
	assert_output "invalid: local part starts or ends with '.'"
}

@test "an email over 254 bytes is invalid" {
	run lktest email "bob@$(printf 'a%.0s' $(seq 250)).com"
	assert_output 'invalid: too long'
}

@test "an email with a local part over 64 bytes is invalid" {
	run lktest email "$(printf 'a%.0s' $(seq 65))@acme.com"
	assert_output 'invalid: local part too long'
}

@test "trimming removes ASCII white space at both ends only" {
	run lktest trim "$(printf ' \t bob  smith \r\n')"
	assert_output '[bob  smith]'
}

@test "trimming removes no-break, ideographic and zero-width spaces and the BOM" {
	run lktest trim "$(printf '\xef\xbb\xbf\xc2\xa0Acme\xe3\x80\x80\xe2\x80\x8b')"
	assert_output '[Acme]'
}

@test "trimming keeps non-space UTF-8 at the ends" {
	run lktest trim ' Société '
	assert_output '[Société]'
}

@test "trimming only white space leaves nothing" {
	run lktest trim "$(printf ' \xc2\xa0 ')"
	assert_output '[]'
}

@test "an empty value is blank" {
	run lktest blank ''
	assert_success
}

@test "spreadsheet and CRM placeholders are blank in any case" {
	for v in 'N/A' '#N/A' 'null' 'NULL' 'nil' 'None' 'undefined' 'Select' \
	    '-- Select --' '--select--' 'Please select' '-' '--' '?' \
	    '#VALUE!' '#REF!' '#NAME?' '(blank)' '[blank]' 'Not Provided' \
	    '[not provided]' 'Unknown' '0000-00-00' ' n/a '; do
		run lktest blank "$v"
		[ "$status" -eq 0 ] || fail "'$v' is not blank"
	done
}

@test "the country code NA is not blank" {
	run lktest blank NA
	assert_failure
}

@test "a real value is not blank" {
	run lktest blank 'Acme'
	assert_failure
}

@test "header keys drop punctuation and spaces and lower-case letters" {
	run lktest colkey 'E-mail Address'
	assert_output emailaddress
}

@test "header keys drop underscores" {
	run lktest colkey 'First_Name'
	assert_output firstname
}

@test "header keys keep digits" {
	run lktest colkey 'Address Line 2'
	assert_output addressline2
}

@test "header keys keep non-ASCII letters as they are" {
	run lktest colkey 'Société'
	assert_output 'société'
}

@test "header keys drop a BOM and no-break spaces" {
	run lktest colkey "$(printf '\xef\xbb\xbfWork\xc2\xa0Email')"
	assert_output workemail
}

@test "sanitising shows newlines, tabs and carriage returns as escapes" {
	run lktest sanitize "$(printf 'a\tb\nc\rd')"
	assert_output 'a\tb\nc\rd'
}

@test "sanitising neutralises escape sequences" {
	run lktest sanitize "$(printf '\033[2J\033]0;pwned\007')"
	assert_output '\x1b[2J\x1b]0;pwned\x07'
}

@test "sanitising neutralises DEL and C1 controls" {
	run lktest sanitize "$(printf 'a\177b\xc2\x9bc')"
	assert_output 'a\x7fb\u009bc'
}

@test "sanitising neutralises bidi overrides and isolates" {
	run lktest sanitize "$(printf 'a\xe2\x80\xaeb\xe2\x81\xa6c')"
	assert_output 'a\u202eb\u2066c'
}

@test "sanitising shows invalid UTF-8 bytes in hex" {
	run lktest sanitize "$(printf 'K\xf6ln')"
	assert_output 'K\xf6ln'
}

@test "sanitising keeps printable UTF-8" {
	run lktest sanitize 'Société 日本 😀'
	assert_output 'Société 日本 😀'
}
