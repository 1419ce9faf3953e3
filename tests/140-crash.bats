#!/usr/bin/env bats
# Crashes: every command that writes, killed with SIGKILL at random points
# of its run (scripts/crashtest, small), leaves a whole database equal to
# the state before the command or after it, and the command run again
# reaches the state after.

load helpers/common

@test "kill -9 at random points of every writing command leaves the database as it was before or after" {
	run "$TOP/scripts/crashtest" -b "$LEAD_BIN" -w "$BATS_TEST_TMPDIR/crash" -k 2 -l 2000 -e 6000
	assert_success
	assert_line "26 passed, 0 failed"
}

@test "crashtest notices a command that leaves the database between before and after" {
	# A stand-in lead-log that commits half its work in one transaction
	# and the rest in another: a kill between the two must be caught.
	mkdir fake
	for c in lead-import lead-score lead-handoff lead-report; do
		ln -s "$LEAD_BIN/$c" fake/$c
	done
	cat > fake/lead-log <<-'FAKE'
	#!/bin/sh
	[ "$2" = events2.csv ] || exec "$REAL/lead-log" "$@"
	head -n 1500 "$2" > half1.csv
	{ head -n 1 "$2"; tail -n +1501 "$2"; } > half2.csv
	"$REAL/lead-log" -q half1.csv && sleep 0.3 && exec "$REAL/lead-log" -q half2.csv
	FAKE
	chmod +x fake/lead-log
	export REAL=$LEAD_BIN
	run "$TOP/scripts/crashtest" -b "$PWD/fake" -w "$BATS_TEST_TMPDIR/crash" -k 10 -l 2000 -e 6000 log-bulk
	assert_failure
	assert_output --partial "neither the state before nor after"
}
