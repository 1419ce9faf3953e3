#!/usr/bin/env bats
# Counts and lengths the user picks: many --columns, many --sla grades,
# rep names longer than a file name may be.  Each is taken whole, or
# refused with a usage error; none overflows a fixed array.

load helpers/common

# long [N] [CHAR]: a rep name of N bytes (default 300) of CHAR (r).
long() {
	python3 -c "import sys; c = sys.argv[2]; print(c * (int(sys.argv[1]) // len(c.encode())))" \
	    "${1:-300}" "${2:-r}"
}

# mqls EMAIL...: these leads, sales-ready, the first the best.
mqls() {
	printf 'email\n' > leads.csv
	printf '%s\n' "$@" >> leads.csv
	lead-import -q leads.csv
	sql "update lead set stage = 'mql', score = 10 - id"
}

# two_mqls: two leads of one company.
two_mqls() {
	mqls a1@acme.com a2@acme.com
}

# reps NAME...: load a sales team of these names.  (A second column:
# a one-column file of "bob" and a long name reads "bob" as its header.)
reps() {
	printf 'name,available\n' > reps.csv
	printf '%s,yes\n' "$@" >> reps.csv
	lead-handoff -q reps reps.csv
}

@test "70 columns in lead-report leads --columns are each printed" {
	two_mqls
	run lead-report leads --no-header --columns "$(python3 -c "print(','.join(['email'] * 70))")"
	assert_success
	assert_line --index 0 "$(python3 -c "print('\t'.join(['a1@acme.com'] * 70))")"
	assert_line --index 1 "$(python3 -c "print('\t'.join(['a2@acme.com'] * 70))")"
}

@test "200 attribute columns in lead-report leads --columns are each printed" {
	python3 -c "
print('email,' + ','.join('c%d' % i for i in range(1, 201)))
print('a@x.com,' + ','.join(str(i) for i in range(1, 201)))" > wide.csv
	lead-import -q wide.csv
	run lead-report leads --columns "$(python3 -c "print(','.join('attr.c%d' % i for i in range(1, 201)))")"
	assert_success
	assert_line --index 0 "$(python3 -c "print('\t'.join('attr.c%d' % i for i in range(1, 201)))")"
	assert_line --index 1 "$(python3 -c "print('\t'.join(str(i) for i in range(1, 201)))")"
}

@test "more different --columns than SQLite reads in one query is a usage error" {
	two_mqls
	max=$(sqlite3 :memory: '.limit column' | awk '{ print $2 }')
	[ "$max" -le 10000 ] || skip "SQLite reads $max columns: too many for one argument"
	run lead-report leads --columns "$(python3 -c "import sys; print(','.join('attr.c%d' % i for i in range(int(sys.argv[1]))))" "$max")"
	assert_failure 2
	assert_output --regexp '^lead-report: --columns: more than [0-9]+ different fields$'
}

@test "a rep with a 300-byte name gets one sheet file, its name cut and told apart by a hash" {
	two_mqls
	name=$(long)
	reps "$name"
	run lead-handoff -q assign --sheet sheets
	assert_success
	file="${name:0:191}-$(printf %s "$name" | sha256sum | cut -c1-8).tsv"
	[ "$(ls -A sheets)" = "$file" ]
	[ "$(cut -f4 "sheets/$file")" = "$(printf 'email\na1@acme.com\na2@acme.com')" ]
}

@test "a later assign --sheet for a rep with a 300-byte name works as the first" {
	two_mqls
	reps "$(long)"
	lead-handoff -q assign --sheet sheets > /dev/null
	printf 'email\nc1@initech.com\n' > more.csv
	lead-import -q more.csv
	sql "update lead set stage = 'mql' where email = 'c1@initech.com'"
	run lead-handoff -q assign --sheet sheets
	assert_success
	[ "$(ls -A sheets | wc -l)" = 1 ]
	[ "$(cut -f4 sheets/* | tail -n +2)" = c1@initech.com ]
}

