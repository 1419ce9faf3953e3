#!/usr/bin/env bats
# Every record of the input is accounted for: a stray quote costs its own
# record, never the records after it, whatever the size of the file
# (below and above the 64 MiB a quoted field may grow to), and a record
# with more fields than the header is rejected, never cut short.

load helpers/common

# big N FILE: a header and N lines of about 80 bytes, no quotes, with an
# opening quote that never closes on line 3.
big() {
	awk -v n="$1" 'BEGIN {
		print "email,first_name,company,note"
		for (i = 1; i <= n; i++)
			printf "p%d@x%d.example,Ann,%sAcme Widgets,a note about this lead long enough to pad it\n", i, i % 997, i == 2 ? "\"" : ""
	}' > "$2"
}

@test "a stray quote in a file over 64 MiB costs one record, and every other line is read" {
	big 900000 big.csv
	[ "$(stat -c %s big.csv)" -gt 67108864 ]
	lktest csv big.csv > out.txt
	[ "$(wc -l < out.txt)" = 900001 ]
	[ "$(grep -c '!' out.txt)" = 1 ]
	grep -q '^3	!quoted field longer than 64 MiB' out.txt
	grep -q '^900001	\[p900000@' out.txt
}

@test "lead-import of a file over 64 MiB with a stray quote imports every other record and says so" {
	big 900000 big.csv
	run lead-import --no-progress big.csv
	assert_failure 1
	assert_output --partial "big.csv:3: quoted field longer than 64 MiB"
	assert_output --partial "900000 read, 899999 new, 0 updated, 0 unchanged, 0 merged, 1 rejected"
	[ "$(sql "select count(*) from lead")" = 899999 ]
}

@test "a stray opening quote that never closes costs its own record only" {
	big 5000 l.csv
	run lead-import l.csv
	assert_failure 1
	assert_output --partial "l.csv:3: unterminated quoted field"
	assert_output --partial "5000 read, 4999 new"
	[ "$(sql "select count(*) from lead where email = 'p5000@x15.example'")" = 1 ]
}

@test "a stray quote that closes on a later line before text costs the first line only" {
	printf 'email,company,title\na@x.example,"Acme,CEO\nb@x.example,Beta,"Chief ""Growth"" Officer"\nc@x.example,Cy,CTO\n' > l.csv
	run lead-import l.csv
	assert_failure 1
	assert_output --partial "l.csv:2: text after a closing quote on a later line"
	assert_output --partial "3 read, 2 new"
	[ "$(sql "select title from lead where email = 'b@x.example'")" = 'Chief "Growth" Officer' ]
}

@test "a quoted field over several lines is still one record" {
	printf 'email,note\na@x.example,"line one\nline two"\nb@x.example,ok\n' > l.csv
	run lead-import l.csv
	assert_success
	assert_output --partial "2 read, 2 new"
}

@test "lead-log reads again the events a stray quote took in" {
	{ echo "email,ts,kind,note"; echo 'a@x.example,2026-11-20T10:00:00Z,page_visit,"stray'
	  for i in $(seq 1 300); do echo "b$i@x.example,2026-11-20T10:00:00Z,page_visit,ok"; done; } > ev.csv
	printf 'Email\nzed@acme.com\n' | lead-import -q
	run lead-log --create ev.csv
	assert_failure 1
	assert_output --partial "301 read, 300 logged"
	[ "$(sql "select count(*) from activity")" = 300 ]
}

@test "an event with more fields than the header is rejected, not cut short" {
	printf 'Email\nbob@acme.com\n' | lead-import -q
	printf 'email,ts,kind,note\nbob@acme.com,2026-11-20T10:00:00Z,note,budget approved, wants demo in Q1\n' > ev.csv
	run lead-log ev.csv
	assert_failure 1
	assert_output --partial "ev.csv:2: 5 fields, but the header has 4"
	[ "$(sql "select count(*) from activity where kind = 'note'")" = 0 ]
}

@test "a reps row with more fields than the header is refused, not cut short" {
	printf 'name,email,weight\nalice,alice@s.example,1,5\n' > team.csv
	printf 'Email\nbob@acme.com\n' | lead-import -q
	run lead-handoff reps team.csv
	assert_failure 2
	assert_output --partial "team.csv:2: 4 fields, but the header has 3"
	[ "$(sql "select count(*) from rep")" = 0 ]
}

@test "two touches whose fields differ only in where a separator falls are both logged" {
	printf 'Email\nbob@acme.com\n' | lead-import -q
	printf 'email,ts,kind,note,next\nbob@acme.com,2026-11-20T10:00:00Z,call,budget ok\037,Q1 demo\nbob@acme.com,2026-11-20T10:00:00Z,call,budget ok,\037Q1 demo\n' > ev.csv
	run lead-log ev.csv
	assert_success
	assert_output --partial "2 read, 2 logged, 0 duplicates"
	run lead-log ev.csv
	assert_output --partial "2 read, 0 logged, 2 duplicates"
}

@test "a closing quote followed by a space and text rejects its record, not the lines after it" {
	printf 'email,company,note\na@x.com,"Acme" Inc,n1\nb@x.com,Beta,n2\nc@x.com,Gamma,n3\n' > l.csv
	run lead-import l.csv
	assert_failure 1
	assert_output --partial "l.csv:2: text after a closing quote"
	assert_output --partial "3 read, 2 new"
}

@test "text after a closing quote on a record's first line rejects the record as it is, lines and all" {
	printf 'email,company,note\na@x.com,"Acme"Inc,"line one\nline two"\nb@x.com,Beta,n2\n' > l.csv
	run lead-import l.csv
	assert_failure 1
	assert_output --partial "2 read, 1 new"
	refute_output --partial "a stray opening quote"
}

@test "spaces between a closing quote and the delimiter are allowed" {
	printf 'email,company,note\na@x.com,"Acme"  ,n1\n' > l.csv
	run lead-import l.csv
	assert_success
	[ "$(sql "select company from lead")" = Acme ]
}
