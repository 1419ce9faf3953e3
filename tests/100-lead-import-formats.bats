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

@test "--map giving one column to two fields is a usage error and changes nothing" {
	printf 'Contact,Org\nbob@acme.com,Acme\n' > odd.csv
	run lead-import --map email=Contact --map company=Contact odd.csv
	assert_failure 2
	assert_output --partial "column 'Contact' is already mapped to email"
	[ ! -e leads.db ] || [ "$(sql "select count(*) from lead")" = 0 ]
}

@test "--map may name a field's column twice" {
	printf 'Contact,Org\nbob@acme.com,Acme\n' > odd.csv
	lead-import -q --map email=Contact --map email=contact odd.csv
	[ "$(sql "select email from lead")" = bob@acme.com ]
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

@test "the header names of HubSpot, Salesforce, Marketo, Mautic, Zoom and Teams exports map on their own" {
	printf 'Record ID,First Name,Last Name,Email,Company Name,Job Title,Phone Number,Country/Region,State/Region,Website URL,Number of Employees,Original Source,Create Date\n1,Ann,Lee,ann@hub.example,Hub,CTO,555,US,CA,https://hub.example,50,Organic,2026-01-02\n' > hubspot.csv
	printf 'Lead ID,First Name,Last Name,Title,Company / Account,Email,Mobile,Lead Source,Industry,No. of Employees,State/Province,Created Date\n00Q1,Ben,Ode,CEO,Sf Inc,ben@sf.example,555,Web,Tech,200,NY,2026-01-03\n' > salesforce.csv
	printf 'Id,First Name,Last Name,Email Address,Company Name,Job Title,Acquisition Program,Created At\n7,Cy,Ray,cy@mk.example,Mk,VP,Webinar 7,2026-01-04T10:00:00Z\n' > marketo.csv
	printf 'id,firstname,lastname,email,company,position,date_added\n9,Di,Fox,di@mt.example,Mt,Dev,2026-01-05 10:00:00\n' > mautic.csv
	printf 'User Name (Original Name),Email,Organization,Job Title,Country/Region Name,Registration Time\nEd Yu,ed@zm.example,Zm,Ops,Canada,"Nov 18, 2026 09:58:12"\n' > zoom.csv
	printf 'Full Name\tParticipant ID (UPN)\tRole\nFay Lin\tfay@ms.example\tAttendee\n' > teams.tsv
	for f in hubspot.csv salesforce.csv marketo.csv mautic.csv zoom.csv teams.tsv; do
		run lead-import "$f"
		assert_success
	done
	[ "$(sql "select website, company_size, source, region, created_at from lead where email='ann@hub.example'")" = "https://hub.example|50|Organic|CA|2026-01-02T00:00:00Z" ]
	[ "$(sql "select company, phone, company_size, region from lead where email='ben@sf.example'")" = "Sf Inc|555|200|NY" ]
	[ "$(sql "select company, title, campaign from lead where email='cy@mk.example'")" = "Mk|VP|Webinar 7" ]
	[ "$(sql "select first_name, title, created_at from lead where email='di@mt.example'")" = "Di|Dev|2026-01-05T10:00:00Z" ]
	[ "$(sql "select first_name, last_name, company, country from lead where email='ed@zm.example'")" = "Ed|Yu|Zm|Canada" ]
	[ "$(sql "select first_name, last_name from lead where email='fay@ms.example'")" = "Fay|Lin" ]
}

@test "trailing empty columns in the header and rows are ignored" {
	printf 'email,first_name,,,\nbob@acme.com,Bob,,,\n' > trailing.csv
	run lead-import trailing.csv
	assert_success
	[ "$(sql "select attrs from lead")" = "{}" ]
}

@test "a Windows-1252 export with smart quotes converts with --encoding cp1252" {
	printf 'email,company\nbob@acme.com,\x93Acme\x94 \x96 Europe\n' > win.csv
	lead-import --encoding cp1252 win.csv
	[ "$(sql "select company from lead")" = "“Acme” – Europe" ]
}

@test "-v shows how each column was mapped" {
	run lead-import -v "$FIX/crm-keyed.csv" --key "Prospect ID"
	assert_output --partial "column 'Prospect ID' -> key"
	assert_output --partial "column 'Email' -> email"
}

@test "--progress forces progress on stderr even when it is not a terminal" {
	awk 'BEGIN { print "email"; for (i = 0; i < 20000; i++) printf "u%d@example.com\n", i }' > many.csv
	run lead-import --progress many.csv
	assert_success
	assert_output --partial "lead-import: many.csv:"
}

@test "after twenty rejects the rest are summed up, and -v shows them all" {
	{ echo email; for i in $(seq 30); do echo "bad$i@"; done; } > bad.csv
	run lead-import bad.csv
	assert_failure 1
	[ "$(printf '%s\n' "$output" | grep -c 'invalid email')" = 20 ]
	assert_output --partial "more records rejected"
	run lead-import -v -d other.db bad.csv
	[ "$(printf '%s\n' "$output" | grep -c 'invalid email')" = 30 ]
}

@test "a usage error in a later file rolls back the files before it" {
	printf 'Name\nBob\n' > noemail.csv
	run lead-import "$FIX/bom-crlf.csv" noemail.csv
	assert_failure 2
	[ "$(sql "select count(*) from lead")" = 0 ]
}

@test "text after a closing quote rejects that record without swallowing the next lines" {
	printf 'email,n\n"bob@acme.com"x,1\nann@acme.com,2\ncy@acme.com,3\n' > aq.csv
	run lead-import aq.csv
	assert_failure 1
	assert_output --partial "aq.csv:2: text after a closing quote"
	assert_output --partial "3 read, 2 new"
}

@test "a quote inside an unquoted field is kept as a character" {
	printf 'email,title\nbob@acme.com,5" screen guy\n' > lit.csv
	lead-import lit.csv
	[ "$(sql "select title from lead")" = '5" screen guy' ]
}

@test "an unterminated quote in a file without a final newline is rejected too" {
	printf 'email,n\nbob@acme.com,1\nann@acme.com,"open' > eof.csv
	run lead-import eof.csv
	assert_failure 1
	assert_output --partial "eof.csv:3: unterminated quoted field"
}

@test "a header's field name wins over another column's alias" {
	printf 'email,Domain,Website\nbob@acme.com,acme.com,https://www.acme.com\n' > dw.csv
	lead-import dw.csv
	[ "$(sql "select website, json_extract(attrs, '\$.domain') from lead")" = "https://www.acme.com|acme.com" ]
}

@test "accented capitals in header names match like lower case" {
	printf 'E-MAIL;PRÉNOM;SOCIÉTÉ\nbob@acme.com;Bob;Acme\n' > fr.csv
	lead-import fr.csv
	[ "$(sql "select first_name, company from lead")" = "Bob|Acme" ]
}
