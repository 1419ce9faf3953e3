#!/usr/bin/env bats
# lead-score and the lifecycle: a lead sales sent back comes back only on
# new evidence or the agreed re-entry date; the agreement can read the
# lifecycle; the nightly run prints what changed standing.

load helpers/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export LEAD_DB=$BATS_TEST_TMPDIR/leads.db LEAD_NOW=2026-11-22T09:30:00Z
	lead-import -q "$FIX/score-leads.csv"
	lead-log -q "$FIX/score-events.csv"
	printf 'name,email\nalice,alice@seller.example\nbob,bob@seller.example\n' > team.csv
	lead-handoff -q reps team.csv
}

stage() {
	sql "select stage from lead where email = '$1'"
}

# Score, hand the MQLs over, and have their owner reject ann.
reject_ann() {
	lead-score -q -r "${1:-$FIX/score-rules.txt}" > /dev/null
	lead-handoff -q assign > /dev/null
	lead-handoff -q reject ann@acme.com --reason "student, no budget"
}

@test "a lead sales rejected is not re-promoted by the next run without new activity" {
	reject_ann
	LEAD_NOW=2026-11-23T02:00:00Z run lead-score
	assert_success
	assert_output --partial "ann@acme.com: meets mql line"
	assert_output --partial "rejected"
	[ "$(stage ann@acme.com)" = nurture ]
	[ "$(sql "select owner_id is null from lead where email = 'ann@acme.com'")" = 1 ]
}

@test "a rejected lead re-qualifies on its own behaviour after the rejection" {
	reject_ann
	lead-log -q ann@acme.com download --content "ROI calculator" --at 2026-11-22T12:00:00Z
	LEAD_NOW=2026-11-23T02:00:00Z lead-score -q > /dev/null
	[ "$(stage ann@acme.com)" = mql ]
}

@test "a touch by sales after the rejection is not new evidence" {
	reject_ann
	lead-log -q ann@acme.com email_sent --content "checking in" --by alice --at 2026-11-22T12:00:00Z
	LEAD_NOW=2026-11-23T02:00:00Z lead-score -q > /dev/null
	[ "$(stage ann@acme.com)" = nurture ]
}

@test "behaviour from before the rejection, imported after it, is not new evidence" {
	reject_ann
	printf 'email,ts,kind\nann@acme.com,2026-11-01T10:00:00Z,form_submit\n' | lead-log -q
	LEAD_NOW=2026-11-23T02:00:00Z lead-score -q > /dev/null
	[ "$(stage ann@acme.com)" = nurture ]
}

@test "reentry after a duration re-qualifies a rejected lead once it has passed" {
	{ cat "$FIX/score-rules.txt"; echo "reentry after 30d"; } > r.txt
	reject_ann r.txt
	LEAD_NOW=2026-12-01T00:00:00Z lead-score -q > /dev/null
	[ "$(stage ann@acme.com)" = nurture ]
	LEAD_NOW=2026-12-23T00:00:00Z lead-score -q > /dev/null
	[ "$(stage ann@acme.com)" = mql ]
}

@test "a recycled lead does not come straight back" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	lead-handoff -q assign > /dev/null
	LEAD_NOW=2027-01-05T00:00:00Z lead-handoff -q recycle --idle 30d
	[ "$(stage dan@mid.io)" = nurture ]
	LEAD_NOW=2027-01-05T01:00:00Z lead-score -q -r <(sed 's/^mql .*/mql fit >= 0/' "$FIX/score-rules.txt") > /dev/null
	[ "$(stage dan@mid.io)" = nurture ]
	[ "$(stage eve@small.biz)" = mql ]
}

@test "the rules read how often a lead was rejected and why" {
	{ grep -v '^mql' "$FIX/score-rules.txt"; echo 'mql score >= 60 and times_rejected < 1'; echo 'mql score >= 60 and not last_reject_reason contains student'; echo 'reentry after 1d'; } > r.txt
	reject_ann r.txt
	LEAD_NOW=2026-11-25T00:00:00Z lead-score -q > /dev/null
	[ "$(stage ann@acme.com)" = nurture ]
	sql "update assignment set reject_reason = 'timing' where reject_reason is not null"
	LEAD_NOW=2026-11-25T00:00:00Z lead-score -q > /dev/null
	[ "$(stage ann@acme.com)" = mql ]
}

@test "days_in_stage and days_since_rejected are the days before now" {
	reject_ann
	printf 'kind call\nfit +1 days_since_rejected >= 3\nfit +10 days_in_stage >= 3\n' > r.txt
	LEAD_NOW=2026-11-25T10:00:00Z lead-score -q -r r.txt > /dev/null
	[ "$(sql "select fit from lead where email = 'ann@acme.com'")" = 11.0 ]
	[ "$(sql "select fit from lead where email = 'bob@gmail.com'")" = 10.0 ]
}

@test "a reentry line without a duration is an error at its line and column" {
	printf 'fit +10 country = Germany\nreentry after soon\n' > r.txt
	run lead-score --check -r r.txt
	assert_failure 2
	assert_output --partial "r.txt:2:15: soon: expected a duration"
}

@test "the nightly run prints the leads whose standing changed, not every score that faded" {
	printf 'behavior +25 webinar_attended half-life 60d\n' > r.txt
	lead-score -q -r r.txt > /dev/null
	run lead-score -q --now 2026-11-23T09:30:00Z
	assert_success
	assert_output "id	email	score	fit	grade	stage	prev_score	prev_fit	prev_grade	prev_stage"
	[ "$(sql "select count(*) from lead_score where run_id = 2")" = 2 ]
}

@test "--scores prints every lead whose score changed" {
	printf 'behavior +25 webinar_attended half-life 60d\n' > r.txt
	lead-score -q -r r.txt > /dev/null
	run lead-score -q --now 2026-11-23T09:30:00Z --scores
	assert_output --partial "ann@acme.com"
	assert_output --partial "dan@mid.io"
}

@test "a lead crossing a band of ten points is a standing change" {
	printf 'behavior +25 webinar_attended half-life 10d\n' > r.txt
	lead-score -q -r r.txt > /dev/null
	[ "$(sql "select score from lead where email = 'dan@mid.io'")" = 25.0 ]
	run lead-score -q --now 2026-11-27T09:30:00Z
	assert_output --partial "dan@mid.io"
	refute_output --partial "ann@acme.com"
}
