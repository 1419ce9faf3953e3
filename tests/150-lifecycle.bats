#!/usr/bin/env bats
# The process holds: seeded random sequences of imports with overlaps,
# opt-outs, keyed leads, event streams, touches by reps, score runs,
# assign, accept, reject, recycle, escalate, reassign, team changes and
# erasure, with the promises of lead(7), LIFECYCLE checked after every
# step (scripts/lifecycle-sim lists them, one function each).

load helpers/common

SIM=$TOP/scripts/lifecycle-sim

# sim_steps N: N steps; $LEAD_SIM_STEPS if set; a fifth of N under the
# sanitizers (a bin-san build runs the commands 3-5 times slower).
sim_steps() {
	if [ -n "${LEAD_SIM_STEPS:-}" ]; then
		echo "$LEAD_SIM_STEPS"
		return
	fi
	case $LEAD_BIN in
	*bin-san*) echo $(($1 / 5)) ;;
	*) echo "$1" ;;
	esac
}

@test "a thousand random lifecycle steps keep every invariant" {
	run python3 "$SIM" --seed 1 --steps "$(sim_steps 1000)" --bin "$LEAD_BIN"
	assert_success
	assert_output --partial "every invariant held"
}

@test "the lifecycle simulator catches an open assignment deleted behind its back, with the seed and the commands" {
	run python3 "$SIM" --seed 7 --steps 200 --selftest=assignment --bin "$LEAD_BIN"
	assert_failure 1
	assert_output --partial "lifecycle-sim: seed 7: broken by command"
	assert_output --partial "has exactly one open assignment"
	assert_output --partial "# selftest: an open assignment deleted"
	assert_output --partial "lead-import -q --source webinar"
}

@test "the lifecycle simulator catches an opt-out flag cleared behind its back" {
	run python3 "$SIM" --seed 7 --steps 200 --selftest=optout --bin "$LEAD_BIN"
	assert_failure 1
	assert_output --partial "An opt-out holds however the lead comes to exist"
	assert_output --partial "# selftest: a do-not-contact flag cleared"
}

@test "--shrink cuts a failing sequence down to the commands that break the promise" {
	run python3 "$SIM" --seed 7 --steps 200 --selftest=assignment --shrink --bin "$LEAD_BIN"
	assert_failure 1
	assert_output --regexp "# a shorter sequence that breaks it too: runnable from an empty directory \([2-7] commands\)"
	assert_output --partial "has exactly one open assignment"
}

@test "the commands a failure prints replay it from an empty directory" {
	python3 "$SIM" --seed 7 --steps 200 --selftest=assignment --bin "$LEAD_BIN" 2> err || true
	sed -n '/^# the commands/,$p' err > replay.sh
	[ -s replay.sh ]
	mkdir replay
	(cd replay && bash ../replay.sh > /dev/null 2>&1) || true
	# the damage the selftest did is in the replayed database
	[ "$(sqlite3 replay/leads.db "select count(*) from lead l where l.owner_id is not null
	    and l.stage not in ('won', 'lost', 'disqualified') and not exists (select 1 from
	    assignment a where a.lead_id = l.id and a.ended_at is null)")" -ge 1 ]
}

@test "the same seed makes the same commands" {
	python3 "$SIM" --seed 3 --steps 40 --bin "$LEAD_BIN" --commands one.sh > /dev/null 2>&1 || true
	python3 "$SIM" --seed 3 --steps 40 --bin "$LEAD_BIN" --commands two.sh > /dev/null 2>&1 || true
	[ -s one.sh ]
	cmp one.sh two.sh
	python3 "$SIM" --seed 4 --steps 40 --bin "$LEAD_BIN" --commands three.sh > /dev/null 2>&1 || true
	! cmp -s one.sh three.sh
}
