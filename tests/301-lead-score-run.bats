#!/usr/bin/env bats
# lead-score: runs, versions, promotion, explain, diff, incremental runs.

load helpers/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export LEAD_DB=$BATS_TEST_TMPDIR/leads.db LEAD_NOW=2026-11-22T09:30:00Z
	lead-import -q "$FIX/score-leads.csv"
	lead-log -q "$FIX/score-events.csv"
}

# col NAME: the values of one column of TSV on stdin, without the header.
col() {
	awk -F'\t' -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) n = i; next } { print $n }'
}

@test "a run stores score, fit and grade, and a history row per changed lead" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	[ "$(sql "select email, score, fit, grade from lead order by id" | tr '\n' ' ')" = "ann@acme.com|83.5|45.0|A bob@gmail.com|-70.0|-20.0|D cat@big.co|46.0|45.0|A dan@mid.io|60.0|25.0|B eve@small.biz|20.0|0.0|D " ]
	[ "$(sql "select count(*) from lead_score")" = 5 ]
	[ "$(sql "select rule_set_id, at, scope, nscored, nchanged, npromoted from score_run")" = "1|2026-11-22T09:30:00Z|all|5|5|2" ]
}

@test "half-life decay halves a touch one half-life old" {
	printf 'behavior +25 webinar_attended half-life 60d\n' > r.txt
	lead-score -q -r r.txt > /dev/null
	[ "$(sql "select score from lead where email = 'ann@acme.com'")" = 12.5 ]
	[ "$(sql "select score from lead where email = 'dan@mid.io'")" = 25.0 ]
}

@test "a recency window leaves older touches out" {
	printf 'behavior +10 download within 14d\n' > r.txt
	lead-score -q -r r.txt > /dev/null
	[ "$(sql "select score from lead where email = 'ann@acme.com'")" = 0.0 ]
	[ "$(sql "select score from lead where email = 'dan@mid.io'")" = 10.0 ]
}

@test "a cap bounds what one rule adds to a lead" {
	printf 'behavior +1 page_visit cap 20\n' > r.txt
	lead-score -q -r r.txt > /dev/null
	[ "$(sql "select score from lead where email = 'eve@small.biz'")" = 20.0 ]
}

@test "negative points take away, and a cap bounds them too" {
	printf 'behavior -50 unsubscribe\nbehavior -1 page_visit cap 5\n' > r.txt
	lead-score -q -r r.txt > /dev/null
	[ "$(sql "select score from lead where email = 'bob@gmail.com'")" = -50.0 ]
	[ "$(sql "select score from lead where email = 'eve@small.biz'")" = -5.0 ]
}

@test "touches later than the scoring time do not count" {
	printf 'behavior +10 download\n' > r.txt
	lead-score -q -r r.txt --now 2026-11-05 > /dev/null
	[ "$(sql "select score from lead where email = 'ann@acme.com'")" = 10.0 ]
	[ "$(sql "select score from lead where email = 'dan@mid.io'")" = 0.0 ]
}

@test "the changed leads are printed, with what they were" {
	run lead-score -r "$FIX/score-rules.txt"
	assert_success
	assert_line --index 1 "id	email	score	fit	grade	stage	prev_score	prev_fit	prev_grade	prev_stage"
	assert_line --index 2 "1	ann@acme.com	83.5	45	A	mql				new"
	assert_line "lead-score: 5 scored, 5 changed, 2 promoted to mql (rules version 1)"
}

@test "a second run with nothing new changes nothing and prints only the header" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	run lead-score
	assert_success
	assert_line --index 0 "id	email	score	fit	grade	stage	prev_score	prev_fit	prev_grade	prev_stage"
	assert_line "lead-score: 5 scored, 0 changed, 0 promoted to mql (rules version 1)"
	[ "$(sql "select count(*) from lead_score")" = 5 ]
}

@test "-a prints every lead scored" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	[ "$(lead-score -q -a | wc -l)" = 6 ]
}

@test "a lead meeting an mql line is promoted with the reason in its history" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	[ "$(sql "select stage from lead where email = 'ann@acme.com'")" = mql ]
	[ "$(sql "select from_stage, to_stage, actor, reason from stage_history h join lead l on l.id = h.lead_id where l.email = 'ann@acme.com'")" = "new|mql|lead-score|rules v1 line 18: score 83.5, fit 45, grade A" ]
}

@test "a score exactly at the threshold meets it" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	[ "$(sql "select stage from lead where email = 'dan@mid.io'")" = mql ]
}

