#!/usr/bin/env bats
# No output file may be the database, one of its side files, or an input
# of the same run; and the database is a file of our own making, not one
# planted for us to adopt.

load helpers/common

@test "--reject naming the database is refused before anything is done" {
	sqlite_only "the database file"
	lead-import -q "$FIX/bom-crlf.csv"
	sum=$(sha256sum leads.db)
	run lead-import --reject leads.db "$FIX/some-bad.csv"
	assert_failure 2
	assert_output --partial "is the database"
	[ "$(sha256sum leads.db)" = "$sum" ]
}

@test "--reject naming the database's write-ahead log is refused" {
	sqlite_only "the database file"
	lead-import -q "$FIX/bom-crlf.csv"
	run lead-import --reject leads.db-wal "$FIX/some-bad.csv"
	assert_failure 2
	assert_output --partial "is the database's own file"
}

@test "--reject naming the database by another path is refused" {
	sqlite_only "the database file"
	lead-import -q "$FIX/bom-crlf.csv"
	mkdir sub
	run lead-import --reject sub/../leads.db "$FIX/some-bad.csv"
	assert_failure 2
}

@test "--reject naming the input is refused and the input is left whole" {
	cp "$FIX/some-bad.csv" list.csv
	sum=$(sha256sum list.csv)
	run lead-import --reject list.csv list.csv
	assert_failure 2
	assert_output --partial "is an input of this run"
	[ "$(sha256sum list.csv)" = "$sum" ]
}

@test "lead-log --reject naming its event file is refused" {
	lead-import -q "$FIX/bom-crlf.csv"
	cp "$FIX/events.csv" ev.csv
	run lead-log --reject ev.csv ev.csv
	assert_failure 2
	assert_output --partial "is an input of this run"
}

@test "--db :memory: is refused: it would keep nothing" {
	run lead-import --db :memory: "$FIX/bom-crlf.csv"
	assert_failure 2
	assert_output --partial "not a file name"
	[ ! -e :memory: ]
}

@test "--db in URI form is refused" {
	run lead-import --db 'file:x.db?mode=memory' "$FIX/bom-crlf.csv"
	assert_failure 2
	assert_output --partial "not a file name"
}

@test "./:memory: is a file of that name" {
	run lead-import -q --db ./:memory: "$FIX/bom-crlf.csv"
	assert_success
	[ "$(sqlite3 ./:memory: "select count(*) from lead")" = 3 ]
}

@test "an empty file others can write is not adopted as the database" {
	: > planted.db
	chmod 666 planted.db
	run lead-import --db planted.db "$FIX/bom-crlf.csv"
	assert_failure 3
	assert_output --partial "an empty file others can read or write"
	[ ! -s planted.db ]
}

@test "a database others can read is used, with a warning that says how to close it" {
	sqlite_only "the database file's mode"
	lead-import -q "$FIX/bom-crlf.csv"
	chmod 644 leads.db
	run lead-report leads --no-header
	assert_success
	assert_output --partial "others can read this database (mode 0644; chmod 600"
}

@test "lead-report --svg naming the database is refused, and the database is left whole" {
	sqlite_only "the database file"
	lead-import -q "$FIX/bom-crlf.csv"
	sum=$(sha256sum leads.db)
	run lead-report funnel --svg leads.db
	assert_failure 2
	assert_output --partial "is the database"
	[ "$(sha256sum leads.db)" = "$sum" ]
}

@test "an SVG of labels with bytes that are not UTF-8 is still UTF-8" {
	sqlite_only "a server stores no text that is not UTF-8"
	lead-import -q --campaign spring "$FIX/bom-crlf.csv"
	sql "update lead set campaign = cast(x'53707269e96e67' as text)"
	run lead-report funnel --by campaign --svg chart.svg
	assert_success
	iconv -f UTF-8 -t UTF-8 chart.svg > /dev/null
	grep -q 'Spri?ng' chart.svg
}