@test "two long rep names that start alike get sheet files of their own" {
	mqls a1@acme.com b1@globex.com
	reps "$(long 250 x)a" "$(long 250 x)b"
	run lead-handoff -q assign --sheet sheets
	assert_success
	[ "$(ls -A sheets | wc -l)" = 2 ]
	for f in sheets/*; do
		[ "$(tail -n +2 "$f" | wc -l)" = 1 ]
	done
}

@test "a long non-ASCII rep name is cut at a character boundary" {
	two_mqls
	reps "$(long 300 €)"
	run lead-handoff -q assign --sheet sheets
	assert_success
	run python3 -c "
import os
for n in os.listdir(b'sheets'):
    n.decode('utf-8')
    assert len(n) <= 255 and n.endswith(b'.tsv'), n
    print(len(n))"
	assert_success
	assert_output 202
}

@test "a sheet file of a long-named rep that cannot be made stops the hand-off cleanly" {
	mqls a1@acme.com b1@globex.com
	name=$(long)
	reps alice "$name"
	file="${name:0:191}-$(printf %s "$name" | sha256sum | cut -c1-8).tsv"
	mkdir -p "sheets/.$file.tmp"
	run lead-handoff -q assign --sheet sheets
	assert_failure 3
	assert_output --partial "sheets/.$file.tmp: Is a directory"
	[ "$(ls -A sheets)" = ".$file.tmp" ]
	[ "$(sql "select count(*) from lead where owner_id is not null")" = 0 ]
}

@test "--sla takes more grades than sixteen" {
	two_mqls
	reps alice
	sql "update lead set grade = 'G20'"
	run lead-handoff -q assign --sla "$(python3 -c "print(','.join('G%d=%dh' % (i, i) for i in range(1, 21)))")"
	assert_success
	[ "$(sql "select distinct due from assignment")" = 2026-11-23T05:30:00Z ]
}

@test "--sla takes a grade name of any length" {
	two_mqls
	reps alice
	grade=$(long 40 G)
	sql "update lead set grade = '$grade'"
	run lead-handoff -q assign --sla "$grade=2h,*=48h"
	assert_success
	[ "$(sql "select distinct due from assignment")" = 2026-11-22T11:30:00Z ]
}

@test "a lead accepted by a rep with a 300-byte name records the whole name" {
	two_mqls
	name=$(long)
	reps "$name"
	lead-handoff -q assign > /dev/null
	run lead-handoff -q accept a1@acme.com
	assert_success
	[ "$(sql "select actor from stage_history where to_stage = 'sal'")" = "$name" ]
}

@test "a lead reassigned from a rep with a 300-byte name says so whole" {
	two_mqls
	name=$(long)
	reps bob "$name"
	echo a1@acme.com | lead-handoff -q assign --to "$name" - > /dev/null
	run lead-handoff -q reassign a1@acme.com --to bob
	assert_success
	[ "$(sql "select reason from assignment where ended_at is null")" = "reassigned from $name" ]
}

@test "a lead escalated from a rep with a 300-byte name says so whole" {
	two_mqls
	name=$(long)
	reps bob "$name"
	echo a1@acme.com | lead-handoff -q assign --to "$name" - > /dev/null
	run lead-handoff -q escalate --now 2026-11-24T00:00:00Z
	assert_success
	[ "$(sql "select reason from assignment where ended_at is null")" = "escalated from $name: no first touch within the SLA" ]
}

@test "a hand-off past an unavailable account owner with a 300-byte name names them whole" {
	two_mqls
	name=$(long)
	reps bob "$name"
	echo a1@acme.com | lead-handoff -q assign --to "$name" - > /dev/null
	printf 'name,available\nbob,yes\n%s,no\n' "$name" > away.csv
	lead-handoff -q reps away.csv
	run lead-handoff -q assign
	assert_success
	[ "$(sql "select reason from assignment where lead_id = 2")" = "account of $name (not available); next in turn" ]
}