@test "a lead sales accepted is never demoted or promoted" {
	lead-log -q dan@mid.io note --note "accepted by the east team" --stage sql --force
	sql "update lead set stage = 'sal' where email = 'ann@acme.com'"
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	printf 'fit +1 title = nobody\nmql score >= 1\n' > low.txt
	lead-score -q -r low.txt --demote > /dev/null
	[ "$(sql "select stage from lead where email = 'dan@mid.io'")" = sql ]
	[ "$(sql "select stage from lead where email = 'ann@acme.com'")" = sal ]
	[ "$(sql "select count(*) from stage_history where actor = 'lead-score'")" = 0 ]
}

@test "an mql lead that falls below stays mql unless --demote" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	printf 'fit +1 title = nobody\nmql score >= 1\n' > low.txt
	lead-score -q -r low.txt > /dev/null
	[ "$(sql "select stage from lead where email = 'ann@acme.com'")" = mql ]
	run lead-score -r low.txt --demote
	assert_success
	assert_output --partial "demoted 2"
	[ "$(sql "select stage from lead where email = 'ann@acme.com'")" = nurture ]
	[ "$(sql "select reason from stage_history where to_stage = 'nurture' limit 1")" = "rules v2: no longer meets an mql line (score 0, grade none)" ]
}

@test "--demote leaves an mql lead that has an owner" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	sql "insert into rep (name) values ('alice'); update lead set owner_id = 1 where email = 'ann@acme.com'"
	printf 'fit +1 title = nobody\nmql score >= 1\n' > low.txt
	lead-score -q -r low.txt --demote > /dev/null
	[ "$(sql "select stage from lead where email = 'ann@acme.com'")" = mql ]
	[ "$(sql "select stage from lead where email = 'dan@mid.io'")" = nurture ]
}

@test "a run without -r uses the stored rules" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	sql "update lead set score = null"
	lead-score -q > /dev/null
	[ "$(sql "select score from lead where email = 'ann@acme.com'")" = 83.5 ]
}

@test "a run with no rules stored says how to give them" {
	run lead-score
	assert_failure 2
	assert_output --partial "no rules stored yet; give a rule file with -r FILE"
}

@test "a changed rule file is a new version, the same text is not, and an old text goes back" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	[ "$(sql "select count(*) from rule_set")" = 1 ]
	{ cat "$FIX/score-rules.txt"; echo "fit +5 country = France"; } > v2.txt
	run lead-score -r v2.txt
	assert_output --partial "rules: version 2 stored from v2.txt"
	run lead-score -r "$FIX/score-rules.txt"
	assert_output --partial "rules: back to version 1"
	[ "$(sql "select count(*) from rule_set")" = 2 ]
	[ "$(sql "select value from setting where name = 'rules'")" = 1 ]
}

@test "--rules prints the current rules and --rules=N an older version" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	echo "fit +5 country = France" > v2.txt
	lead-score -q -r v2.txt > /dev/null
	run lead-score --rules
	assert_output "fit +5 country = France"
	lead-score --rules=1 > v1.txt
	cmp v1.txt "$FIX/score-rules.txt"
	run lead-score --rules=9
	assert_failure 2
}

@test "--history lists the versions and their runs" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	lead-score -q > /dev/null
	echo "fit +5 country = France" > v2.txt
	lead-score -q -r v2.txt > /dev/null
	run lead-score --history
	assert_line --index 0 "version	stored_at	file	sha256	runs	first_run	last_run	current"
	assert_line --index 1 --regexp "^1	2026-11-22T09:30:00Z	.*score-rules.txt	[0-9a-f]{64}	2	2026-11-22T09:30:00Z	2026-11-22T09:30:00Z	no$"
	assert_line --index 2 --regexp "^2	.*	v2.txt	.*	1	.*	yes$"
}

@test "the same data, rules and time give the same result every time" {
	lead-score -q -n -r "$FIX/score-rules.txt" --now 2026-12-01 > a.tsv
	lead-score -q -n -r "$FIX/score-rules.txt" --now 2026-12-01 > b.tsv
	cmp a.tsv b.tsv
	cp "$LEAD_DB" other.db
	lead-score -q -d other.db -r "$FIX/score-rules.txt" --now 2026-12-01 > c.tsv
	cmp a.tsv c.tsv
}

