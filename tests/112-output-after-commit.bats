#!/usr/bin/env bats
# Output that cannot be written is an error (exit 3, saying whether the
# changes were committed), and what describes changes reaches standard
# output only once they are committed: never a sheet for hand-offs that
# did not happen, never a -p line for a lead the next command cannot see.

load helpers/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export LEAD_DB=$BATS_TEST_TMPDIR/leads.db LEAD_NOW=2026-11-22T09:30:00Z
	lead-import -q "$FIX/handoff-leads.csv"
}

mqls() {
	printf 'name,email\nalice,alice@s.example\n' > team.csv
	lead-handoff -q reps team.csv
	sql "update lead set stage = 'mql', score = 90, grade = 'A'"
}

@test "lead-log protocol to a full device exits 3 and says why" {
	run bash -c 'lead-log protocol > /dev/full'
	assert_failure 3
	assert_output --partial "standard output: No space left on device"
}

@test "lead-score --rules to a full device exits 3" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	run bash -c 'lead-score --rules > /dev/full'
	assert_failure 3
	assert_output --partial "standard output: No space left on device"
}

@test "lead-handoff overdue to a full device exits 3" {
	mqls
	lead-handoff -q assign > /dev/null
	run bash -c 'lead-handoff overdue --now 2026-12-01T00:00:00Z > /dev/full'
	assert_failure 3
	assert_output --partial "No space left on device"
}

@test "assign with standard output closed hands off nothing and exits 3" {
	mqls
	run bash -c 'lead-handoff -q assign >&-'
	assert_failure 3
	assert_output --partial "standard output is closed"
	[ "$(sql "select count(*) from assignment")" = 0 ]
}

@test "assign to a full device commits, exits 3 and says the hand-offs are committed" {
	mqls
	run bash -c 'lead-handoff -q assign > /dev/full'
	assert_failure 3
	assert_output --partial "(the changes are committed)"
	[ "$(sql "select count(*) from assignment")" -gt 0 ]
}

@test "assign whose commit fails prints no sheet" {
	mqls
	sql "pragma wal_checkpoint(truncate)" > /dev/null
	run bash -c "trap '' XFSZ; ulimit -f 4; lead-handoff assign > sheet.txt"
	assert_failure 3
	[ ! -s sheet.txt ]
	[ "$(sql "select count(*) from assignment")" = 0 ]
}

@test "every lead a -p line names is there for the next command of the pipe" {
	awk 'BEGIN { print "email"; for (i = 1; i <= 1000; i++) printf "n%d@new.example\n", i }' > list.csv
	lead-import -q -p list.csv | lead-log show - > show.txt 2> show.err
	[ "$(grep -c 'no lead' show.err)" = 0 ]
	[ "$(grep -c '@new.example' show.txt)" = 1000 ]
}

@test "a --strict import that is rolled back prints no -p line" {
	printf 'email\nok@new.example\nnot-an-email\n' > list.csv
	run bash -c 'lead-import -q --strict -p list.csv > out.txt'
	assert_failure 1
	[ ! -s out.txt ]
}

@test "a dry run's -p lines are printed" {
	printf 'email\nok@new.example\n' > list.csv
	lead-import -q --dry-run -p list.csv > out.txt
	grep -q ok@new.example out.txt
}

@test "lead-import -p piped into --forget - does not wait on itself" {
	printf 'email\nf1@new.example\nf2@new.example\n' > list.csv
	run bash -c 'lead-import -q -p list.csv | lead-import --wait 5 --forget -'
	assert_success
	assert_output --partial "2 erased"
}

@test "lead-import -p piped into reject - does not wait on itself" {
	mqls
	lead-handoff -q assign > /dev/null
	sql "select email from lead where owner_id is not null limit 2" | sed '1i email' > owned.csv
	run bash -c 'lead-import -q -p owned.csv | lead-handoff --wait 5 reject --reason "no budget" -'
	assert_success
	assert_output --partial "2 rejected"
}

@test "an import without -p runs with standard output closed" {
	printf 'email\nok@new.example\n' > list.csv
	run bash -c 'lead-import -q list.csv >&-'
	assert_success
}

@test "without a place to hold the output, -p still imports and prints, saying so" {
	printf 'email\nok@new.example\n' > list.csv
	TMPDIR=$BATS_TEST_TMPDIR/nowhere run lead-import -q -p list.csv
	assert_success
	assert_output --partial "cannot hold the output until the commit"
	assert_output --partial ok@new.example
}
