#!/usr/bin/env bats
# Conventions every command shares: help, version, the database.

load helpers/common

commands() {
	for c in "$LEAD_BIN"/lead-*; do basename "$c"; done
}

@test "every command prints its help on stdout and exits 0" {
	for c in $(commands); do
		run "$c" --help
		assert_success
		assert_line --index 0 --partial "usage: $c "
	done
}

@test "every command's --help synopsis matches its man page SYNOPSIS" {
	for c in $(commands); do
		[ -f "$TOP/man/$c.1" ] || fail "no man/$c.1"
		page=$(MANWIDTH=2000 man -l "$TOP/man/$c.1" 2>/dev/null | col -b |
		    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | tr -s ' \n' '  ')
		"$c" --help | sed -n '/^usage:/,/^$/p' | sed 's/^usage: *//; s/^ *//' |
		while IFS= read -r line; do
			[ -n "$line" ] || continue
			want=$(printf '%s' "$line" | tr -s ' ' ' ')
			case "$page" in
			*"$want"*) ;;
			*) fail "$c: synopsis line not in man page: $want" ;;
			esac
		done
	done
}

@test "every command prints its version" {
	for c in $(commands); do
		run "$c" --version
		assert_success
		assert_output --regexp "^$c \(leadkit\) [0-9]+\.[0-9]+"
	done
}

@test "an unknown option is a usage error with exit 2" {
	run lead-import --no-such-option
	assert_failure 2
	assert_output --partial "Try 'lead-import --help'"
}

@test "a new database file is created with mode 0600" {
	sqlite_only "file modes"
	umask 022
	lead-import "$FIX/bom-crlf.csv"
	[ "$(stat -c %a leads.db)" = 600 ]
}

@test "the database is --db, else LEAD_DB, else ./leads.db" {
	lead-import -d one.db "$FIX/bom-crlf.csv"
	[ -f one.db ]
	LEAD_DB=two.db lead-import "$FIX/bom-crlf.csv"
	[ -f two.db ]
	unset LEAD_DB
	lead-import "$FIX/bom-crlf.csv"
	[ -f leads.db ]
}

@test "a missing database is not created by a command that only reads" {
	run lead-import --batches -d nothere.db
	assert_failure 3
	assert_output --partial "nothere.db: no such database"
	[ ! -e nothere.db ]
}

@test "a file that is not SQLite is refused and left untouched" {
	printf 'hello, I am a text file\n' > notdb.db
	sum=$(sha256sum notdb.db)
	run lead-import -d notdb.db "$FIX/bom-crlf.csv"
	assert_failure 3
	assert_output --partial "not a leadkit database"
	[ "$(sha256sum notdb.db)" = "$sum" ]
}

@test "another application's SQLite database is refused" {
	sqlite3 other.db "create table t(x); insert into t values (1)"
	run lead-import -d other.db "$FIX/bom-crlf.csv"
	assert_failure 3
	assert_output --partial "not a leadkit one"
	[ "$(sqlite3 other.db 'select count(*) from t')" = 1 ]
}

@test "a database from a newer leadkit is refused, not damaged" {
	lead-import "$FIX/bom-crlf.csv"
	schema_version_set 999
	run lead-import "$FIX/in-file-dups.csv"
	assert_failure 3
	assert_output --partial "schema version 999 is newer"
	[ "$(sql "select count(*) from lead")" = 3 ]
}

@test "the schema version and application id are set" {
	sqlite_only "PRAGMA user_version and application_id"
	lead-import "$FIX/bom-crlf.csv"
	[ "$(sql "PRAGMA user_version")" -ge 1 ]
	[ "$(sql "PRAGMA application_id")" = 1280010612 ]
	[ "$(sql "PRAGMA journal_mode")" = wal ]
}

@test "a database busy past --wait exits 75 and changes nothing" {
	lead-import "$FIX/bom-crlf.csv"
	hold_write_lock 4
	run lead-import --wait 0.3 "$FIX/in-file-dups.csv"
	wait
	assert_failure 75
	assert_output --partial "busy"
	[ "$(sql "select count(*) from batch")" = 1 ]
}

@test "--now fixes the clock of stored times" {
	lead-import --now 2026-01-02T03:04:05Z "$FIX/bom-crlf.csv"
	[ "$(sql "select distinct created_at from lead")" = "2026-01-02T03:04:05Z" ]
}

@test "an invalid --now is a usage error" {
	run lead-import --now yesterday "$FIX/bom-crlf.csv"
	assert_failure 2
	assert_output --partial "invalid --now time 'yesterday'"
}

@test "a new database is in write-ahead-log mode once its first import ends" {
	sqlite_only "the journal mode"
	lead-import -q "$FIX/bom-crlf.csv"
	[ ! -e leads.db-journal ]
	[ "$(sql 'pragma journal_mode')" = wal ]
}