@test "-n prints what would change and changes nothing" {
	run lead-score -n -r "$FIX/score-rules.txt"
	assert_success
	assert_output --partial "ann@acme.com	83.5"
	assert_output --partial "(dry run: nothing changed)"
	[ "$(sql "select count(*) from rule_set")" = 0 ]
	[ "$(sql "select count(*) from score_run")" = 0 ]
	[ "$(sql "select count(*) from lead where score is not null or stage <> 'new'")" = 0 ]
}

@test "--explain prints each rule's points, summing exactly to the stored score" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	run lead-score --explain ann@acme.com
	assert_success
	assert_line --index 0 "email	line	rule	events	points"
	assert_line --index 1 'ann@acme.com	2	fit +20 title matches "director|vp|head"		20'
	assert_line --index 4 "ann@acme.com	7	behavior +25 webinar_attended half-life 60d	1	12.5"
	assert_output --partial "ann@acme.com: score 83.5 (fit 45, behavior 38.5), grade A, meets mql"
	for e in ann@acme.com bob@gmail.com eve@small.biz; do
		sum=$(lead-score -q --explain $e | awk -F'\t' 'NR > 1 { s += $5 } END { printf "%.2f", s }')
		[ "$sum" = "$(sql "select printf('%.2f', score) from lead where email = '$e'")" ]
	done
}

@test "--explain explains the stored score at the time it was made" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	LEAD_NOW= run lead-score --explain ann@acme.com
	assert_output --partial "ann@acme.com	7	behavior +25 webinar_attended half-life 60d	1	12.5"
	run lead-score --explain ann@acme.com --now 2027-01-21T09:30:00Z
	assert_output --partial "ann@acme.com	7	behavior +25 webinar_attended half-life 60d	1	6.25"
}

@test "--explain of an unknown lead exits 1 and goes on with the others" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	run lead-score --explain nobody@nowhere.com dan@mid.io
	assert_failure 1
	assert_output --partial "no lead 'nobody@nowhere.com'"
	assert_output --partial "dan@mid.io	7	behavior"
}

@test "--diff shows who would become or stop being mql, changing nothing" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	sed 's/mql score >= 60/mql score >= 40/' "$FIX/score-rules.txt" > lower.txt
	run lead-score --diff lower.txt
	assert_success
	assert_line --index 0 "id	email	stage	score	new_score	grade	new_grade	mql	new_mql"
	assert_line --index 1 "3	cat@big.co	new	46	46	A	A	no	yes"
	assert_output --partial "1 would become mql, 0 would stop being mql, 0 would change grade"
	[ "$(sql "select count(*) from rule_set")" = 1 ]
	[ "$(sql "select count(*) from score_run")" = 1 ]
	[ "$(sql "select stage from lead where email = 'cat@big.co'")" = new ]
}

@test "--diff shows grade shifts" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	sed 's/grade B fit >= 25/grade B fit >= 30/' "$FIX/score-rules.txt" > tighter.txt
	run lead-score --diff tighter.txt
	assert_line --index 1 "4	dan@mid.io	mql	60	60	B	C	yes	no"
}

@test "leads listed on stdin by lead-import -p are the only ones scored" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	printf 'email,title\nnew@acme.com,VP Sales\ncat@big.co,Head of Sales\n' > more.csv
	run sh -c 'lead-import -q -p more.csv | lead-score -'
	assert_success
	assert_output --partial "new@acme.com	20	20	C	new"
	assert_output --partial "lead-score: 2 scored, 1 changed"
	[ "$(sql "select scope from score_run order by id desc limit 1")" = list ]
}

@test "a list of bare emails, or a CSV with an email column, names leads too" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	printf 'ann@acme.com\nDAN@mid.io\n' > bare.txt
	run lead-score -a bare.txt
	assert_success
	assert_output --partial "2 scored"
	printf 'Email Address;Name\nbob@gmail.com;Bob\n' > list.csv
	run lead-score -a list.csv
	assert_output --partial "1 scored"
}

@test "a list naming an unknown lead reports file:line and exits 1" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	printf 'email\nann@acme.com\nghost@acme.com\n' > list.csv
	run lead-score list.csv
	assert_failure 1
	assert_output --partial "list.csv:3: no lead 'ghost@acme.com'"
	assert_output --partial "1 scored"
}

