#!/usr/bin/env bats
# The lifecycle holds across the commands: random sequences of imports,
# opt-outs, keyed leads, event streams, touches by reps, score runs,
# hand-offs, accepts, rejects, recycling, escalation, team changes and
# erasure, with the promises of lead(7), LIFECYCLE, checked after every
# step (scripts/lifecycle-sim says which).

load helpers/common

# steps N: N, or fewer under the sanitizers (several times slower).
steps() {
	case $LEAD_BIN in
	*bin-san*) echo $(($1 / 5)) ;;
	*) echo "${LEAD_SIM_STEPS:-$1}" ;;
	esac
}

@test "random lifecycle steps keep every invariant (seed 13)" {
	run python3 "$TOP/scripts/lifecycle-sim" --seed 13 --steps "$(steps 1500)" --bin "$LEAD_BIN"
	assert_success
	assert_output --partial "every invariant held"
}

@test "random lifecycle steps keep every invariant (seed 29)" {
	run python3 "$TOP/scripts/lifecycle-sim" --seed 29 --steps "$(steps 1500)" --bin "$LEAD_BIN"
	assert_success
	assert_output --partial "every invariant held"
}

@test "the lifecycle simulator catches a broken invariant and prints the seed and the commands" {
	run python3 "$TOP/scripts/lifecycle-sim" --seed 13 --steps 40 --selftest --bin "$LEAD_BIN"
	assert_failure 1
	assert_output --partial "seed 13"
	assert_output --partial "assignment: lead"
	assert_output --partial "lead-import -q --source webinar"
}