@test "every command's --help and man page name --tz and --date-order" {
	for c in lead-import lead-log lead-score lead-handoff lead-report; do
		run "$c" --help
		assert_output --partial "--tz AREA/CITY, --date-order dmy|mdy"
		grep -q 'Fl -tz Ar Area/City' "$TOP/man/$c.1"
		grep -q 'Fl -date-order Cm dmy' "$TOP/man/$c.1"
	done
}

@test "lead-log --date-order reads an ambiguous event time that way" {
	printf 'Email\nbob@acme.com\n' | lead-import -q
	printf 'email,ts,kind\nbob@acme.com,05/07/2026 10:00,page_visit\n' > ev.csv
	lead-log -q --date-order dmy ev.csv
	[ "$(sql "select ts from activity")" = 2026-07-05T10:00:00Z ]
}

@test "lead-log --tz reads an event time without a zone as local time" {
	printf 'Email\nbob@acme.com\n' | lead-import -q
	printf 'email,ts,kind\nbob@acme.com,2026-07-01 12:00,page_visit\n' > ev.csv
	lead-log -q --tz Europe/Berlin ev.csv
	[ "$(sql "select ts from activity")" = 2026-07-01T10:00:00Z ]
}

# The long and short options a --help names, one a line.
help_options() {
	"$1" --help | sed '1,/^$/d' |
	    grep -o -- '--[a-z][a-z-]*\|^  -[a-zA-Z]\b\|, -[a-zA-Z]\b' |
	    sed 's/^, //; s/^  //' | sort -u
}

@test "every command's --help names exactly the options of its man page" {
	for c in lead-import lead-log lead-score lead-handoff lead-report; do
		sed -n '/^\.Sh OPTIONS/,/^\.Sh /p' "$TOP/man/$c.1" |
		    grep '^\.It Fl' | grep -o 'Fl -[a-z][a-z-]*\|Fl [a-zA-Z]\b' |
		    sed 's/Fl /-/' | sort -u > man.txt
		help_options "$c" > help.txt
		run diff help.txt man.txt
		[ "$status" -eq 0 ] || fail "$c: --help and man page differ: $output"
	done
}

@test "a command refuses the shared options that do nothing in it" {
	run lead-report --progress funnel
	assert_failure 2
	assert_output --partial "Try 'lead-report --help'"
	run lead-score --columns email
	assert_failure 2
	for c in lead-import lead-log lead-score lead-handoff lead-report; do
		help_options "$c" > help.txt
		for o in --csv --tsv --json --table --no-header --raw \
		    --delimiter --encoding --skip --columns --progress \
		    --no-progress; do
			grep -qx -- "$o" help.txt && continue
			run "$c" "$o" x
			[ "$status" -eq 2 ] || fail "$c accepts $o"
		done
	done
}

@test "every option a command's --help names is one it accepts" {
	for c in lead-import lead-log lead-score lead-handoff lead-report; do
		for o in $(help_options "$c"); do
			case $o in --help|--version) continue ;; esac
			run "$c" "$o" x --no-such-thing
			case $output in
			*"unrecognized option '$o'"*|*"invalid option -- '${o#-}'"*)
				fail "$c does not accept $o" ;;
			esac
		done
	done
}

@test "no command speaks SQL or SQLite: the store and the driver do" {
	cd "$TOP"
	run grep -ln 'sqlite3' cmd/*.c common/lead.h
	[ "$status" -eq 1 ] || fail "SQLite named in: $output"
	run grep -nE '"[^"]*\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT)\b' cmd/*.c
	[ "$status" -eq 1 ] || fail "SQL in a command: $output"
	run grep -nE 'lead_db_(prepare|exec|cached|int64)\(' cmd/*.c
	[ "$status" -eq 1 ] || fail "a command prepares its own SQL: $output"
	run grep -ln '#include <sqlite3.h>' common/*.c common/*.h cmd/report/*
	[ "$output" = common/drv-sqlite.c ] || fail "sqlite3.h in: $output"
	run grep -nE '"[^"]*\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|PRAGMA)\b' cmd/report/*.c
	[ "$status" -eq 1 ] || fail "SQL in a report: $output"
}

@test "outside the store and the driver, the library holds no SQL" {
	cd "$TOP"
	set -- $(ls common/*.c | grep -v -e '/store-' -e '/drv-' -e '/db\.c$')
	[ $# -gt 5 ]
	run grep -nE '"[^"]*\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|PRAGMA)\b' "$@"
	[ "$status" -eq 1 ] || fail "SQL outside the store: $output"
	run grep -nE 'lead_db_(prepare|exec|cached|int64|do)\(' "$@"
	[ "$status" -eq 1 ] || fail "a statement prepared outside the store: $output"
}