@test "--changed rescores only the leads with new activity or changed fields" {
	lead-score -q -r "$FIX/score-rules.txt" --now 2026-11-22T09:40:00Z > /dev/null
	export LEAD_NOW=2026-11-22T10:00:00Z
	lead-log -q cat@big.co download --at 2026-11-22T09:00:00Z
	printf 'email,country\neve@small.biz,Canada\n' > upd.csv
	lead-import -q upd.csv
	run lead-score --changed
	assert_success
	# cat (a touch) and eve (an import); not the others, though dan's
	# webinar has faded a little in the 20 minutes.
	assert_output --partial "2 scored, 2 changed"
	refute_output --partial "dan@mid.io"
	assert_output --partial "cat@big.co	56"
	assert_output --partial "eve@small.biz	30	10	C"
	[ "$(sql "select scope from score_run order by id desc limit 1")" = changed ]
}

@test "--changed scores every lead after the rules changed" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	echo "fit +5 country = France" > v2.txt
	run lead-score --changed -r v2.txt
	assert_output --partial "the rules changed since the last run; scoring every lead"
	assert_output --partial "5 scored"
}

@test "--changed scores every lead when activity was undone since the last run" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	printf 'email,title\nzed@acme.com,VP Ops\n' > z.csv
	lead-import -q --activity webinar_attended z.csv
	lead-score -q > /dev/null
	lead-import -q --undo "$(sql "select max(id) from batch where command = 'lead-import'")"
	run lead-score --changed
	assert_output --partial "undone since the last run; scoring every lead"
}

@test "--json writes scores as numbers" {
	run lead-score -q --json -r "$FIX/score-rules.txt"
	assert_line --index 0 '{"id":1,"email":"ann@acme.com","score":83.5,"fit":45,"grade":"A","stage":"mql","prev_score":null,"prev_fit":null,"prev_grade":null,"prev_stage":"new"}'
}

@test "a forgotten lead is not scored" {
	lead-import -q --forget bob@gmail.com
	run lead-score -r "$FIX/score-rules.txt"
	assert_output --partial "4 scored"
	refute_output --partial "bob@gmail.com"
}

@test "--explain, --diff and --check go one at a time" {
	run lead-score --explain --check -r x.txt
	assert_failure 2
	assert_output --partial "one at a time"
}

@test "a run stands when the reader of its output goes away" {
	for i in $(seq 2000); do echo "l$i@acme.com,VP"; done | sed '1i email,title' > many.csv
	lead-import -q many.csv
	run sh -c 'lead-score -r "$1" | head -1' sh "$FIX/score-rules.txt"
	assert_success
	[ "$(sql "select count(*) from lead where score is not null")" = 2005 ]
}

@test "an id column beside an email column is not taken for leadkit's id" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	printf 'ID,Email\n3,ann@acme.com\n' > crm.csv
	run lead-score -a crm.csv
	assert_output --partial "ann@acme.com"
	refute_output --partial "cat@big.co"
}

@test "--rules prints the stored text byte for byte, so it can be adopted again" {
	printf 'fit +5 title present' > v1.txt
	lead-score -q -r v1.txt > /dev/null
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	lead-score --rules=1 > back.txt
	run lead-score -r back.txt
	assert_output --partial "back to version 1"
}

@test "--changed finds new leads, stage changes and suppressions without reading every lead" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	printf 'email,title\nnew@acme.com,VP Sales\n' > new.csv
	lead-import -q new.csv
	lead-log -q eve@small.biz note --note "moved to the partner team" --stage disqualified --reason "partner, not a buyer"
	printf 'email\ncat@big.co\n' > optout.csv
	lead-import -q --suppress optout.csv
	run lead-score --changed -a
	assert_success
	assert_output --partial "3 scored"
	assert_output --partial "new@acme.com"
	assert_output --partial "eve@small.biz"
	assert_output --partial "cat@big.co"
}

@test "a list piped from lead-import -p names every lead, however long it is" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	for i in $(seq 1 3000); do echo "p$i@firm$i.com,VP"; done | sed '1i email,title' > big.csv
	run sh -c 'lead-import -q -p big.csv | lead-score -q -a - | wc -l'
	assert_success
	assert_output 3001
}

@test "a binary lead list is a usage error, not a partial run" {
	lead-score -q -r "$FIX/score-rules.txt" > /dev/null
	printf 'email\n\000\001\002\n' > bin.csv
	run lead-score bin.csv
	[ "$status" -ne 0 ] && [ "$status" -ne 1 ]
}

@test "a rule file near the size limit is read in one pass" {
	{ printf 'fit +1 title in ('; for i in $(seq 1 900); do printf 't%d, ' "$i"; done; echo 'x)'; } > wide.txt
	for i in $(seq 1 150); do cat wide.txt; done > big.txt
	run timeout 60 lead-score --check -r big.txt
	assert_success
}
