#!/usr/bin/env bats
# lead-import reads the messy files real exports are.

load helpers/common

@test "a CSV with a BOM, CRLF line ends and quoted newlines imports every lead" {
	run lead-import "$FIX/bom-crlf.csv"
	assert_success
	assert_output --partial "3 read, 3 new"
	[ "$(sql "select company from lead where email='bob@acme.com'")" = "Acme, Inc." ]
	[ "$(sql "select title from lead where email='alice@beta.io'")" = $'VP\r\nSales' ]
	[ "$(sql "select title from lead where email='carol@gamma.org'")" = 'Head of "Data"' ]
}

@test "common export header names map to lead fields without flags" {
	lead-import "$FIX/bom-crlf.csv"
	run sql "select first_name, last_name, company, title from lead where email='bob@acme.com'"
	assert_output "Bob|Jones|Acme, Inc.|CTO"
}

@test "a semicolon-delimited Latin-1 export imports with --encoding latin1" {
	run lead-import --encoding latin1 "$FIX/latin1-semicolon.csv"
	assert_success
	[ "$(sql "select last_name || '/' || company || '/' || title from lead where email='hans@example.de'")" = "Müller/Müller GmbH/Geschäftsführer" ]
	[ "$(sql "select first_name from lead where email='fran@example.fr'")" = "Françoise" ]
}

@test "Latin-1 bytes without --encoding reject the record and name the fix" {
	run lead-import "$FIX/latin1-semicolon.csv"
	assert_failure 1
	assert_output --partial "latin1-semicolon.csv:2: invalid UTF-8"
	assert_output --partial "--encoding latin1"
}

@test "a UTF-16 file with a byte-order mark is read without flags" {
	run lead-import "$FIX/utf16.csv"
	assert_success
	[ "$(sql "select first_name from lead where email='fran@example.fr'")" = "Françoise" ]
}

@test "a TSV file is read by its extension with backslash escapes decoded" {
	run lead-import "$FIX/escaped.tsv"
	assert_success
	[ "$(sql "select json_extract(attrs, '\$.note') from lead")" = $'line1\nline2\ttabbed' ]
}

@test "tab-separated input on stdin is sniffed from the header line" {
	printf 'email\tfirst_name\nbob@acme.com\tBob\n' | lead-import
	[ "$(sql "select first_name from lead")" = "Bob" ]
}

@test "semicolons on stdin are sniffed from the header line" {
	printf 'email;company\nbob@acme.com;Acme, Inc.\n' | lead-import -
	[ "$(sql "select company from lead")" = "Acme, Inc." ]
}

@test "CR-only line ends (old Mac exports) are read as lines" {
	printf 'email,first_name\rbob@acme.com,Bob\ralice@beta.io,Alice\r' > mac.csv
	run lead-import mac.csv
	assert_success
	assert_output --partial "2 read, 2 new"
}

@test "an Excel sep= line sets the delimiter" {
	printf 'sep=;\nemail;company\nbob@acme.com;Acme, Inc.\n' > excel.csv
	lead-import excel.csv
	[ "$(sql "select company from lead")" = "Acme, Inc." ]
}

@test "--skip passes over title lines above the header, and line numbers stay true" {
	printf 'Report\nemail\nbob@acme.com\nbad@\n' > skip.csv
	run lead-import --skip 1 skip.csv
	assert_failure 1
	assert_output --partial "skip.csv:4: invalid email 'bad@'"
}

@test "--no-header --columns names the columns of a headerless list" {
	printf 'bob@acme.com,Bob\n' | lead-import --no-header --columns email,first_name
	[ "$(sql "select first_name from lead")" = "Bob" ]
}

@test "--map reads a field from a column with any name" {
	printf 'Contact,Org\nbob@acme.com,Acme\n' > odd.csv
	lead-import --map email=Contact --map company=org odd.csv
	[ "$(sql "select company from lead where email='bob@acme.com'")" = "Acme" ]
}

@test "--map naming a missing column is a usage error and changes nothing" {
	run lead-import --map email=Nope "$FIX/bom-crlf.csv"
	assert_failure 2
	assert_output --partial "no column 'Nope'"
	[ "$(sql "select count(*) from lead")" = 0 ]
}

@test "a list without an email column or --key is refused with the columns it has" {
	printf 'Name,Company\nBob,Acme\n' > noemail.csv
	run lead-import noemail.csv
	assert_failure 2
	assert_output --partial "no email column (columns: 'Name', 'Company')"
}

@test "an empty file is reported and exits 1" {
	run lead-import "$FIX/empty.csv"
	assert_failure 1
	assert_output --partial "empty input: no header line"
}

@test "a header-only file imports nothing and succeeds" {
	run lead-import "$FIX/header-only.csv"
	assert_success
	assert_output --partial "0 read"
}

@test "a binary file named .csv is rejected whole, not parsed" {
	run lead-import "$FIX/binary.csv"
	assert_failure 1
	assert_output --partial "binary"
	[ "$(sql "select count(*) from lead")" = 0 ]
}

@test "a missing input file is a runtime error and nothing is imported" {
	run lead-import "$FIX/bom-crlf.csv" nosuch.csv
	assert_failure 3
	assert_output --partial "nosuch.csv: No such file"
	[ "$(sql "select count(*) from lead")" = 0 ]
}

@test "short rows are padded with blanks, rows with extra values are rejected" {
	run lead-import "$FIX/ragged.csv"
	assert_failure 1
	assert_output --partial "ragged.csv:4: 4 fields, but the header has 3"
	[ "$(sql "select count(*) from lead")" = 2 ]
}

@test "an unterminated quote at the end of the file rejects that record only" {
	printf 'email,first_name\nbob@acme.com,Bob\nalice@beta.io,"Alice\n' > open.csv
	run lead-import open.csv
	assert_failure 1
	assert_output --partial "open.csv:3: unterminated quoted field"
	[ "$(sql "select count(*) from lead")" = 1 ]
}

@test "a NUL byte inside a record rejects the record" {
	{ printf 'email,first_name\nbob@acme.com,Bob\n'; for i in $(seq 300); do printf 'x%d@acme.com,X\n' "$i"; done; printf 'eve@acme.com,E\000ve\n'; } > nul.csv
	run lead-import nul.csv
	assert_failure 1
	assert_output --partial "nul.csv:303: contains a NUL byte"
	[ "$(sql "select count(*) from lead")" = 301 ]
}

@test "a file without a final newline keeps its last record" {
	printf 'email\nbob@acme.com\nalice@beta.io' > nofinal.csv
	run lead-import nofinal.csv
	assert_success
	assert_output --partial "2 read, 2 new"
}

@test "blank lines between records are skipped and not counted" {
	printf 'email\n\nbob@acme.com\n\n\nalice@beta.io\n,\n' > blanks.csv
	run lead-import blanks.csv
	assert_success
	assert_output --partial "2 read, 2 new"
}

@test "an unknown --encoding is a usage error" {
	run lead-import --encoding klingon "$FIX/bom-crlf.csv"
	assert_failure 2
	assert_output --partial "unknown encoding 'klingon'"
}
