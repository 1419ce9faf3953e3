#!/usr/bin/env bats
# lead-import: dry runs, strictness, reject files, atomicity, output.

load helpers/common

@test "--dry-run prints the summary and changes nothing" {
	lead-import -q "$FIX/in-file-dups.csv"
	run lead-import -n "$FIX/bom-crlf.csv"
	assert_success
	assert_output --partial "3 read, 1 new, 2 updated"
	assert_output --partial "dry run: nothing changed"
	[ "$(sql "select count(*) from lead")" = 2 ]
	[ "$(sql "select count(*) from batch")" = 1 ]
}

@test "rejected records exit 1 and the rest is committed" {
	run lead-import "$FIX/some-bad.csv"
	assert_failure 1
	assert_output --partial "some-bad.csv:3: invalid email 'bad@'"
	assert_output --partial "some-bad.csv:4: invalid email 'nobody'"
	assert_output --partial "some-bad.csv:5: no email"
	assert_output --partial "4 read, 1 new, 0 updated, 0 unchanged, 0 merged, 3 rejected"
	[ "$(sql "select email from lead")" = "bob@acme.com" ]
}

@test "--strict aborts the whole import on any rejected record" {
	run lead-import --strict "$FIX/bom-crlf.csv" "$FIX/some-bad.csv"
	assert_failure 1
	assert_output --partial "nothing imported (--strict)"
	[ "$(sql "select count(*) from lead")" = 0 ]
}

@test "--reject writes the rejected records with their line and reason" {
	run lead-import --reject rejects.csv "$FIX/some-bad.csv"
	assert_failure 1
	run cat rejects.csv
	assert_line --index 0 "Email,First Name,_line,_reason"
	assert_line --index 1 "bad@,Bad,3,invalid email 'bad@': empty domain"
	assert_line --index 3 ",Blank,5,no email"
}

@test "a fixed reject file re-imports, its _line and _reason columns ignored" {
	lead-import --reject rejects.csv "$FIX/some-bad.csv" || true
	sed -i 's/^bad@,/bad@acme.com,/; s/^nobody,/nobody@acme.com,/; /,Blank,/d' rejects.csv
	run lead-import rejects.csv
	assert_success
	assert_output --partial "2 read, 2 new"
	[ "$(sql "select attrs from lead where email='bad@acme.com'")" = "{}" ]
}

@test "a reject file is written with its header only when nothing is rejected" {
	echo "stale" > rejects.csv
	lead-import --reject rejects.csv "$FIX/bom-crlf.csv"
	[ "$(cat rejects.csv)" = "Email Address,First Name,Last Name,Company Name,Job Title,_line,_reason" ]
	[ ! -e rejects.csv.tmp ]
}

@test "rejects of inputs with other columns go to a second reject file" {
	run lead-import --reject rej.csv "$FIX/some-bad.csv" "$FIX/ragged.csv"
	assert_failure 1
	assert_output --partial "go to rej-2.csv"
	[ "$(head -n 1 rej.csv)" = "Email,First Name,_line,_reason" ]
	[ "$(head -n 1 rej-2.csv)" = "email,first_name,last_name,_line,_reason" ]
	[ "$(wc -l < rej-2.csv)" = 2 ]
}

@test "a reject file is created 0600, whatever the umask, and never through a link" {
	ln -s "$BATS_TEST_TMPDIR/elsewhere" rej.csv.tmp
	(umask 022; lead-import -q --reject rej.csv "$FIX/some-bad.csv") || true
	[ "$(stat -c %a rej.csv)" = 600 ]
	[ ! -e elsewhere ]
	grep -q "_reason" rej.csv
}

@test "a reject file that cannot be written changes nothing" {
	perm_setup
	mkdir "$PD/ro"
	[ -z "$as" ] || chown 65534:65534 "$PD/ro"
	chmod 500 "$PD/ro"
	run lk lead-import --reject "$PD/ro/rej.csv" "$PD/bin/some-bad.csv"
	assert_failure 3
	assert_output --partial "rej.csv.tmp: Permission denied"
	[ "$(sql "select count(*) from lead")" = 3 ]
}

@test "an import piped into head still commits" {
	awk 'BEGIN { print "email"; for (i = 0; i < 50000; i++) printf "u%d@example.com\n", i }' > many.csv
	lead-import -p many.csv | head -n 2 > /dev/null
	[ "$(sql "select count(*) from lead")" = 50000 ]
}

@test "-p prints the affected leads as TSV for the next command" {
	run lead-import -q -p "$FIX/in-file-dups.csv"
	assert_success
	assert_output "$(printf 'id\temail\tstatus\n1\tbob@acme.com\tnew\n2\talice@beta.io\tnew')"
}

@test "-p --csv neutralises a formula-like email, which is stored as it is" {
	printf 'email,company\n"=cmd|x@acme.com",Evil\n' > evil.csv
	run lead-import -q -p --csv evil.csv
	assert_success
	assert_line --index 1 "1,'=cmd|x@acme.com,new"
	[ "$(sql "select email from lead")" = "=cmd|x@acme.com" ]
}

@test "hostile strings are stored as data, not run as SQL" {
	printf 'email,company,Robert'"'"'); DROP TABLE lead;--\nbob@acme.com,"x'"'"'); DROP TABLE lead;--",1\n' > sqli.csv
	lead-import sqli.csv
	[ "$(sql "select company from lead")" = "x'); DROP TABLE lead;--" ]
	[ "$(sql "select json_extract(attrs, '\$.robert_drop_table_lead') from lead")" = 1 ]
}

@test "messages show control characters from the data as ?" {
	printf 'email\n"bad\033[31m@"\n' > esc.csv
	run lead-import esc.csv
	assert_failure 1
	refute_output --partial $'\033'
	assert_output --partial "bad?[31m@"
}

@test "a kill -9 in the middle of an import leaves the database as it was" {
	lead-import "$FIX/bom-crlf.csv"
	awk 'BEGIN { print "email,first_name,company"; for (i = 0; i < 400000; i++) printf "u%d@example.com,Name%d,Company %d\n", i, i, i % 1000 }' > big.csv
	lead-import --no-progress big.csv 2>/dev/null &
	pid=$!
	sleep 0.7
	kill -9 "$pid"
	wait "$pid" || true
	is_pg || [ "$(sql "PRAGMA integrity_check")" = ok ]
	n=$(sql "select count(*) from lead")
	[ "$n" = 3 ] || [ "$n" = 400003 ]
	[ "$(sql "select count(*) from batch")" = "$([ "$n" = 3 ] && echo 1 || echo 2)" ]
}

@test "progress is not printed when stderr is not a terminal" {
	run lead-import "$FIX/bom-crlf.csv"
	refute_output --partial $'\r'
}
